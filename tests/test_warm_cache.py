"""After a load, the pages people open first are drawn into the cache before anyone asks (issue 13).

A real ``python app.py`` with the warm-up on watches the published version; the test loads a file
with the real CLI, waits for /healthz to report the new version warmed, then opens the overview in a
real browser and finds that this process computed nothing more for it: every answer came from the
cache. (/healthz counts the answers the process computed, cache misses, for exactly this.)
"""
from __future__ import annotations

import time

import requests

from tests.support import AppProcess, etl_load, open_settled, write_csv

ROWS = [{"Mã hồ sơ": f"W-{i}", "Ngày tiếp nhận": f"{1 + i % 27:02d}/03/2026 08:00", "Ngày hẹn trả": "30/03/2026",
         "Ngày có kết quả": "20/03/2026 10:00" if i % 3 else "", "Mã ĐVHC": "25459" if i % 2 else "25480",
         "Trạng thái": "Đã trả kết quả" if i % 3 else "Đang xử lý"} for i in range(40)]


def _health(app: AppProcess) -> dict:
    return requests.get(app.url + "/healthz", timeout=10).json()


def _warmed(app: AppProcess, version: str | None = None, timeout: float = 240) -> dict:
    """/healthz once the published version (a new one, when ``version`` is the old) is warmed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = _health(app)
        if health["warmed"] is not None and health["version"] != version:
            return health
        time.sleep(0.5)
    raise AssertionError(f"not warmed in {timeout}s: {_health(app)}\n{app.output()}")


def test_a_load_is_warmed_before_the_first_person_opens_the_overview(tmp_path, chromium):
    db = tmp_path / "warehouse.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", ROWS[:20]))
    app = AppProcess(db, extra_env={"IOC_WARM_AFTER_LOAD": "true", "IOC_WARM_POLL_SECONDS": "0.5"}).wait_ready()
    try:
        first = _health(app)["version"]
        etl_load(db, write_csv(tmp_path / "b.csv", ROWS[20:]))  # while the first version is being warmed
        second = _warmed(app, version=first)
        assert second["warmed"]["failures"] == 0, app.output()
        # every page of the three province roles, the wall and the overview of each unit of the province
        assert second["warmed"]["views"] > 100
        before = second["computed_answers"]
        page = app.new_page(chromium, viewport={"width": 1366, "height": 768})
        open_settled(page, app.url + "/")
        assert page.locator("[data-kpi]").count() == 8
        assert _health(app)["computed_answers"] == before, "the overview computed answers after the warm-up"
    finally:
        app.stop()


def test_an_answer_being_computed_is_waited_for_not_computed_twice(sample_db):
    """Parts of a page built at once (data.concurrently), a second request or the warm-up asking for the
    same answer at the same moment: one computes it, the others wait for it (one scan, not several)."""
    import threading
    import time as clock

    from dashboards import create_app, data

    app = create_app(sample_db)
    runs = []
    lock = threading.Lock()

    def slow_answer() -> int:
        with lock:
            runs.append(1)
        clock.sleep(0.3)
        return 42

    with app.server.test_request_context("/"):
        data.cache.clear()
        answers = data.concurrently(*[lambda: data._cached("test-single-flight", slow_answer)] * 4)
    assert answers == [42] * 4 and len(runs) == 1
