-- mart_kpi_month: the dossiers of `mart_source` (all of fct_dossiers, or the dossiers a load touched)
-- as monthly sums of dated events, per unit and, in the grains other than 'unit', one dimension
-- (each dossier's four dated events unnested into rows, then grouped by every grain at once: GROUPING
-- SETS, the grain named by which of the dimensions the set keeps).
-- Every count of KPI.md for a period [F, T] is a difference of such running totals (x by T minus x
-- by F - 1), because a dossier counts in a period by where its received, end and due days fall:
--   received_new    = received(T) - received(F-1)      received_total = received(T) - ended(F-1)
--   resolved_*      = ended_*(T) - ended_*(F-1)        pending_total  = received(T) - ended(T)
--   pending_overdue = overdue_due(T) - overdue_due_ended(T), when the as-of instant is the end of T
-- queries/kpi_counts_from_marts.sql adds them up; queries/kpi_counts_from_dossiers.sql is the
-- reference the equivalence test holds this against. $sign is -1 to subtract dossiers' old states.
--
-- A dossier is past due at the end of day D when due_at < D 23:59:59.999 (KPI.md's as-of instant),
-- that is from the day marts/overdue_from.sql names on; it is counted overdue by D when it was also
-- received by then (overdue_due, dated by marts/overdue_day.sql) and not yet ended (overdue_due_ended,
-- dated by marts/overdue_end_day.sql, takes back those that also ended by D).
-- a dossier's events, each in the month it falls in: 1 received, 2 ended, 3 received and past due,
-- 4 received, past due and ended (a month is null where the event has not happened)
with events as (
    select
        unit_ref, field, agency, handling_level, channel, is_online, service_level, has_fee, paid_cashless,
        paid_online, digitised, fee, outcome, rating,
        unnest([
            {'month': date_trunc('month', received_date)::date, 'kind': 1},
            {'month': date_trunc('month', end_date)::date, 'kind': 2},
            {'month': date_trunc('month', {{ include 'marts/overdue_day' }})::date, 'kind': 3},
            {'month': date_trunc('month', {{ include 'marts/overdue_end_day' }})::date, 'kind': 4}
        ], recursive := true)
    from mart_source
),

cells as (
    select
        case grouping(field, agency, handling_level, channel)
            when 15 then 'unit' when 7 then 'field' when 11 then 'agency' when 13 then 'handling_level'
            when 14 then 'channel'
        end                                                                     as grain,
        month, unit_ref, field, agency, handling_level, channel,
        count_if(kind = 1)                                                      as received,
        count_if(kind = 1 and is_online)                                        as received_online,
        count_if(kind = 1 and coalesce(service_level = 4, false))              as full_online_base,
        count_if(kind = 1 and coalesce(service_level = 4, false) and is_online) as full_online_count,
        count_if(kind = 1 and has_fee)                                          as fee_base,
        count_if(kind = 1 and has_fee and paid_cashless)                        as cashless_count,
        count_if(kind = 1 and has_fee and paid_online)                          as online_payment_count,
        count_if(kind = 1 and digitised)                                        as digitised_count,
        coalesce(sum(fee) filter (kind = 1 and has_fee), 0)                     as fee_amount,
        coalesce(sum(fee) filter (kind = 1 and has_fee and paid_cashless), 0)   as cashless_amount,
        count_if(kind = 2)                                                      as ended,
        count_if(kind = 2 and outcome = 'early')                                as ended_early,
        count_if(kind = 2 and outcome = 'on_time')                              as ended_on_time,
        count_if(kind = 2 and outcome = 'late')                                 as ended_late,
        count_if(kind = 2 and rating is not null)                               as rated_total,
        count_if(kind = 2 and coalesce(rating >= 2, false))                     as rated_satisfied,
        count_if(kind = 2 and coalesce(rating = 1, false))                      as rated_dissatisfied,
        count_if(kind = 2 and coalesce(rating = 3, false))                      as very_satisfied,
        count_if(kind = 2 and coalesce(rating = 2, false))                      as satisfied,
        count_if(kind = 2 and coalesce(rating = 1, false))                      as dissatisfied,
        count_if(kind = 2 and rating is null)                                   as not_rated,
        count_if(kind = 3)                                                      as overdue_due,
        count_if(kind = 4)                                                      as overdue_due_ended
    from events
    where month is not null
    group by grouping sets ((month, unit_ref), (month, unit_ref, field), (month, unit_ref, agency),
                            (month, unit_ref, handling_level), (month, unit_ref, channel))
)

select
    grain, month, unit_ref, field, agency, handling_level, channel,
    $sign * columns(* exclude (grain, month, unit_ref, field, agency, handling_level, channel))
from cells
