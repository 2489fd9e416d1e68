"""Threshold alerts through the real CLI, against a real SMTP server on loopback (aiosmtpd): one message per
unit that enters breach, nothing while it stays, one when it recovers, state kept across processes."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from reports.alerts import RuleError, parse_rules
from tests.support import etl_load, free_port, run, write_csv
from tests.test_weekly_email import smtp  # noqa: F401 (the loopback SMTP server fixture)
from warehouse.slice import local_now

FMT = "%d/%m/%Y %H:%M:%S"
RULES = [{"name": "qua-han", "kpi": "pending_overdue", "op": ">", "threshold": 1, "period": "month_to_date",
          "units": ["25459", "25480"], "to": ["lanh-dao@tayninh.test"]}]


def overdue_rows(unit: str, count: int, *, resolved: bool = False) -> list[dict]:
    now = local_now()
    received, due = now - timedelta(hours=30), now - timedelta(hours=2)  # this month's, overdue by two hours
    if now.day == 1 or received.month != now.month:
        received = now.replace(hour=0, minute=1, second=0)
    return [{"Mã hồ sơ": f"H.{unit}-{i}", "Mã ĐVHC": unit, "Ngày tiếp nhận": received.strftime(FMT),
             "Ngày hẹn trả": due.strftime(FMT),
             **({"Trạng thái": "Đã trả kết quả", "Ngày có kết quả": now.strftime(FMT),
                 "Ngày trả kết quả": now.strftime(FMT)} if resolved else {})} for i in range(count)]


def alerts(db, rules_file, port, *args: str, check: bool = True):
    environment = {"IOC_ALERT_RULES": str(rules_file), "IOC_SMTP_HOST": "127.0.0.1", "IOC_SMTP_PORT": str(port),
                   "IOC_MAIL_FROM": "ioc@tayninh.test", "IOC_MAIL_BACKOFF_SECONDS": "0.05", "IOC_MAIL_RETRIES": "2"}
    result = run("-m", "reports", "alerts", "--db", str(db), "--json", *args, check=check, extra_env=environment)
    return result, (json.loads(result.stdout)["alerts"] if result.stdout.strip() else None)


@pytest.fixture
def warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", overdue_rows("25459", 3) + overdue_rows("25480", 1)))
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(RULES), encoding="utf-8")
    return db, rules, tmp_path


def test_a_breach_is_told_once_per_unit_and_its_recovery_once(smtp, warehouse):  # noqa: F811
    controller, inbox = smtp
    db, rules, tmp = warehouse
    _, judged = alerts(db, rules, controller.port, "--dry-run")
    assert [(j["unit"], j["value"], j["state"], j["event"]) for j in judged] == \
        [("25459", 3, "breach", "entered"), ("25480", 1, "ok", None)]
    assert inbox.messages == []  # a dry run sends nothing and keeps no state
    _, judged = alerts(db, rules, controller.port)
    [message] = inbox.messages
    assert "Phường Tân Ninh" in message["Subject"] and "3 > 1" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "H.25459-0" in text and "ngày quá hạn" in text and "/canh-bao?unit=25459" in text
    assert judged[0]["sent"] == ["lanh-dao@tayninh.test"]
    _, judged = alerts(db, rules, controller.port)  # another process: the state survived, nothing new to say
    assert len(inbox.messages) == 1 and judged[0]["event"] is None and judged[0]["state"] == "breach"
    etl_load(db, write_csv(tmp / "b.csv", overdue_rows("25459", 3, resolved=True)))
    _, judged = alerts(db, rules, controller.port)
    assert len(inbox.messages) == 2 and judged[0]["event"] == "recovered"
    assert inbox.messages[1]["Subject"].startswith("[Đã trở lại bình thường] Phường Tân Ninh")
    alerts(db, rules, controller.port)
    assert len(inbox.messages) == 2


def test_a_failing_smtp_server_is_retried_and_listed(warehouse):
    db, rules, _ = warehouse
    result, judged = alerts(db, rules, free_port(), check=False)  # nothing listens there
    assert result.returncode == 1
    assert "lanh-dao@tayninh.test" in judged[0]["failed"]
    failures = run("-c", f"from reports.mail import MailLog, log_path; from pathlib import Path; "
                         f"print(MailLog(log_path(Path('{db}'))).failures())").stdout
    assert "alert:qua-han:entered" in failures and "'attempts': 2" in failures


def test_a_unit_below_the_minimum_volume_is_reported_not_alerted(smtp, warehouse):  # noqa: F811
    controller, inbox = smtp
    db, rules, _ = warehouse
    rules.write_text(json.dumps([RULES[0] | {"min_base": 100}]), encoding="utf-8")
    _, judged = alerts(db, rules, controller.port)
    assert {j["state"] for j in judged} == {"not_evaluable"} and inbox.messages == []
    assert judged[0]["reason"] == "below_min_base"


@pytest.mark.parametrize("rules, named", [
    ([{"name": "x", "kpi": "speed", "op": ">", "threshold": 1}], "'x'"),
    ([{"name": "y", "kpi": "late_rate", "op": "~", "threshold": 1}], "'y'"),
    ([{"name": "z", "kpi": "late_rate", "op": ">", "threshold": 1, "period": "forever"}], "'z'"),
])
def test_a_bad_rule_is_refused_naming_it(rules, named):
    with pytest.raises(RuleError, match=named):
        parse_rules(json.dumps(rules))
    with pytest.raises(RuleError, match="JSON"):
        parse_rules("{not json")


def test_an_unknown_unit_or_a_malformed_file_refuses_the_command_and_the_scheduler(warehouse):
    db, rules, _ = warehouse
    rules.write_text(json.dumps([RULES[0] | {"units": ["99999"]}]), encoding="utf-8")
    result, _ = alerts(db, rules, free_port(), check=False)
    assert result.returncode == 2 and "qua-han" in result.stderr and "99999" in result.stderr
    rules.write_text("[{", encoding="utf-8")
    scheduler = run("-m", "etl", "schedule", "--db", str(db), check=False,
                    extra_env={"IOC_ALERT_RULES": str(rules)})
    assert scheduler.returncode == 2 and "JSON" in scheduler.stderr


def test_the_scheduler_judges_the_rules_after_a_load_it_publishes_and_daily(smtp, tmp_path):  # noqa: F811
    """The one scheduler, in its own process: a file reaching the inbox is loaded and the breach it brings is
    told at once (not at the next daily run); the daily run is set at IOC_ALERT_DAILY_AT."""
    import subprocess
    import sys
    import time

    from etl.schedule import build_scheduler
    from tests.support import ROOT, env

    controller, inbox = smtp
    db, drop = tmp_path / "w.duckdb", tmp_path / "inbox"
    drop.mkdir()
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(RULES), encoding="utf-8")
    environment = {"IOC_ALERT_RULES": str(rules), "IOC_SMTP_HOST": "127.0.0.1", "IOC_SMTP_PORT": str(controller.port),
                   "IOC_MAIL_FROM": "ioc@tayninh.test", "IOC_INBOX_INTERVAL_MINUTES": "0.02",
                   "IOC_INBOX_SETTLE_SECONDS": "0", "IOC_ALERT_DAILY_AT": "06:45"}
    process = subprocess.Popen([sys.executable, "-m", "etl", "schedule", "--db", str(db), "--inbox", str(drop)],
                               cwd=ROOT, env=env() | environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        write_csv(drop / "export.csv", overdue_rows("25459", 3))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not inbox.messages:
            time.sleep(0.3)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    subjects = [m["Subject"] for m in inbox.messages]
    assert len(subjects) == 1 and "Phường Tân Ninh" in subjects[0] and "3 > 1" in subjects[0], stderr
    import os

    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        from common.settings import get_settings

        get_settings.cache_clear()
        daily = build_scheduler(db, drop, blocking=False).get_job("alerts_daily")
        fields = {f.name: str(f) for f in daily.trigger.fields}
        assert (fields["hour"], fields["minute"]) == ("6", "45")
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()


@pytest.mark.browser
def test_open_alerts_on_the_warning_page_the_wall_and_their_history_on_the_data_page(smtp, warehouse, chromium):  # noqa: F811
    from tests.support import AppProcess, open_settled

    controller, _ = smtp
    db, rules, _ = warehouse
    alerts(db, rules, controller.port)
    app = AppProcess(db).wait_ready()
    try:
        page = app.new_page(chromium, viewport={"width": 1366, "height": 768})
        open_settled(page, app.url + "/canh-bao")
        assert "Phường Tân Ninh" in page.locator("#cb-alerts").inner_text()
        open_settled(page, app.url + "/du-lieu")
        history = page.locator("#dq-alerts").inner_text()
        assert "qua-han" in history and "Bắt đầu vượt ngưỡng" in history and "lanh-dao@tayninh.test" in history
        open_settled(page, app.url + "/wall?rotate=0")
        page.wait_for_function("() => document.querySelector('.wall-scope').innerText.includes('cảnh báo')")
    finally:
        app.stop()
