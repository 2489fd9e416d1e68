-- The KPIs of KPI.md, for one or more periods, one slice, optionally grouped.
-- The counts come from queries/kpi_counts_from_dossiers.sql (the definition, read from every dossier)
-- and the rates from queries/kpi_rates.sql; queries/kpi_from_marts.sql answers the same from the KPI mart.
--
-- Parameters
--   $period_from, $period_to : date[]       one entry per period [from, to], both ends included
--   $as_of                   : timestamp[]  the as-of instant of each period (end of `to`, or now)
--   $min_from, $max_to       : date         the earliest `from` and latest `to` (lets the scan skip the rest)
--   $view                    : the unit list whose hierarchy the slice is in (queries/sliced)
--   $unit, $unit_depth       : the unit (and everything below it) and its depth in that view's paths
--   $field, $agency, $handling_level, $channel, $procedure : optional filters (null = all)
--   $group_by                : none | field | agency | handling_level | channel | procedure | unit_child
with counts as {{ include 'queries/kpi_counts_from_dossiers' }}

select * from {{ include 'queries/kpi_rates' }} as final
order by period_idx, group_key
