"""The one scheduler (APScheduler 3): inbox loads every N minutes, and later the weekly email.

It must run in exactly one process: inside ``python app.py`` in the default single-process
setup, or alone as ``python -m etl schedule`` in production. gunicorn workers import the web
app, which never starts it. Missed runs coalesce into one; a run never overlaps itself.
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from common.settings import get_settings
from etl.inbox import process_inbox
from warehouse.slice import LOCAL_TZ

log = logging.getLogger("ioc.schedule")


def inbox_job(db: Path, inbox: Path) -> None:
    settings = get_settings()
    run = process_inbox(db, inbox, settle_seconds=settings.inbox_settle_seconds)
    if run.loaded or run.refused:
        log.info("inbox: %s loaded, %s refused", run.loaded.rows_loaded if run.loaded else 0, len(run.refused))
    if run.loaded:
        alerts_job(db)  # a load that published may start or end a breach


def alerts_job(db: Path) -> None:
    """Judge the alert rules now and send what a change of state calls for (reports/alerts.py)."""
    from reports.alerts import run_alerts

    judgements = run_alerts(db)
    sent = [j for j in judgements if j.event]
    if sent:
        log.info("alerts: %s", ", ".join(f"{j.rule}/{j.unit or 'tỉnh'} {j.event}" for j in sent))


def build_scheduler(db: Path, inbox: Path, *, blocking: bool, inbox_only: bool = False) -> BaseScheduler:
    """A scheduler with the product's jobs; ``blocking`` for its own process, else in the background."""
    settings = get_settings()
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(
        timezone=LOCAL_TZ,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": settings.misfire_grace_seconds},
    )
    scheduler.add_job(inbox_job, "interval", minutes=settings.inbox_interval_minutes, args=[db, inbox],
                      id="inbox", name="nạp hộp thư / inbox loads", next_run_time=datetime.now(LOCAL_TZ))
    if not inbox_only:
        from reports.alerts import load_rules
        from reports.job import scheduled_weekly

        if load_rules(settings):  # a bad rule file refuses the scheduler here (RuleError), naming the rule
            hour, minute = (int(x) for x in settings.alert_daily_at.split(":"))
            scheduler.add_job(alerts_job, "cron", hour=hour, minute=minute, args=[db], id="alerts_daily",
                              name="cảnh báo hằng ngày / daily alerts")

        scheduler.add_job(scheduled_weekly, "cron", day_of_week=settings.mail_weekday, hour=settings.mail_hour,
                          args=[db], id="weekly_email", name="thư tuần / weekly email",
                          misfire_grace_time=settings.mail_grace_hours * 3600)
        # once at start: catches up a week missed while the server was down (sends at most once)
        scheduler.add_job(scheduled_weekly, "date", run_date=datetime.now(LOCAL_TZ), args=[db],
                          id="weekly_email_catch_up", name="thư tuần bù / weekly email catch-up")
    return scheduler
