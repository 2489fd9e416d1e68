-- A load's change to the KPI mart (kpi_month_change: the touched dossiers' new states minus their
-- old ones, in marts/kpi_month.sql's shape) as rows of their own, one per cell it changes. A cell may
-- then have several rows: every query adds rows up, so that is the same mart; marts.compact folds them
-- together once they have grown by a quarter. No existing row is read or rewritten.
select grain, month, unit_ref, field, agency, handling_level, channel,
       sum(columns(* exclude (grain, month, unit_ref, field, agency, handling_level, channel)))
from kpi_month_change
group by all
