-- Add a load's change to the KPI mart's carries (marts/kpi_carry.sql over kpi_month_change, in
-- kpi_carry_change), cell by cell; carries that come to nothing are removed.
merge into mart_kpi_carry as carry
using kpi_carry_change as change
on  carry.grain = change.grain
and carry.year = change.year
and carry.unit_ref = change.unit_ref
and carry.field is not distinct from change.field
and carry.agency is not distinct from change.agency
and carry.handling_level is not distinct from change.handling_level
and carry.channel is not distinct from change.channel
when matched then update set
    stock_open = carry.stock_open + change.stock_open,
    stock_overdue = carry.stock_overdue + change.stock_overdue
when not matched then insert by name;

delete from mart_kpi_carry where stock_open = 0 and stock_overdue = 0
