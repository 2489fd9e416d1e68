"""``python -m bench [--rows N]``: ETL throughput and query latency at scale, beside references.

Builds N synthetic dossiers (default 1,000,000) as one CSV export, loads it with
the ordinary ETL (beside DuckDB's own parse of the file), times a 1,000-row load into it,
``/api/kpi``'s slices (uncached and cached, beside a raw scan of each: ``bench/api.py``),
every query the overview page makes, and, for comparison, the same figures computed the
way an analyst would without this product: pandas over the export file.

``python -m bench --pages [--db PATH]`` times every page's callbacks server-side instead
(``bench/pages.py``): on the warehouse at PATH (the demo's, say), or on the N synthetic dossiers.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from bench.api import parse_ceiling, time_api
from bench.api import table as api_table
from common.periods import months_ending, preset_range
from warehouse import kpi, layers
from warehouse.scope import Scope
from warehouse.slice import Slice, local_now
from warehouse.store import Reader, Store

ALL = Scope.everything()  # the benchmark asks as the installation's administrator


def generate(path: Path, rows: int, seed: int = 1) -> Path:
    """Write the synthetic export in a child process, so this process stays small."""
    subprocess.run([sys.executable, "-m", "bench.synthetic", str(path), str(rows), str(seed)], check=True)
    return path


# Runs `python -m etl load` and then reports that process's own peak memory on stderr.
_MEASURED_LOAD = (
    "import resource, sys\n"
    "from etl.__main__ import main\n"
    "code = main(sys.argv[1:])\n"
    "print('peak_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def cli_load(db: Path, *exports: Path, env: dict[str, str] | None = None) -> dict:
    """Load through the real CLI in its own process; the summary plus ``peak_mb``, that process's peak memory."""
    done = subprocess.run([sys.executable, "-c", _MEASURED_LOAD, "load", "--db", str(db), "--json", *map(str, exports)],
                          capture_output=True, text=True, check=True, env=os.environ | (env or {}))
    peak_kb = int(done.stderr.rsplit("peak_kb", 1)[1].split()[0])
    return json.loads(done.stdout) | {"peak_mb": peak_kb / 1024}


def small_loads(db: Path, work: Path, count: int = 5) -> dict:
    """Seconds of ``count`` 1,000-row loads in a row (each rewrites the version's layer), then of one more
    made to fold the layer into a new base (IOC_MAX_LAYER_MB=0), as every load did before layers."""
    seconds = [cli_load(db, generate(work / f"small-{i}.csv", 1_000, seed=2 + i))["duration_s"] for i in range(count)]
    fold = cli_load(db, generate(work / "small-fold.csv", 1_000, seed=2 + count), env={"IOC_MAX_LAYER_MB": "0"})
    return {"layer_s": seconds, "fold_s": fold["duration_s"]}


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def overview_queries(con, s: Slice) -> dict:
    """Exactly what the overview page asks (dashboards/views/overview.py), uncached."""
    return {
        "cards: slice, previous period, same period last year": lambda: kpi.compare(con, s, scope=ALL),
        "cards: slice totals": lambda: kpi.kpis(con, s, scope=ALL),
        "monthly trend (12 periods)": lambda: kpi.kpis_over(con, s, months_ending(s.date_to, 12), scope=ALL),
        "late rate by field": lambda: kpi.kpis_by(con, s, "field", scope=ALL),
        "districts ranked": lambda: kpi.kpis_by(con, s, "unit_child", scope=ALL),
        "district slice (703) totals": lambda: kpi.kpis(con, replace(s, unit="703"), scope=ALL),
    }


def pandas_baseline(export: Path, s: Slice) -> float:
    """Seconds for an analyst's pandas script to get the on-time/late figures for one period."""
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(export, dtype=str)
    received = pd.to_datetime(frame["Ngày tiếp nhận"], format="%d/%m/%Y %H:%M:%S")
    end = pd.to_datetime(frame["Ngày có kết quả"], format="%d/%m/%Y %H:%M:%S")
    due = pd.to_datetime(frame["Ngày hẹn trả"], format="%d/%m/%Y %H:%M:%S")
    lo, hi = pd.Timestamp(s.date_from), pd.Timestamp(s.date_to) + pd.Timedelta(days=1)
    resolved = (end >= lo) & (end < hi)
    late = resolved & (end.dt.normalize() > due.dt.normalize())
    _ = (received >= lo).sum(), resolved.sum(), late.sum()
    return time.perf_counter() - started


def email_seconds(db: Path) -> float:
    """Build and send one weekly email (last complete week of the data) to an SMTP server on loopback."""
    from aiosmtpd.controller import Controller

    from common.settings import get_settings
    from reports.job import run_weekly
    from reports.weekly import week_of

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = get_settings()
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        started = time.perf_counter()
        run_weekly(db, week_of(date(2026, 10, 25)), recipients=["bench@ioc.test"])
        return time.perf_counter() - started
    finally:
        controller.stop()


def bench_pages(db: Path, title: str, out: Path) -> int:
    """Time the pages' callbacks on ``db``; print the table and write the figures beside ``out``."""
    from bench.pages import VIEWS, table, time_pages

    results = {}
    for view, queries in VIEWS.items():
        results[view] = time_pages(db, queries=queries)
        print(table(results[view], f"{title}, {view}"))
    path = out.with_name(out.stem + "-pages.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"warehouse": title, "pages": results}, indent=2, ensure_ascii=False))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("bench/out/results.json"))
    parser.add_argument("--etl-only", action="store_true", help="only the load figures (for 10M rows)")
    parser.add_argument("--pages", action="store_true",
                        help="time every page's callbacks (uncached and cached) instead of the overview's queries")
    parser.add_argument("--db", type=Path, default=None, help="with --pages: an existing warehouse (no generation)")
    parser.add_argument("--api", action="store_true", help="with --db: only the /api/kpi slices beside raw scans")
    parser.add_argument("--today", type=date.fromisoformat, default=local_now().date(),
                        help="the day /api/kpi's 'this year to date' ends on (today: its open dossiers count now)")
    args = parser.parse_args()
    if args.pages and args.db:
        return bench_pages(args.db, f"{args.db}", args.out)
    if args.api and args.db:
        api = time_api(args.db, args.today)
        print(api_table(api, f"{args.db}"))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.with_name(args.out.stem + "-api.json").write_text(json.dumps(api, indent=2, ensure_ascii=False))
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ioc-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    export = generate(work / "export.csv", args.rows)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s "
          f"({export.stat().st_size / 1e6:.0f} MB)")

    db = work / "warehouse.duckdb"
    for old in (db, db.with_name(db.name + ".d"), db.with_name(db.name + ".mail.sqlite3")):  # always fresh
        shutil.rmtree(old) if old.is_dir() else old.unlink(missing_ok=True)
    report = cli_load(db, export)
    etl_rate = report["rows_read"] / report["duration_s"]
    peak_mb = report["peak_mb"]
    ceiling = parse_ceiling(export)
    print(f"ETL (python -m etl load): {report['rows_read']:,} rows in {report['duration_s']:.2f} s = "
          f"{etl_rate:,.0f} rows/s; peak memory {peak_mb:,.0f} MB; DuckDB's parse of the same file "
          f"{ceiling:,.0f} rows/s, so the ETL runs at {etl_rate / ceiling:.0%} of it")
    from etl.demo_catalogue import generate_catalogues  # the procedures the dossiers name (services pages)

    cli_load(db, *generate_catalogues(work, seed=72))
    small = small_loads(db, work)
    size_mb = sum(f.stat().st_size for f in layers.chain_of(Store(db).current_file())) / 1e6
    print(f"1,000-row loads into it, each writing the version's layer (warehouse/layers.py): "
          f"{', '.join(f'{s:.2f}' for s in small['layer_s'])} s; one folding the layer into a new base: "
          f"{small['fold_s']:.2f} s (warehouse files {size_mb:,.0f} MB)")
    if args.etl_only:
        return 0

    if args.pages:
        return bench_pages(db, f"{args.rows:,} synthetic dossiers", args.out)
    con = Reader(Store(db)).cursor()
    start, end = preset_range("year_to_date", date(2026, 10, 31))
    s = Slice(start, end, unit="72")
    results = {"rows": args.rows, "etl_seconds": report["duration_s"], "etl_rows_per_s": round(etl_rate),
               "parse_ceiling_rows_per_s": round(ceiling), "etl_share_of_ceiling": round(etl_rate / ceiling, 3),
               "etl_peak_mb": round(peak_mb), "small_load_seconds": small,
               "warehouse_mb": round(size_mb), "queries": {}}
    results["api"] = time_api(db, args.today)
    print(api_table(results["api"], f"{args.rows:,} dossiers"))
    print(f"\n| query (uncached, {args.repeat} runs) | p50 ms | p95 ms |\n|---|---:|---:|")
    for name, query in overview_queries(con, s).items():
        query()  # warm the file cache, as a running server would be
        samples = timed(query, args.repeat)
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        results["queries"][name] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")
    baseline = pandas_baseline(export, s)
    results["pandas_baseline_s"] = round(baseline, 2)
    print(f"\npandas over the export, one period's on-time/late figures: {baseline:.2f} s")
    results["email_seconds"] = round(email_seconds(db), 2)
    print(f"weekly email, built (charts included) and sent to a loopback SMTP server: "
          f"{results['email_seconds']:.1f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
