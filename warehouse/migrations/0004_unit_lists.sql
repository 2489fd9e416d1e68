-- Administrative units as dated reference data (issue 11): a unit is a code *in a list*.
-- The tables are filled from warehouse/reference/ by warehouse/reference.py, once per edition.

drop table if exists unit_paths;
drop table if exists admin_units;

-- The lists, oldest first; each holds from valid_from (null: always before the next) to valid_to (excl.).
create table unit_lists (
    list_id    varchar primary key,
    seq        integer not null,
    name       varchar not null,
    name_en    varchar not null,
    valid_from date,
    valid_to   date,
    edition    varchar not null,
    file_name  varchar not null
);

create table admin_units (
    list_id       varchar not null,
    code          varchar not null,     -- statistics-office code, zero-padded
    name          varchar not null,
    level         varchar not null,     -- province / district / commune (from the reference file)
    parent_code   varchar,
    division_type varchar,
    primary key (list_id, code)
);

-- The one new commune each old commune's dossiers count in (a split commune: by a stated rule).
create table unit_successors (
    from_list varchar not null,
    old_code  varchar not null,
    to_list   varchar not null,
    new_code  varchar not null,
    rule      varchar not null,         -- only / kept_code / whole_population / first_listed / province_file / same_code
    split     boolean not null
);

-- For each view (a list: the hierarchy in force on a date), the path from today's province down to the
-- unit a dossier coded in (unit_list, code) counts in. unit_list null: the pseudo-unit '_unknown'.
create table unit_views (
    view_list      varchar not null,
    unit_list      varchar,
    code           varchar not null,
    path           varchar[] not null,
    estimated_from integer,             -- depth from which the place is an estimate (a split commune)
    unit_ref       varchar not null,    -- unit_list:code, or the pseudo-unit's code
    unit_name      varchar              -- the name, in the view's list, of the unit at the end of the path
);

-- The dossier mart: its unit is now (the list its code was read in, the code); rebuilt by the next refresh.
delete from fct_dossiers;
alter table fct_dossiers drop column unit_known;
alter table fct_dossiers drop column unit_path;
alter table fct_dossiers add column unit_list varchar;   -- the list the code was read in; null when in no list
alter table fct_dossiers add column unit_ref varchar;    -- unit_list:code, or '_unknown'
drop table if exists model_hashes;  -- the dossier mart is rebuilt
