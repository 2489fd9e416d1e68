-- The slice's dossiers with what the KPI counts read of them and the group each falls in: the input
-- of queries/kpi_counts_from_dossiers.sql (from fct_dossiers), and of the days
-- queries/kpi_counts_from_marts.sql reads from the dossiers (from those of fct_dossiers with an event in
-- a cut's window). The rows come from `source`.
select
    received_date, end_date, due_at, outcome, is_online, service_level, has_fee, paid_cashless,
    paid_online, digitised, rating, fee, is_estimate,
    {{ include 'queries/group_key' }} as group_key
from {{ include 'queries/sliced' }} as sliced
