"""A published version as two files: a base and a small layer holding what the loads since it changed.

A load into a big warehouse changes a few thousand rows of it, so it writes only those instead of
copying the whole version file (``store.Store.writer``): a copy of the current layer file (small) with
its own change added. A layer holds, for each table a load writes (``LAYERED``), the rows added since the base;
for the tables whose rows a load replaces (a dossier's current state, a setting), it also lists the
keys it replaces in the base (``layer_hidden``). Its ``layer_chain`` names the base.

Whoever reads a version opens every file of its chain read-only in an in-memory DuckDB and gets, under
each table's own name, a view: the union of the layers' rows without the ones a higher layer replaced.
Every query, the staging views included, reads those names, so it answers on a stack exactly as on
the one file a full publish would have written. A full publish folds the stack back into one base.
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
_HIDDEN_DDL = "create table {db}.layer_hidden (table_name varchar not null, key varchar not null)"
_CHAIN_DDL = "create table {db}.layer_chain (position integer not null, file_name varchar not null)"
_CREATE_TABLE = re.compile(r"^CREATE TABLE (\w+)\(", re.IGNORECASE)


_chains: dict[tuple[str, int], list[Path]] = {}  # a published file never changes: its chain is read once


def chain_of(head: Path) -> list[Path]:
    """The files of the version whose newest file is ``head``, base first (a base alone is its own chain)."""
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
        if not con.execute("select count(*) from duckdb_tables() where table_name = 'layer_chain'").fetchone()[0]:
            return [head]
        names = [r[0] for r in con.execute("select file_name from layer_chain order by position").fetchall()]
    finally:
        con.close()
    return [head.with_name(name) for name in names] + [head]


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
    """A read-only view of a version of several files: an in-memory DuckDB with every file attached and
    every table and view of the base under its own name."""
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
    con.execute(_CHAIN_DDL.format(db=top))
    con.execute(f"insert into {top}.layer_chain values (0, ?)", [base_file.name])


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
    """The rows of ``table`` in every layer, less those whose key a higher layer replaced."""
    key = LAYERED[table]
    parts = []
    for position, layer in enumerate(layers):
        above = layers[position + 1:]
        if key is None or not above:
            parts.append(f"select * from {layer}.{table}")
            continue
        hidden = " union all ".join(f"select key as {key} from {a}.layer_hidden where table_name = '{table}'"
                                    for a in above)
        parts.append(f"select * from {layer}.{table} anti join ({hidden}) using ({key})")
    return "\nunion all\n".join(parts)


def rows_with_keys(databases: list[str], table: str, keys: str) -> str:
    """The rows of keyed ``table`` whose key is in the one-column table ``keys``, across ``databases`` (a
    full version's ``main``, or a layer's base and layer): the same rows as a semi join of the view, but
    each file's key column is scanned alone and only its matching rows are read whole, which at 10M
    dossiers is a third of the time."""
    key = LAYERED[table]
    parts = []
    for position, db in enumerate(databases):
        rows = (f"select * from {db}.{table} where rowid in "
                f"(select rowid from {db}.{table} semi join {keys} using ({key}))")
        above = databases[position + 1:]
        if above:
            hidden = " union all ".join(f"select key as {key} from {a}.layer_hidden where table_name = '{table}'"
                                        for a in above)
            rows = f"select * from ({rows}) anti join ({hidden}) using ({key})"
        parts.append(rows)
    return "\nunion all\n".join(parts)


def hide(con: duckdb.DuckDBPyConnection, top: str, table: str, keys_query: str, params=None) -> None:
    """Record that layer ``top`` replaces the rows of ``table`` whose key ``keys_query`` selects."""
    con.execute(f"insert into {top}.layer_hidden select '{table}', k::varchar from ({keys_query}) as t(k)", params)


def fold(con: duckdb.DuckDBPyConnection, layers: list[Path]) -> None:
    """Apply ``layers``, in order, to the base ``con`` has open read-write: what a full publish does first,
    so the stack becomes one file again."""
    for file in layers:
        con.execute(f"attach '{file}' as folding (read_only)")
        for table, key in LAYERED.items():
            if key is not None:
                con.execute(f"delete from {table} where {key} in "
                            "(select key from folding.layer_hidden where table_name = ?)", [table])
            con.execute(f"insert into {table} select * from folding.{table}")
        con.execute("detach folding")
