"""Materialise the marts after a load: only the dossiers the load touched are rebuilt, and the KPI
mart changes by what they changed."""
from __future__ import annotations

import duckdb

from warehouse import layers
from warehouse.sql import sql
from warehouse.store import FullVersionNeeded, databases, is_layer, write_target


def rebuild_dossiers(con: duckdb.DuckDBPyConnection, *, since_batch: int) -> None:
    """Replace in ``fct_dossiers`` every dossier with a row in batch ``since_batch`` or later, and bring
    the KPI mart up to date with them.

    ``since_batch=0`` rebuilds both marts whole. Otherwise the work is proportional to the dossiers
    touched, not to the warehouse: the KPI mart gets their new states minus their old ones as rows of
    its own (``marts/kpi_month_append.sql``), folded together by ``compact_if_grown`` now and then.
    """
    params = {"since_batch": since_batch}
    if since_batch == 0 or con.execute("select 1 from fct_dossiers limit 1").fetchone() is None:
        if is_layer(con):
            raise FullVersionNeeded("every dossier is rebuilt")
        con.execute("delete from fct_dossiers")
        con.execute(f"insert into fct_dossiers by name {sql('marts/fct_dossiers')}", params)
        rebuild_kpi_month(con)
        return
    con.execute("create or replace temp table touched as "
                "select distinct dossier_id from dossier_rows where batch_id >= $since_batch", params)
    # their current and their new states, each read once (a scan of the dossiers' ids, the one cost
    # that grows with the warehouse)
    stored = databases(con)
    con.execute("create or replace temp table base_rows as "
                f"{layers.base_rows_with_keys(stored, 'fct_dossiers', 'touched')}")
    con.execute("create or replace temp table old_states as "
                f"{layers.rows_by_id(stored, 'fct_dossiers', 'base_rows', 'touched')}")
    con.execute(f"create or replace temp table new_states as {sql('marts/fct_dossiers')}", params)
    con.execute("create or replace temp view mart_source as select * from old_states")
    con.execute(f"create or replace temp table kpi_month_change as {sql('marts/kpi_month')}", {"sign": -1})
    into = write_target(con)
    if is_layer(con):  # their rows in the layer go; the layer hides theirs in the base
        con.execute(f"delete from {into}.fct_dossiers where dossier_id in (select dossier_id from touched)")
        layers.hide(con, into, "fct_dossiers", "select row_id from base_rows")
    else:
        con.execute("delete from fct_dossiers where rowid in (select row_id from base_rows)")
    con.execute(f"insert into {into}.fct_dossiers by name select * from new_states")
    con.execute("create or replace temp view mart_source as select * from new_states")
    con.execute(f"insert into kpi_month_change {sql('marts/kpi_month')}", {"sign": 1})
    years = con.execute(_YEAR_SPAN).fetchone()
    con.execute(f"insert into {into}.mart_kpi_month by name {sql('marts/kpi_month_append')}")
    if con.execute(_YEAR_SPAN).fetchone() != years:
        if is_layer(con):
            raise FullVersionNeeded("a year's carries are over every month")
        rebuild_kpi_carry(con)  # the load brought a new first or last year: carries over every month
    else:  # the carry years stay: each gets what the change leaves standing before it
        con.execute("create or replace temp view carry_source as select * from kpi_month_change")
        con.execute(f"create or replace temp table carry_years as {_CARRY_YEARS}")
        con.execute(f"insert into {into}.mart_kpi_carry by name {sql('marts/kpi_carry')}")
    compact_if_grown(con)
    con.execute("drop view mart_source")
    con.execute("drop table touched")  # the rows, states and change stay for the layer's checks (LAYER_CHECKS)


_YEAR_SPAN = "select date_trunc('year', min(month)), date_trunc('year', max(month)) from mart_kpi_month"
# the years the KPI mart carries stock into: from the data's second to the one after its last
_CARRY_YEARS = ("select unnest(generate_series(date_trunc('year', min(month)) + interval 1 year, "
                "date_trunc('year', max(month)) + interval 1 year, interval 1 year))::date as year "
                "from mart_kpi_month")

_COMPACT_AFTER_GROWTH = 1.25  # the mart is folded together once loads' change rows make it 25% longer


def compact_if_grown(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the KPI mart's change rows into one row per cell once they make it a quarter longer than at
    its last compaction (a cost proportional to the mart, paid once in many small loads)."""
    if is_layer(con):
        return  # a layer only adds rows: the next full version compacts
    rows = con.execute("select count(*) from mart_kpi_month").fetchone()[0]
    compacted = con.execute("select value from warehouse_meta where key = 'kpi_mart_rows'").fetchone()
    if compacted is not None and rows <= _COMPACT_AFTER_GROWTH * int(compacted[0]):
        return
    con.execute(sql("marts/kpi_compact"))
    _record_compacted(con)


def _record_compacted(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("insert or replace into warehouse_meta values ('kpi_mart_rows', "
                "(select count(*)::varchar from mart_kpi_month))")


def rebuild_kpi_month(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the KPI mart from every dossier, stored in the order queries skip data by."""
    con.execute("create or replace temp view mart_source as select * from fct_dossiers")
    con.execute("delete from mart_kpi_month")
    con.execute(f"insert into mart_kpi_month by name select * from ({sql('marts/kpi_month')}) "
                "order by grain, month", {"sign": 1})
    con.execute("drop view mart_source")
    rebuild_kpi_carry(con)
    _record_compacted(con)


def rebuild_kpi_carry(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the KPI mart's carries from its months, for every year from the data's second to the one
    after its last."""
    con.execute("delete from mart_kpi_carry")
    con.execute("create or replace temp view carry_source as select * from mart_kpi_month")
    con.execute(f"create or replace temp table carry_years as {_CARRY_YEARS}")
    con.execute(f"insert into mart_kpi_carry by name select * from ({sql('marts/kpi_carry')}) "
                "where stock_open <> 0 or stock_overdue <> 0 order by grain, year")


DATA_CHECKS: dict[str, str] = {
    # Row checks read the dossiers of batch $since_batch on (a load's, or all of them with 0): a dossier of an
    # earlier batch is exactly as it was when its own load checked it, and a model change that rebuilds
    # every dossier is checked whole (``refresh_models``). So a small load reads what it changed.
    # only a dossier the load touched can have gained a second row (the mart held each id once before)
    "dossier id unique in fct_dossiers":
        "select count(*) - count(distinct dossier_id) from fct_dossiers "
        "where dossier_id in (select dossier_id from fct_dossiers where batch_id >= $since_batch)",
    "end on or after received":
        "select count(*) from fct_dossiers where batch_id >= $since_batch and end_date < received_date",
    "every dossier placed in a unit (or the unknown bucket)":
        "select count(*) from fct_dossiers where batch_id >= $since_batch and unit_ref is null",
    "the KPI mart adds up to the dossiers":
        "select (select count(*) from fct_dossiers) - "
        "(select coalesce(sum(received), 0) from mart_kpi_month where grain = 'unit')",
    "every counted dossier has an outcome once resolved":
        "select count(*) from fct_dossiers where batch_id >= $since_batch and end_at is not null and outcome is null",
}


# The same checks where a load writes a layer (warehouse/layers.py), on what the layer holds: every version
# below it passed them when it was published, so they hold on base and layer when they hold on the change.
LAYER_CHECKS: dict[str, str] = {
    # a dossier of the layer has one row in it, and the layer hides its rows in the base (base_rows, the
    # temp table of rebuild_dossiers)
    "dossier id unique in fct_dossiers":
        "select (select count(*) - count(distinct dossier_id) from {layer}.fct_dossiers) + "
        "(select count(*) from base_rows where row_id not in "
        "(select row_id from {layer}.layer_hidden where table_name = 'fct_dossiers'))",
    # the load's change to the mart adds up to the dossiers it adds less the states it replaces (the temp
    # tables of rebuild_dossiers)
    "the KPI mart adds up to the dossiers":
        "select (select count(*) from new_states) - (select count(*) from old_states) - "
        "(select coalesce(sum(received), 0) from kpi_month_change where grain = 'unit')",
}


def failed_checks(con: duckdb.DuckDBPyConnection, since_batch: int = 0) -> list[str]:
    """Names of data checks that do not hold (each query must return 0), for what batches from
    ``since_batch`` on changed (0: everything)."""
    failed = []
    for name, query in DATA_CHECKS.items():
        if is_layer(con) and name in LAYER_CHECKS:
            query = LAYER_CHECKS[name].format(layer=write_target(con))
        params = {"since_batch": since_batch} if "$since_batch" in query else None
        if con.execute(query, params).fetchone()[0] != 0:
            failed.append(name)
    return failed
