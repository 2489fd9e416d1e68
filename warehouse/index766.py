"""The provisional citizen-service index of Decision 766/QĐ-TTg (KPI.md), on the portal's six groups.

Every item of KPI.md's table is here with its status:

- ``computed``: R comes from this product's figures; points = ``Pmax × min(1, R / target)``;
- ``not_computable``: the exports carry no source for it (``no_source``), or the slice has no base for R
  in the period (``no_data``: no dossiers rated, no catalogue loaded, ...). Its points are neither given
  nor guessed;
- ``full_marks``: the item does not apply at the unit's level (a setting, ``applies_to``), so the portal's
  rule gives it full marks.

Maximum points and targets are settings (``IOC_CRITERIA_766``). The pages, the wall and the weekly email
all read ``estimate``/``estimates_by_unit`` from here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from common.concurrency import concurrently
from common.settings import default_criteria_766, get_settings
from warehouse import kpi, services
from warehouse.scope import Scope
from warehouse.slice import Slice
from warehouse.store import sibling

Rate = Callable[[dict], float | None]

COMPUTED, NOT_COMPUTABLE, FULL_MARKS = "computed", "not_computable", "full_marks"
NO_SOURCE, NO_DATA = "no_source", "no_data"


def _ratio(numerator: str, denominator: str) -> Rate:
    return lambda f: f[numerator] / f[denominator] if f[denominator] else None


def _timeliness(f: dict) -> float | None:
    """(resolved on time or early in P + pending and not overdue) / received_total."""
    if not f["received_total"]:
        return None
    return (f["resolved_early"] + f["resolved_on_time"] + f["pending_on_track"]) / f["received_total"]


@dataclass(frozen=True)
class Group:
    code: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class Item:
    """One item of KPI.md's table; ``rate`` None when the exports have no source for it."""

    code: str
    group: str
    name_vi: str
    name_en: str
    rate: Rate | None


GROUPS: tuple[Group, ...] = (
    Group("1", "Công khai, minh bạch", "Publicity and transparency"),
    Group("2", "Tiến độ giải quyết", "Timeliness"),
    Group("3", "Dịch vụ công trực tuyến", "Online public services"),
    Group("4", "Thanh toán trực tuyến", "Online payment"),
    Group("5", "Số hóa hồ sơ", "Digitisation"),
    Group("6", "Mức độ hài lòng", "Satisfaction"),
)

ITEMS: tuple[Item, ...] = (
    Item("1.1", "1", "Đồng bộ trạng thái hồ sơ lên Cổng DVC quốc gia", "Dossier status synced to the portal", None),
    Item("1.2", "1", "Công khai TTHC đúng hạn, đầy đủ", "Procedures published on time and in full", None),
    Item("2.1", "2", "Giải quyết đúng hạn", "Timeliness", _timeliness),
    Item("3.1", "3", "TTHC cung cấp dịch vụ công trực tuyến", "Procedures offered online",
         _ratio("procedures_online", "procedures_total")),
    Item("3.2", "3", "DVCTT phát sinh hồ sơ trực tuyến", "Online services used",
         _ratio("online_procedures_with_online_dossiers", "procedures_online")),
    Item("3.3", "3", "Hồ sơ nộp trực tuyến", "Online filing", lambda f: f["online_rate"]),
    Item("4.1", "4", "Hồ sơ có phí thanh toán trực tuyến", "Dossiers with fees paid online",
         lambda f: f["online_payment_rate"]),
    Item("4.2", "4", "Các tiêu chí thanh toán khác", "Other payment items", None),
    Item("5.1", "5", "Số hóa thành phần hồ sơ", "Digitised components", lambda f: f["digitised_rate"]),
    Item("5.2", "5", "Kết quả điện tử, bản sao điện tử, tái sử dụng dữ liệu, dữ liệu dân cư",
         "Electronic results, e-certified copies, data reuse, population data", None),
    Item("6.1", "6", "Hài lòng với tiếp nhận, giải quyết", "Satisfaction with receiving and handling",
         lambda f: f["satisfaction_rate"]),
    Item("6.2", "6", "Xử lý phản ánh, kiến nghị đúng hạn", "Complaints handled on time", None),
    Item("6.3", "6", "Hài lòng với xử lý phản ánh, kiến nghị", "Satisfaction with complaint handling", None),
)


@dataclass(frozen=True)
class Estimate:
    """The items of one slice and what they add up to, kept apart by status (never one hiding total)."""

    items: list[dict]

    def _sum(self, key: str, status: str) -> float:
        return sum(i[key] or 0 for i in self.items if i["status"] == status)

    @property
    def points_computed(self) -> float:
        """Points earned on the items computed, plus full marks given by rule."""
        return self._sum("points", COMPUTED) + self._sum("points", FULL_MARKS)

    @property
    def pmax_computed(self) -> float:
        """The most the computed (and full-marks) items could give."""
        return self._sum("pmax", COMPUTED) + self._sum("pmax", FULL_MARKS)

    @property
    def pmax_not_computable(self) -> float:
        return self._sum("pmax", NOT_COMPUTABLE)

    @property
    def reachable(self) -> float:
        """The most the unit could score: what it has, plus every point not computable."""
        return self.points_computed + self.pmax_not_computable

    @property
    def complete(self) -> bool:
        """Every item computed (or given by rule): only then is a total out of 100 a score."""
        return self.pmax_not_computable == 0

    @property
    def band(self) -> str | None:
        """The portal's band, only for a full score (KPI.md)."""
        return band(self.points_computed) if self.complete else None

    def groups(self) -> list[dict]:
        """Per group: its maximum, points computed, maximum computed and maximum not computable."""
        out = []
        for g in GROUPS:
            items = [i for i in self.items if i["group"] == g.code]
            out.append({"code": g.code, "name_vi": g.name_vi, "name_en": g.name_en,
                        "pmax": sum(i["pmax"] for i in items),
                        "points": sum(i["points"] or 0 for i in items if i["status"] != NOT_COMPUTABLE),
                        "pmax_computed": sum(i["pmax"] for i in items if i["status"] != NOT_COMPUTABLE),
                        "pmax_not_computable": sum(i["pmax"] for i in items if i["status"] == NOT_COMPUTABLE)})
        return out

    def as_json(self) -> dict:
        return {"points_computed": self.points_computed, "pmax_computed": self.pmax_computed,
                "pmax_not_computable": self.pmax_not_computable, "reachable": self.reachable,
                "band": self.band, "items": self.items}


BANDS = ((90, "Xuất sắc", "Excellent"), (80, "Tốt", "Good"), (70, "Khá", "Fair"), (50, "Trung bình", "Average"),
         (0, "Yếu", "Weak"))


def band(points: float, lang: str = "vi") -> str:
    for floor, vi, en in BANDS:
        if points >= floor:
            return en if lang == "en" else vi
    return BANDS[-1][2 if lang == "en" else 1]


def score(figures: dict, level: str | None = None) -> Estimate:
    """Each item's status, R, target, maximum and points from a slice's KPIs and catalogue figures.

    ``level`` is the unit's handling level (Tỉnh, Huyện, Xã): an item whose ``applies_to`` leaves it out
    gets full marks by rule."""
    criteria = default_criteria_766() | get_settings().criteria_766  # a setting may name only some items
    items = []
    for item in ITEMS:
        c = criteria[item.code]
        r = item.rate(figures) if item.rate else None
        if c.applies_to is not None and level is not None and level not in c.applies_to:
            status, reason, points = FULL_MARKS, None, c.pmax
        elif r is None:
            status, reason, points = NOT_COMPUTABLE, (NO_SOURCE if item.rate is None else NO_DATA), None
        else:
            status, reason, points = COMPUTED, None, c.pmax * min(1.0, max(0.0, r) / c.target)
        items.append({"code": item.code, "group": item.group, "name_vi": item.name_vi, "name_en": item.name_en,
                      "status": status, "reason": reason, "r": r, "target": c.target if item.rate else None,
                      "pmax": c.pmax, "points": points})
    return Estimate(items)


def estimate_of(kpis: dict, catalogue: dict, unit_kind: str | None) -> Estimate:
    """The estimate from a slice's KPIs, its catalogue figures and its unit's kind (``admin_units.level``:
    a commune works at Xã, a pre-2025 district at Huyện, anything else at Tỉnh)."""
    return score(kpis | catalogue, UNIT_LEVEL.get(unit_kind, "Tỉnh"))


def estimate(con: duckdb.DuckDBPyConnection, s: Slice, *, scope: Scope) -> Estimate:
    """The estimate of one slice."""
    kind = kpi.resolved(con, s, scope).unit.level
    return estimate_of(kpi.kpis(con, s, scope=scope), services.services(con, s, scope=scope), kind)


def estimates_by_unit(con: duckdb.DuckDBPyConnection, s: Slice, *, scope: Scope,
                      leave_out: str | None = None) -> list[dict]:
    """Per child unit of the slice: its estimate now and in the previous period of the same length,
    with ranks by points computed (1 = most), for the ranking table and chart. ``leave_out`` names a group
    that is not a unit to rank (the dossiers coded at the sliced unit itself)."""
    view = kpi.resolved(con, s, scope).view.list_id
    previous = s.previous()
    periods = [(s.date_from, s.date_to), (previous.date_from, previous.date_to)]  # one scan for both
    side = sibling(con)  # the two queries run at once, each on its own cursor
    figures, catalogue_rows = concurrently(
        lambda: kpi.query_kpis(con, periods, s, scope=scope, group_by="unit_child"),
        lambda: services.query_services(side, periods, s, scope=scope, group_by="unit_child"))
    catalogue = {(r["period_idx"], r["group_key"]): r for r in catalogue_rows}
    kinds = dict(con.execute("select code, level from admin_units where list_id = ? and list_contains(?, code)",
                             [view, list({r["group_key"] for r in figures})]).fetchall())

    def by_unit(period_idx: int) -> dict[str, Estimate]:
        return {r["group_key"]: estimate_of(r, catalogue.get((period_idx, r["group_key"]), services.empty_services()),
                                            kinds.get(r["group_key"]))
                for r in figures if r["period_idx"] == period_idx}

    now, before = by_unit(1), by_unit(2)
    now.pop(leave_out, None)
    before.pop(leave_out, None)
    ranked = sorted(now, key=lambda k: -now[k].points_computed)
    earlier = sorted(before, key=lambda k: -before[k].points_computed)
    return [{"group_key": key, "estimate": now[key], "rank": rank,
             "previous": before.get(key), "previous_rank": earlier.index(key) + 1 if key in before else None}
            for rank, key in enumerate(ranked, start=1)]


# The handling level a unit works at: a commune Xã, a (pre-2025) district Huyện, anything else Tỉnh.
UNIT_LEVEL = {"commune": "Xã", "district": "Huyện"}
