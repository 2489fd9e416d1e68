-- The dossiers of one slice (KPI.md "Slicing"): a unit and everything below it, and the optional
-- filters. Included by every query that takes a slice, so a slice means the same thing everywhere.
select *
from fct_dossiers
where ($unit is null or unit_path[$unit_depth] = $unit)
  and ($field is null or field = $field)
  and ($agency is null or agency = $agency)
  and ($handling_level is null or handling_level = $handling_level)
  and ($channel is null or channel = $channel)
  and ($procedure is null or procedure_code = $procedure)
