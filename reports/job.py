"""Build, render and send (or preview) the weekly email; the scheduler's entry point."""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from common.settings import get_settings
from reports.mail import MailLog, compose, log_path, send_once
from reports.render import render
from reports.weekly import build, last_complete_week, week_range
from warehouse.slice import local_now
from warehouse.store import Reader, Store


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)
    failed: bool = False


def audiences(unit: str | None, recipients: list[str] | None) -> dict[str, list[str]]:
    """unit code → recipients: the ones given, else the settings (province list and per-unit lists)."""
    settings = get_settings()
    if recipients:
        return {unit or settings.province_code: recipients}
    plan = {settings.province_code: list(settings.mail_recipients)} if settings.mail_recipients else {}
    return plan | {code: list(addresses) for code, addresses in settings.mail_recipients_by_unit.items()}


def run_weekly(db: Path, week: str, *, recipients: list[str] | None = None, unit: str | None = None,
               lang: str = "vi", out: Path | None = None) -> Outcome:
    settings = get_settings()
    con = Reader(Store(db)).cursor()
    outcome = Outcome()
    plan = audiences(unit, recipients) if not out else {unit or settings.province_code: recipients or []}
    if not plan:
        outcome.lines.append("Chưa cấu hình người nhận (IOC_MAIL_RECIPIENTS) / no recipients configured")
        return outcome
    log = MailLog(log_path(db))
    for code, addresses in plan.items():
        rendered = render(build(con, week, code, settings.mail_overdue_shown), lang)
        if out:
            out.mkdir(parents=True, exist_ok=True)
            stem = out / f"weekly-{week}-{code}"
            stem.with_suffix(".html").write_text(preview_html(rendered), encoding="utf-8")
            message = compose(rendered, settings.mail_from, addresses or [settings.mail_from])
            stem.with_suffix(".eml").write_bytes(bytes(message))
            outcome.lines.append(f"{stem}.eml, {stem}.html: {rendered.subject}")
            continue
        result = send_once(lambda r: compose(rendered, settings.mail_from, [r]), week, code, addresses, settings, log)
        outcome.lines += [f"đã gửi / sent {week} {code} → {r}" for r in result.sent]
        outcome.lines += [f"đã gửi trước đó, bỏ qua / already sent {week} {code} → {r}" for r in result.skipped]
        outcome.lines += [f"LỖI / FAILED {week} {code} → {r}: {e}" for r, e in result.failed.items()]
        outcome.failed = outcome.failed or bool(result.failed)
    return outcome


def preview_html(rendered) -> str:
    """The HTML with its ``cid:`` images inlined, so the preview opens in any browser."""
    html = rendered.html
    for cid, png in rendered.images.items():
        html = html.replace(f'src="cid:{cid}"', f'src="data:image/png;base64,{base64.b64encode(png).decode()}"')
    return html


def due_at(week: str) -> datetime:
    """When a week's email is due: the following Monday at the configured hour (local time)."""
    return datetime.combine(week_range(week)[1] + timedelta(days=1), time(get_settings().mail_hour))


def scheduled_weekly(db: Path, now: datetime | None = None) -> Outcome | None:
    """The scheduler's job: send last week's email if it is due, not past the grace period, and not sent.

    Runs at the weekly time and once when the scheduler starts, so a week missed while the
    server was down is sent once when it comes back; the mail log makes repeats harmless.
    """
    now = now or local_now()
    week = last_complete_week(now.date())
    due = due_at(week)
    if not (due <= now <= due + timedelta(hours=get_settings().mail_grace_hours)):
        return None
    return run_weekly(db, week)
