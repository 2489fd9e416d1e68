-- The procedures of the service catalogue in force at the end of each period, for one slice, each with the
-- dossiers received in the period that used it (KPI.md "Service catalogue"). Included by queries/services
-- (the counts) and queries/procedure_list (the lists a province reviews), so both read one definition.
--
-- Parameters: those of queries/kpi ($period_from, $period_to, the slice, $group_by). $group_by may be
-- none | field | handling_level | procedure | unit_child: agencies and channels are not the catalogue's.
--
-- A procedure counts in a unit when it is handled at a level that unit has: a commune handles the Xã
-- procedures, a (pre-2025) district the Huyện and Xã ones, a province (and the unknown and "new units"
-- buckets) all of them. Grouped by handling level, a procedure counts once in each level that handles it.
with periods as (
    select
        unnest($period_from::date[])                      as period_from,
        unnest($period_to::date[])                        as period_to,
        unnest(range(1, len($period_from::date[]) + 1))   as period_idx
),

-- the unit each group stands for: the sliced unit, or each of its children (as queries/group_key names them)
unit_groups as (
    select '' as unit_key, $unit::varchar as unit_code
    where $group_by <> 'unit_child'
    union all
    select distinct coalesce(path[$unit_depth + 1], path[$unit_depth]), coalesce(path[$unit_depth + 1], path[$unit_depth])
    from unit_views
    where $group_by = 'unit_child' and view_list = $view and ($unit is null or path[$unit_depth] = $unit)
),

unit_levels as (
    select
        g.unit_key,
        case a.level
            when 'commune' then ['Xã']
            when 'district' then ['Huyện', 'Xã']
            else ['Tỉnh', 'Huyện', 'Xã']
        end as levels
    from unit_groups as g
    left join admin_units as a on a.list_id = $view and a.code = g.unit_code
),

-- each procedure's state on `to` (marts/procedure_states: the newest loaded of those in force by then)
state_on_to as (
    select p.period_idx, p.period_from, p.period_to, d.*
    from periods as p
    join procedure_states as d
      on d.valid_from is null or d.valid_from <= p.period_to
    qualify row_number() over (
        partition by p.period_idx, d.procedure_code order by d.batch_id desc, d.file_seq desc, d.row_number desc
    ) = 1
),

-- in force on `to`: not repealed by it; then the slice's field, procedure and level
in_force as (
    select * from state_on_to
    where (repealed_from is null or repealed_from > period_to)
      and ($field is null or field = $field)
      and ($procedure is null or procedure_code = $procedure)
      and ($handling_level is null or list_contains(levels, $handling_level))
),

-- the procedures each distinct set of unit levels handles (a few sets: a commune's, a district's, a
-- province's), so each unit group takes its procedures by an equality join
level_sets as (
    select distinct levels from unit_levels
),

set_procedures as (
    select s.levels as unit_levels, f.*
    from in_force as f
    join level_sets as s on list_has_any(f.levels, s.levels)
),

-- each procedure in force with the unit groups that handle it; grouped by handling level, once per level
-- the procedure and the unit share (the unnest only in that branch: a lateral unnest costs every query)
catalogue_units as (
    select p.* exclude (unit_levels), u.unit_key, '' as level_key
    from set_procedures as p
    join unit_levels as u on u.levels = p.unit_levels
    where $group_by <> 'handling_level'
    union all by name
    select p.* exclude (unit_levels), u.unit_key, unnest(list_intersect(p.levels, p.unit_levels)) as level_key
    from set_procedures as p
    join unit_levels as u on u.levels = p.unit_levels
    where $group_by = 'handling_level'
),

catalogue as (
    select
        *,
        case $group_by
            when 'none' then ''
            when 'field' then field
            when 'handling_level' then level_key
            when 'procedure' then procedure_code
            when 'unit_child' then unit_key
        end as group_key
    from catalogue_units
),

-- received_new dossiers of the slice in each period, by procedure and group
used as (
    select
        p.period_idx,
        {{ include 'queries/group_key' }}          as group_key,
        sliced.procedure_code,
        count(*)                                  as new_dossiers,
        count(*) filter (sliced.is_online)        as online_dossiers
    from periods as p
    join {{ include 'queries/sliced' source='fct_dossiers' }} as sliced
      on sliced.received_date between p.period_from and p.period_to
    where sliced.procedure_code is not null
    group by all
)

select
    c.period_idx, c.group_key, c.procedure_code, c.procedure_name, c.field, c.levels, c.online_level,
    c.is_full_online, c.is_partly_online, c.is_online, c.agency, c.valid_from, c.repealed_from,
    coalesce(u.new_dossiers, 0)     as new_dossiers,
    coalesce(u.online_dossiers, 0)  as online_dossiers
from catalogue as c
left join used as u using (period_idx, group_key, procedure_code)
