-- fct_dossiers: the current state of every counted dossier (one row per dossier id).
-- The newest loaded row of a dossier wins: later batch, then later file, then later row.
-- $since_batch limits the rebuild to dossiers touched from that batch on (incremental load);
-- 0 rebuilds everything. A dossier's newest row is always in the newest batch that has it,
-- so older batches need not be read.
with candidates as (
    select * from stg_dossier_rows
    where batch_id >= $since_batch
),

latest as (
    select * from candidates
    qualify row_number() over (
        partition by dossier_id order by batch_id desc, file_seq desc, row_number desc
    ) = 1
),

final as (
    select
        dossier_id, procedure_code, procedure_name, field_code, field, agency, handling_level,
        unit_code, unit_list, unit_ref, channel, is_online, service_level,
        received_at, received_date, due_at, end_at, end_date, status,
        case
            when end_at is null then null
            when is_withdrawn_or_stopped then 'on_time'
            when due_at is null then 'on_time'
            when end_date < cast(due_at as date) then 'early'
            when end_date = cast(due_at as date) then 'on_time'
            else 'late'
        end as outcome,
        fee, has_fee, paid_online, paid_cashless, digitised, rating,
        batch_id, file_id, row_number
    from latest
    where is_counted
)

-- Stored in order of the end date (open dossiers last): every KPI query keeps only dossiers that end on
-- or after the period's start, so DuckDB's zone maps skip the row groups of long-closed dossiers. A
-- load's incremental rows are recent or open, so appending them keeps the order nearly intact.
select * from final
order by end_date nulls last
