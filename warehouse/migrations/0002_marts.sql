-- Materialised marts: unit paths and the current state of every counted dossier.

-- Each unit's chain of codes from its root (province) down to itself; the depth
-- comes from the reference data, not from code.
create table unit_paths (
    code  varchar primary key,
    path  varchar[] not null,
    depth integer not null
);

create table fct_dossiers (
    dossier_id      varchar not null,
    procedure_code  varchar,
    procedure_name  varchar,
    field_code      varchar,
    field           varchar,
    agency          varchar,
    handling_level  varchar,
    unit_code       varchar,
    unit_known      boolean not null,
    unit_path       varchar[] not null,
    channel         tinyint not null,
    is_online       boolean not null,
    service_level   tinyint,
    received_at     timestamp not null,
    received_date   date not null,
    due_at          timestamp,
    end_at          timestamp,
    end_date        date,
    status          tinyint not null,
    outcome         varchar,            -- early / on_time / late; null while pending
    fee             bigint not null,
    has_fee         boolean not null,
    paid_online     boolean not null,
    paid_cashless   boolean not null,
    digitised       boolean not null,
    rating          tinyint,
    batch_id        integer not null,
    file_id         integer not null,
    row_number      bigint not null
);

create table publish_log (
    version      integer primary key,
    batch_id     integer,
    published_at timestamp not null
);
