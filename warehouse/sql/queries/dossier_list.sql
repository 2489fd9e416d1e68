-- The dossiers behind a slice's figures: received by `to` and not resolved before `from`
-- (KPI.md's received_total), with their state at the end of the period. Unordered: the query
-- layer pages it (warehouse/kpi.py `page`) and counts it.
with scoped as (
    select * from {{ include 'queries/sliced' source='fct_dossiers' }} as sliced
    where received_date <= $period_to
      and (end_date is null or end_date >= $period_from)
),

final as (
    select
        dossier_id, procedure_name, field, agency, unit_leaf as unit_code, unit_name, is_estimate,
        received_at, due_at,
        case when end_date <= $period_to then end_at end as end_at,
        case when end_date <= $period_to then outcome end as outcome
    from scoped
)

select * from final
