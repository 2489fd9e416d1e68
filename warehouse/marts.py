"""Materialise the marts after a load: only the dossiers the load touched are rebuilt."""
from __future__ import annotations

import duckdb

from warehouse.sql import sql


def rebuild_dossiers(con: duckdb.DuckDBPyConnection, *, since_batch: int) -> None:
    """Replace in ``fct_dossiers`` every dossier with a row in batch ``since_batch`` or later.

    ``since_batch=0`` rebuilds the whole mart. The work is proportional to the
    dossiers touched, not to the warehouse.
    """
    params = {"since_batch": since_batch}
    if since_batch == 0:
        con.execute("delete from fct_dossiers")
    elif con.execute("select count(*) from fct_dossiers").fetchone()[0]:
        con.execute("delete from fct_dossiers where dossier_id in "
                    "(select dossier_id from dossier_rows where batch_id >= $since_batch)",
                    {"since_batch": since_batch})
    con.execute(f"insert into fct_dossiers by name {sql('marts/fct_dossiers')}", params)


DATA_CHECKS: dict[str, str] = {
    "dossier id unique in fct_dossiers":
        "select count(*) - count(distinct dossier_id) from fct_dossiers",
    "end on or after received":
        "select count(*) from fct_dossiers where end_date < received_date",
    "every dossier placed in a unit (or the unknown bucket)":
        "select count(*) from fct_dossiers where unit_ref is null",
    "every counted dossier has an outcome once resolved":
        "select count(*) from fct_dossiers where end_at is not null and outcome is null",
}


def failed_checks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of data checks that do not hold (each query must return 0)."""
    return [name for name, query in DATA_CHECKS.items() if con.execute(query).fetchone()[0] != 0]
