-- Facts about the warehouse itself (for example, that it holds simulated demo data).
create table warehouse_meta (
    key   varchar primary key,
    value varchar not null
);
