"""``python -m bench.scale_out``: the figures of "Beyond one machine" (README).

    python -m bench.scale_out lake --db PATH [--out DIR]   export time and size (a first export, the same again,
                                                           after a 1,000-row load); KPI slices on DuckDB over the
                                                           warehouse and over the lake, Spark (local-cluster, two
                                                           executors) and ClickHouse (chdb), same run
    python -m bench.scale_out web --db PATH                gunicorn with 1 and 4 workers sharing Redis, under a
                                                           bounded loopback load: requests/s and p95, cached and
                                                           uncached

Benchmarks, not tests: run them on the machine the figures are for; they print Markdown tables.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.__main__ import percentile, timed

ROOT = Path(__file__).resolve().parents[1]


def _ms(call: Callable[[], object], repeat: int = 3) -> float:
    """The median of ``repeat`` runs after one warm-up run, in ms."""
    call()
    return percentile(timed(call, repeat), 0.5)


def _copy_warehouse(db: Path, work: Path) -> Path:
    """A private copy of the warehouse in the store's own shape (a link to its version file), so a benchmark
    that loads into it leaves the one measured as it was."""
    source = Path(db).resolve()  # vNNNNNN.duckdb: the copy keeps its number (its publish log goes on from it)
    versions = work / "w.duckdb.d"
    versions.mkdir(parents=True)
    shutil.copy(source, versions / source.name)
    (work / "w.duckdb").symlink_to(Path("w.duckdb.d") / source.name)
    return work / "w.duckdb"


def _load(db: Path, *files: Path) -> None:
    subprocess.run([sys.executable, "-m", "etl", "load", "--db", str(db), *map(str, files)], cwd=ROOT, check=True,
                   capture_output=True)


def _recent_rows(path: Path, count: int) -> Path:
    """A day's load as a province sends it: ``count`` new dossiers received yesterday."""
    from tests.support import write_csv
    from warehouse.slice import local_now

    day = (local_now() - timedelta(days=1)).strftime("%d/%m/%Y")
    return write_csv(path, [{"Mã hồ sơ": f"BENCH-{i:06d}", "Mã ĐVHC": "25459", "Ngày tiếp nhận": f"{day} 09:00:00"}
                            for i in range(count)])


def bench_lake(db: Path, out: Path) -> dict:
    from warehouse import engines, kpi, lake
    from warehouse.scope import Scope
    from warehouse.slice import Slice, local_now
    from warehouse.store import Reader, Store

    shutil.rmtree(out, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix="ioc-lake-"))
    copy = _copy_warehouse(db, work)  # the small load goes into a copy
    figures = {"first": lake.export(copy, out).as_json(), "again": lake.export(copy, out).as_json()}
    _load(copy, _recent_rows(work / "small.csv", 1_000))
    figures["after_small_load"] = lake.export(copy, out).as_json()
    for name, f in figures.items():
        print(f"export ({name}): {f['seconds']:.1f} s, {f['partitions_written']} partitions written, "
              f"{f['partitions_kept']} kept, {f['bytes'] / 1e6:,.0f} MB, {f['dossiers']:,} dossiers")

    warehouse = Reader(Store(copy)).cursor()
    province = lake.provinces(out)[0]
    over_lake = lake.open_lake(out, province)
    now = local_now().replace(tzinfo=None)
    today = now.date()
    slices = {"a year, the province": (Slice(date(2025, 1, 1), date(2025, 12, 31)), "none"),
              "a quarter, one field": (Slice(date(2025, 4, 1), date(2025, 6, 30), field="Đất đai"), "none"),
              "a year by commune": (Slice(date(2025, 1, 1), date(2025, 12, 31)), "unit_child"),
              "this year to date": (Slice(today.replace(month=1, day=1), today), "none")}
    spark = engines.spark_session()
    engines.spark_views(spark, out, province)
    rows = {}
    print("\n| slice | DuckDB, warehouse (dossiers) ms | DuckDB, lake ms | Spark local-cluster ms | ClickHouse (chdb) ms |")
    print("|---|---:|---:|---:|---:|")
    for name, (s, group_by) in slices.items():
        periods = [(s.date_from, s.date_to)]
        params = engines.kpi_params(warehouse, periods, s, group_by=group_by, now=now)
        ask = dict(scope=Scope.everything(), group_by=group_by, now=now, from_marts=False)
        timing = {"duckdb_warehouse": _ms(lambda: kpi.query_kpis(warehouse, periods, s, **ask)),
                  "duckdb_lake": _ms(lambda: kpi.query_kpis(over_lake, periods, s, **ask)),
                  "spark": _ms(lambda: engines.spark_kpis(spark, params)),
                  "clickhouse": _ms(lambda: engines.clickhouse_kpis(params, out, province))}
        rows[name] = {k: round(v) for k, v in timing.items()}
        print(f"| {name} | {timing['duckdb_warehouse']:,.0f} | {timing['duckdb_lake']:,.0f} | "
              f"{timing['spark']:,.0f} | {timing['clickhouse']:,.0f} |")
    spark.stop()
    shutil.rmtree(work, ignore_errors=True)
    return {"export": figures, "queries": rows}


def _load_test(url: str, headers: dict, queries: Callable[[int], dict], clients: int, seconds: float) -> dict:
    """``clients`` threads asking /api/kpi for ``seconds``; requests/s and latency percentiles."""
    import requests

    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(k: int) -> None:
        session = requests.Session()
        i = k
        while time.monotonic() < stop:
            started = time.perf_counter()
            ok = session.get(url + "/api/kpi", params=queries(i), headers=headers, timeout=60).ok
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                errors[0] += not ok
            i += clients

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"requests_per_s": round(len(latencies) / seconds, 1), "p50_ms": round(latencies[len(latencies) // 2], 1),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1), "errors": errors[0]}


def bench_web(db: Path, clients: int = 8, seconds: float = 20) -> dict:
    import requests

    from tests.support import TEST_PASSWORD, TEST_USER, add_user, create_token, env, free_port

    work = Path(tempfile.mkdtemp(prefix="ioc-web-"))
    copy = _copy_warehouse(db, work)
    add_user(copy, TEST_USER, "admin", TEST_PASSWORD)
    headers = {"Authorization": f"Bearer {create_token(copy, TEST_USER)}"}
    redis_port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
                             stdout=subprocess.DEVNULL)
    cached = lambda i: {"from": "2025-01-01", "to": "2025-12-31"}  # noqa: E731 - one question, asked again
    first = date(2024, 1, 1)
    uncached = lambda i: {"from": first.isoformat(), "to": (first + timedelta(days=30 + i)).isoformat()}  # noqa: E731
    results = {}
    try:
        for workers in (1, 4):
            port = free_port()
            settings = {"IOC_DB_PATH": str(copy), "IOC_CACHE_REDIS_URL": f"redis://127.0.0.1:{redis_port}/{workers}",
                        "IOC_SCHEDULER_IN_APP": "false", "IOC_INBOX_DIR": str(work / "inbox")}
            web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                    "dashboards.wsgi:server"], cwd=ROOT, env=env() | settings,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            url = f"http://127.0.0.1:{port}"
            try:
                while True:
                    try:
                        if requests.get(url + "/healthz", timeout=5).ok:
                            break
                    except requests.ConnectionError:
                        time.sleep(0.3)
                results[f"{workers} worker(s), cached"] = _load_test(url, headers, cached, clients, seconds)
                results[f"{workers} worker(s), uncached"] = _load_test(url, headers, uncached, clients, seconds)
            finally:
                web.terminate()
                web.wait(timeout=30)
    finally:
        redis.terminate()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n| gunicorn, {clients} loopback clients, {seconds:.0f} s each | requests/s | p50 ms | p95 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['requests_per_s']:,.1f} | {r['p50_ms']:,.1f} | {r['p95_ms']:,.1f} | {r['errors']} |")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_out")
    parser.add_argument("what", choices=("lake", "web"))
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None, help="lake: the lake folder (default: a temporary one)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    if args.what == "lake":
        out = args.out or Path(tempfile.mkdtemp(prefix="ioc-lake-out-")) / "lake"
        result = bench_lake(args.db, out)
    else:
        result = bench_web(args.db, args.clients, args.seconds)
    Path("bench/out").mkdir(parents=True, exist_ok=True)
    Path(f"bench/out/scale_out-{args.what}-{datetime.now():%Y%m%d%H%M}.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
