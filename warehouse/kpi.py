"""The one query layer: every KPI of KPI.md for any slice, by period and by dimension.

Pages, the API, the weekly email and the CLI all call these functions; the
formulas themselves live in ``sql/queries/kpi.sql``.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

import duckdb

from warehouse.scope import Scope
from warehouse.slice import Slice, as_of_instant
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
DETAIL_KEYS = ("rated_total", "rated_dissatisfied", "dissatisfied_rate", "fee_base", "fee_amount",
               "cashless_amount", "full_online_base")
DIMENSIONS = ("none", "field", "agency", "handling_level", "channel", "procedure", "unit_child")


def unit_depth(con: duckdb.DuckDBPyConnection, unit: str | None) -> int | None:
    """The depth of ``unit`` in the hierarchy (1 = province); the pseudo-unit ``_unknown`` is 2."""
    if unit is None:
        return None
    if unit == "_unknown":
        return 2
    row = con.execute("select depth from unit_paths where code = ?", [unit]).fetchone()
    if row is None:
        raise ValueError(f"unknown unit code: {unit!r}")
    return row[0]


def _dimension(name: str) -> str:
    """``name`` if queries can group by it; the SQL's ``case`` would quietly put everything in one group."""
    if name not in DIMENSIONS:
        raise ValueError(f"unknown dimension: {name!r}")
    return name


def _params(con: duckdb.DuckDBPyConnection, periods: Sequence[tuple[date, date]], s: Slice,
            group_by: str, now: datetime | None, scope: Scope) -> dict:
    """The SQL parameters of every query: the one place a slice is narrowed to the caller's scope."""
    s = scope.narrow(con, s)
    return {
        "period_from": [p[0] for p in periods],
        "period_to": [p[1] for p in periods],
        "as_of": [as_of_instant(p[1], now) for p in periods],
        "min_from": min(p[0] for p in periods), "max_to": max(p[1] for p in periods),
        "unit": s.unit, "unit_depth": unit_depth(con, s.unit) or 1,
        "field": s.field, "agency": s.agency, "handling_level": s.handling_level,
        "channel": s.channel, "procedure": s.procedure, "group_by": _dimension(group_by),
    }


def _slice_params(con: duckdb.DuckDBPyConnection, s: Slice, scope: Scope) -> dict:
    """The parameters of ``queries/sliced_dossiers``: the unit (and its depth) and the filters."""
    params = _params(con, [(s.date_from, s.date_to)], s, "none", None, scope)
    return {k: params[k] for k in ("unit", "unit_depth", "field", "agency", "handling_level", "channel", "procedure")}


def _rows(con: duckdb.DuckDBPyConnection, query: str, params: dict) -> list[dict]:
    cursor = con.execute(sql(query), params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def query_kpis(con: duckdb.DuckDBPyConnection, periods: Sequence[tuple[date, date]], s: Slice, *,
               scope: Scope, group_by: str = "none", now: datetime | None = None) -> list[dict]:
    """Rows of (period_idx, group_key, every count and rate) for each period and group."""
    return _rows(con, "queries/kpi", _params(con, periods, s, group_by, now, scope))


def empty_kpis() -> dict:
    """The figures of a slice with no dossiers: zero counts, null rates."""
    counts = dict.fromkeys(COUNT_KEYS + ("rated_total", "rated_dissatisfied", "fee_base", "fee_amount",
                                         "cashless_amount", "full_online_base"), 0)
    return counts | dict.fromkeys(RATE_KEYS + ("dissatisfied_rate",))


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


def overdue_dossiers(con: duckdb.DuckDBPyConnection, s: Slice, limit: int = 50, *, scope: Scope,
                     now: datetime | None = None) -> list[dict]:
    """The dossiers pending and overdue at the slice's as-of instant, most overdue first."""
    as_of = as_of_instant(s.date_to, now)
    return _warning_list(con, s, None, as_of, as_of, limit, scope)


def due_soon_dossiers(con: duckdb.DuckDBPyConnection, s: Slice, hours: float, limit: int = 500, *, scope: Scope,
                      now: datetime | None = None) -> list[dict]:
    """Pending, not yet overdue, and due within ``hours`` of the as-of instant (soonest first)."""
    as_of = as_of_instant(s.date_to, now)
    return _warning_list(con, s, as_of, as_of + timedelta(hours=hours), as_of, limit, scope)


def _warning_list(con: duckdb.DuckDBPyConnection, s: Slice, due_from: datetime | None, due_before: datetime,
                  as_of: datetime, limit: int, scope: Scope) -> list[dict]:
    params = _slice_params(con, s, scope) | {"as_of": as_of, "due_from": due_from, "due_before": due_before, "limit": limit}
    return _rows(con, "queries/overdue", params)


def dossier_list(con: duckdb.DuckDBPyConnection, s: Slice, limit: int = 5_000, *, scope: Scope) -> list[dict]:
    """The dossiers counted in the slice's ``received_total`` (newest first), with their outcome by ``to``."""
    params = _slice_params(con, s, scope) | {"period_from": s.date_from, "period_to": s.date_to, "limit": limit}
    return _rows(con, "queries/dossier_list", params)


RATING_KEYS = ("very_satisfied", "satisfied", "dissatisfied", "not_rated")


def ratings_by(con: duckdb.DuckDBPyConnection, s: Slice, dimension: str = "none", *, scope: Scope) -> list[dict]:
    """How the dossiers resolved in the slice's period were rated (``RATING_KEYS`` counts, ``rated_total``,
    ``resolved_total``), per group of ``dimension``: the distribution behind ``satisfaction_rate``."""
    params = _slice_params(con, s, scope) | {"period_from": s.date_from, "period_to": s.date_to,
                                      "group_by": _dimension(dimension)}
    return _rows(con, "queries/ratings", params)
