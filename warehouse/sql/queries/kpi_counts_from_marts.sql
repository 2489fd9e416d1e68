-- The counts of queries/kpi_counts_from_dossiers.sql, added up from the KPI mart (marts/kpi_month.sql)
-- instead of every dossier: each count is a running total by the period's end day T minus one by the
-- day before its start (F - 1). The running total by a cut day is the mart's whole months before the
-- cut's window plus the dossiers' own events in the window (the cut's month up to the cut, empty when
-- the cut ends a month: warehouse/kpi_plan.py plans it). pending_overdue at an as-of instant that is
-- not the end of a month's last day (now, or mid-month) is counted from the dossiers open at T.
-- The equivalence test (tests/test_mart_equivalence.py) holds the two paths to the same figures.
--
-- Parameters: those of queries/kpi.sql, and
--   $grain                  : the mart's grain that has the slice's one dimension (or 'unit')
--   $cut_period, $cut_side  : int[], varchar[]  each cut's period and side ('lo' = F - 1, 'hi' = T)
--   $cut_day, $cut_window   : date[]            the cut day, and the first day not in the mart's months
--   $live_overdue           : boolean[]         per period: pending_overdue from the dossiers
--   $scan_recent, $recent_from : whether any dossier is read, and the earliest end day one can have
with periods as (
    select
        unnest($period_from::date[])                    as period_from,
        unnest($period_to::date[])                      as period_to,
        unnest($as_of::timestamp[])                     as as_of,
        unnest($live_overdue::boolean[])                as live_overdue,
        unnest(range(1, len($period_from::date[]) + 1)) as period_idx
),

cuts as (
    select
        unnest($cut_period::bigint[])  as period_idx,
        unnest($cut_side::varchar[])   as side,
        unnest($cut_day::date[])       as cut_day,
        unnest($cut_window::date[])    as cut_window
),

mart_cells as (
    select *, null::varchar as procedure_code
    from mart_kpi_month
    where grain = $grain
      and month < $max_window
),

cells as (
    select *, {{ include 'queries/group_key' }} as group_key
    from {{ include 'queries/sliced' source='mart_cells' }} as sliced
),

-- the dossiers whose events fall in a cut's window, or that are open at a live period's end
recent as (
    select
        received_date, end_date, due_at, outcome, is_online, service_level, has_fee, paid_cashless,
        paid_online, digitised, rating, fee, is_estimate,
        {{ include 'queries/group_key' }} as group_key
    from {{ include 'queries/sliced' source='fct_dossiers' }} as sliced
    where $scan_recent
      and received_date <= $max_to
      and (end_date is null or end_date >= $recent_from)
),

-- the slice's mart cells per group and month (units of a group summed), then by cut
monthly as (
    select
        group_key, month,
        sum(received) as received, sum(received) filter (is_estimate) as received_estimated,
        sum(ended) as ended, sum(ended) filter (is_estimate) as ended_estimated,
        sum(columns(lambda c: c in ('received_online', 'full_online_base', 'full_online_count', 'fee_base',
                               'cashless_count', 'online_payment_count', 'digitised_count', 'fee_amount',
                               'cashless_amount', 'ended_early', 'ended_on_time', 'ended_late',
                               'rated_total', 'rated_satisfied', 'rated_dissatisfied', 'very_satisfied',
                               'satisfied', 'dissatisfied', 'not_rated', 'overdue_due', 'overdue_due_ended')))
    from cells
    group by group_key, month
),

from_months as (
    select c.period_idx, c.side, m.group_key, sum(columns(m.* exclude (group_key, month)))
    from cuts as c
    join monthly as m on m.month < c.cut_window
    group by all
),

received_in_windows as (
    select
        c.period_idx, c.side, r.group_key,
        count(*) as received, count_if(r.is_estimate) as received_estimated,
        count_if(r.is_online) as received_online,
        count_if(r.service_level = 4) as full_online_base,
        count_if(r.service_level = 4 and r.is_online) as full_online_count,
        count_if(r.has_fee) as fee_base,
        count_if(r.has_fee and r.paid_cashless) as cashless_count,
        count_if(r.has_fee and r.paid_online) as online_payment_count,
        count_if(r.digitised) as digitised_count,
        coalesce(sum(r.fee) filter (r.has_fee), 0) as fee_amount,
        coalesce(sum(r.fee) filter (r.has_fee and r.paid_cashless), 0) as cashless_amount
    from cuts as c
    join recent as r on r.received_date between c.cut_window and c.cut_day
    group by all
),

ended_in_windows as (
    select
        c.period_idx, c.side, r.group_key,
        count(*) as ended, count_if(r.is_estimate) as ended_estimated,
        count_if(r.outcome = 'early') as ended_early,
        count_if(r.outcome = 'on_time') as ended_on_time,
        count_if(r.outcome = 'late') as ended_late,
        count_if(r.rating is not null) as rated_total,
        count_if(r.rating >= 2) as rated_satisfied,
        count_if(r.rating = 1) as rated_dissatisfied,
        count_if(r.rating = 3) as very_satisfied,
        count_if(r.rating = 2) as satisfied,
        count_if(r.rating = 1) as dissatisfied,
        count_if(r.rating is null) as not_rated
    from cuts as c
    join recent as r on r.end_date between c.cut_window and c.cut_day
    group by all
),

-- the running totals of each period's two cuts, per group
by_cut as (
    select period_idx, side, group_key, coalesce(sum(columns(* exclude (period_idx, side, group_key))), 0)
    from (
        select * from from_months
        union all by name select * from received_in_windows
        union all by name select * from ended_in_windows
    )
    group by all
),

-- KPI.md's pending_overdue at an as-of instant the mart's month ends do not give: the dossiers
-- received by T, not ended by T, and due before the instant
live_overdue as (
    select p.period_idx, r.group_key, count(*) as pending_overdue
    from periods as p
    join recent as r
      on p.live_overdue
     and r.received_date <= p.period_to
     and (r.end_date is null or r.end_date > p.period_to)
     and r.due_at < p.as_of
    group by all
),

flows as (
    select
        period_idx,
        group_key,
        -- by T minus by F - 1
        sum(case side when 'hi' then received else -received end)                 as received_new,
        sum(case side when 'hi' then received else -ended end)                    as received_total,
        sum(case side when 'hi' then received_estimated else -ended_estimated end) as estimated_dossiers,
        sum(case side when 'hi' then received_online else -received_online end)   as received_online,
        sum(case side when 'hi' then ended else -ended end)                       as resolved_total,
        sum(case side when 'hi' then ended_early else -ended_early end)           as resolved_early,
        sum(case side when 'hi' then ended_on_time else -ended_on_time end)       as resolved_on_time,
        sum(case side when 'hi' then ended_late else -ended_late end)             as resolved_late,
        sum(case side when 'hi' then full_online_base else -full_online_base end) as full_online_base,
        sum(case side when 'hi' then full_online_count else -full_online_count end) as full_online_count,
        sum(case side when 'hi' then fee_base else -fee_base end)                 as fee_base,
        sum(case side when 'hi' then cashless_count else -cashless_count end)     as cashless_count,
        sum(case side when 'hi' then online_payment_count else -online_payment_count end) as online_payment_count,
        sum(case side when 'hi' then digitised_count else -digitised_count end)   as digitised_count,
        sum(case side when 'hi' then rated_total else -rated_total end)           as rated_total,
        sum(case side when 'hi' then rated_satisfied else -rated_satisfied end)   as rated_satisfied,
        sum(case side when 'hi' then rated_dissatisfied else -rated_dissatisfied end) as rated_dissatisfied,
        sum(case side when 'hi' then very_satisfied else -very_satisfied end)     as very_satisfied,
        sum(case side when 'hi' then satisfied else -satisfied end)               as satisfied,
        sum(case side when 'hi' then dissatisfied else -dissatisfied end)         as dissatisfied,
        sum(case side when 'hi' then not_rated else -not_rated end)               as not_rated,
        sum(case side when 'hi' then fee_amount else -fee_amount end)             as fee_amount,
        sum(case side when 'hi' then cashless_amount else -cashless_amount end)   as cashless_amount,
        -- by T only
        sum(case side when 'hi' then received - ended else 0 end)                 as pending_total,
        sum(case side when 'hi' then overdue_due - overdue_due_ended else 0 end)  as overdue_by_month_end
    from by_cut
    group by all
),

counts as (
    select
        f.period_idx,
        f.group_key,
        f.received_new,
        f.received_total - f.received_new                                   as received_carried_over,
        f.received_total,
        f.received_online,
        f.resolved_total, f.resolved_early, f.resolved_on_time, f.resolved_late,
        f.pending_total,
        case when p.live_overdue then coalesce(o.pending_overdue, 0)
             else f.overdue_by_month_end end                                as pending_overdue,
        f.full_online_base, f.full_online_count, f.fee_base, f.cashless_count, f.online_payment_count,
        f.digitised_count, f.rated_total, f.rated_satisfied, f.rated_dissatisfied,
        f.very_satisfied, f.satisfied, f.dissatisfied, f.not_rated,
        f.estimated_dossiers, f.fee_amount, f.cashless_amount
    from flows as f
    join periods as p using (period_idx)
    left join live_overdue as o using (period_idx, group_key)
    where f.received_total > 0   -- a group is there when a dossier counts in it, as in the dossiers' path
)

select * from counts
