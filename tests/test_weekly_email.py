"""The weekly email against a real SMTP server on loopback (aiosmtpd), through the real CLI."""
from __future__ import annotations

import email
import re
from email import policy

import pytest
from aiosmtpd.controller import Controller

from common.formats import percent
from tests.support import AppProcess, find_components, free_port, render_page, run

WEEK, MONDAY, SUNDAY = "2024-W12", "2024-03-18", "2024-03-24"


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def weekly(db, port: int, *args: str, check: bool = True):
    import os

    os.environ.update({"IOC_SMTP_HOST": "127.0.0.1", "IOC_SMTP_PORT": str(port), "IOC_MAIL_FROM": "ioc@tayninh.test",
                       "IOC_MAIL_BACKOFF_SECONDS": "0.1"})
    try:
        return run("-m", "reports", "weekly", "--db", str(db), "--week", WEEK, *args, check=check)
    finally:
        for key in ("IOC_SMTP_HOST", "IOC_SMTP_PORT", "IOC_MAIL_FROM", "IOC_MAIL_BACKOFF_SECONDS"):
            os.environ.pop(key)


def test_email_arrives_whole_with_the_apis_figures_and_is_sent_once(smtp, sample_app, tmp_path):
    controller, inbox = smtp
    db = tmp_path / "wh.duckdb"  # its own copy, so the mail log is this test's alone
    run("-m", "etl", "load", "--db", str(db), "tests/fixtures/samples/mot_cua_mau.csv")
    weekly(db, controller.port, "--to", "leader@tayninh.test")
    [message] = inbox.messages
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html_part = message.get_body(preferencelist=("html",))
    html = html_part.get_content()
    related = [p for p in message.iter_parts() if p.get_content_type() == "multipart/related"]
    assert len(related) == 1
    images = {p["Content-ID"].strip("<>"): p for p in related[0].iter_attachments() if p.get_content_maintype() == "image"}
    referenced = set(re.findall(r'src="cid:([^"]+)"', html))
    assert referenced and referenced == set(images)
    assert all(p.get_content()[:8] == b"\x89PNG\r\n\x1a\n" for p in images.values())
    assert "<script" not in html.lower() and "http://" not in " ".join(re.findall(r'src="([^"]+)"', html))

    api = sample_app.api_kpi({"from": MONDAY, "to": SUNDAY, "unit": "72"}).json()
    for key in ("on_time_rate", "late_rate", "online_rate"):
        assert percent(api[key]) in text and percent(api[key]) in html
    assert f"{percent(api['on_time_rate'], digits=1)} đúng hạn" in message["Subject"]
    assert message["Subject"].startswith("[IOC Tây Ninh] Tuần 12/2024")

    again = weekly(db, controller.port, "--to", "leader@tayninh.test")
    assert len(inbox.messages) == 1 and "already sent" in again.stdout


def test_refused_connection_is_retried_then_recorded(tmp_path):
    db = tmp_path / "wh.duckdb"
    run("-m", "etl", "load", "--db", str(db), "tests/fixtures/samples/mot_cua_mau.csv")
    result = weekly(db, free_port(), "--to", "leader@tayninh.test", check=False)  # nothing listens there
    assert result.returncode == 1 and "FAILED" in result.stdout
    import sqlite3

    [row] = sqlite3.connect(tmp_path / "wh.duckdb.mail.sqlite3").execute(
        "select status, attempts, error from sends").fetchall()
    assert row[0] == "failed" and row[1] == 3 and "Connection refused" in row[2]
    app = AppProcess(db).wait_ready()  # and the data-quality page shows it
    try:
        tree = render_page(app, "/du-lieu")
    finally:
        app.stop()
    [grid] = find_components(tree, lambda c: c["props"].get("id") == "dq-mail-failures")
    assert [(r["week"], r["recipient"]) for r in grid["props"]["rowData"]] == [(WEEK, "leader@tayninh.test")]


def test_preview_files_are_valid(tmp_path):
    db = tmp_path / "wh.duckdb"
    run("-m", "etl", "load", "--db", str(db), "tests/fixtures/samples/mot_cua_mau.csv")
    run("-m", "reports", "weekly", "--db", str(db), "--week", WEEK, "--out", str(tmp_path / "out"))
    eml = (tmp_path / "out" / f"weekly-{WEEK}-80.eml").read_bytes()
    message = email.message_from_bytes(eml, policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    html = (tmp_path / "out" / f"weekly-{WEEK}-80.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "cid:" not in html
    widths = [int(w) for w in re.findall(r'width="(\d+)"', html)]
    assert max(widths) <= 700


def test_schedule_sends_a_missed_week_once_within_the_grace_period(smtp, tmp_path, monkeypatch):
    from datetime import datetime

    from common.settings import get_settings
    from reports.job import scheduled_weekly

    controller, inbox = smtp
    db = tmp_path / "wh.duckdb"
    run("-m", "etl", "load", "--db", str(db), "tests/fixtures/samples/mot_cua_mau.csv")
    for key, value in {"IOC_SMTP_HOST": "127.0.0.1", "IOC_SMTP_PORT": str(controller.port),
                       "IOC_MAIL_RECIPIENTS": '["leader@tayninh.test", "chief@tayninh.test"]'}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        assert scheduled_weekly(db, now=datetime(2024, 3, 25, 6, 59)) is None      # not due yet (07:00)
        scheduled_weekly(db, now=datetime(2024, 3, 25, 10, 0))                    # back after an outage
        assert sorted(m["To"] for m in inbox.messages) == ["chief@tayninh.test", "leader@tayninh.test"]
        scheduled_weekly(db, now=datetime(2024, 3, 25, 10, 5))                    # a restart: nothing again
        assert scheduled_weekly(db, now=datetime(2024, 3, 29, 10, 0)) is None     # past the 48 h grace
        assert len(inbox.messages) == 2
    finally:
        get_settings.cache_clear()


def test_a_district_head_gets_the_district_email(smtp, tmp_path, monkeypatch):
    controller, inbox = smtp
    db = tmp_path / "wh.duckdb"
    run("-m", "etl", "load", "--db", str(db), "tests/fixtures/samples/mot_cua_mau.csv")
    monkeypatch.setenv("IOC_MAIL_RECIPIENTS_BY_UNIT", '{"703": ["head703@tayninh.test"]}')
    weekly(db, controller.port)
    [message] = inbox.messages
    assert message["To"] == "head703@tayninh.test"
    assert "Thành phố Tây Ninh, từ 18/03/2024" in message.get_body(preferencelist=("plain",)).get_content()
