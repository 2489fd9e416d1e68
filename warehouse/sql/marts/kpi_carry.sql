-- mart_kpi_carry from the months of `carry_source` (mart_kpi_month, or a load's change to it): for
-- each carry year, what every earlier month leaves standing. The years are those of `carry_years`.
select
    m.grain, y.year, m.unit_ref, m.field, m.agency, m.handling_level, m.channel,
    sum(m.received - m.ended)                   as stock_open,
    sum(m.overdue_due - m.overdue_due_ended)    as stock_overdue
from carry_source as m
join carry_years as y on m.month < y.year
group by all
