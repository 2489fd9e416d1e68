"""Administrative units as dated reference data: the lists, the conversion between them, and the
hierarchy every view of the warehouse counts dossiers in.

A unit is a code *in a list*: codes were reused with new meanings on 1 July 2025, so ``25459`` means
Phường 3 in the 2024 list and Phường Tân Ninh in the 2025 one. ``units.toml`` (in
``IOC_REFERENCE_DIR``) names the lists, the date each took effect and the conversion tables between
consecutive lists. From them this module derives, once per edition of the reference data:

- every unit's path in its own list (from ``parent_code``, whatever the depth);
- the successor of every old commune in the next list (a split commune gets exactly one, by the rule
  in ``choose_successor``, or by the province's own assignment file);
- ``unit_views``: for each *view* (a list: "the hierarchy in force on a date") the path in which a
  dossier coded in any unit of any list counts. Old units count in their successors in a newer view;
  newer units count in a bucket of their own (``_new_units``) in an older view. Deciding the view is
  then one join in the query layer, chosen by one parameter.

Only units that lie in the configured province (today's code, e.g. ``80``) get a path; any other code
counts in the province's "unknown unit" bucket, as KPI.md asks of codes in no list.
"""
from __future__ import annotations

import csv
import hashlib
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, timedelta
from pathlib import Path

import duckdb

UNKNOWN_UNIT = "_unknown"      # a code in no list (or outside the province): counts in the province total
NEW_UNITS = "_new_units"       # in an older view, a dossier coded in a newer list's unit ("theo đơn vị mới")
PSEUDO_UNITS = (UNKNOWN_UNIT, NEW_UNITS)


class ReferenceError(ValueError):
    """The reference data (or a province's assignment file) cannot be used; the message names the line."""


@dataclass(frozen=True)
class UnitList:
    list_id: str
    seq: int                    # 0 = oldest
    name: str
    name_en: str
    path: Path
    edition: str
    valid_from: date | None     # None: holds for everything before the next list
    valid_to: date | None = None  # exclusive: the next list's valid_from; None for the newest


@dataclass(frozen=True)
class RefUnit:
    code: str
    name: str
    level: str
    parent_code: str | None
    division_type: str


@dataclass
class Reference:
    """Everything read from the reference folder, validated."""

    lists: list[UnitList]
    units: dict[str, dict[str, RefUnit]]                  # list_id → code → unit
    changes: dict[tuple[str, str], list[dict]]            # (from, to) → rows of the conversion table
    assignment: dict[str, str]                            # the province's own old_code → new_code
    digest: str
    province: str
    sources: list[Path] = field(default_factory=list)

    @property
    def current(self) -> UnitList:
        return self.lists[-1]


def _read_csv(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReferenceError(f"{path}: cannot be read ({exc})") from exc


def _read_csv_lines(path: Path) -> list[tuple[int, dict]]:
    """(line number in the file, row) of an ``old_code,new_code`` file, blank lines skipped but counted."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"old_code", "new_code"} <= set(reader.fieldnames or ()):
                raise ReferenceError(f"{path.name}, line 1: the header must be old_code,new_code")
            return [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReferenceError(f"{path}: cannot be read ({exc})") from exc


def _code(text: str | None) -> str:
    return (text or "").strip()


def load(reference_dir: Path, province: str, assignment_file: Path | None = None) -> Reference:
    """Read and check ``units.toml`` and the files it names (and the assignment file, if any)."""
    manifest_path = reference_dir / "units.toml"
    try:
        manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceError(f"{manifest_path}: cannot be read ({exc})") from exc
    entries = _list_entries(manifest)
    if not entries:
        raise ReferenceError(f"{manifest_path}: no [[lists]]")
    lists = []
    for seq, entry in enumerate(entries):
        nxt = entries[seq + 1].get("valid_from") if seq + 1 < len(entries) else None
        lists.append(UnitList(str(entry["id"]), seq, entry.get("name", str(entry["id"])),
                              entry.get("name_en", entry.get("name", str(entry["id"]))),
                              reference_dir / entry["file"], str(entry.get("edition", "")),
                              entry.get("valid_from"), nxt))
    units = {ul.list_id: _read_units(ul.path) for ul in lists}
    if province not in units[lists[-1].list_id] or units[lists[-1].list_id][province].parent_code:
        raise ReferenceError(f"province {province!r} is not a province of the list {lists[-1].list_id}")
    changes = {}
    for conv in manifest.get("conversions", []):
        key = (str(conv["from"]), str(conv["to"]))
        changes[key] = [r | {"_line": i} for i, r in enumerate(_read_csv(reference_dir / conv["file"]), start=2)]
    assignment = {}
    if assignment_file is not None:
        assignment = _read_assignment(assignment_file, lists, units, changes)
    sources = _sources(reference_dir, manifest, assignment_file)
    return Reference(lists, units, changes, assignment, _digest(province, sources), province, sources)


def _list_entries(manifest: dict) -> list[dict]:
    """The manifest's ``[[lists]]``, oldest first."""
    return sorted(manifest.get("lists", []), key=lambda e: e.get("valid_from") or date.min)


def _sources(reference_dir: Path, manifest: dict, assignment_file: Path | None) -> list[Path]:
    """The files an edition of the reference data is read from, in the order its digest reads them."""
    return ([reference_dir / "units.toml"] + [reference_dir / e["file"] for e in _list_entries(manifest)]
            + [reference_dir / c["file"] for c in manifest.get("conversions", [])]
            + ([assignment_file] if assignment_file is not None else []))


def _digest(province: str, sources: list[Path]) -> str:
    digest = hashlib.sha256(province.encode())
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def configured_digest() -> str:
    """The digest of the configured edition, from its files' bytes alone: what a load compares with the
    warehouse's to know the unit tables are current without reading and checking the lists again."""
    from common.settings import get_settings

    settings = get_settings()
    reference_dir = Path(settings.reference_dir)
    try:
        manifest = tomllib.loads((reference_dir / "units.toml").read_text(encoding="utf-8"))
        assignment = Path(settings.unit_assignment_file) if settings.unit_assignment_file else None
        return _digest(settings.province_code, _sources(reference_dir, manifest, assignment))
    except (OSError, tomllib.TOMLDecodeError, KeyError):
        return configured().digest  # raises the ReferenceError that names the bad file


def _read_units(path: Path) -> dict[str, RefUnit]:
    units = {}
    for row in _read_csv(path):
        code = _code(row.get("code"))
        if code:
            units[code] = RefUnit(code, row["name"].strip(), row["level"].strip(), _code(row.get("parent_code")) or None,
                                  (row.get("division_type") or "").strip())
    return units


def _read_assignment(path: Path, lists: list[UnitList], units, changes) -> dict[str, str]:
    """The province's own choice of successor for split communes: a CSV ``old_code,new_code``.

    Refused (ReferenceError naming the line) when a line names an unknown code, a new commune that is
    not a successor of the old one, or an old commune twice: figures must never rest on a bad file.
    """
    old_list, new_list = lists[-2].list_id if len(lists) > 1 else None, lists[-1].list_id
    successors = defaultdict(set)
    for row in changes.get((old_list, new_list), []):
        successors[_code(row["old_code"])].add(_code(row["new_code"]))
    chosen: dict[str, str] = {}
    rows = _read_csv_lines(path)
    for line, row in rows:
        old, new = _code(row.get("old_code")), _code(row.get("new_code"))
        where = f"{path.name}, line {line}"
        if old not in units.get(old_list, {}):
            raise ReferenceError(f"{where}: {old!r} is not a unit of the list {old_list}")
        if new not in units[new_list]:
            raise ReferenceError(f"{where}: {new!r} is not a unit of the list {new_list}")
        if new not in successors.get(old, ()):
            raise ReferenceError(f"{where}: {new} ({units[new_list][new].name}) is not a successor of "
                                 f"{old} ({units[old_list][old].name}) in the conversion table")
        if old in chosen:
            raise ReferenceError(f"{where}: {old} is assigned twice")
        chosen[old] = new
    return chosen


def configured() -> Reference:
    """The reference data the settings name (IOC_REFERENCE_DIR, IOC_PROVINCE_CODE, IOC_UNIT_ASSIGNMENT_FILE),
    read once per process: a bad file stops the app at start, before any figure is served."""
    from common.settings import get_settings

    settings = get_settings()
    return _configured(settings.reference_dir, settings.province_code, settings.unit_assignment_file)


@lru_cache(maxsize=4)
def _configured(reference_dir: Path, province: str, assignment_file: Path | None) -> Reference:
    return load(Path(reference_dir), province, Path(assignment_file) if assignment_file else None)


# -- derivation -------------------------------------------------------------------------------------

def own_paths(units: dict[str, RefUnit]) -> dict[str, list[str]]:
    """Each unit's chain of codes from its root down to itself, in its own list (any depth)."""
    paths: dict[str, list[str]] = {}

    def path_of(code: str, seen: tuple = ()) -> list[str]:
        if code in paths:
            return paths[code]
        unit = units[code]
        parent = unit.parent_code
        if parent is None or parent not in units or parent in seen:
            result = [code]
        else:
            result = path_of(parent, seen + (code,)) + [code]
        paths[code] = result
        return result

    for code in units:
        path_of(code)
    return paths


@dataclass(frozen=True)
class Successor:
    new_code: str
    rule: str          # only | kept_code | whole_population | first_listed | province_file | same_code
    split: bool        # the old commune was split between several new ones


def choose_successor(old_code: str, rows: list[dict], assignment: dict[str, str]) -> Successor:
    """The one new commune an old commune's dossiers count in.

    The official table lists one row per piece of a split commune. The rule, in order: the province's
    own assignment file; else the successor that kept the old commune's code (the code's new meaning
    then agrees with where its history counts); else the successor that took its whole population
    (the table's note "toàn bộ dân số": dossiers follow people); else the first successor listed.
    """
    news = list(dict.fromkeys(_code(r["new_code"]) for r in rows))
    if len(news) == 1:
        return Successor(news[0], "only", False)
    if old_code in assignment:
        return Successor(assignment[old_code], "province_file", True)
    if old_code in news:
        return Successor(old_code, "kept_code", True)
    for row in rows:
        if "toàn bộ dân số" in (row.get("note") or "").lower():
            return Successor(_code(row["new_code"]), "whole_population", True)
    return Successor(news[0], "first_listed", True)


def successors(ref: Reference, older: UnitList, newer: UnitList) -> dict[str, Successor]:
    """old commune → its successor in the next list. Without a conversion table (a new edition that
    only renamed units), and for a commune the table leaves out, a code the next list also has is its
    own successor."""
    rows_by_old = defaultdict(list)
    for row in ref.changes.get((older.list_id, newer.list_id), []):
        if _code(row.get("old_code")):
            rows_by_old[_code(row["old_code"])].append(row)
    result = {}
    new_units = ref.units[newer.list_id]
    for code, unit in ref.units[older.list_id].items():
        if code in rows_by_old:
            result[code] = choose_successor(code, rows_by_old[code], ref.assignment)
        elif code in new_units and new_units[code].level == unit.level:
            result[code] = Successor(code, "same_code", False)
    return result


def _common_prefix(paths: list[list[str]]) -> list[str]:
    prefix = []
    for parts in zip(*paths):
        if len(set(parts)) != 1:
            break
        prefix.append(parts[0])
    return prefix


@dataclass(frozen=True)
class ViewRow:
    view_list: str
    unit_list: str | None
    code: str
    path: list[str]
    estimated_from: int | None  # the depth from which this unit's place is an estimate (split commune)


def derive_views(ref: Reference) -> tuple[list[ViewRow], list[tuple[str, str, str, str, str, bool]]]:
    """Every unit of the province, in every view; and the chosen successors (for the data page)."""
    root = ref.province
    own = {ul.list_id: own_paths(ref.units[ul.list_id]) for ul in ref.lists}
    # where each unit of each list lands in the *next* list: a path there, and whether it is estimated
    landing: dict[str, dict[str, tuple[list[str], int | None]]] = {}
    chosen_rows = []
    for older, newer in zip(ref.lists, ref.lists[1:]):
        succ = successors(ref, older, newer)
        chosen_rows += [(older.list_id, code, newer.list_id, s.new_code, s.rule, s.split) for code, s in succ.items()]
        children = defaultdict(list)
        for code, unit in ref.units[older.list_id].items():
            if unit.parent_code:
                children[unit.parent_code].append(code)
        landing[older.list_id] = _landings(ref.units[older.list_id], children, succ, own[newer.list_id])
    rows = []
    for view in ref.lists:
        for ul in ref.lists:
            for code in ref.units[ul.list_id]:
                placed = _place(ref, view, ul, code, own, landing)
                if placed is not None:
                    rows.append(ViewRow(view.list_id, ul.list_id, code, *placed))
        rows.append(ViewRow(view.list_id, None, UNKNOWN_UNIT, [root, UNKNOWN_UNIT], None))
    return rows, chosen_rows


def _landings(units, children, succ, new_paths) -> dict[str, tuple[list[str], int | None]]:
    """For every old unit: its path in the next list and the depth from which that is an estimate.

    A commune lands where its successor is. A unit above communes (a district, a province) lands in the
    deepest new unit that holds everything below it (a district whose communes all went into one
    province lands in that province), so a dossier coded at district level is never split.
    """
    memo: dict[str, tuple[list[str], int | None]] = {}

    def land(code: str) -> tuple[list[str], int | None] | None:
        if code in memo:
            return memo[code]
        result = None
        if code in succ and succ[code].new_code in new_paths and not children.get(code):
            path = new_paths[succ[code].new_code]
            result = (path, len(path) if succ[code].split else None)
        else:
            below = [r for c in children.get(code, []) if (r := land(c)) is not None]
            if below:
                prefix = _common_prefix([p for p, _ in below])
                if prefix:
                    estimates = [e for p, e in below if e is not None and e <= len(prefix)]
                    result = (prefix, min(estimates) if estimates else None)
            elif code in succ and succ[code].new_code in new_paths:
                path = new_paths[succ[code].new_code]
                result = (path, None)
        if result is not None:
            memo[code] = result
        return result

    for code in units:
        land(code)
    return memo


def _place(ref: Reference, view: UnitList, ul: UnitList, code: str, own, landing) -> tuple[list[str], int | None] | None:
    """The path of unit ``code`` of list ``ul`` in the view ``view`` (None: not in the province)."""
    root = ref.province
    if ul.seq > view.seq:  # a newer unit in an older view: it cannot be placed in an old unit
        current = _in_current(ref, ul, code, own, landing)
        return ([root, NEW_UNITS], None) if current is not None else None
    path, estimated = own[ul.list_id][code], None
    for older, newer in zip(ref.lists[ul.seq:view.seq], ref.lists[ul.seq + 1:view.seq + 1]):
        landed = landing[older.list_id].get(path[-1])
        if landed is None:
            return None
        new_path, new_estimate = landed
        estimates = [e for e in (estimated, new_estimate) if e is not None]
        estimated = min(estimates) if estimates else None
        path = new_path
    if view.seq == ref.current.seq:
        return (path, estimated) if path and path[0] == root else None
    # an older view: today's province appears as the units of that list it was made from
    current = _in_current(ref, view, path[-1], own, landing)
    if current is None:
        return None
    return [root] + path, (estimated + 1 if estimated else None)


def _in_current(ref: Reference, ul: UnitList, code: str, own, landing) -> list[str] | None:
    """The path of a unit in the current list, or None when it lies outside the province."""
    path = own[ul.list_id][code]
    for older in ref.lists[ul.seq:-1]:
        landed = landing[older.list_id].get(path[-1])
        if landed is None:
            return None
        path = landed[0]
    return path if path and path[0] == ref.province else None


# -- into the warehouse ------------------------------------------------------------------------------

def seed(con: duckdb.DuckDBPyConnection, ref: Reference) -> bool:
    """Write the unit tables for ``ref`` unless the warehouse already holds this edition; True if written."""
    stored = con.execute("select value from warehouse_meta where key = 'reference_digest'").fetchone()
    if stored is not None and stored[0] == ref.digest:
        return False
    for table in ("unit_lists", "admin_units", "unit_successors", "unit_views"):
        con.execute(f"delete from {table}")
    con.executemany("insert into unit_lists values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [[ul.list_id, ul.seq, ul.name, ul.name_en, ul.valid_from, ul.valid_to, ul.edition, ul.path.name]
                     for ul in ref.lists])
    units = [(ul.list_id, u.code, u.name, u.level, u.parent_code, u.division_type)
             for ul in ref.lists for u in ref.units[ul.list_id].values()]
    _insert(con, "admin_units", ["list_id", "code", "name", "level", "parent_code", "division_type"], units)
    rows, chosen = derive_views(ref)
    _insert(con, "unit_successors", ["from_list", "old_code", "to_list", "new_code", "rule", "split"], chosen)
    names = {ul.list_id: {c: u.name for c, u in ref.units[ul.list_id].items()} for ul in ref.lists}
    _insert(con, "unit_views", ["view_list", "unit_list", "code", "path", "estimated_from", "unit_ref", "unit_name"],
            [(r.view_list, r.unit_list, r.code, r.path, r.estimated_from, unit_ref(r.unit_list, r.code),
              names[r.view_list].get(r.path[-1])) for r in rows])
    con.execute("insert or replace into warehouse_meta values ('reference_digest', ?)", [ref.digest])
    return True


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    import polars as pl

    if not rows:
        return
    frame = pl.DataFrame([list(r) for r in rows], schema=columns, orient="row", infer_schema_length=None)
    con.register("seed_rows", frame)
    con.execute(f"insert into {table} by name select * from seed_rows")
    con.unregister("seed_rows")


def stored_digest(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("select value from warehouse_meta where key = 'reference_digest'").fetchone()
    return row[0] if row else None


def bring_up_to_date(db) -> bool:
    """Before serving: check the configured reference data (ReferenceError names the bad line) and, when the
    published warehouse was built with another edition (a newer list, another assignment file), publish a
    version rebuilt with it, so no figure is ever served on the wrong units. True when it republished."""
    from warehouse.store import Reader, Store

    ref = configured()
    store = Store(db)
    if not store.exists() or stored_digest(Reader(store).cursor()) == ref.digest:
        return False
    with store.lock():  # another process (a gunicorn worker) may have done it meanwhile
        if stored_digest(Reader(store).cursor()) == ref.digest:
            return False
    with store.writer():
        pass  # the writer migrates: the unit tables are reseeded and the dossier mart rebuilt
    return True


def unit_ref(unit_list: str | None, code: str) -> str:
    """How the warehouse names a unit of a list (``2024:25459``); a pseudo-unit by its code."""
    return f"{unit_list}:{code}" if unit_list else code


def last_day(ul: UnitList) -> date | None:
    """The last day a list was in force (None for the current list)."""
    return ul.valid_to - timedelta(days=1) if ul.valid_to else None
