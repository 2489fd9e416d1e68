-- The service-catalogue figures of KPI.md ("Service catalogue") for one or more periods, one slice,
-- optionally grouped. This file is the only place those formulas are written.
-- Parameters: as queries/procedure_use.
select
    period_idx,
    group_key,
    count(*)                                                  as procedures_total,
    count(*) filter (is_full_online)                          as procedures_full_online,
    count(*) filter (is_partly_online)                        as procedures_partly_online,
    count(*) filter (is_online)                               as procedures_online,
    count(*) filter (new_dossiers > 0)                        as procedures_with_dossiers,
    count(*) filter (is_online and online_dossiers > 0)       as online_procedures_with_online_dossiers
from {{ include 'queries/procedure_use' }} as procedure_use
group by period_idx, group_key
order by period_idx, group_key
