-- The slice's dossiers with what the KPI counts read of them and the group each falls in: the input
-- of queries/kpi_counts_from_dossiers.sql, and of the days queries/kpi_counts_from_marts.sql reads
-- from the dossiers. Callers narrow it by date (the filters reach the scan).
select
    received_date, end_date, due_at, outcome, is_online, service_level, has_fee, paid_cashless,
    paid_online, digitised, rating, fee, is_estimate,
    {{ include 'queries/group_key' }} as group_key
from {{ include 'queries/sliced' source='fct_dossiers' }} as sliced
