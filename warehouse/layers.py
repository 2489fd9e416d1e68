"""A published version as two files: a base and a small layer holding what the loads since it changed.

A load into a big warehouse changes a few thousand rows of it, so it writes only those instead of
copying the whole version file (``store.Store.writer``): a copy of the current layer file (small) with
its own change added. A layer holds, for each table a load writes (``LAYERED``), the rows added since the base;
for the tables whose rows a load replaces (a dossier's current state, a setting), it also lists the
base's rows it replaces, by their row ids in the base file (``layer_hidden``): the base never changes,
so neither do its row ids, and hiding rows by an integer costs readers a third of hiding them by the
dossier id. Its ``layer_base`` names the base.

Whoever reads a version opens both files read-only in an in-memory DuckDB and gets, under each table's
own name, a view: the layer's rows and the base's it did not replace. Every query, the staging views
included, reads those names, so it answers on a layered version exactly as on the one file a full
publish would have written. A full publish folds the layer into a copy of the base.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

# The tables a load writes: the column a higher layer's row replaces a lower one's by, or None when
# rows only add (lineage, and the KPI mart, whose change rows every query sums).
LAYERED: dict[str, str | None] = {
    "load_batches": None, "load_files": None, "dossier_rows": None, "procedure_rows": None,
    "quarantined_rows": None, "load_warnings": None, "known_values": None, "publish_log": None,
    "mart_kpi_month": None, "mart_kpi_carry": None,
    "fct_dossiers": "dossier_id", "warehouse_meta": "key",
}
_HIDDEN_DDL = "create table {db}.layer_hidden (table_name varchar not null, row_id bigint not null)"
_BASE_DDL = "create table {db}.layer_base (file_name varchar not null)"
_CREATE_TABLE = re.compile(r"^CREATE TABLE (\w+)\(", re.IGNORECASE)


_chains: dict[tuple[str, int], list[Path]] = {}  # a published file never changes: its chain is read once


def chain_of(head: Path) -> list[Path]:
    """The files of the version whose newest file is ``head``: ``[base, head]`` for a layer, ``[head]``
    for a base."""
    key = (str(head), os.stat(head).st_ino)
    if key not in _chains:
        if len(_chains) > 64:
            _chains.clear()
        _chains[key] = _read_chain(head)
    return _chains[key]


def record_chain(head: Path, files: list[Path]) -> None:
    """Remember the chain of a file just published (its writer knows it without reading it)."""
    _chains[(str(head), os.stat(head).st_ino)] = files


def _read_chain(head: Path) -> list[Path]:
    con = duckdb.connect(str(head), read_only=True)
    try:
        if not con.execute("select count(*) from duckdb_tables() where table_name = 'layer_base'").fetchone()[0]:
            return [head]
        base = con.execute("select file_name from layer_base").fetchone()[0]
    finally:
        con.close()
    return [head.with_name(base), head]


def attach(con: duckdb.DuckDBPyConnection, files: list[Path], *, writable_top: bool = False) -> list[str]:
    """Attach ``files`` as ``l0`` (the base), ``l1``, ... read-only (the last one writable when asked);
    returns the names."""
    names = []
    for position, file in enumerate(files):
        name = f"l{position}"
        mode = "" if writable_top and position == len(files) - 1 else " (read_only)"
        con.execute(f"attach '{file}' as {name}{mode}")
        names.append(name)
    return names


def open_stack(files: list[Path]) -> duckdb.DuckDBPyConnection:
    """A read-only view of a layered version (``[base, layer]``): an in-memory DuckDB with both files
    attached and every table and view of the base under its own name."""
    con = duckdb.connect()
    create_views(con, attach(con, files))
    return con


def start_layer(con: duckdb.DuckDBPyConnection, base: str, top: str, base_file: Path) -> None:
    """Create in the empty attached database ``top`` the tables a load writes, shaped as those of ``base``
    (the attached ``base_file``): the version's first layer."""
    for table in LAYERED:
        ddl = con.execute("select sql from duckdb_tables() where database_name = ? and table_name = ?",
                          [base, table]).fetchone()[0]
        con.execute(_CREATE_TABLE.sub(lambda m: f"CREATE TABLE {top}.main.{m.group(1)}(", ddl, count=1))
    con.execute(_HIDDEN_DDL.format(db=top))
    con.execute(_BASE_DDL.format(db=top))
    con.execute(f"insert into {top}.layer_base values (?)", [base_file.name])


def create_views(con: duckdb.DuckDBPyConnection, layers: list[str]) -> None:
    """Under each of the base's table names, the view of its rows across ``layers``; then the base's own
    views, recreated over those names."""
    base = layers[0]
    tables = [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = 'main'",
        [base]).fetchall()]
    for table in tables:
        con.execute(f"create view {table} as {_stacked(table, layers) if table in LAYERED else f'from {base}.{table}'}")
    pending = [r[0] for r in con.execute(
        "select sql from duckdb_views() where database_name = ? and not internal", [base]).fetchall()]
    while pending:  # a view may read another: create each once what it reads exists
        failed = []
        for ddl in pending:
            try:
                con.execute(ddl)
            except duckdb.CatalogException:
                failed.append(ddl)
        if len(failed) == len(pending):
            con.execute(failed[0])  # raises the error that stops it
        pending = failed


def _stacked(table: str, layers: list[str]) -> str:
    """The rows of ``table`` in the base and its layer, less the base's rows the layer replaced."""
    if len(layers) == 1:
        return f"select * from {layers[0]}.{table}"
    base, layer = layers
    if LAYERED[table] is None:
        return f"select * from {base}.{table}\nunion all\nselect * from {layer}.{table}"
    return (f"select * from {base}.{table} where rowid not in ({_hidden(layer, table)})\n"
            f"union all\nselect * from {layer}.{table}")


def _hidden(layer: str, table: str) -> str:
    """The row ids of the base's rows of ``table`` that ``layer`` replaces."""
    return f"select row_id from {layer}.layer_hidden where table_name = '{table}'"


def base_rows_with_keys(databases: list[str], table: str, keys: str) -> str:
    """The row ids of the base's rows of keyed ``table`` still visible whose key is in the one-column table
    ``keys`` (``databases``: a full version's ``main``, or a layer's base and layer). Only the key column
    is scanned."""
    key, base = LAYERED[table], databases[0]
    rows = f"select rowid as row_id from {base}.{table} semi join {keys} using ({key})"
    return rows if len(databases) == 1 else f"{rows} where rowid not in ({_hidden(databases[1], table)})"


def rows_by_id(databases: list[str], table: str, base_rows: str, keys: str) -> str:
    """The rows of keyed ``table`` whose key is in ``keys``, given ``base_rows`` (what ``base_rows_with_keys``
    selected): the base's read by row id, so only those are read whole, and the layer's."""
    rows = f"select * from {databases[0]}.{table} where rowid in (select row_id from {base_rows})"
    if len(databases) == 1:
        return rows
    return f"{rows}\nunion all\nselect * from {databases[1]}.{table} semi join {keys} using ({LAYERED[table]})"


def hide(con: duckdb.DuckDBPyConnection, top: str, table: str, rows_query: str, params=None) -> None:
    """Record that layer ``top`` replaces the base's rows of ``table`` whose row ids ``rows_query`` selects."""
    con.execute(f"insert into {top}.layer_hidden select '{table}', r from ({rows_query}) as t(r)", params)


def fold(con: duckdb.DuckDBPyConnection, layer: list[Path]) -> None:
    """Apply the ``layer`` (none or one file) to the copy of its base that ``con`` has open read-write: what
    a full publish does first, so the version becomes one file again. The copy's row ids are the base's."""
    for file in layer:
        con.execute(f"attach '{file}' as folding (read_only)")
        for table, key in LAYERED.items():
            if key is not None:
                con.execute(f"delete from {table} where rowid in ({_hidden('folding', table)})")
        for table in LAYERED:
            con.execute(f"insert into {table} select * from folding.{table}")
        con.execute("detach folding")
