-- stg_dossier_rows: every loaded export row, with the facts KPI.md derives per row.
-- Staging only names and types; no aggregation.
--
-- The unit: a code means nothing without its list (DATA-CONTRACT.md). It is read in the list in force
-- on the dossier's received date; a code that list lacks is read in the latest list that has it (an old
-- system still sending old codes after 1 July 2025), and a code in no list of the province is unknown.
with source as (
    select * from dossier_rows
),

derived as (
    select
        * replace (paid_online or coalesce(payment_method = 'online', false) as paid_online),  -- shape A says it in the method
        coalesce(processed_at, returned_at)               as end_at,      -- KPI.md: processed, else returned
        status not in (1, 3)                              as is_counted,  -- 1 not yet received, 3 refused at intake
        status in (7, 8)                                  as is_withdrawn_or_stopped,
        channel = 2                                       as is_online,
        fee > 0                                           as has_fee,
        paid_online or coalesce(payment_method in ('online', 'transfer', 'card'), false) as paid_cashless
    from source
),

typed as (
    select
        *,
        cast(received_at as date) as received_date,
        cast(end_at as date)      as end_date
    from derived
),

lists as (
    select
        list_id,
        coalesce(valid_from, date '0001-01-01') as starts,
        coalesce(valid_to, date '9999-12-31')   as ends,
        exists (select 1 from admin_units as a where a.list_id = l.list_id and a.level = 'district') as has_districts
    from unit_lists as l
),

-- the units of the province, each in its own list
own_units as (
    select unit_list, code, unit_ref from unit_views where view_list = unit_list
),

-- a code's unit in the latest list that has it
latest_units as (
    select own_units.code, arg_max(own_units.unit_ref, unit_lists.seq) as unit_ref,
           arg_max(own_units.unit_list, unit_lists.seq) as unit_list
    from own_units join unit_lists on unit_lists.list_id = own_units.unit_list
    group by own_units.code
),

final as (
    select
        typed.*,
        lists.list_id                                                  as list_in_force,
        lists.has_districts                                            as list_in_force_has_districts,
        coalesce(in_force.unit_ref, other.unit_ref, '_unknown')        as unit_ref,
        coalesce(in_force.unit_list, other.unit_list)                  as unit_list,
        case when in_force.unit_ref is not null then 'in_force'
             when other.unit_ref is not null then 'other_list'
             else 'unknown' end                                        as unit_read
    from typed
    left join lists
      on typed.received_date >= lists.starts and typed.received_date < lists.ends
    left join own_units as in_force
      on in_force.unit_list = lists.list_id and in_force.code = typed.unit_code
    left join latest_units as other
      on other.code = typed.unit_code
)

select * from final
