-- The dossiers of one slice (KPI.md "Slicing"), each with the place it counts in under the view $view
-- (a unit list: the hierarchy in force on a date, KPI.md "Units across the 1 July 2025 reorganisation"):
-- a unit and everything below it, and the optional filters. Included by every query that takes a
-- slice, so a slice and a view mean the same thing everywhere. Choosing the view is this one join.
-- The rows come from `source`: fct_dossiers, or the KPI mart's cells (the same unit and dimension columns).
select
    src.*,
    unit_views.path                 as unit_path,
    unit_views.unit_name            as unit_name,
    unit_views.path[array_length(unit_views.path)] as unit_leaf,  -- the last (written so every dialect reads it alike)
    coalesce(unit_views.estimated_from <= $unit_depth + (case when $group_by = 'unit_child' then 1 else 0 end),
             false)                 as is_estimate
from {{ source }} as src
join unit_views
  on unit_views.unit_ref = src.unit_ref
 and unit_views.view_list = $view
where ($unit is null or unit_views.path[$unit_depth] = $unit)
  and ($field is null or field = $field)
  and ($agency is null or agency = $agency)
  and ($handling_level is null or handling_level = $handling_level)
  and ($channel is null or channel = $channel)
  and ($procedure is null or procedure_code = $procedure)
