-- The counts of queries/kpi_counts_from_dossiers.sql, added up from the KPI mart (marts/kpi_month.sql)
-- instead of every dossier: each count is a running total by the period's end day T minus one by the
-- day before its start (F - 1). The running total by a cut day is the mart's whole months up to a month
-- boundary plus or minus the dossiers' own events in the cut's window, the days between the cut and that
-- boundary (the cut's month up to the cut, added, or after it, taken away; none when the cut ends a
-- month: warehouse/kpi_plan.py plans it). pending_overdue at the end of T is such a running total too
-- (received and past due, minus those also ended); at an earlier as-of instant (now,
-- for a period ending today or later) it is that total less the dossiers open at T that are past due by
-- the end of T but not yet at the instant (due between now and T's end: for T today, those due before
-- midnight, not every open one). An instant after T's end is not planned here (kpi_plan.within_days).
-- The equivalence test (tests/test_mart_equivalence.py) holds the two paths to the same figures.
--
-- Parameters: those of queries/kpi.sql, and
--   $grain                  : the mart's grain that has the slice's one dimension (or 'unit')
--   $lo_months_before, $lo_days_from, $lo_days_to, $lo_sign : per period, the cut F - 1 (kpi_plan.Cut):
--                                        the mart's months before the first, and sign × the dossiers'
--                                        events on the days from..to (none when from > to)
--   $hi_months_before, $hi_days_from, $hi_days_to, $hi_sign : the same of the cut T
--   $max_month              : date       the latest months_before (no later month is read)
--   $history_to             : date       the earliest lo months_before (months before the carry year
--                                        before it are read as that carry)
--   $live_overdue           : boolean[]  per period: whether its as-of instant is before T's end (now)
--   $any_live               : whether any period's is
--   $live_due_from, $live_due_to : timestamp the earliest such instant and the latest end of such a T:
--                                        the due times of a dossier past due by T's end, not at the instant
--   $window_from_N, $window_to_N, $due_from_N, $due_to_N (N = 1..4): the windows' days as four ranges,
--                                        and the due times a dossier falling past due in each can have
--   $scan_recent, $recent_from, $recent_to : whether any dossier is read, the earliest day of an event
--                                        read from the dossiers (a window's start, or T + 1 for a live T),
--                                        and the latest day one is received on (a window's end, or a T)
with periods as (
    select
        unnest($period_from::date[])                    as period_from,
        unnest($period_to::date[])                      as period_to,
        unnest($as_of::timestamp[])                     as as_of,
        unnest($live_overdue::boolean[])                as live_overdue,
        unnest($lo_months_before::date[])               as lo_months_before,
        unnest($lo_days_from::date[])                   as lo_days_from,
        unnest($lo_days_to::date[])                     as lo_days_to,
        unnest($lo_sign::int[])                         as lo_sign,
        unnest($hi_months_before::date[])               as hi_months_before,
        unnest($hi_days_from::date[])                   as hi_days_from,
        unnest($hi_days_to::date[])                     as hi_days_to,
        unnest($hi_sign::int[])                         as hi_sign,
        unnest(range(1, len($period_from::date[]) + 1)) as period_idx
),

-- the slice's grain of the mart: its months from the latest carry year before the periods, and that
-- year's carry as one cell dated the day before (what the earlier months leave standing)
carry_year as (
    select max(year) as year from mart_kpi_carry where grain = $grain and year <= $history_to
),

mart_cells as (
    select *, null::varchar as procedure_code
    from (
        select *
        from mart_kpi_month
        where grain = $grain
          and month < $max_month
          and month >= coalesce((select year from carry_year), date '0001-01-01')
        union all by name
        select
            grain, unit_ref, field, agency, handling_level, channel,
            cast(year - interval 1 day as date) as month,
            stock_open                          as received,
            stock_overdue                       as overdue_due
        from mart_kpi_carry
        where grain = $grain and year = (select year from carry_year)
    )
),

-- the dossiers that may have an event (received, ended, past due) in a cut's window, or fall past due
-- between a live period's instant and the end of its day: only those, not every dossier between the
-- earliest window and the latest (a comparison with the same period last year has windows a year
-- apart). The windows come as at most four ranges of days ($window_from_N..$window_to_N; kpi_plan merges
-- more into four), each tested on the stored columns alone so the scan compares values and computes
-- nothing: a dossier falls past due in a range only if it is due within a day of it. The weights below
-- keep exactly the windows' days. One that ended before a window has no event in it: if it fell past
-- due later, its "past due" and "past due and ended" events share that day and cancel.
window_dossiers as (
    select *
    from fct_dossiers
    where $scan_recent
      and received_date <= $recent_to
      and (end_date is null or end_date >= $recent_from)  -- true of every dossier needed, in the shape scans skip data by
      and (($any_live and due_at between $live_due_from and $live_due_to)
           or received_date between $window_from_1 and $window_to_1 or end_date between $window_from_1 and $window_to_1
           or due_at between $due_from_1 and $due_to_1
           or received_date between $window_from_2 and $window_to_2 or end_date between $window_from_2 and $window_to_2
           or due_at between $due_from_2 and $due_to_2
           or received_date between $window_from_3 and $window_to_3 or end_date between $window_from_3 and $window_to_3
           or due_at between $due_from_3 and $due_to_3
           or received_date between $window_from_4 and $window_to_4 or end_date between $window_from_4 and $window_to_4
           or due_at between $due_from_4 and $due_to_4)
),

recent as (
    select
        *,
        {{ include 'marts/overdue_day' }}     as overdue_day,
        {{ include 'marts/overdue_end_day' }} as overdue_end_day
    from {{ include 'queries/kpi_dossiers' source='window_dossiers' }} as dossiers
),

-- the slice's months from the mart, and the recent dossiers' events by day, in one shape
cells as (
    select
        group_key, is_estimate, is_day, day,
        -- summed per group and day: each period below weighs a few thousand cells, not every event
        coalesce(sum(columns(* exclude (group_key, is_estimate, is_day, day))), 0)::bigint
    from (
        select
            group_key, is_estimate, false as is_day, month as day,
            columns(* exclude (grain, month, unit_ref, field, agency, handling_level, channel, procedure_code,
                               unit_path, unit_name, unit_leaf, unit_child, group_key, is_estimate))
        from (select *, {{ include 'queries/group_key' }} as group_key
              from {{ include 'queries/sliced' source='mart_cells' }} as sliced)
        union all by name
        select
            group_key, is_estimate, true as is_day, received_date as day,
            1                                                       as received,
            is_online::int                                          as received_online,
            coalesce(service_level = 4, false)::int                 as full_online_base,
            coalesce(service_level = 4 and is_online, false)::int   as full_online_count,
            has_fee::int                                            as fee_base,
            (has_fee and paid_cashless)::int                        as cashless_count,
            (has_fee and paid_online)::int                          as online_payment_count,
            digitised::int                                          as digitised_count,
            case when has_fee then fee else 0 end                   as fee_amount,
            case when has_fee and paid_cashless then fee else 0 end as cashless_amount
        from recent
        where received_date >= $recent_from
        union all by name
        select
            group_key, is_estimate, true as is_day, end_date as day,
            1                                                       as ended,
            (outcome = 'early')::int                                as ended_early,
            (outcome = 'on_time')::int                              as ended_on_time,
            (outcome = 'late')::int                                 as ended_late,
            (rating is not null)::int                               as rated_total,
            coalesce(rating >= 2, false)::int                       as rated_satisfied,
            coalesce(rating = 1, false)::int                        as rated_dissatisfied,
            coalesce(rating = 3, false)::int                        as very_satisfied,
            coalesce(rating = 2, false)::int                        as satisfied,
            coalesce(rating = 1, false)::int                        as dissatisfied,
            (rating is null)::int                                   as not_rated
        from recent
        where end_date is not null
        union all by name
        select group_key, is_estimate, true as is_day, overdue_day as day, 1 as overdue_due
        from recent
        where overdue_day is not null
        union all by name
        select group_key, is_estimate, true as is_day, overdue_end_day as day, 1 as overdue_due_ended
        from recent
        where overdue_end_day is not null
    )
    group by group_key, is_estimate, is_day, day
),

-- each cell with how it counts in the running total by T (hi) and by F - 1 (lo): 1, 0, or -1 for a
-- day after the cut in a month the mart's months take whole
weighted as (
    select
        p.period_idx, c.*,
        case when c.is_day then (c.day between p.hi_days_from and p.hi_days_to)::int * p.hi_sign
             else (c.day < p.hi_months_before)::int end              as hi,
        case when c.is_day then (c.day between p.lo_days_from and p.lo_days_to)::int * p.lo_sign
             else (c.day < p.lo_months_before)::int end              as lo
    from periods as p
    cross join cells as c
),

flows as (
    select
        period_idx,
        group_key,
        -- by T minus by F - 1
        sum(received * (hi - lo))                                    as received_new,
        sum(received * hi - ended * lo)                              as received_total,
        sum(received * hi - ended * lo) filter (is_estimate)         as estimated_dossiers,
        sum(received_online * (hi - lo))                             as received_online,
        sum(ended * (hi - lo))                                       as resolved_total,
        sum(ended_early * (hi - lo))                                 as resolved_early,
        sum(ended_on_time * (hi - lo))                               as resolved_on_time,
        sum(ended_late * (hi - lo))                                  as resolved_late,
        sum(full_online_base * (hi - lo))                            as full_online_base,
        sum(full_online_count * (hi - lo))                           as full_online_count,
        sum(fee_base * (hi - lo))                                    as fee_base,
        sum(cashless_count * (hi - lo))                              as cashless_count,
        sum(online_payment_count * (hi - lo))                        as online_payment_count,
        sum(digitised_count * (hi - lo))                             as digitised_count,
        sum(rated_total * (hi - lo))                                 as rated_total,
        sum(rated_satisfied * (hi - lo))                             as rated_satisfied,
        sum(rated_dissatisfied * (hi - lo))                          as rated_dissatisfied,
        sum(very_satisfied * (hi - lo))                              as very_satisfied,
        sum(satisfied * (hi - lo))                                   as satisfied,
        sum(dissatisfied * (hi - lo))                                as dissatisfied,
        sum(not_rated * (hi - lo))                                   as not_rated,
        sum(fee_amount * (hi - lo))                                  as fee_amount,
        sum(cashless_amount * (hi - lo))                             as cashless_amount,
        -- by T only
        sum((received - ended) * hi)                                 as pending_total,
        sum((overdue_due - overdue_due_ended) * hi)                  as overdue_by_day_end
    from weighted
    where hi <> 0 or lo <> 0
    group by period_idx, group_key
),

-- KPI.md's pending_overdue at an as-of instant before T's end (now) is overdue_by_day_end less the dossiers
-- received by T, not ended by T and past due by T's end, that are due at or after the instant
not_yet_overdue as (
    select p.period_idx, r.group_key, count(*) as not_yet_overdue
    from periods as p
    join recent as r
      on p.live_overdue
     and r.overdue_day <= p.period_to
     and (r.end_date is null or r.end_date > p.period_to)
     and r.due_at >= p.as_of
    group by all
),

counted as (
    select
        f.period_idx,
        f.group_key,
        f.received_new,
        f.received_total - f.received_new                                   as received_carried_over,
        f.received_total,
        f.received_online,
        f.resolved_total, f.resolved_early, f.resolved_on_time, f.resolved_late,
        f.pending_total,
        f.overdue_by_day_end - coalesce(o.not_yet_overdue, 0)              as pending_overdue,
        f.full_online_base, f.full_online_count, f.fee_base, f.cashless_count, f.online_payment_count,
        f.digitised_count, f.rated_total, f.rated_satisfied, f.rated_dissatisfied,
        f.very_satisfied, f.satisfied, f.dissatisfied, f.not_rated,
        coalesce(f.estimated_dossiers, 0)                                   as estimated_dossiers,
        f.fee_amount, f.cashless_amount
    from flows as f
    left join not_yet_overdue as o using (period_idx, group_key)
    where f.received_total > 0   -- a group is there when a dossier counts in it, as in the dossiers' path
)

select * from counted
