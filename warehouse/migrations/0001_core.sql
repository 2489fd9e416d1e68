-- Reference units, load lineage, loaded rows and quarantine.
-- Every row a load reads ends up in exactly one of dossier_rows or quarantined_rows.

create table admin_units (
    code          varchar primary key,  -- statistics-office code, zero-padded
    name          varchar not null,
    level         varchar not null,     -- province / district / commune (from the reference file)
    parent_code   varchar,
    division_type varchar
);

create table load_batches (
    batch_id         integer primary key,
    started_at       timestamp not null,
    finished_at      timestamp,
    rows_read        bigint not null default 0,
    rows_loaded      bigint not null default 0,
    rows_quarantined bigint not null default 0
);

create table load_files (
    file_id          integer primary key,
    batch_id         integer not null,
    file_seq         integer not null,   -- order inside the batch: a later file is a newer state
    file_name        varchar not null,
    file_path        varchar not null,
    sha256           varchar not null,
    shape            varchar not null,   -- csv / xlsx / json / ndjson
    rows_read        bigint not null,
    rows_loaded      bigint not null,
    rows_quarantined bigint not null
);

-- One row per loaded export row, typed, with its lineage. Never updated.
create table dossier_rows (
    batch_id        integer not null,
    file_id         integer not null,
    file_seq        integer not null,
    row_number      bigint not null,    -- 1 = first data row after the header
    dossier_id      varchar not null,
    procedure_code  varchar,
    procedure_name  varchar,
    field_code      varchar,
    field           varchar,
    agency          varchar,
    handling_level  varchar,            -- Tỉnh / Huyện / Xã
    unit_code       varchar,
    channel         tinyint not null,   -- 1 in person, 2 online, 3 public postal service
    service_level   tinyint,            -- 4 fully online procedure, 3 partly, 2 other
    received_at     timestamp not null,
    due_at          timestamp,
    processed_at    timestamp,
    returned_at     timestamp,
    status          tinyint not null,   -- national status code 1..10
    fee             bigint not null,    -- đồng
    payment_method  varchar,            -- cash / transfer / online / card
    paid_online     boolean not null,
    digitised       boolean not null,
    rating          tinyint             -- 3 very satisfied, 2 satisfied, 1 dissatisfied
);

create table quarantined_rows (
    batch_id    integer not null,
    file_id     integer not null,
    row_number  bigint not null,
    reason_code varchar not null,
    reason      varchar not null,
    raw         varchar not null        -- the original values, as JSON
);

create table load_warnings (
    batch_id   integer not null,
    file_id    integer,
    row_number bigint,
    kind       varchar not null,        -- unknown_unit / new_field / new_agency / duplicate_in_file / unknown_value
    detail     varchar not null
);
