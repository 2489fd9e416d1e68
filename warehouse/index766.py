"""The provisional citizen-service index of Decision 766/QĐ-TTg (KPI.md), from the slice's KPIs.

A criterion scores ``Pmax × min(1, R / target)``; maximum points and targets are settings. Only
the criteria the one-stop-shop data can measure are estimated ("ước tính").
"""
from __future__ import annotations

from collections.abc import Callable

import duckdb

from common.settings import get_settings
from warehouse import kpi
from warehouse.scope import Scope
from warehouse.slice import Slice


def _timeliness(f: dict) -> float | None:
    if not f["received_total"]:
        return None
    return (f["resolved_early"] + f["resolved_on_time"] + f["pending_on_track"]) / f["received_total"]


def _satisfaction(f: dict) -> float | None:
    if f["late_rate"] is None and f["dissatisfied_rate"] is None:
        return None
    return 1 - (f["late_rate"] or 0) - (f["dissatisfied_rate"] or 0)


# criterion code → (Vietnamese name, English name, R from the slice's figures)
CRITERIA: dict[str, tuple[str, str, Callable[[dict], float | None]]] = {
    "2.1": ("Tiến độ giải quyết", "Timeliness", _timeliness),
    "3.3": ("Nộp hồ sơ trực tuyến", "Online filing", lambda f: f["online_rate"]),
    "3.6": ("Thanh toán trực tuyến", "Online payment", lambda f: f["online_payment_rate"]),
    "4.2": ("Số hóa hồ sơ", "Digitisation", lambda f: f["digitised_rate"]),
    "5.4": ("Mức độ hài lòng", "Satisfaction", _satisfaction),
}


def score(figures: dict) -> list[dict]:
    """Each criterion's R, target, maximum and points (points None when R cannot be computed)."""
    settings = get_settings().criteria_766
    rows = []
    for code, (name_vi, name_en, rate) in CRITERIA.items():
        r, c = rate(figures), settings[code]
        points = None if r is None else c.pmax * min(1.0, max(0.0, r) / c.target)
        rows.append({"code": code, "name_vi": name_vi, "name_en": name_en, "r": r, "target": c.target,
                     "pmax": c.pmax, "points": points})
    return rows


def total(rows: list[dict]) -> tuple[float, float]:
    """(points earned, points possible) over the criteria estimated."""
    return sum(r["points"] or 0 for r in rows), sum(r["pmax"] for r in rows)


def index766(con: duckdb.DuckDBPyConnection, s: Slice, *, scope: Scope) -> list[dict]:
    return score(kpi.kpis(con, s, scope=scope))
