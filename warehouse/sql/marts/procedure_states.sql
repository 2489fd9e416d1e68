-- procedure_states: every loaded state of every procedure of the service catalogue (DATA-CONTRACT.md
-- shape C), with the flags the figures read. Which state counts on a day is decided where it is used
-- (queries/procedure_use): of the states in force from that day or earlier ("Ngày hiệu lực", blank =
-- always), the newest loaded one (later batch, then later file, then later row).
--
-- So a newer catalogue replaces an older one from its own in-force date on and leaves the past as it
-- was: the province's 2025 catalogue, in force from 1 July 2025, moves district procedures to the
-- communes without rewriting 2024's figures. A procedure a newer catalogue leaves out stays as it was
-- (a catalogue file need not list every procedure); a repeal is a date ("Ngày bãi bỏ").
select
    procedure_code, procedure_name, field, levels, online_level, agency, duration_days, fee, pays_online,
    valid_from, repealed_from,
    coalesce(online_level = 4, false)          as is_full_online,
    coalesce(online_level = 3, false)          as is_partly_online,
    coalesce(online_level in (3, 4), false)    as is_online,
    batch_id, file_seq, row_number
from procedure_rows
