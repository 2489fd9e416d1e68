"""The service-catalogue figures of KPI.md ("Service catalogue"), for any period, level and unit slice.

Part of the one query layer: the CLI (``python -m warehouse services``), ``/api/services``, the services
page, the Decision 766 estimate, the wall and the weekly email all ask these functions. The formulas
live in ``sql/queries/services.sql``; the procedures behind them in ``sql/queries/procedure_use.sql``.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb

from warehouse import kpi
from warehouse.scope import Scope
from warehouse.slice import Slice

# KPI.md's catalogue table, in its order: the keys of the CLI's and API's JSON.
SERVICE_KEYS = (
    "procedures_total", "procedures_full_online", "procedures_partly_online", "procedures_online",
    "procedures_with_dossiers", "online_procedures_with_online_dossiers",
)
# Agencies and channels belong to dossiers, not to the catalogue: the catalogue cannot be grouped by them.
DIMENSIONS = ("none", "field", "handling_level", "procedure", "unit_child")


def empty_services() -> dict:
    return dict.fromkeys(SERVICE_KEYS, 0)


def _params(con: duckdb.DuckDBPyConnection, periods: Sequence[tuple[date, date]], s: Slice, group_by: str,
            scope: Scope) -> dict:
    if group_by not in DIMENSIONS:
        raise ValueError(f"the service catalogue cannot be grouped by {group_by!r}")
    params = kpi.query_params(con, periods, s, group_by, None, scope)
    return {k: params[k] for k in ("period_from", "period_to") + kpi.SLICE_PARAMS}


def query_services(con: duckdb.DuckDBPyConnection, periods: Sequence[tuple[date, date]], s: Slice, *,
                   scope: Scope, group_by: str = "none") -> list[dict]:
    """Rows of (period_idx, group_key, every catalogue figure) for each period and group that has procedures."""
    return kpi.fetch_rows(con, "queries/services", _params(con, periods, s, group_by, scope))


def services(con: duckdb.DuckDBPyConnection, s: Slice, *, scope: Scope) -> dict:
    """KPI.md's catalogue figures for one slice: procedures in force on ``to``, and the dossiers of the period."""
    rows = query_services(con, [(s.date_from, s.date_to)], s, scope=scope)
    return {k: (rows[0] if rows else empty_services())[k] for k in SERVICE_KEYS}


def services_by(con: duckdb.DuckDBPyConnection, s: Slice, dimension: str, *, scope: Scope) -> list[dict]:
    """The figures grouped by one dimension (a procedure counts once in each level that handles it)."""
    rows = query_services(con, [(s.date_from, s.date_to)], s, scope=scope, group_by=dimension)
    return [{"group_key": r["group_key"]} | {k: r[k] for k in SERVICE_KEYS} for r in rows]


def services_over(con: duckdb.DuckDBPyConnection, s: Slice, periods: Sequence[tuple[date, date]], *,
                  scope: Scope) -> list[dict]:
    """The figures of the slice for each of several periods, in order; periods without procedures as zeros."""
    rows = {r["period_idx"]: r for r in query_services(con, periods, s, scope=scope)}
    return [{k: rows.get(i, empty_services())[k] for k in SERVICE_KEYS} for i in range(1, len(periods) + 1)]


def procedures(con: duckdb.DuckDBPyConnection, s: Slice, *, scope: Scope) -> list[dict]:
    """Every procedure in force on ``to`` for the slice, with its dossiers received in the period
    (``new_dossiers``, ``online_dossiers``): the lists a province reviews for simplification."""
    params = _params(con, [(s.date_from, s.date_to)], s, "none", scope)
    return kpi.fetch_rows(con, "queries/procedure_list", params)


def has_catalogue(con: duckdb.DuckDBPyConnection) -> bool:
    """True once a service catalogue has been loaded (before that, every figure here is 0)."""
    return con.execute("select exists (select 1 from procedure_rows)").fetchone()[0]


def not_in_catalogue(con: duckdb.DuckDBPyConnection, limit: int = 50) -> tuple[int, int, list[dict]]:
    """Dossiers whose procedure code the catalogue lacks (a data-quality warning, KPI.md): (dossiers,
    codes, the codes with most dossiers first). Nothing when no catalogue was loaded."""
    if not has_catalogue(con):
        return 0, 0, []
    cursor = con.execute("""
        select f.procedure_code, any_value(f.procedure_name) as procedure_name, any_value(f.field) as field,
               count(*) as dossiers, min(f.received_date) as first_received, max(f.received_date) as last_received
        from fct_dossiers as f
        anti join procedure_states as d using (procedure_code)
        where f.procedure_code is not null
        group by f.procedure_code order by dossiers desc, f.procedure_code""")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    return sum(r["dossiers"] for r in rows), len(rows), rows[:limit]
