-- Every procedure in force at the end of the (one) period for the slice, with the dossiers of the period
-- that used it: what the services page lists (unused procedures, online services nobody used online).
select
    procedure_code, procedure_name, field, levels, online_level, is_full_online, is_partly_online, is_online,
    agency, valid_from, repealed_from, new_dossiers, online_dossiers
from {{ include 'queries/procedure_use' }} as procedure_use
order by field, procedure_code
