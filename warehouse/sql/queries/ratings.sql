-- The satisfaction ratings behind satisfaction_rate (KPI.md): of the slice's received_total, the
-- dossiers resolved in the period [$period_from, $period_to], counted per rating value of
-- DATA-CONTRACT.md (3 "Rất hài lòng", 2 "Hài lòng", 1 "Không hài lòng", blank = not rated),
-- optionally by $group_by (queries/group_key).
with resolved as (
    select
        rating,
        {{ include 'queries/group_key' }} as group_key
    from {{ include 'queries/sliced_dossiers' }} as sliced
    where received_date <= $period_to
      and end_date between $period_from and $period_to
),

final as (
    select
        group_key,
        count_if(rating = 3)          as very_satisfied,
        count_if(rating = 2)          as satisfied,
        count_if(rating = 1)          as dissatisfied,
        count_if(rating is null)      as not_rated,
        count(rating)                 as rated_total,
        count(*)                      as resolved_total
    from resolved
    group by group_key
)

select * from final
order by rated_total desc, group_key
