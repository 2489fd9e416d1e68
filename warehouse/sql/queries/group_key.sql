-- The group a dossier falls in when a query is grouped by $group_by (none | field | agency |
-- handling_level | channel | procedure | unit_child); included by every grouped query.
case $group_by
    when 'none' then ''
    when 'field' then coalesce(field, '')
    when 'agency' then coalesce(agency, '')
    when 'handling_level' then coalesce(handling_level, '')
    when 'channel' then cast(channel as varchar)
    when 'procedure' then coalesce(procedure_code, '')
    when 'unit_child' then unit_child  -- queries/sliced: the child of the sliced unit it lies under
end
