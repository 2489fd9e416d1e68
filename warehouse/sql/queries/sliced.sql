-- The dossiers of one slice (KPI.md "Slicing"), each with the place it counts in under the view $view
-- (a unit list: the hierarchy in force on a date, KPI.md "Units across the 1 July 2025 reorganisation"):
-- a unit and everything below it, and the optional filters. Included by every query that takes a
-- slice, so a slice and a view mean the same thing everywhere. Choosing the view is this one join.
-- The rows come from `source`: fct_dossiers, or the KPI mart's cells (the same unit and dimension columns).
select
    src.*,
    units.unit_path, units.unit_name, units.unit_leaf, units.unit_child, units.is_estimate
from {{ source }} as src
join (
    -- the view's units with what a query reads of each, computed once a unit rather than once a row
    select
        unit_ref,
        path                                                    as unit_path,
        unit_name,
        path[array_length(path)]                                as unit_leaf,  -- the last (written so every dialect reads it alike)
        -- the child of the sliced unit a row lies under; the unit itself when coded there
        coalesce(path[$unit_depth + 1], path[$unit_depth])      as unit_child,
        coalesce(estimated_from <= $unit_depth + (case when $group_by = 'unit_child' then 1 else 0 end),
                 false)                                         as is_estimate
    from unit_views
    where view_list = $view
      and ($unit is null or path[$unit_depth] = $unit)
) as units
  on units.unit_ref = src.unit_ref
where ($field is null or field = $field)
  and ($agency is null or agency = $agency)
  and ($handling_level is null or handling_level = $handling_level)
  and ($channel is null or channel = $channel)
  and ($procedure is null or procedure_code = $procedure)
