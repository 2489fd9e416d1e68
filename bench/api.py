"""``/api/kpi`` timings beside the references measured in the same run (issue 13's table).

Each slice is asked the way ``GET /api/kpi`` asks it (``dashboards.data.kpis`` in a signed-in request
context), uncached (the cache cleared before each call, as after a load) and cached; beside it, a raw
DuckDB scan of the same slice: the dossiers of the period in the unit, counted without the product's
layers, which is what any answer read from the fact table costs at least. The ETL is set beside
DuckDB's own parse of the same export file: every column read, the three dates parsed.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from warehouse.slice import Slice


@dataclass(frozen=True)
class ApiSlice:
    name: str
    slices: tuple[Slice, ...]   # asked in turn (different communes: a cache never helps the next)


def api_slices(communes: list[str], today: date) -> list[ApiSlice]:
    """The slices of the issue's table, ending on ``today`` where a user would ask for this year."""
    year = today.year - 1
    return [
        ApiSlice("a year, the province, then 20 different communes",
                 (Slice(date(year, 1, 1), date(year, 12, 31)),)
                 + tuple(Slice(date(year, 1, 1), date(year, 12, 31), unit=c) for c in communes[:20])),
        ApiSlice("a quarter, one field", (Slice(date(year, 4, 1), date(year, 6, 30), field="Đất đai"),)),
        ApiSlice("two years, one commune (across the reorganisation)",
                 tuple(Slice(date(year - 1, 1, 1), date(year, 12, 31), unit=c) for c in communes[:5])),
        ApiSlice("seven years, the province", (Slice(date(year - 6, 1, 1), date(year, 12, 31)),)),
        ApiSlice("this year to date (ends today), the province", (Slice(date(today.year, 1, 1), today),)),
    ]


RAW_SCAN = """
select count(*) filter (d.received_date >= $from_day)                                as received_new,
       count(*) filter (d.end_date <= $to_day and d.outcome = 'late')                 as resolved_late,
       count(*) filter (d.end_date is null or d.end_date > $to_day)                   as pending_total
from fct_dossiers as d
join unit_views as u on u.unit_ref = d.unit_ref and u.view_list = $view
where d.received_date <= $to_day and (d.end_date is null or d.end_date >= $from_day)
  and ($unit is null or list_contains(u.path, $unit)) and ($field is null or d.field = $field)
"""


def raw_scan(con: duckdb.DuckDBPyConnection, s: Slice, view: str) -> Callable[[], object]:
    """The reference: the slice's dossiers scanned and counted by plain SQL over the fact table."""
    params = {"from_day": s.date_from, "to_day": s.date_to, "view": view, "unit": s.unit, "field": s.field}
    return lambda: con.execute(RAW_SCAN, params).fetchall()


def _ms(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_api(db: Path, today: date, repeat: int = 5) -> dict[str, dict[str, float]]:
    """Per slice: uncached p50/p95, cached p95, and the raw scan's p50/p95 (ms), with ratios."""
    from flask_login import login_user

    from access.policy import Principal
    from dashboards import create_app, data

    app = create_app(db)
    con = data.reader().cursor()
    view = con.execute("select max(view_list) from unit_views").fetchone()[0]
    communes = [r[0] for r in con.execute(
        "select code from unit_views where view_list = ? and unit_list = ? and len(path) = 2 order by code",
        [view, view]).fetchall()]
    results = {}
    with app.server.test_request_context("/"):
        login_user(Principal("benchmark", "admin", None, 0))
        for case in api_slices(communes, today):
            uncached, cached, raw = [], [], []
            for s in case.slices:
                data.cache.clear()
                data.kpis(s)  # DuckDB's file cache warm, as in a running server
                for _ in range(repeat):
                    data.cache.clear()
                    uncached.append(_ms(lambda: data.kpis(s)))
                cached += [_ms(lambda: data.kpis(s)) for _ in range(4 * repeat)]
                scan = raw_scan(con, s, view)
                scan()
                raw += [_ms(scan) for _ in range(repeat)]
            p95, raw_p95 = percentile(uncached, 0.95), percentile(raw, 0.95)
            results[case.name] = {"uncached_p50_ms": round(percentile(uncached, 0.5), 1),
                                  "uncached_p95_ms": round(p95, 1), "cached_p95_ms": round(percentile(cached, 0.95), 2),
                                  "raw_scan_p50_ms": round(percentile(raw, 0.5), 1), "raw_scan_p95_ms": round(raw_p95, 1),
                                  "raw_over_uncached": round(raw_p95 / p95, 2)}
    return results


def table(results: dict[str, dict[str, float]], title: str) -> str:
    lines = [f"| `/api/kpi` ({title}) | uncached p50 ms | uncached p95 ms | cached p95 ms | raw scan p95 ms "
             "| raw scan ÷ uncached |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {name} | {r['uncached_p50_ms']:.0f} | **{r['uncached_p95_ms']:.0f}** | {r['cached_p95_ms']:.1f} "
              f"| {r['raw_scan_p95_ms']:.0f} | {r['raw_over_uncached']:.1f}× |" for name, r in results.items()]
    return "\n".join(lines)


PARSE = """
select count(*), max(strptime("Ngày tiếp nhận", '%d/%m/%Y %H:%M:%S')),
       max(strptime("Ngày hẹn trả", '%d/%m/%Y %H:%M:%S')), max(try_strptime("Ngày có kết quả", '%d/%m/%Y %H:%M:%S')),
       max(columns(* exclude ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả")))
from read_csv(?, all_varchar = true, header = true)
"""


def parse_ceiling(export: Path) -> float:
    """Rows per second DuckDB alone reads the export at: every column read, the three dates parsed."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    started = time.perf_counter()
    rows = con.execute(PARSE, [str(export)]).fetchone()[0]
    return rows / (time.perf_counter() - started)
