-- The fields and agencies loaded dossier rows have named, and the batch that named each first: a load
-- warns of a new one by comparing its few distinct values with these, not with every earlier row, so a
-- small load into a big warehouse reads what it brings (DATA-CONTRACT.md's load warnings).
create table known_values (
    kind        varchar not null,   -- field | agency
    name        varchar not null,
    first_batch integer not null,
    primary key (kind, name)
);

insert into known_values
select kind, name, min(batch_id)
from (
    select 'field' as kind, field as name, batch_id from dossier_rows where field is not null
    union all
    select 'agency', agency, batch_id from dossier_rows where agency is not null
) as named
group by kind, name;
