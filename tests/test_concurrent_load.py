"""The dashboard never fails or waits during a load: a real app, a real 1M-row load, a busy client."""
from __future__ import annotations

import subprocess
import sys
import threading
import time


from bench.synthetic import write_export
from tests.support import ROOT, SAMPLES, AppProcess, env, etl_load, kpi_values_in, render_page

QUERY = {"from": "2024-03-01", "to": "2024-04-30", "unit": "72"}
PAGE = ("/", "?from=2024-03-01&to=2024-04-30")


def test_requests_during_a_million_row_load_see_old_or_new_never_an_error(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, SAMPLES / "mot_cua_mau.csv")
    big = write_export(tmp_path / "big.csv", 1_000_000)
    app = AppProcess(db).wait_ready()
    answers: list[tuple[str, int, object]] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            try:
                api = app.api_kpi(QUERY, timeout=30)
                answers.append(("api", api.status_code, api.json() if api.ok else api.text))
                page = kpi_values_in(render_page(app, *PAGE))
                answers.append(("page", 200, page))
            except Exception as exc:  # a refused connection or lock error is exactly what must not happen
                answers.append(("error", 0, repr(exc)))

    try:
        old_api = app.api_kpi(QUERY, timeout=30).json()
        old_page = kpi_values_in(render_page(app, *PAGE))
        threads = [threading.Thread(target=client) for _ in range(2)]
        for thread in threads:
            thread.start()
        load = subprocess.run([sys.executable, "-m", "etl", "load", "--db", str(db), str(big)], cwd=ROOT,
                              env=env(), capture_output=True, text=True, timeout=600)
        assert load.returncode == 0, load.stderr
        time.sleep(1.5)  # let the clients see the new version
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        new_api = app.api_kpi(QUERY, timeout=30).json()
        new_page = kpi_values_in(render_page(app, *PAGE))
    finally:
        stop.set()
        app.stop()

    assert new_api != old_api and new_page != old_page
    errors = [a for a in answers if a[0] == "error" or a[1] != 200]
    assert errors == []
    apis = [a[2] for a in answers if a[0] == "api"]
    pages = [a[2] for a in answers if a[0] == "page"]
    assert len(apis) >= 10
    assert all(a in (old_api, new_api) for a in apis)   # wholly old or wholly new
    assert all(p in (old_page, new_page) for p in pages)
    assert apis[0] == old_api and apis[-1] == new_api
