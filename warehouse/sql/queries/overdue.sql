-- Dossiers overdue at the as-of instant (KPI.md "Early warning"), most overdue first.
-- Same slice parameters as kpi.sql; $as_of is one timestamp; $limit caps the list.
with scoped as (
    select * from {{ include 'queries/sliced_dossiers' }} as sliced
),

overdue as (
    select
        dossier_id, procedure_name, field, agency, handling_level, unit_code, unit_path,
        received_at, due_at,
        date_diff('day', cast(due_at as date), cast($as_of as date)) as days_overdue
    from scoped
    where received_at <= $as_of
      and (end_at is null or end_date > cast($as_of as date))
      and due_at < $as_of
),

final as (
    select overdue.*, admin_units.name as unit_name
    from overdue
    left join admin_units on admin_units.code = overdue.unit_code
)

select * from final
order by due_at, dossier_id
limit $limit
