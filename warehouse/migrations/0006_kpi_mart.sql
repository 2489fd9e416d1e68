-- The KPI mart: what the KPIs of every dossier add up to, per month and unit, for the slices a page
-- asks most (marts/kpi_month.sql says what each column counts). Built by the next refresh.
create table mart_kpi_month (
    grain                varchar not null,   -- unit | field | agency | handling_level | channel
    month                date not null,      -- the first day of the month the events fall in
    unit_ref             varchar not null,
    field                varchar,            -- set in grain 'field' only; likewise the next three
    agency               varchar,
    handling_level       varchar,
    channel              tinyint,
    -- events dated by the received day
    received             bigint not null,
    received_online      bigint not null,
    full_online_base     bigint not null,
    full_online_count    bigint not null,
    fee_base             bigint not null,
    cashless_count       bigint not null,
    online_payment_count bigint not null,
    digitised_count      bigint not null,
    fee_amount           bigint not null,
    cashless_amount      bigint not null,
    -- events dated by the end day
    ended                bigint not null,
    ended_early          bigint not null,
    ended_on_time        bigint not null,
    ended_late           bigint not null,
    rated_total          bigint not null,
    rated_satisfied      bigint not null,
    rated_dissatisfied   bigint not null,
    very_satisfied       bigint not null,
    satisfied            bigint not null,
    dissatisfied         bigint not null,
    not_rated            bigint not null,
    -- received and past due by the end of the month's days (and, second, also ended by then)
    overdue_due          bigint not null,
    overdue_due_ended    bigint not null
);

-- What the months before 1 January of `year` leave standing, per cell of mart_kpi_month: the dossiers
-- received and not yet ended (stock_open), and those received and past due and not yet ended
-- (stock_overdue). A query starts from the latest such year before its periods, so it reads a few
-- years of months, never the whole history. Kept for every year from the data's second to the one
-- after its last (marts/kpi_carry.sql). Like the months, a load adds its change as rows of
-- their own, folded together by marts/kpi_compact.sql.
create table mart_kpi_carry (
    grain          varchar not null,
    year           date not null,     -- 1 January of the year
    unit_ref       varchar not null,
    field          varchar,
    agency         varchar,
    handling_level varchar,
    channel        tinyint,
    stock_open     bigint not null,
    stock_overdue  bigint not null
);

drop table if exists model_hashes;  -- the marts are rebuilt
