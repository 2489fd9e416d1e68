-- The service catalogue (DATA-CONTRACT.md shape C, issue 12): every loaded state of every procedure.
-- Like dossier_rows, never updated; which state counts on a day: marts/procedure_states.

-- What a loaded file held: dossiers (shapes A and B) or a service catalogue (shape C).
alter table load_files add column content varchar not null default 'dossiers';

create table procedure_rows (
    batch_id       integer not null,
    file_id        integer not null,
    file_seq       integer not null,
    row_number     bigint not null,      -- 1 = first data row after the header
    procedure_code varchar not null,
    procedure_name varchar not null,
    field          varchar not null,
    levels         varchar[] not null,   -- the handling levels, of Tỉnh, Huyện, Xã, in that order
    online_level   tinyint,              -- 4 fully online, 3 partly, 2 information only; null not online
    agency         varchar,
    duration_days  integer,              -- statutory processing time; null when none is stated
    fee            bigint,               -- đồng; null when unreadable
    pays_online    boolean not null,     -- the fee can be paid online
    valid_from     date,                 -- in force from (null: always)
    repealed_from  date                  -- repealed from (null: still in force)
);
