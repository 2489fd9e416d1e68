-- The KPIs of queries/kpi.sql, the counts added up from the KPI mart (queries/kpi_counts_from_marts.sql).
with counts as {{ include 'queries/kpi_counts_from_marts' }}

select * from {{ include 'queries/kpi_rates' }} as final
order by period_idx, group_key
