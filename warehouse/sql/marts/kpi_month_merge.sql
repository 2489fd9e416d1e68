-- Add a load's change (kpi_month_change: the touched dossiers' new states minus their old ones, in
-- marts/kpi_month.sql's shape) to the KPI mart, cell by cell; cells that come to nothing are removed.
merge into mart_kpi_month as mart
using (
    select grain, month, unit_ref, field, agency, handling_level, channel,
           sum(columns(* exclude (grain, month, unit_ref, field, agency, handling_level, channel)))
    from kpi_month_change
    group by all
) as change
on  mart.grain = change.grain
and mart.month = change.month
and mart.unit_ref = change.unit_ref
and mart.field is not distinct from change.field
and mart.agency is not distinct from change.agency
and mart.handling_level is not distinct from change.handling_level
and mart.channel is not distinct from change.channel
when matched then update set
    received = mart.received + change.received,
    received_online = mart.received_online + change.received_online,
    full_online_base = mart.full_online_base + change.full_online_base,
    full_online_count = mart.full_online_count + change.full_online_count,
    fee_base = mart.fee_base + change.fee_base,
    cashless_count = mart.cashless_count + change.cashless_count,
    online_payment_count = mart.online_payment_count + change.online_payment_count,
    digitised_count = mart.digitised_count + change.digitised_count,
    fee_amount = mart.fee_amount + change.fee_amount,
    cashless_amount = mart.cashless_amount + change.cashless_amount,
    ended = mart.ended + change.ended,
    ended_early = mart.ended_early + change.ended_early,
    ended_on_time = mart.ended_on_time + change.ended_on_time,
    ended_late = mart.ended_late + change.ended_late,
    rated_total = mart.rated_total + change.rated_total,
    rated_satisfied = mart.rated_satisfied + change.rated_satisfied,
    rated_dissatisfied = mart.rated_dissatisfied + change.rated_dissatisfied,
    very_satisfied = mart.very_satisfied + change.very_satisfied,
    satisfied = mart.satisfied + change.satisfied,
    dissatisfied = mart.dissatisfied + change.dissatisfied,
    not_rated = mart.not_rated + change.not_rated,
    overdue_due = mart.overdue_due + change.overdue_due,
    overdue_due_ended = mart.overdue_due_ended + change.overdue_due_ended
when not matched then insert by name
;

-- every count of a cell is a count of its received, ended or due events: none left, nothing left
delete from mart_kpi_month
where received = 0 and ended = 0 and overdue_due = 0 and overdue_due_ended = 0
