-- stg_dossier_rows: every loaded export row, with the facts KPI.md derives per row.
-- Staging only names and types; no aggregation.
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

final as (
    select
        *,
        cast(received_at as date) as received_date,
        cast(end_at as date)      as end_date
    from derived
)

select * from final
