-- The rates of KPI.md (and the pending on track) from the counts of a query's `counts`: written once,
-- whichever path the counts came from.
select
    *,
    pending_total - pending_overdue                                  as pending_on_track,
    (resolved_early + resolved_on_time) / nullif(resolved_total, 0)  as on_time_rate,
    resolved_early / nullif(resolved_total, 0)                       as early_rate,
    resolved_late / nullif(resolved_total, 0)                        as late_rate,
    received_online / nullif(received_new, 0)                        as online_rate,
    full_online_count / nullif(full_online_base, 0)                  as full_online_rate,
    cashless_count / nullif(fee_base, 0)                             as cashless_rate,
    online_payment_count / nullif(fee_base, 0)                       as online_payment_rate,
    digitised_count / nullif(received_new, 0)                        as digitised_rate,
    rated_satisfied / nullif(rated_total, 0)                         as satisfaction_rate,
    rated_dissatisfied / nullif(rated_total, 0)                      as dissatisfied_rate,
    -- the map's burden figure (not one of KPI.md's rates): overdue dossiers per 1,000 received
    1000.0 * pending_overdue / nullif(received_total, 0)             as pending_overdue_per_1000
from counts
