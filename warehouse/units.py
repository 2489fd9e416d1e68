"""Units as callers name them: which view a slice is in, which unit a code means there, its path,
its children and their names.

A *view* is a unit list: the hierarchy in force on a date (``units_as_of``). The current view (today's
list) is the default everywhere. A code is looked up in the view's list; a code only an earlier list
has (a 3-digit district, a commune merged away) is taken from the latest list that has it, and the
answer is then in that list's view (KPI.md). The province itself is the root of every view and is
named by no code (``unit=None``): in the view before 1 July 2025, ``80`` is the old Long An, not
today's Tây Ninh.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import duckdb

from warehouse.reference import NEW_UNITS, PSEUDO_UNITS, UNKNOWN_UNIT
from warehouse.slice import Slice
from warehouse.store import per_version

@dataclass(frozen=True)
class View:
    list_id: str
    seq: int
    name: str
    name_en: str
    valid_from: date | None
    valid_to: date | None       # exclusive; None for the current list
    is_current: bool

    @property
    def as_of(self) -> date | None:
        """The canonical ``units_as_of`` of this view: None for the current one, else its last day."""
        return None if self.is_current else self.valid_to - timedelta(days=1)

    def holds(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


def views(con: duckdb.DuckDBPyConnection) -> list[View]:
    """The unit lists, oldest first."""
    def read() -> tuple[View, ...]:
        rows = con.execute("select list_id, seq, name, name_en, valid_from, valid_to from unit_lists order by seq"
                           ).fetchall()
        return tuple(View(*r, is_current=(i == len(rows) - 1)) for i, r in enumerate(rows))

    return list(per_version(con, ("views",), read))


def view_on(con: duckdb.DuckDBPyConnection, day: date | None) -> View:
    """The view in force on ``day`` (None: today's, the current list)."""
    all_views = views(con)
    if day is None:
        return all_views[-1]
    return next((v for v in all_views if v.holds(day)), all_views[-1])


def province_code(con: duckdb.DuckDBPyConnection) -> str:
    """Today's province: the root of every view's paths."""
    return per_version(con, ("province_code",), lambda: con.execute(
        "select path[1] from unit_views where unit_ref = '_unknown' limit 1").fetchone()[0])


def pseudo_name(code: str | None, lang: str = "vi") -> str | None:
    """The words for a pseudo-unit (unknown code; coded in newer units), None for a real unit."""
    from common.labels import label

    return {UNKNOWN_UNIT: label("unknown_unit", lang), NEW_UNITS: label("new_units", lang)}.get(code)


def display_name(name: str | None, code: str | None, lang: str = "vi") -> str:
    """How a dossier list names the unit a dossier counts in: its name, the pseudo-units in words, else the code
    (a list never shows ``_unknown``)."""
    return name or pseudo_name(code, lang) or code or ""


@dataclass(frozen=True)
class Located:
    """A unit in a view: ``code`` None is the province (the root)."""

    view: View
    code: str | None
    path: tuple[str, ...]       # from the root down to the unit, as the view's paths hold it
    name: str | None
    level: str

    @property
    def depth(self) -> int:
        return len(self.path)


def _root(con: duckdb.DuckDBPyConnection, view: View) -> Located:
    code = province_code(con)
    current = views(con)[-1]
    name = per_version(con, ("root_name",), lambda: con.execute(
        "select name from admin_units where list_id = ? and code = ?", [current.list_id, code]).fetchone())
    return Located(view, None, (code,), name[0] if name else code, "province")


def locate(con: duckdb.DuckDBPyConnection, code: str | None, view: View) -> Located | None:
    """``code`` in ``view``'s own list (None when that list has no such unit in the province)."""
    if code is None:
        return _root(con, view)
    if code in PSEUDO_UNITS:
        return Located(view, code, (province_code(con), code), pseudo_name(code), "pseudo")
    if view.is_current and code == province_code(con):
        return _root(con, view)
    row = con.execute(
        "select v.path, a.name, a.level from unit_views v join admin_units a on a.list_id = v.unit_list "
        "and a.code = v.code where v.view_list = ? and v.unit_list = ? and v.code = ?",
        [view.list_id, view.list_id, code]).fetchone()
    if row is None:
        return None
    return Located(view, code, tuple(row[0]), _distinct(con, view, row[1]), row[2])


def _distinct(con: duckdb.DuckDBPyConnection, view: View, name: str, root_name: str | None = None) -> str:
    """An old unit's name as shown beside today's: old Tây Ninh is "Tỉnh Tây Ninh (cũ)" under today's
    Tỉnh Tây Ninh, so a breadcrumb never reads "Tỉnh Tây Ninh › Tỉnh Tây Ninh"."""
    if view.is_current or name != (root_name or _root(con, view).name):
        return name
    return f"{name} (cũ)"


def find(con: duckdb.DuckDBPyConnection, code: str | None, view: View) -> Located:
    """``code`` in ``view``, else in the latest earlier list that has it (the answer is then in that
    list's view); ValueError when no list of the province has it."""
    candidates = [view] + [v for v in reversed(views(con)) if v.seq < view.seq]
    for candidate in candidates:
        located = locate(con, code, candidate)
        if located is not None:
            return located
    raise ValueError(f"unknown unit code: {code!r}")


@dataclass(frozen=True)
class Resolved:
    """A slice with its view decided and its unit located: what every query runs on."""

    slice: Slice
    unit: Located

    @property
    def view(self) -> View:
        return self.unit.view


def resolve(con: duckdb.DuckDBPyConnection, s: Slice) -> Resolved:
    """``s`` normalised: ``units_as_of`` the canonical date of the view the answer is in (None: current),
    ``unit`` None for the province. Equal questions become equal slices (one cache entry)."""
    located = find(con, s.unit, view_on(con, s.units_as_of))
    return Resolved(replace(s, unit=located.code, units_as_of=located.view.as_of), located)


def other_meanings(con: duckdb.DuckDBPyConnection, code: str, used: View) -> list[tuple[View, str]]:
    """The other lists in which ``code`` names a unit of the province, with that unit's name: the CLI says
    which one it used and how to ask for another."""
    rows = con.execute(
        "select a.list_id, a.name from unit_views v join admin_units a on a.list_id = v.unit_list and a.code = v.code "
        "where v.view_list = v.unit_list and v.code = ? and v.unit_list <> ?", [code, used.list_id]).fetchall()
    by_id = {v.list_id: v for v in views(con)}
    return [(by_id[list_id], name) for list_id, name in rows]


def unit_names(con: duckdb.DuckDBPyConnection, codes: list[str], view: View) -> dict[str, str]:
    """code → name in ``view`` for the given codes (the root by its current name; pseudo-units left out)."""
    rows = con.execute("select code, name from admin_units where list_id = ? and code in (select unnest(?::varchar[]))",
                       [view.list_id, codes]).fetchall()
    root_name = None if view.is_current else _root(con, view).name
    return {code: _distinct(con, view, name, root_name) for code, name in rows}


def path_of(con: duckdb.DuckDBPyConnection, located: Located) -> list[tuple[str | None, str]]:
    """(code, name) from the province down to ``located``; the province's code is None (the root)."""
    steps: list[tuple[str | None, str]] = [(None, _root(con, located.view).name)]
    below = list(located.path[1:])
    names = unit_names(con, [c for c in below if c not in PSEUDO_UNITS], located.view)
    return steps + [(c, names.get(c) or pseudo_name(c) or c) for c in below]


def tree(con: duckdb.DuckDBPyConnection, top: Located) -> list[tuple[str | None, str, int]]:
    """(code, name, depth) of ``top`` and every unit below it in its view, parents before children:
    what a unit picker lists."""
    rows = con.execute(
        "select v.code, a.name, len(v.path) from unit_views v join admin_units a on a.list_id = v.unit_list "
        "and a.code = v.code where v.view_list = ? and v.unit_list = ? and len(v.path) > ? "
        "and v.path[1:?] = ?::varchar[] order by array_to_string(v.path, '/')",
        [top.view.list_id, top.view.list_id, top.depth, top.depth, list(top.path)]).fetchall()
    root_name = None if top.view.is_current else _root(con, top.view).name
    return [(top.code, top.name or "", top.depth)] + [(code, _distinct(con, top.view, name, root_name), depth)
                                                      for code, name, depth in rows]


def has_children(con: duckdb.DuckDBPyConnection, located: Located) -> bool:
    """Whether a unit has units below it in its view (else a drill-down ends at its dossiers)."""
    if located.level == "pseudo":
        return False
    row = con.execute("select count(*) from unit_views where view_list = ? and unit_list = ? and len(path) > ? "
                      "and path[1:?] = ?::varchar[]",
                      [located.view.list_id, located.view.list_id, located.depth, located.depth,
                       list(located.path)]).fetchone()
    return row[0] > 0


def levels_in(con: duckdb.DuckDBPyConnection, date_from: date, date_to: date) -> set[str]:
    """The unit levels of the lists in force during [date_from, date_to] (a period that does not reach
    before 1 July 2025 has no districts, so its filters offer no ``Huyện``)."""
    rows = con.execute("select distinct a.level from unit_lists l join admin_units a using (list_id) "
                       "where coalesce(l.valid_from, date '0001-01-01') <= ? "
                       "and coalesce(l.valid_to, date '9999-12-31') > ?", [date_to, date_from]).fetchall()
    return {r[0] for r in rows}


def split_communes(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per current commune: dossiers that count there because their old commune was split and assigned
    to it by the rule (the data page shows these: every figure that includes them is an estimate)."""
    cursor = con.execute("""
        select v.path[2] as code, any_value(n.name) as name, count(*) as dossiers,
               list(distinct a.name order by a.name) as old_communes, any_value(s.rule) as rule
        from fct_dossiers f
        join unit_views v on v.unit_ref = f.unit_ref and v.view_list = (select list_id from unit_lists order by seq desc limit 1)
        join admin_units a on a.list_id = f.unit_list and a.code = f.unit_code
        join unit_successors s on s.from_list = f.unit_list and s.old_code = f.unit_code
        left join admin_units n on n.list_id = v.view_list and n.code = v.path[2]
        where v.estimated_from is not null
        group by all order by dossiers desc""")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def old_code_note(con: duckdb.DuckDBPyConnection, code: str) -> str | None:
    """For an account scoped to a code today's list lacks: the warning shown at log-in and in ``user list``
    (the account keeps working, in the old units' view). None when the code is a unit of today's list."""
    current = views(con)[-1]
    today = locate(con, code, current)
    if today is not None:
        before = [(v, name) for v, name in other_meanings(con, code, current) if name != today.name]
        if not before:
            return None
        view, name = before[0]
        return (f"Mã {code} là {name} theo {view.name}, nay là {today.name}: tài khoản thấy {today.name} "
                f"(cả các xã cũ hợp thành) / code {code} was {name} before; the account now sees {today.name}")
    located = find(con, code, current)
    return (f"Mã {code} ({located.name}) thuộc {located.view.name}: tài khoản chỉ thấy số liệu theo đơn vị cũ; "
            f"hãy gán mã đơn vị hiện hành / unit {code} is from an earlier unit list: this account sees only "
            f"that list's view; give it a current unit code")
