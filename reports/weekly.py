"""What the weekly email says, as data: every figure asked of the warehouse's query layer.

The week is Monday to Sunday (ISO week). "Markedly worse" is a documented rule, see
``WORSE_LATE_PP`` and ``WORSE_ONLINE_PP``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import duckdb

from warehouse import catalog, index766, kpi
from warehouse.index766 import Estimate
from warehouse import units
from warehouse.units import NEW_UNITS, UNKNOWN_UNIT
from warehouse.scope import Scope
from warehouse.slice import Slice

# A unit got markedly worse when, against the week before, its late rate rose by at least
# 1 percentage point (with at least 10 dossiers resolved this week), or its online rate fell by
# at least 5 points (with at least 20 dossiers received this week).
WORSE_LATE_PP, WORSE_LATE_MIN_RESOLVED = 0.01, 10
WORSE_ONLINE_PP, WORSE_ONLINE_MIN_RECEIVED = 0.05, 20
TREND_WEEKS = 12
WORST_SHOWN = 5


def week_range(week: str) -> tuple[date, date]:
    """``2026-W47`` → (Monday, Sunday)."""
    year, number = week.upper().split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return monday, monday + timedelta(days=6)


def week_of(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def last_complete_week(today: date) -> str:
    """The most recent Monday–Sunday week that has ended before ``today``."""
    return week_of(today - timedelta(days=today.isoweekday()))


@dataclass
class UnitRow:
    code: str
    name: str
    figures: dict
    before: dict


@dataclass
class Weekly:
    week: str
    slice: Slice
    unit_name: str
    current: dict
    previous: dict
    trend: list[dict]
    fields: list[dict]
    units: list[UnitRow]
    overdue: list[dict]
    freshness: catalog.Freshness
    index766: Estimate             # the Decision 766 estimate of the year to the week's Sunday
    index766_from: date

    @property
    def worst_late(self) -> list[UnitRow]:
        rows = [u for u in self.units if u.figures["late_rate"] is not None and u.code not in (UNKNOWN_UNIT, NEW_UNITS)]
        return sorted(rows, key=lambda u: -u.figures["late_rate"])[:WORST_SHOWN]

    @property
    def worst_online(self) -> list[UnitRow]:
        rows = [u for u in self.units if u.figures["online_rate"] is not None and u.code not in (UNKNOWN_UNIT, NEW_UNITS)]
        return sorted(rows, key=lambda u: u.figures["online_rate"])[:WORST_SHOWN]

    @property
    def worsened(self) -> list[tuple[UnitRow, str, float]]:
        """(unit, KPI key, change) for each unit that got markedly worse (module rule)."""
        found = []
        for u in self.units:
            now, before = u.figures, u.before
            if (now["late_rate"] is not None and before.get("late_rate") is not None
                    and now["resolved_total"] >= WORSE_LATE_MIN_RESOLVED
                    and now["late_rate"] - before["late_rate"] >= WORSE_LATE_PP):
                found.append((u, "late_rate", now["late_rate"] - before["late_rate"]))
            if (now["online_rate"] is not None and before.get("online_rate") is not None
                    and now["received_new"] >= WORSE_ONLINE_MIN_RECEIVED
                    and before["online_rate"] - now["online_rate"] >= WORSE_ONLINE_PP):
                found.append((u, "online_rate", now["online_rate"] - before["online_rate"]))
        return found


def build(con: duckdb.DuckDBPyConnection, week: str, unit: str, overdue_shown: int = 10) -> Weekly:
    monday, sunday = week_range(week)
    s = Slice(monday, sunday, unit=unit)
    scope = Scope(unit)  # a unit's recipients get that unit's figures and nothing beside them
    previous = s.previous()
    weeks = [(monday - timedelta(weeks=n), sunday - timedelta(weeks=n)) for n in range(TREND_WEEKS - 1, -1, -1)]
    current, before = kpi.kpis_over(con, s, [(s.date_from, s.date_to), (previous.date_from, previous.date_to)],
                                    scope=scope)
    by_unit_now = {r["group_key"]: r for r in kpi.kpis_by(con, s, "unit_child", scope=scope)}
    by_unit_before = {r["group_key"]: r for r in kpi.kpis_by(con, previous, "unit_child", scope=scope)}
    here = kpi.resolved(con, s, scope).unit  # today's units; an old key (a district) in the old units' view
    names = units.unit_names(con, list(by_unit_now), here.view)
    unit_rows = [UnitRow(code, names.get(code, code), figures, by_unit_before.get(code, {}))
                 for code, figures in by_unit_now.items() if code != here.path[-1]]
    return Weekly(
        week=week, slice=s, unit_name=here.name or unit, current=current, previous=before,
        trend=kpi.kpis_over(con, s, weeks, scope=scope),
        fields=sorted((r for r in kpi.kpis_by(con, s, "field", scope=scope) if r["resolved_total"]),
                      key=lambda r: -(r["late_rate"] or 0)),
        units=unit_rows, overdue=kpi.overdue_dossiers(con, s, overdue_shown, scope=scope),
        freshness=catalog.freshness(con),
        index766=index766.estimate(con, replace(s, date_from=sunday.replace(month=1, day=1)), scope=scope),
        index766_from=sunday.replace(month=1, day=1),
    )
