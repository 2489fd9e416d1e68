-- mart_kpi_month: the dossiers of `mart_source` (all of fct_dossiers, or the dossiers a load touched)
-- as monthly sums of dated events, per unit and, in the grains other than 'unit', one dimension.
-- Every count of KPI.md for a period [F, T] is a difference of such running totals (x by T minus x
-- by F - 1), because a dossier counts in a period by where its received, end and due days fall:
--   received_new    = received(T) - received(F-1)      received_total = received(T) - ended(F-1)
--   resolved_*      = ended_*(T) - ended_*(F-1)        pending_total  = received(T) - ended(T)
--   pending_overdue = overdue_due(T) - overdue_due_ended(T), when the as-of instant is the end of T
-- queries/kpi_counts_from_marts.sql adds them up; queries/kpi_counts_from_dossiers.sql is the
-- reference the equivalence test holds this against. $sign is -1 to subtract dossiers' old states.
--
-- A dossier is past due at the end of day D when due_at < D 23:59:59.999 (KPI.md's as-of instant),
-- that is from the day `overdue_from` below on; it is counted overdue by D when it was also received
-- by then (overdue_due, dated by the later of the two days) and not yet ended (overdue_due_ended
-- takes back those that also ended by D).
with dossiers as (
    select
        *,
        cast(due_at - interval '23:59:59.999' as date) + 1 as overdue_from
    from mart_source
),

by_received as (
    select
        unit_ref, field, agency, handling_level, channel,
        date_trunc('month', received_date)::date                      as month,
        count(*)                                                       as received,
        count_if(is_online)                                            as received_online,
        count_if(service_level = 4)                                    as full_online_base,
        count_if(service_level = 4 and is_online)                      as full_online_count,
        count_if(has_fee)                                              as fee_base,
        count_if(has_fee and paid_cashless)                            as cashless_count,
        count_if(has_fee and paid_online)                              as online_payment_count,
        count_if(digitised)                                            as digitised_count,
        coalesce(sum(fee) filter (has_fee), 0)                         as fee_amount,
        coalesce(sum(fee) filter (has_fee and paid_cashless), 0)       as cashless_amount
    from dossiers
    group by all
),

by_end as (
    select
        unit_ref, field, agency, handling_level, channel,
        date_trunc('month', end_date)::date                            as month,
        count(*)                                                       as ended,
        count_if(outcome = 'early')                                    as ended_early,
        count_if(outcome = 'on_time')                                  as ended_on_time,
        count_if(outcome = 'late')                                     as ended_late,
        count_if(rating is not null)                                   as rated_total,
        count_if(rating >= 2)                                          as rated_satisfied,
        count_if(rating = 1)                                           as rated_dissatisfied,
        count_if(rating = 3)                                           as very_satisfied,
        count_if(rating = 2)                                           as satisfied,
        count_if(rating = 1)                                           as dissatisfied,
        count_if(rating is null)                                       as not_rated
    from dossiers
    where end_date is not null
    group by all
),

by_due as (
    select
        unit_ref, field, agency, handling_level, channel,
        date_trunc('month', greatest(received_date, overdue_from))::date as month,
        count(*)                                                       as overdue_due
    from dossiers
    where due_at is not null
    group by all
),

by_due_end as (
    select
        unit_ref, field, agency, handling_level, channel,
        date_trunc('month', greatest(received_date, overdue_from, end_date))::date as month,
        count(*)                                                       as overdue_due_ended
    from dossiers
    where due_at is not null and end_date is not null
    group by all
),

cells as (
    select * from by_received
    union all by name select * from by_end
    union all by name select * from by_due
    union all by name select * from by_due_end
)

select
    case grouping(field, agency, handling_level, channel)
        when 15 then 'unit' when 7 then 'field' when 11 then 'agency' when 13 then 'handling_level'
        when 14 then 'channel'
    end                                                                as grain,
    month, unit_ref, field, agency, handling_level, channel,
    $sign * coalesce(sum(received), 0)             as received,
    $sign * coalesce(sum(received_online), 0)      as received_online,
    $sign * coalesce(sum(full_online_base), 0)     as full_online_base,
    $sign * coalesce(sum(full_online_count), 0)    as full_online_count,
    $sign * coalesce(sum(fee_base), 0)             as fee_base,
    $sign * coalesce(sum(cashless_count), 0)       as cashless_count,
    $sign * coalesce(sum(online_payment_count), 0) as online_payment_count,
    $sign * coalesce(sum(digitised_count), 0)      as digitised_count,
    $sign * coalesce(sum(fee_amount), 0)           as fee_amount,
    $sign * coalesce(sum(cashless_amount), 0)      as cashless_amount,
    $sign * coalesce(sum(ended), 0)                as ended,
    $sign * coalesce(sum(ended_early), 0)          as ended_early,
    $sign * coalesce(sum(ended_on_time), 0)        as ended_on_time,
    $sign * coalesce(sum(ended_late), 0)           as ended_late,
    $sign * coalesce(sum(rated_total), 0)          as rated_total,
    $sign * coalesce(sum(rated_satisfied), 0)      as rated_satisfied,
    $sign * coalesce(sum(rated_dissatisfied), 0)   as rated_dissatisfied,
    $sign * coalesce(sum(very_satisfied), 0)       as very_satisfied,
    $sign * coalesce(sum(satisfied), 0)            as satisfied,
    $sign * coalesce(sum(dissatisfied), 0)         as dissatisfied,
    $sign * coalesce(sum(not_rated), 0)            as not_rated,
    $sign * coalesce(sum(overdue_due), 0)          as overdue_due,
    $sign * coalesce(sum(overdue_due_ended), 0)    as overdue_due_ended
from cells
group by grouping sets (
    (month, unit_ref),
    (month, unit_ref, field),
    (month, unit_ref, agency),
    (month, unit_ref, handling_level),
    (month, unit_ref, channel)
)
