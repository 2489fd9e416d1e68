-- stg_unit_paths: each reference unit's chain of codes from its root down to itself.
-- Recursive, so a hierarchy of any depth (three levels before 2025, two after) works.
with recursive paths(code, path) as (
    select code, [code]
    from admin_units
    where parent_code is null or parent_code = ''

    union all

    select child.code, list_append(parent.path, child.code)
    from admin_units as child
    join paths as parent on child.parent_code = parent.code
),

final as (
    select code, path, len(path) as depth from paths
)

select * from final
