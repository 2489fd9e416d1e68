"""Composing and sending the weekly email, each (week, recipient) at most once.

Sends are recorded in a small SQLite log beside the warehouse (``<db>.mail.sqlite3``): the
warehouse file is immutable between loads, and this log must be written by whichever process
sends. A recipient already sent this week is skipped; a failure is retried with back-off, then
recorded with its error (the data-quality page lists failures).
"""
from __future__ import annotations

import smtplib
import sqlite3
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from common.settings import Settings
from reports.render import Rendered
from warehouse.slice import local_now


def compose(rendered: Rendered, sender: str, recipients: list[str]) -> EmailMessage:
    """multipart/alternative: plain text, then multipart/related (HTML + its cid: images)."""
    # Python's header folder drops the space between two encoded words ("đúnghạn"); lines of up
    # to 998 characters (the SMTP limit) keep the subject in one encoded word.
    message = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.split("@")[-1] or "localhost")
    message.set_content(rendered.text, charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    html_part = message.get_payload()[1]
    for cid, png in rendered.images.items():
        html_part.add_related(png, maintype="image", subtype="png", cid=f"<{cid}>", filename=f"{cid}.png")
    return message


def log_path(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + ".mail.sqlite3")


class MailLog:
    """Which (week, unit, recipient) was sent or failed, and when."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = sqlite3.connect(path, timeout=30)
        self.con.execute("create table if not exists sends (week text, unit text, recipient text, status text, "
                         "attempts integer, error text, at text, primary key (week, unit, recipient))")

    def sent(self, week: str, unit: str, recipient: str) -> bool:
        row = self.con.execute("select status from sends where week = ? and unit = ? and recipient = ?",
                               (week, unit, recipient)).fetchone()
        return row is not None and row[0] == "sent"

    def record(self, week: str, unit: str, recipient: str, status: str, attempts: int, error: str | None) -> None:
        with self.con:
            self.con.execute("insert or replace into sends values (?, ?, ?, ?, ?, ?, ?)",
                             (week, unit, recipient, status, attempts, error, local_now().isoformat(" ", "seconds")))

    def failures(self, limit: int = 50) -> list[dict]:
        rows = self.con.execute("select week, unit, recipient, attempts, error, at from sends where status = 'failed' "
                                "order by at desc limit ?", (limit,)).fetchall()
        return [dict(zip(("week", "unit", "recipient", "attempts", "error", "at"), r)) for r in rows]


@dataclass
class SendResult:
    sent: list[str]
    skipped: list[str]
    failed: dict[str, str]


def send_once(message_for, week: str, unit: str, recipients: list[str], settings: Settings, log: MailLog,
              sleep=time.sleep) -> SendResult:
    """Send to each recipient not yet sent this week; ``message_for(recipient)`` builds the message."""
    result = SendResult([], [], {})
    for recipient in recipients:
        if log.sent(week, unit, recipient):
            result.skipped.append(recipient)
            continue
        error = None
        for attempt in range(1, settings.mail_retries + 1):
            try:
                _deliver(message_for(recipient), recipient, settings)
                log.record(week, unit, recipient, "sent", attempt, None)
                result.sent.append(recipient)
                break
            except (OSError, smtplib.SMTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"
                if attempt < settings.mail_retries:
                    sleep(settings.mail_backoff_seconds * 2 ** (attempt - 1))
        else:
            log.record(week, unit, recipient, "failed", settings.mail_retries, error)
            result.failed[recipient] = error or "unknown error"
    return result


def _deliver(message: EmailMessage, recipient: str, settings: Settings) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message, to_addrs=[recipient])
