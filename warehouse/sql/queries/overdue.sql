-- Early warning (KPI.md): dossiers pending at the as-of instant whose due time falls in
-- [$due_from, $due_before): overdue with due_from null and due_before = as_of; due soon with
-- [as_of, as_of + window). Same slice parameters as kpi.sql. Unordered: the query layer pages it
-- (warehouse/kpi.py `page`: a whitelisted order, $limit and $offset) and counts it.
with scoped as (
    select * from {{ include 'queries/sliced' source='fct_dossiers' }} as sliced
),

overdue as (
    select
        dossier_id, procedure_name, field, agency, handling_level, unit_path, unit_name, is_estimate,
        unit_leaf as unit_code,  -- where the dossier counts in the view (the code it was sent with may be older)
        received_at, due_at,
        date_diff('day', cast(due_at as date), cast($as_of as date)) as days_overdue,
        date_diff('minute', cast($as_of as timestamp), due_at) / 60.0 as hours_left
    from scoped
    where received_at <= $as_of
      and (end_date is null or end_date > cast($as_of as date))  -- one column, the shape scans skip data by
      and ($due_from is null or due_at >= $due_from)
      and due_at < $due_before
)

select * from overdue
