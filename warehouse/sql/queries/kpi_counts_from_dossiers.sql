-- The counts of KPI.md for one or more periods, one slice, optionally grouped, read from the dossiers
-- themselves: the definition as KPI.md words it, and the reference every faster path is held to
-- (tests/test_mart_equivalence.py). Parameters: queries/kpi.sql.
with periods as (
    select
        unnest($period_from::date[])       as period_from,
        unnest($period_to::date[])         as period_to,
        unnest($as_of::timestamp[])        as as_of,
        unnest(range(1, len($period_from::date[]) + 1)) as period_idx
),

scoped as (
    select * from {{ include 'queries/kpi_dossiers' source='fct_dossiers' }} as dossiers
    where received_date <= $max_to
      and (end_date is null or end_date >= $min_from)
),

-- received_total: received by `to` and not resolved before `from`
in_period as (
    select
        p.period_idx, p.period_from, p.period_to, p.as_of, s.*,
        s.received_date >= p.period_from                         as is_new,
        coalesce(s.end_date <= p.period_to, false)               as is_resolved,
        -- null-safe flags: count_if over nothing but nulls would give null, not 0
        coalesce(s.due_at < p.as_of, false)                      as is_past_due,
        coalesce(s.service_level = 4, false)                     as is_full_online_procedure,
        coalesce(s.rating >= 2, false)                           as is_satisfied,
        coalesce(s.rating = 1, false)                            as is_dissatisfied
    from periods as p
    join scoped as s
      on s.received_date <= p.period_to
     and (s.end_date is null or s.end_date >= p.period_from)
),

counted as (
    select
        period_idx,
        group_key,
        count_if(is_new)                                         as received_new,
        count_if(not is_new)                                     as received_carried_over,
        count(*)                                                 as received_total,
        count_if(is_new and is_online)                           as received_online,
        count_if(is_resolved)                                    as resolved_total,
        count_if(is_resolved and outcome = 'early')              as resolved_early,
        count_if(is_resolved and outcome = 'on_time')            as resolved_on_time,
        count_if(is_resolved and outcome = 'late')               as resolved_late,
        count_if(not is_resolved)                                as pending_total,
        count_if(not is_resolved and is_past_due)                as pending_overdue,
        -- numerators and denominators of the rates below
        count_if(is_new and is_full_online_procedure)            as full_online_base,
        count_if(is_new and is_full_online_procedure and is_online) as full_online_count,
        count_if(is_new and has_fee)                             as fee_base,
        count_if(is_new and has_fee and paid_cashless)           as cashless_count,
        count_if(is_new and has_fee and paid_online)             as online_payment_count,
        count_if(is_new and digitised)                           as digitised_count,
        count_if(is_resolved and rating is not null)             as rated_total,
        count_if(is_resolved and is_satisfied)                   as rated_satisfied,
        count_if(is_resolved and is_dissatisfied)                as rated_dissatisfied,
        -- the distribution of ratings (DATA-CONTRACT.md: 3 rất hài lòng, 2 hài lòng, 1 không hài lòng)
        count_if(is_resolved and coalesce(rating = 3, false)) as very_satisfied,
        count_if(is_resolved and coalesce(rating = 2, false)) as satisfied,
        count_if(is_resolved and coalesce(rating = 1, false)) as dissatisfied,
        count_if(is_resolved and rating is null)                 as not_rated,
        -- dossiers placed in this unit by the split-commune rule: the figures are an estimate (ước tính)
        count_if(is_estimate)                                    as estimated_dossiers,
        coalesce(sum(fee) filter (is_new and has_fee), 0)                as fee_amount,
        coalesce(sum(fee) filter (is_new and has_fee and paid_cashless), 0) as cashless_amount
    from in_period
    group by period_idx, group_key
)

select * from counted
