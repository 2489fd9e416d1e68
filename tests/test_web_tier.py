"""The web tier at scale, for real: Debian's redis-server on loopback, gunicorn with 4 workers sharing it as
their cache (IOC_CACHE_REDIS_URL), and the one scheduler beside them (python -m etl schedule)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support import (ROOT, SAMPLES, TEST_PASSWORD, TEST_USER, add_user, cli_kpi, create_token, env, free_port,
                           run, sign_in, write_csv)

QUERY = {"from": "2024-03-01", "to": "2024-04-30", "unit": "703"}
WORKERS = 4


def wait_for(check, timeout: float = 60, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except (requests.ConnectionError, OSError):
            pass
        time.sleep(step)
    raise AssertionError("timed out")


@pytest.fixture
def tier(tmp_path):
    """A warehouse of its own, Redis, gunicorn × 4 on it, and the scheduler with an inbox."""
    db, inbox = tmp_path / "w.duckdb", tmp_path / "inbox"
    run("-m", "etl", "load", "--db", str(db), str(SAMPLES / "mot_cua_mau.csv"))
    add_user(db, TEST_USER, "admin", TEST_PASSWORD)
    redis_port, web_port = free_port(), free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    settings = {"IOC_DB_PATH": str(db), "IOC_CACHE_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                "IOC_SCHEDULER_IN_APP": "false", "IOC_INBOX_DIR": str(inbox), "IOC_INBOX_INTERVAL_MINUTES": "0.02",
                "IOC_INBOX_SETTLE_SECONDS": "0"}
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{web_port}",
                            "dashboards.wsgi:server"], cwd=ROOT, env=env() | settings,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{web_port}"
    try:
        wait_for(lambda: requests.get(url + "/healthz", timeout=5).ok)
        yield {"db": db, "inbox": inbox, "url": url, "settings": settings}
    finally:
        web.terminate()
        web.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=10)


def workers(url: str) -> dict[int, int]:
    """Each worker's count of answers it computed (not found in the cache), by asking until all have answered."""
    seen: dict[int, int] = {}
    deadline = time.monotonic() + 60
    while len(seen) < WORKERS and time.monotonic() < deadline:
        health = requests.get(url + "/healthz", headers={"Connection": "close"}, timeout=10).json()
        seen[health["worker"]] = health["computed_answers"]
    assert len(seen) == WORKERS, seen
    return seen


def ask(url: str, headers: dict, times: int) -> list:
    return [requests.get(url + "/api/kpi", params=QUERY, headers=headers | {"Connection": "close"}, timeout=30).json()
            for _ in range(times)]


def test_four_workers_share_one_cache_a_load_refreshes_all_and_access_holds_everywhere(tier):
    url, db = tier["url"], tier["db"]
    bearer = {"Authorization": f"Bearer {create_token(db, TEST_USER)}"}
    first = ask(url, bearer, 1)[0]
    computed = sum(workers(url).values())
    answers = ask(url, bearer, 40)  # spread over the workers (a new connection each)
    assert all(a == first for a in answers) and first == cli_kpi(db, *(a for k, v in QUERY.items() for a in (f"--{k}", v)))
    assert sum(workers(url).values()) == computed  # 40 answers, none computed again: every worker found it

    # a load: the very next answer of every worker is the new one (the cache key holds the data version)
    run("-m", "etl", "load", "--db", str(db), str(write_csv(db.with_name("new.csv"), [
        {"Mã hồ sơ": "MOI-703", "Mã ĐVHC": "25459", "Ngày tiếp nhận": "10/03/2024 09:00:00"}])))
    expected = cli_kpi(db, *(a for k, v in QUERY.items() for a in (f"--{k}", v)))
    assert expected != first and all(a == expected for a in ask(url, bearer, 20))

    # sign-out and revocation hold across workers: the access store is shared, not a worker's memory
    session = sign_in(url, TEST_USER, TEST_PASSWORD)
    copy = requests.Session()
    copy.cookies.update(session.cookies)
    csrf = re.search(r'name="csrf" value="([^"]+)"', session.get(url + "/login").text).group(1)
    session.post(url + "/logout", data={"csrf": csrf}, allow_redirects=False, timeout=30)
    assert {copy.get(url + "/_dash-layout", headers={"Connection": "close"}, timeout=30).status_code
            for _ in range(12)} == {401}
    token = create_token(db, TEST_USER)
    assert requests.get(url + "/api/kpi", params=QUERY, headers={"Authorization": f"Bearer {token}"}).ok
    run("app.py", "token", "revoke", token.split(".")[1], "--db", str(db))
    assert {requests.get(url + "/api/kpi", params=QUERY, timeout=30,
                         headers={"Authorization": f"Bearer {token}", "Connection": "close"}).status_code
            for _ in range(12)} == {401}


def test_the_scheduler_runs_once_beside_the_workers(tier):
    """Four workers and one scheduler process: a file in the inbox is loaded exactly once."""
    db, inbox = tier["db"], tier["inbox"]
    scheduler = subprocess.Popen([sys.executable, "-m", "etl", "schedule", "--db", str(db), "--inbox", str(inbox)],
                                 cwd=ROOT, env=env() | tier["settings"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: inbox.exists())
        before = batches(db)
        shutil.copy(SAMPLES / "dong_bo_mau.json", inbox / "sync.json")
        wait_for(lambda: list((inbox / "processed").glob("*sync.json")))
        time.sleep(3)  # several scheduler intervals: a second pass, or a worker, would load it again
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=20)
    assert batches(db) == before + 1
    assert len(list((inbox / "processed").glob("*sync.json"))) == 1


def batches(db: Path) -> int:
    from warehouse.store import Reader, Store

    return Reader(Store(db)).cursor().execute("select count(*) from load_batches").fetchone()[0]
