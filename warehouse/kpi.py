"""The one query layer: every KPI of KPI.md for any slice, by period and by dimension.

Pages, the API, the weekly email and the CLI all call these functions; the
formulas themselves live in ``sql/queries/kpi.sql``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

import duckdb

from warehouse import kpi_plan, units
from warehouse.scope import Scope
from warehouse.slice import Slice, as_of_instant
from warehouse.units import Resolved
from warehouse.sql import sql

# KPI.md's count and rate tables, in its order: the keys of the CLI's and API's JSON.
COUNT_KEYS = (
    "received_new", "received_carried_over", "received_total", "received_online", "resolved_total",
    "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_overdue",
    "pending_on_track",
)
RATE_KEYS = (
    "on_time_rate", "early_rate", "late_rate", "online_rate", "full_online_rate", "cashless_rate",
    "online_payment_rate", "digitised_rate", "satisfaction_rate",
)
KPI_KEYS = COUNT_KEYS + RATE_KEYS
# Extra figures the query returns for charts and the Decision 766 estimate.
# The distribution of ratings behind satisfaction_rate, among the dossiers resolved in the period.
RATING_KEYS = ("very_satisfied", "satisfied", "dissatisfied", "not_rated")
DETAIL_KEYS = ("rated_total", "rated_dissatisfied", "dissatisfied_rate", "fee_base", "fee_amount",
               "cashless_amount", "full_online_base", "estimated_dossiers", "pending_overdue_per_1000") + RATING_KEYS
# The count each rate is a share of (the volume a ranking or a map shows beside the rate).
BASE_KEYS = {"on_time_rate": "resolved_total", "early_rate": "resolved_total", "late_rate": "resolved_total",
             "online_rate": "received_new", "full_online_rate": "full_online_base", "cashless_rate": "fee_base",
             "online_payment_rate": "fee_base", "digitised_rate": "received_new", "satisfaction_rate": "rated_total",
             "pending_overdue_per_1000": "received_total"}
DIMENSIONS = ("none", "field", "agency", "handling_level", "channel", "procedure", "unit_child")


def _dimension(name: str) -> str:
    """``name`` if queries can group by it; the SQL's ``case`` would quietly put everything in one group."""
    if name not in DIMENSIONS:
        raise ValueError(f"unknown dimension: {name!r}")
    return name


def resolved(con: duckdb.DuckDBPyConnection, s: Slice, scope: Scope) -> Resolved:
    """``s`` with its view decided and its unit located (``warehouse.units.resolve``), narrowed to the
    caller's scope: what every query below runs on."""
    if s.units_as_of is None and not scope.is_everything:
        s = replace(s, units_as_of=scope.home(con).view.as_of)  # an old-code account reads codes in its own list
    return scope.narrow(con, units.resolve(con, s))


def query_params(con: duckdb.DuckDBPyConnection, periods: Sequence[tuple[date, date]], s: Slice,
                 group_by: str, now: datetime | None, scope: Scope) -> dict:
    """The SQL parameters of every query: the one place a slice is put in its view and narrowed to the
    caller's scope."""
    r = resolved(con, s, scope)
    s = r.slice
    return {
        "period_from": [p[0] for p in periods],
        "period_to": [p[1] for p in periods],
        "as_of": [as_of_instant(p[1], now) for p in periods],
        "min_from": min(p[0] for p in periods), "max_to": max(p[1] for p in periods),
        "view": r.view.list_id, "unit": r.unit.path[-1] if s.unit else None, "unit_depth": r.unit.depth,
        "field": s.field, "agency": s.agency, "handling_level": s.handling_level,
        "channel": s.channel, "procedure": s.procedure, "group_by": _dimension(group_by),
    }


SLICE_PARAMS = ("view", "unit", "unit_depth", "group_by", "field", "agency", "handling_level", "channel", "procedure")


def _slice_params(con: duckdb.DuckDBPyConnection, s: Slice, scope: Scope) -> dict:
    """The parameters of ``queries/sliced``: the view, the unit (and its depth) and the filters."""
    params = query_params(con, [(s.date_from, s.date_to)], s, "none", None, scope)
    return {k: params[k] for k in SLICE_PARAMS}


def fetch_rows(con: duckdb.DuckDBPyConnection, query: str, params: dict) -> list[dict]:
    cursor = con.execute(sql(query), params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def query_kpis(con: duckdb.DuckDBPyConnection, periods: Sequence[tuple[date, date]], s: Slice, *,
               scope: Scope, group_by: str = "none", now: datetime | None = None,
               from_marts: bool = True) -> list[dict]:
    """Rows of (period_idx, group_key, every count and rate) for each period and group.

    Answered from the KPI mart when it holds the slice's grain (``warehouse.kpi_plan``), else from the
    dossiers; ``from_marts=False`` always reads the dossiers (the reference the equivalence test uses).
    """
    params = query_params(con, periods, s, group_by, now, scope)
    grain = kpi_plan.grain(s, group_by) if from_marts else None
    if grain is None or not kpi_plan.within_days(periods, params["as_of"]):
        return fetch_rows(con, "queries/kpi", params)
    plan = kpi_plan.parameters(periods, params["as_of"]) | {"grain": grain}
    try:
        return fetch_rows(con, "queries/kpi_from_marts",
                          {k: v for k, v in params.items() if k not in ("min_from", "max_to")} | plan)
    except duckdb.CatalogException:  # a warehouse written before the mart, not yet loaded again
        return fetch_rows(con, "queries/kpi", params)


def empty_kpis() -> dict:
    """The figures of a slice with no dossiers: zero counts, null rates."""
    counts = dict.fromkeys(COUNT_KEYS + ("rated_total", "rated_dissatisfied", "fee_base", "fee_amount",
                                         "cashless_amount", "full_online_base", "estimated_dossiers") + RATING_KEYS, 0)
    return counts | dict.fromkeys(RATE_KEYS + ("dissatisfied_rate", "pending_overdue_per_1000"))


def kpis(con: duckdb.DuckDBPyConnection, s: Slice, *, scope: Scope, now: datetime | None = None) -> dict:
    """All KPIs of one slice (KPI.md keys plus the detail keys)."""
    rows = query_kpis(con, [(s.date_from, s.date_to)], s, scope=scope, now=now)
    figures = rows[0] if rows else empty_kpis()
    return {k: figures[k] for k in KPI_KEYS + DETAIL_KEYS}


def kpi_json(figures: dict) -> dict:
    """Exactly KPI.md's keys, in its order (what the CLI and API print)."""
    return {k: figures[k] for k in KPI_KEYS}


def kpis_by(con: duckdb.DuckDBPyConnection, s: Slice, dimension: str, *, scope: Scope,
            now: datetime | None = None) -> list[dict]:
    """KPIs of the slice grouped by one dimension; ``group_key`` names the group."""
    rows = query_kpis(con, [(s.date_from, s.date_to)], s, scope=scope, group_by=dimension, now=now)
    return [{"group_key": r["group_key"]} | {k: r[k] for k in KPI_KEYS + DETAIL_KEYS} for r in rows]


def kpis_over(con: duckdb.DuckDBPyConnection, s: Slice, periods: Sequence[tuple[date, date]], *, scope: Scope,
              now: datetime | None = None) -> list[dict]:
    """KPIs of the slice's filters for each of several periods (trends), in order; empty periods included."""
    rows = {r["period_idx"]: r for r in query_kpis(con, periods, s, scope=scope, now=now)}
    return [{"period_from": p[0], "period_to": p[1]} | {k: rows.get(i, empty_kpis())[k] for k in KPI_KEYS + DETAIL_KEYS}
            for i, p in enumerate(periods, start=1)]


class Comparison(NamedTuple):
    """A slice's KPIs beside those of the period just before it and of the same period last year."""

    current: dict
    previous: dict
    last_year: dict


def compare(con: duckdb.DuckDBPyConnection, s: Slice, *, scope: Scope, now: datetime | None = None) -> Comparison:
    """The slice's KPIs, the previous period of the same length and the same period last year, in one query."""
    periods = [(x.date_from, x.date_to) for x in (s, s.previous(), s.same_period_last_year())]
    return Comparison(*kpis_over(con, s, periods, scope=scope, now=now))


# --- dossier lists, a page at a time -------------------------------------------------------------------

Sort = tuple[tuple[str, str], ...]
"""((column, "asc" | "desc"), ...): what the user clicked, first key first; columns named by the lists below."""

# The columns a user may sort each list by: column name → SQL expression, written here and never taken
# from a request. Every order ends with dossier_id, so pages are stable (no row on two pages).
WARNING_SORTS = {
    "dossier_id": "dossier_id", "procedure_name": "procedure_name", "field": "field", "agency": "agency",
    "unit_name": "coalesce(unit_name, unit_code)", "received_at": "received_at", "due_at": "due_at",
    "days_overdue": "days_overdue", "hours_left": "hours_left",
}
DOSSIER_SORTS = {
    "dossier_id": "dossier_id", "procedure_name": "procedure_name", "field": "field", "agency": "agency",
    "received_at": "received_at", "due_at": "due_at", "end_at": "end_at", "outcome": "outcome",
}
DIRECTIONS = ("asc", "desc")
MOST_OVERDUE_FIRST: Sort = (("due_at", "asc"),)   # also the due-soon list's default: soonest first
NEWEST_FIRST: Sort = (("received_at", "desc"),)


class Page(NamedTuple):
    """Rows ``offset`` to ``offset + limit`` of a list in a stable order, and how many the whole list holds."""

    rows: list[dict]
    total: int


def order_by(sorts: dict[str, str], sort: Sort, default: Sort) -> str:
    """The ``order by`` text for ``sort`` (``default`` when empty: the user cleared the sort); a column not
    in ``sorts`` (or a bad direction) is refused."""
    keys = []
    for column, direction in sort or default:
        if column not in sorts or direction not in DIRECTIONS:
            raise ValueError(f"cannot sort by {column!r} {direction!r}")
        keys.append(f"{sorts[column]} {direction} nulls last")
    return ", ".join(keys + ["dossier_id"])


def page(con: duckdb.DuckDBPyConnection, query: str, params: dict, order: str, offset: int, limit: int) -> Page:
    """One page of the list ``query`` (SQL without order or limit) and the list's total. ``order`` comes
    from ``order_by``, so no request text reaches the SQL; offset and limit are parameters."""
    if offset < 0 or limit < 0:
        raise ValueError(f"bad page: offset {offset}, limit {limit}")
    total = con.execute(f"select count(*) from ({sql(query)}) as listed", params).fetchone()[0]
    if limit == 0 or offset >= total:
        return Page([], total)
    paged = f"select * from ({sql(query)}) as listed order by {order} limit $limit offset $offset"
    cursor = con.execute(paged, params | {"limit": limit, "offset": offset})
    names = [d[0] for d in cursor.description]
    return Page([dict(zip(names, row)) for row in cursor.fetchall()], total)


def overdue_page(con: duckdb.DuckDBPyConnection, s: Slice, offset: int = 0, limit: int = 50,
                 sort: Sort = MOST_OVERDUE_FIRST, *, scope: Scope, now: datetime | None = None) -> Page:
    """The dossiers pending and overdue at the slice's as-of instant (KPI.md "Early warning"); the total is
    the slice's ``pending_overdue``. By default the most overdue first."""
    as_of = as_of_instant(s.date_to, now)
    return _warning_page(con, s, None, as_of, as_of, offset, limit, sort, scope)


def overdue_dossiers(con: duckdb.DuckDBPyConnection, s: Slice, limit: int = 50, *, scope: Scope,
                     now: datetime | None = None) -> list[dict]:
    """The ``limit`` most overdue dossiers (the wall's and the weekly email's short list)."""
    return overdue_page(con, s, 0, limit, scope=scope, now=now).rows


def due_soon_page(con: duckdb.DuckDBPyConnection, s: Slice, hours: float, offset: int = 0, limit: int = 500,
                  sort: Sort = MOST_OVERDUE_FIRST, *, scope: Scope, now: datetime | None = None) -> Page:
    """Pending, not yet overdue, and due within ``hours`` of the as-of instant (by default soonest first)."""
    as_of = as_of_instant(s.date_to, now)
    return _warning_page(con, s, as_of, as_of + timedelta(hours=hours), as_of, offset, limit, sort, scope)


def _warning_page(con: duckdb.DuckDBPyConnection, s: Slice, due_from: datetime | None, due_before: datetime,
                  as_of: datetime, offset: int, limit: int, sort: Sort, scope: Scope) -> Page:
    order = order_by(WARNING_SORTS, sort, MOST_OVERDUE_FIRST)  # refused before any SQL runs
    params = _slice_params(con, s, scope) | {"as_of": as_of, "due_from": due_from, "due_before": due_before}
    return page(con, "queries/overdue", params, order, offset, limit)


def dossier_page(con: duckdb.DuckDBPyConnection, s: Slice, offset: int = 0, limit: int = 50,
                 sort: Sort = NEWEST_FIRST, *, scope: Scope) -> Page:
    """The dossiers counted in the slice's ``received_total`` (the total), with their outcome by ``to``;
    by default the newest first."""
    order = order_by(DOSSIER_SORTS, sort, NEWEST_FIRST)
    params = _slice_params(con, s, scope) | {"period_from": s.date_from, "period_to": s.date_to}
    return page(con, "queries/dossier_list", params, order, offset, limit)
