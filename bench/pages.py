"""Page-callback timings: what each page's callbacks cost on the server, uncached and cached.

A page is drawn by Dash's page-router callback, which calls the page's ``layout(**query)``; that asks
``dashboards.data`` (cached) for its figures and builds the charts and tables. This times exactly
that, in process, on a real warehouse: uncached (the cache cleared before every call, as after a
load) and cached (the same view again), for each page and a few filter states, plus the callbacks
that redraw part of a page (the overview's ranking metric, the wall's refresh).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

# The filter states timed on every page, in each unit view. Today's units (the default): the province, a
# commune (with its predecessors' history), a field, a handling level. The units as of 30 June 2025: the
# province as its old provinces, an old district, an old commune, a field and Huyện level, over 2024.
OLD = {"units_as_of": "2025-06-30", "from": "2024-01-01", "to": "2024-12-31"}
VIEWS = {
    "today's units": ({}, {"unit": "25459"}, {"field": "Đất đai"}, {"level": "Xã"}),
    "units as of 30/06/2025": (OLD, OLD | {"unit": "703"}, OLD | {"unit": "25459"}, OLD | {"field": "Đất đai"},
                               OLD | {"level": "Huyện"}),
}
QUERIES = VIEWS["today's units"]


def page_calls() -> dict[str, Callable[[dict], object]]:
    """Each page's router callback (its layout) and the partial-redraw callbacks, by name."""
    import dash

    from common.settings import get_settings
    from dashboards.pages import overview, wall
    from dashboards.url_state import args_from_slice
    from dashboards.views import early_warning, late
    from dashboards.views import wall as wall_view

    # The page router calls ``layout(**query)``: the query's keys are keyword arguments.
    calls = {page["path"]: (lambda q, layout=page["layout"]: layout(**q))
             for page in dash.page_registry.values() if page["path"] != "/404"}
    calls["/ (ranking metric)"] = lambda q: overview.update_ranking(
        "online_rate", args_from_slice(overview.slice_for_page(q)), "vi")
    # The dossier lists' grids ask for one page at a time (page 3 of 50 rows, sorted by a clicked column).
    calls["/canh-bao (overdue list, a page)"] = lambda q: early_warning.overdue_rows(
        overview.slice_for_page(q), 100, 50, (("due_at", "asc"),), "vi")
    calls["/tre-han (a unit's dossiers, a page)"] = lambda q: late.dossier_rows(
        overview.slice_for_page(q), 100, 50, (("procedure_name", "asc"),), "vi")
    wall_settings = {"lang": "vi", "unit": get_settings().province_code, "panels": list(wall_view.PANELS)}
    calls["/wall (refresh)"] = lambda q: wall.refresh(0, {"height": 1080}, wall_settings)
    return calls


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _time(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def time_pages(db: Path, repeat: int = 5, cached_repeat: int = 20,
               queries: tuple[dict, ...] = QUERIES) -> dict[str, dict[str, float]]:
    """Per page: uncached p50/p95 and cached p95 (ms) over ``queries`` × runs."""
    from flask_login import login_user

    from access.policy import Principal
    from dashboards import create_app, data

    app = create_app(db)
    results = {}
    with app.server.test_request_context("/"):
        login_user(Principal("benchmark", "admin", None, 0))  # pages ask the query layer as a signed-in user
        calls = page_calls()
        for call in calls.values():  # a running server has drawn every page once: imports, templates, file cache
            for query in queries:
                call(query)
        for name, call in calls.items():
            uncached, cached = [], []
            for query in queries:
                data.cache.clear()
                call(query)  # warm DuckDB's file cache, as a running server would be
                for _ in range(repeat):
                    data.cache.clear()
                    uncached.append(_time(lambda: call(query)))
                cached += [_time(lambda: call(query)) for _ in range(cached_repeat)]
            results[name] = {"uncached_p50_ms": round(_percentile(uncached, 0.5), 1),
                             "uncached_p95_ms": round(_percentile(uncached, 0.95), 1),
                             "cached_p95_ms": round(_percentile(cached, 0.95), 1)}
    return results


def table(results: dict[str, dict[str, float]], title: str) -> str:
    """The figures as a Markdown table (for the README)."""
    lines = [f"| page callback ({title}) | uncached p50 ms | uncached p95 ms | cached p95 ms |", "|---|---:|---:|---:|"]
    lines += [f"| `{name}` | {r['uncached_p50_ms']:.0f} | **{r['uncached_p95_ms']:.0f}** | **{r['cached_p95_ms']:.1f}** |"
              for name, r in results.items()]
    return "\n".join(lines)
