-- Early warning (KPI.md): dossiers pending at the as-of instant whose due time falls in
-- [$due_from, $due_before): overdue with due_from null and due_before = as_of; due soon with
-- [as_of, as_of + window). Same slice parameters as kpi.sql. Unordered: the query layer pages it
-- (warehouse/kpi.py `page`: a whitelisted order, $limit and $offset) and counts it.
with scoped as (
    select * from {{ include 'queries/sliced_dossiers' }} as sliced
),

overdue as (
    select
        dossier_id, procedure_name, field, agency, handling_level, unit_code, unit_path,
        received_at, due_at,
        date_diff('day', cast(due_at as date), cast($as_of as date)) as days_overdue,
        date_diff('minute', cast($as_of as timestamp), due_at) / 60.0 as hours_left
    from scoped
    where received_at <= $as_of
      and (end_at is null or end_date > cast($as_of as date))
      and ($due_from is null or due_at >= $due_from)
      and due_at < $due_before
),

final as (
    select overdue.*, admin_units.name as unit_name
    from overdue
    left join admin_units on admin_units.code = overdue.unit_code
)

select * from final
