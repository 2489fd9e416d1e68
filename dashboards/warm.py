"""Warm the caches after a load, so the first person to open the dashboard does not wait for it.

A load publishes a new warehouse version and so makes every cached answer stale at once
(``dashboards.data``: the version is in every key). A thread in each web process watches the
published version; when it changes, it draws, off the request path, what people open first: the
default view of every page for each province role, the wall's screens, the overview of the province
and of each commune, and the home overview of each unit account. The answers land in the same cache
the pages read: inside ``python app.py`` that process's own; under gunicorn the shared Redis cache,
where one worker claims each version (``cache.add``) and the others find its work done.
"""
from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import dash
from flask import Flask
from flask_login import login_user

from access.policy import PROVINCE_ROLES, Principal
from dashboards import data
from warehouse.slice import local_now

WARM_USER = "warm-up"   # the name warm-up callers go by (never a real account: it cannot sign in)


@dataclass(frozen=True)
class Warmed:
    """What one warm-up drew, for the health check and the log."""

    version: str
    views: int
    seconds: float
    failures: int


def _status_key(version: str) -> str:
    return f"warmed:{version}"


def status(version: str) -> Warmed | None:
    """The warm-up of ``version``, once finished (by this process or, with a shared cache, another)."""
    found = data.cache.get(_status_key(version))
    return found if isinstance(found, Warmed) else None


def _views() -> Iterator[tuple[Principal, str, Callable[[], object]]]:
    """(caller, what, draw) for every view warmed: each draw asks the cached query layer as that caller."""
    from dashboards.components import shell
    from dashboards.pages import wall
    from dashboards.views import wall as wall_view
    from warehouse import units

    pages = [p for p in dash.page_registry.values() if p["path"] not in ("/404", "/quan-tri")]
    for role in sorted(PROVINCE_ROLES):
        caller = Principal(WARM_USER, role, None, 0)
        yield caller, "navigation bar", lambda: shell.render_navbar("/", "")
        for page in pages:
            if caller.may_open(page["path"]) and page["path"] != "/wall":
                yield caller, page["path"], lambda layout=page["layout"]: layout()
    wall_caller = Principal(WARM_USER, "wall", None, 0)
    wall_settings = {"lang": "vi", "unit": None, "panels": list(wall_view.PANELS)}
    yield wall_caller, "/wall", lambda: wall.refresh(0, {"height": 1080}, wall_settings)
    overview = next(p["layout"] for p in pages if p["path"] == "/")
    con = data.reader().cursor()
    top = units.find(con, None, units.view_on(con, None))
    leader = Principal(WARM_USER, "leader", None, 0)
    for code, _, _ in units.tree(con, top)[1:]:
        yield leader, f"/?unit={code}", lambda code=code: overview(unit=code)
    from access.web import access_store

    for user in access_store().users():
        if user.role == "unit" and user.unit and not user.disabled:
            yield Principal(WARM_USER, "unit", user.unit, 0), f"/ ({user.name})", lambda: overview()


def warm(server: Flask) -> Warmed | None:
    """Draw every warmed view once, as its caller, into the cache; a view that fails is logged and skipped
    (the person who opens it sees the error the page would show anyway). None when a newer version was
    published meanwhile (the watcher warms that one next)."""
    started = time.perf_counter()
    version = data.reader().version
    drawn = failures = 0
    with server.test_request_context("/"):
        for caller, what, draw in _views():
            if data.reader().version != version:
                return None  # a newer load landed: its warm-up is the one worth doing
            login_user(caller)
            try:
                draw()
                drawn += 1
            except Exception:  # noqa: BLE001 - one page's error must not stop the others' warm-up
                failures += 1
                print(f"warm-up: {what} as {caller.role} failed:\n{traceback.format_exc()}", file=sys.stderr)
    done = Warmed(version, drawn, round(time.perf_counter() - started, 2), failures)
    data.cache.set(_status_key(version), done)
    return done


def _watch(server: Flask, poll_seconds: float) -> None:
    """Warm each newly published version once; with a shared cache, only the worker that claims it."""
    while True:
        try:
            version = data.reader().version
            # once per version and day: the figures of periods ending today move with the date
            if version != "none" and data.cache.add(f"warming:{version}:{local_now().date()}", True):
                done = warm(server)
                if done is None:
                    continue  # superseded: warm the newer version at once
                print(f"Đã chuẩn bị sẵn {done.views} trang cho phiên bản {done.version} trong {done.seconds} s "
                      f"/ cache warmed: {done.views} views in {done.seconds} s ({done.failures} failed)",
                      file=sys.stderr)
        except Exception:  # noqa: BLE001 - the watcher outlives a bad moment (a warehouse being replaced)
            traceback.print_exc(file=sys.stderr)
        time.sleep(poll_seconds)


def start(server: Flask, poll_seconds: float) -> threading.Thread:
    """Start the watcher thread (a daemon: it ends with the web process)."""
    thread = threading.Thread(target=_watch, args=(server, poll_seconds), name="cache-warmer", daemon=True)
    thread.start()
    return thread

