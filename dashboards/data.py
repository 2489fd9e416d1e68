"""What pages and the API ask the warehouse, cached by slice and data version.

A thin layer: every figure comes from ``warehouse.kpi``; this module only picks
the reader (the published version) and caches answers. The cache key holds the
data version, so a load makes every cached answer stale at once.
"""
from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable
from pathlib import Path
from dataclasses import replace
from datetime import date
from typing import Any

from plotly.graph_objects import Figure  # bound once: each go.Figure is a lazy import lookup (~20 µs)
from dash.development.base_component import Component
from flask_caching import Cache

from common import formats
from common.concurrency import concurrently  # pages ask data.concurrently
from common.labels import label
from common.periods import months_ending, preset_range
from common.settings import get_settings
from warehouse import catalog, kpi, units
from warehouse import boundaries as boundaries_q
from warehouse import index766 as index766_q
from warehouse import services as services_q
from warehouse.scope import OutOfScope, Scope
from warehouse.slice import Slice, local_now
from warehouse.store import Reader, Store

cache = Cache()
_reader: Reader | None = None


def init(server, db_path, lake=None) -> None:
    """Bind the web server to the warehouse at ``db_path`` (or, read-only, to the Parquet lake at ``lake``:
    ``python app.py --lake DIR``) and set up the cache."""
    global _reader
    settings = get_settings()
    if lake is not None:
        from warehouse.lake import LakeReader

        _reader = LakeReader(Path(lake))
    else:
        _reader = Reader(Store(db_path, keep_versions=settings.keep_versions))
    # SimpleCache forgets beyond CACHE_THRESHOLD entries (500 by default): a warm-up stores thousands
    config = {"CACHE_TYPE": settings.cache_type, "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s,
              "CACHE_THRESHOLD": settings.cache_max_entries}
    if settings.cache_redis_url:
        config |= {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.cache_redis_url}
    cache.init_app(server, config=config)


def lake_provinces() -> list[tuple[str, str]]:
    """(code, name) of the provinces a national view (``--lake``) serves; empty on one province's warehouse."""
    names = getattr(reader(), "names", None)
    return names() if names else []


def current_province() -> str | None:
    """The province a national view is showing (None on one province's warehouse)."""
    variable = getattr(reader(), "province", None)
    return variable.get() if variable is not None else None


def choose_province(code: str | None) -> bool:
    """Show province ``code`` for the rest of this request (a national view); False when it is not one."""
    variable = getattr(reader(), "province", None)
    if variable is None or code not in dict(lake_provinces()):
        return False
    variable.set(code)
    return True


def reader() -> Reader:
    if _reader is None:
        raise RuntimeError("dashboards.data.init() was not called")
    return _reader


def _key(name: str, *key_parts: Any) -> str:
    raw = repr((name, reader().version, local_now().date(), key_parts))
    return "q:" + hashlib.sha1(raw.encode()).hexdigest()


_computed = {"count": 0}  # answers this process computed (cache misses), for /healthz


def computed_count() -> int:
    """How many answers this process has computed rather than found in the cache (a warmed page adds none)."""
    return _computed["count"]


_inflight: dict[str, threading.Event] = {}
_inflight_lock = threading.Lock()


def _cached(name: str, compute: Callable[[], Any], *key_parts: Any) -> Any:
    """``compute()`` once per (name, data version, key parts); today's date is part of the key
    because the as-of instant of a period ending today moves.

    Within a process, one computation per key at a time: a part of a page (``concurrently``), a second
    request or the warm-up asking for an answer being computed waits for it instead of computing it again."""
    key = _key(name, *key_parts)
    value = cache.get(key)
    if value is not None:
        return value
    with _inflight_lock:
        running = _inflight.get(key)
        if running is None:
            _inflight[key] = threading.Event()
    if running is not None:
        running.wait(timeout=120)
        value = cache.get(key)
        if value is not None:
            return value  # else the first asker failed: compute it here, and let its error be ours
        return _compute(key, compute)
    try:
        return _compute(key, compute)
    finally:
        with _inflight_lock:
            _inflight.pop(key).set()


def _settled(key: str) -> Any:
    """The cached answer for ``key`` once any computation of it under way in this process has finished
    (None when there is none): a part of a page can use another part's answer instead of its own query."""
    with _inflight_lock:
        running = _inflight.get(key)
    if running is not None:
        running.wait(timeout=120)
    return cache.get(key)


def _compute(key: str, compute: Callable[[], Any]) -> Any:
    value = compute()
    _computed["count"] += 1
    cache.set(key, value)
    return value


def cached_for_caller(name: str, build: Callable[[], Any], *key_parts: Any) -> Any:
    """``build()`` cached per data version and day, and per the caller's role and scope, which decide what a
    page holds (the unit picker, the export buttons): for whole pages and screens built from the figures."""
    from access.web import current_principal

    principal = current_principal()
    return _cached(name, lambda: plain_figures(build()), principal.role, principal.scope.unit, *key_parts)


def plain_figures(value: Any) -> Any:
    """``value`` (a page, a screen's outputs) with every plotly Figure in it as its plain JSON dict, which is
    what Dash sends anyway. A cached page is pickled, and unpickling a Figure validates it all again: on
    the wall (seven charts and the map) that was ~50 ms of every cached refresh; a dict costs ~1 ms."""
    if isinstance(value, Figure):
        return value.to_plotly_json()
    if type(value) in (list, tuple):  # exactly: a named tuple is left as it is
        return type(value)(plain_figures(v) for v in value)
    if isinstance(value, Component):
        for prop in value._prop_names:  # noqa: SLF001 - Dash's own list of a component's properties
            inner = getattr(value, prop, None)
            if isinstance(inner, (Figure, list, tuple, Component)):
                setattr(value, prop, plain_figures(inner))
    return value


def cached_page(path: str, also: Callable[[], Any] | None = None) -> Callable:
    """Decorate a page's ``layout(**query)`` so a repeat view costs a cache read, not a rebuild of its charts.
    ``also()`` is one more part of the key, for a page that shows state changing between loads (alerts)."""
    def wrap(layout: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(layout)
        def cached(**query: Any) -> Any:
            from dashboards.url_state import page_state

            return cached_for_caller("page", lambda: layout(**query), path, page_state(query),
                                     also() if also else None)
        return cached
    return wrap


def caller_scope() -> Scope:
    """The signed-in caller's scope; every slice-based question below runs with it."""
    from access.web import current_principal

    return current_principal().scope


def _ask(name: str, query: Callable[..., Any], s: Slice, *args: Any) -> Any:
    """``query(cursor, s, *args, scope=...)`` with the caller's scope, cached per scope: the query layer
    narrows the slice to the scope (or refuses it), and one caller's answer never reaches another's."""
    scope = caller_scope()
    return _cached(name, lambda: query(reader().cursor(), s, *args, scope=scope), scope.unit, s.key(), args)


def resolved(s: Slice) -> units.Resolved:
    """``s`` in its view, located and narrowed to the caller's scope (ValueError: unknown unit;
    OutOfScope: not the caller's)."""
    scope = caller_scope()
    return _cached("resolved", lambda: kpi.resolved(reader().cursor(), s, scope), scope.unit, s.key())


def visible(s: Slice) -> Slice:
    """``s`` normalised (its view decided), when its unit is known and the caller may see it; else the
    same view of the caller's own (home) unit: a shared link never breaks a page."""
    try:
        return resolved(s).slice
    except (ValueError, OutOfScope):
        pass
    try:
        return resolved(replace(s, unit=None)).slice
    except (ValueError, OutOfScope):
        return resolved(replace(s, unit=None, units_as_of=None)).slice


def visible_unit(code: str | None) -> str | None:
    """``code`` when it is a unit (of today's list, or an earlier one) the caller may see; else the
    caller's home unit (None: the province)."""
    s = default_slice()
    return visible(replace(s, unit=code if isinstance(code, str) else None)).unit


def require_everything() -> None:
    """For lists that hold raw values of every unit (quarantined rows, load warnings)."""
    if not caller_scope().is_everything:
        raise OutOfScope("these rows span every unit")


def freshness() -> catalog.Freshness:
    return _cached("freshness", lambda: catalog.freshness(reader().cursor()))


def reference_day() -> date:
    """The newest day with data (the demo ends on the last full month); today when empty."""
    return freshness().newest_day or local_now().date()


def home_unit() -> str | None:
    """Where the caller's pages start: the province (None), or a unit user's own unit."""
    return caller_scope().unit


def default_slice(preset: str = "year_to_date") -> Slice:
    start, end = preset_range(preset, reference_day())
    return Slice(start, end, unit=home_unit())


def kpis(s: Slice) -> dict:
    """The slice's figures; taken from its comparison when a page already asked for that (the cards), or is
    asking for it in another part right now, so a page pays for each slice's scan once."""
    scope = caller_scope()
    compared = _settled(_key("compare", scope.unit, s.key(), ()))
    if compared is not None:
        return compared.current
    return _ask("kpis", kpi.kpis, s)


def compare(s: Slice) -> kpi.Comparison:
    return _ask("compare", kpi.compare, s)


def kpis_by(s: Slice, dimension: str) -> list[dict]:
    return _ask("by", kpi.kpis_by, s, dimension)


def monthly_trend(s: Slice, months: int = 12) -> list[dict]:
    return _ask("trend", kpi.kpis_over, s, months_ending(s.date_to, months))


def unit_names(codes: list[str], s: Slice) -> dict[str, str]:
    """code → name of the units ``codes`` in the view of ``s`` (a code means nothing without its list)."""
    view = resolved(s).view
    return _cached("unit_names", lambda: units.unit_names(reader().cursor(), codes, view), tuple(codes), view)


def unit_name(code: str) -> str | None:
    """The name of a unit code as a user or an account gives it (today's list first), None if unknown."""
    def lookup() -> str | None:
        con = reader().cursor()
        try:
            return units.find(con, code, units.view_on(con, None)).name
        except ValueError:
            return None
    return _cached("unit_name", lookup, code)


def in_todays_list(code: str) -> bool:
    """Whether ``code`` is a unit of today's list (an account on an old-only code works in the old view)."""
    return _cached("in_todays_list", lambda: units.locate(reader().cursor(), code, views()[-1]) is not None, code)


def old_code_note(code: str) -> str | None:
    """The warning for an account scoped to a code that today's unit list lacks (None otherwise)."""
    def note() -> str | None:
        try:
            return units.old_code_note(reader().cursor(), code)
        except ValueError:
            return None
    return _cached("old_code_note", note, code)


def located(s: Slice) -> units.Located:
    """The unit of ``s`` in its view: its name, level and path."""
    return resolved(s).unit


def views() -> list[units.View]:
    """The unit lists, oldest first: the choices of the filter bar's unit-list switch."""
    return _cached("views", lambda: units.views(reader().cursor()))


def unit_levels(s: Slice) -> set[str]:
    """The unit levels in force during the period of ``s`` (no districts after 1 July 2025)."""
    return _cached("levels", lambda: units.levels_in(reader().cursor(), s.date_from, s.date_to),
                   s.date_from, s.date_to)


def reform_marks(lang: str) -> list[tuple[date, str]]:
    """(date, caption) of every unit list's start: trend charts mark where units were reorganised."""
    return [(v.valid_from, label("reform_marker", lang).format(date=formats.day(v.valid_from, lang)))
            for v in views() if v.valid_from]


def split_communes() -> list[dict]:
    require_everything()
    return _cached("split_communes", lambda: units.split_communes(reader().cursor()))


def is_simulated() -> bool:
    return _cached("simulated", lambda: catalog.is_simulated(reader().cursor()))


def load_history(limit: int = 50) -> list[dict]:
    require_everything()
    return _cached("history", lambda: catalog.load_history(reader().cursor(), limit), limit)


def quarantined_rows(limit: int = 10_000) -> list[dict]:
    require_everything()
    return _cached("quarantine", lambda: catalog.quarantined_rows(reader().cursor(), limit=limit), limit)


def load_warnings(limit: int = 500) -> list[dict]:
    require_everything()
    return _cached("warnings", lambda: catalog.load_warnings(reader().cursor(), limit), limit)


def overdue(s: Slice, limit: int = 50) -> list[dict]:
    return _ask("overdue", kpi.overdue_dossiers, s, limit)


def mail_failures(limit: int = 50) -> list[dict]:
    """Weekly-email sends that failed after their retries (from the mail log beside the warehouse)."""
    from reports.mail import MailLog, log_path

    require_everything()
    path = log_path(reader().store.path)
    return MailLog(path).failures(limit) if path.exists() else []


# Pages the grids ask for are cached like every other answer; an export's whole list (up to
# dashboards.components.tables.EXPORT_MAX_ROWS rows) is asked once and not kept in the cache.
CACHED_PAGE_MAX = 1_000


def _page(name: str, query: Callable[..., kpi.Page], s: Slice, *args: Any) -> kpi.Page:
    """``_ask`` for a page of a list (``args`` end with offset, limit, sort), uncached when it is long."""
    if args[-2] <= CACHED_PAGE_MAX:
        return _ask(name, query, s, *args)
    return query(reader().cursor(), s, *args, scope=caller_scope())


def overdue_page(s: Slice, offset: int, limit: int, sort: kpi.Sort) -> kpi.Page:
    return _page("overdue_page", kpi.overdue_page, s, offset, limit, sort)


def due_soon_page(s: Slice, offset: int, limit: int, sort: kpi.Sort) -> kpi.Page:
    return _page("due_soon_page", kpi.due_soon_page, s, get_settings().due_soon_hours, offset, limit, sort)


def checked(s: Slice) -> Slice:
    """``s`` when its field, agency and procedure are ones the data knows (what the URL and API may
    name); a ValueError (HTTP 400) otherwise, before any figure is asked for."""
    known = _cached("known_values", lambda: catalog.known_values(reader().cursor()))
    for key, value in (("field", s.field), ("agency", s.agency), ("procedure", s.procedure)):
        if value is not None and value not in known[key]:
            raise ValueError(f"unknown {key}: {value!r}")
    return s


def fields() -> list[str]:
    return _cached("fields", lambda: catalog.fields(reader().cursor()))


def unit_options(s: Slice) -> list[tuple[str | None, str, int]]:
    """(code, name, depth) of the caller's home unit and every unit below it in the view of ``s``, in tree
    order, for pickers (the province's code is None)."""
    home = resolved(replace(s, unit=None)).unit
    return _cached("unit_options", lambda: units.tree(reader().cursor(), home), home)


def unit_path(s: Slice) -> list[tuple[str | None, str]]:
    """(code, name) from the caller's home unit (the province, or a unit user's unit) down to the unit of
    ``s``, in its view: the breadcrumb."""
    here = located(s)
    path = _cached("unit_path", lambda: units.path_of(reader().cursor(), here), here)
    home = resolved(replace(s, unit=None)).unit
    return path[home.depth - 1:]


def services(s: Slice) -> dict:
    """KPI.md's catalogue figures of the slice (``warehouse.services``)."""
    return _ask("services", services_q.services, s)


def services_by(s: Slice, dimension: str) -> list[dict]:
    return _ask("services_by", services_q.services_by, s, dimension)


def procedures(s: Slice) -> list[dict]:
    """Every procedure in force on ``to`` for the slice, with its dossiers of the period."""
    return _ask("procedures", services_q.procedures, s)


def has_catalogue() -> bool:
    return _cached("has_catalogue", lambda: services_q.has_catalogue(reader().cursor()))


def not_in_catalogue() -> tuple[int, int, list[dict]]:
    return _cached("not_in_catalogue", lambda: services_q.not_in_catalogue(reader().cursor()))


def index766(s: Slice) -> index766_q.Estimate:
    """The Decision 766 estimate of the slice; its KPIs from the page's cached comparison when there is one."""
    scope = caller_scope()
    level = resolved(s).unit.level
    return _cached("index766", lambda: index766_q.estimate_of(*concurrently(lambda: kpis(s), lambda: services(s)),
                                                              level), scope.unit, s.key())


def index766_by_unit(s: Slice) -> list[dict]:
    """The units below the slice's, ranked by their estimate (the unit's own dossiers are not a unit)."""
    here = located(s)
    itself = here.path[-1] if here.code is not None or here.view.is_current else None  # old-view root: none
    scope = caller_scope()
    return _cached("index766_by_unit", lambda: index766_q.estimates_by_unit(reader().cursor(), s, scope=scope,
                                                                            leave_out=itself), scope.unit, s.key())


def dossier_page(s: Slice, offset: int, limit: int, sort: kpi.Sort) -> kpi.Page:
    return _page("dossier_page", kpi.dossier_page, s, offset, limit, sort)


def has_children(s: Slice) -> bool:
    here = located(s)
    return _cached("has_children", lambda: units.has_children(reader().cursor(), here), here)


def boundaries() -> boundaries_q.Boundaries:
    """The commune shapes of the map (read once per version of the boundary file): the installation's
    province's; in a national view another province has none here, and its map gives way to the ranking."""
    settings = get_settings()
    province = current_province()
    if province is not None and province != settings.province_code:
        return boundaries_q.empty(f"không có tệp ranh giới cho tỉnh {province} / no boundary file for province "
                                  f"{province}")
    return boundaries_q.load(settings.boundaries_path)


def todays_communes() -> dict[str, str]:
    """code → name of today's communes of the province (what the map draws)."""
    return _cached("todays_communes", lambda: boundaries_q.todays_communes(reader().cursor()))


def boundary_mismatches() -> dict[str, list[dict]]:
    """Today's communes without a shape and shapes without a commune, for the data page."""
    shapes = boundaries()
    return _cached("boundary_mismatches", lambda: boundaries_q.mismatches(shapes, todays_communes()),
                   shapes.source, len(shapes.names))


def alert_history(limit: int = 100) -> list[dict]:
    """What the threshold alerts said, newest first (from the alert store beside the warehouse)."""
    from reports.alerts import AlertStore, store_path

    require_everything()
    path = store_path(reader().store.path)
    return AlertStore(path).history(limit) if path.exists() else []


def open_alerts() -> list[dict]:
    """(rule, unit, since) of every unit in breach now, within the caller's scope."""
    from reports.alerts import AlertStore, store_path

    path = store_path(reader().store.path)
    scope = caller_scope()
    rows = AlertStore(path).open_alerts() if path.exists() else []
    return [r for r in rows if scope.is_everything or r["unit"] == scope.unit]


def alerts_stamp() -> int:
    """When the alert store last changed (a page showing alerts is cached per change, not only per load)."""
    from reports.alerts import store_path

    path = store_path(reader().store.path)
    return path.stat().st_mtime_ns if path.exists() else 0
