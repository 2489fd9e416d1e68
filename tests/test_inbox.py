"""Inbox loading: files in, files filed away with reports, figures changed once; the scheduler's place."""
from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time


from tests.support import SAMPLES, AppProcess, cli_kpi, run, write_csv

PERIOD = ("--from", "2024-03-01", "--to", "2024-04-30", "--unit", "72")


def age(*paths) -> None:
    """Make files look settled (not being written any more)."""
    old = time.time() - 120
    for path in paths:
        os.utime(path, (old, old))


def watch_once(db, inbox):
    return run("-m", "etl", "watch", "--db", str(db), "--inbox", str(inbox), "--once")


def test_watch_loads_good_files_and_files_away_the_refused_one(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "wh.duckdb"
    inbox.mkdir()
    good = shutil.copy(SAMPLES / "mot_cua_mau.csv", inbox / "export.csv")
    bad = inbox / "broken.json"
    bad.write_text('[{"MaHoSo": "X", "TenLinhVuc": "Hộ tịch"', encoding="utf-8")  # truncated
    age(good, bad)
    watch_once(db, inbox)
    assert cli_kpi(db, *PERIOD)["received_new"] == 97
    assert sorted(p.name.split("_", 1)[1] for p in (inbox / "processed").iterdir()) == \
        ["export.csv", "export.csv.report.txt"]
    report = next((inbox / "refused").glob("*.report.txt")).read_text(encoding="utf-8")
    assert "broken.json" in report and "JSON" in report
    assert [p.name for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")] == []


def test_same_content_under_another_name_is_not_loaded_twice(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "wh.duckdb"
    inbox.mkdir()
    age(shutil.copy(SAMPLES / "mot_cua_mau.csv", inbox / "a.csv"))
    watch_once(db, inbox)
    newer = write_csv(inbox / "newer.csv", [{"Mã hồ sơ": "H72.25471-240214-0000", "Ngày tiếp nhận": "14/02/2024",
                                             "Ngày có kết quả": "01/03/2024", "Trạng thái": "10"}])
    age(newer)
    watch_once(db, inbox)
    figures = cli_kpi(db, *PERIOD)
    age(shutil.copy(SAMPLES / "mot_cua_mau.csv", inbox / "a-again.csv"))
    watch_once(db, inbox)
    assert cli_kpi(db, *PERIOD) == figures
    reports = [p.read_text(encoding="utf-8") for p in (inbox / "processed").glob("*a-again.csv.report.txt")]
    assert "already loaded" in reports[0]
    history = json.loads(run("-m", "etl", "history", "--db", str(db), "--json").stdout)
    assert [h["batch_id"] for h in history] == [3, 2, 1] and history[0]["rows_read"] == 0


def test_a_file_still_being_written_waits_for_the_next_run(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "wh.duckdb"
    inbox.mkdir()
    shutil.copy(SAMPLES / "mot_cua_mau.csv", inbox / "fresh.csv")  # modified just now
    (inbox / "partial.csv.part").write_text("Mã hồ sơ\n", encoding="utf-8")
    result = watch_once(db, inbox)
    # it says which file waits and for how long, never "nothing new" while a file sits there
    assert "nothing new" not in result.stdout
    assert re.search(r"waiting for fresh\.csv to settle \([0-5] s left", result.stdout), result.stdout
    assert "partial" not in result.stdout  # a partial download is not waited for
    assert (inbox / "fresh.csv").exists() and not db.exists()
    # a person who knows the copy is finished says so
    settled = run("-m", "etl", "watch", "--db", str(db), "--inbox", str(inbox), "--once", "--settle", "0")
    assert "waiting" not in settled.stdout and not (inbox / "fresh.csv").exists() and db.exists()


def test_an_empty_inbox_says_nothing_new(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    assert "nothing new" in watch_once(tmp_path / "wh.duckdb", inbox).stdout


def test_quarantine_listing_keeps_original_values(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "wh.duckdb"
    inbox.mkdir()
    age(shutil.copy(SAMPLES / "mot_cua_loi.csv", inbox / "loi.csv"))
    watch_once(db, inbox)
    rows = json.loads(run("-m", "etl", "quarantine", "--db", str(db), "--json").stdout)
    assert len(rows) == 10
    assert {r["file_name"] for r in rows} == {"loi.csv"}
    assert rows[0]["row_number"] == 7 and rows[0]["raw"]["Lĩnh vực"] == "Hộ tịch"


def test_creating_the_web_app_starts_no_scheduler(sample_db):
    from dashboards import create_app

    create_app(sample_db)  # what a gunicorn worker does
    assert not [t for t in threading.enumerate() if "APScheduler" in t.name]


def test_the_app_process_runs_the_scheduler_and_loads_the_inbox(tmp_path):
    db, inbox = tmp_path / "wh.duckdb", tmp_path / "inbox"
    run("-m", "etl", "load", "--db", str(db), str(SAMPLES / "mot_cua_loi.csv"))
    app = AppProcess(db, {"IOC_INBOX_DIR": str(inbox), "IOC_INBOX_INTERVAL_MINUTES": "0.02",
                          "IOC_INBOX_SETTLE_SECONDS": "0", "IOC_SCHEDULER_IN_APP": "true"}).wait_ready()
    try:
        query = {"from": "2024-03-01", "to": "2024-04-30", "unit": "703"}
        before = app.api_kpi(query, timeout=10).json()
        shutil.copy(SAMPLES / "dong_bo_mau.json", inbox / "sync.json")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            answer = app.api_kpi(query, timeout=10).json()
            if answer != before:
                break
            time.sleep(0.5)
        else:
            raise AssertionError("the inbox file never reached the API")
    finally:
        app.stop()
    assert list((inbox / "processed").glob("*sync.json"))
    assert answer == cli_kpi(db, *(a for k, v in query.items() for a in (f"--{k}", v)))
    assert answer["received_new"] > before["received_new"]


def test_schedule_process_loads_the_inbox_on_its_own(tmp_path):
    import subprocess
    import sys

    from tests.support import ROOT, env

    db, inbox = tmp_path / "wh.duckdb", tmp_path / "inbox"
    inbox.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "etl", "schedule", "--db", str(db), "--inbox", str(inbox)],
                               cwd=ROOT, env=env() | {"IOC_INBOX_INTERVAL_MINUTES": "0.02",
                                                      "IOC_INBOX_SETTLE_SECONDS": "0"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        shutil.copy(SAMPLES / "mot_cua_mau.csv", inbox / "export.csv")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list(inbox.glob("processed/*export.csv")):
            time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert cli_kpi(db, *PERIOD)["received_new"] == 97
