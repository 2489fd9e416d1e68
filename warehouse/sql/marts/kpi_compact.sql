-- One row per cell again, in the order queries skip data by: what marts/kpi_month_append.sql and the
-- carries' changes spread over several rows. Reads the marts only, never the dossiers.
create or replace temp table compacted_month as
select grain, month, unit_ref, field, agency, handling_level, channel,
       sum(columns(* exclude (grain, month, unit_ref, field, agency, handling_level, channel)))
from mart_kpi_month
group by all
having sum(received) <> 0 or sum(ended) <> 0 or sum(overdue_due) <> 0 or sum(overdue_due_ended) <> 0
order by grain, month;

create or replace temp table compacted_carry as
select grain, year, unit_ref, field, agency, handling_level, channel,
       sum(stock_open) as stock_open, sum(stock_overdue) as stock_overdue
from mart_kpi_carry
group by all
having sum(stock_open) <> 0 or sum(stock_overdue) <> 0
order by grain, year;

delete from mart_kpi_month;
insert into mart_kpi_month by name select * from compacted_month;
delete from mart_kpi_carry;
insert into mart_kpi_carry by name select * from compacted_carry;
drop table compacted_month;
drop table compacted_carry
