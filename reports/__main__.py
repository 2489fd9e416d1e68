"""``python -m reports weekly [--db PATH] [--week YYYY-Www] [--to ADDR ...] [--out DIR] [--unit CODE] [--lang vi|en]``

Without ``--week``: the last complete Monday–Sunday week. ``--out DIR`` writes ``.eml`` and
``.html`` previews instead of sending. Recipients: ``--to``, else ``IOC_MAIL_RECIPIENTS`` (and
``IOC_MAIL_RECIPIENTS_BY_UNIT``, a JSON object unit code → addresses, for per-unit emails).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common.settings import get_settings
from reports.weekly import last_complete_week
from warehouse.slice import local_now


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m reports")
    commands = parser.add_subparsers(dest="command", required=True)
    weekly = commands.add_parser("weekly", help="the weekly snapshot email")
    weekly.add_argument("--db", type=Path, default=settings.db_path)
    weekly.add_argument("--week", help="ISO week, e.g. 2026-W47 (default: the last complete week)")
    weekly.add_argument("--to", nargs="+", default=None, help="recipient addresses")
    weekly.add_argument("--out", type=Path, help="write .eml and .html previews here instead of sending")
    weekly.add_argument("--unit", default=None, help="unit code (default: the province)")
    weekly.add_argument("--lang", default="vi", choices=("vi", "en"))
    alerts = commands.add_parser("alerts", help="evaluate the threshold alert rules now (IOC_ALERT_RULES)")
    alerts.add_argument("--db", type=Path, default=settings.db_path)
    alerts.add_argument("--json", action="store_true", help="one JSON object: per rule and unit, value, state, sent")
    alerts.add_argument("--dry-run", action="store_true", help="judge only: send nothing, change no state")
    args = parser.parse_args(argv)
    if args.command == "alerts":
        return run_alerts_command(args)
    from reports.job import run_weekly

    week = args.week or last_complete_week(local_now().date())
    try:
        outcome = run_weekly(args.db, week, recipients=args.to, unit=args.unit, lang=args.lang, out=args.out)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in outcome.lines:
        print(line)
    return 1 if outcome.failed else 0


def run_alerts_command(args) -> int:
    from reports.alerts import RuleError, as_json, run_alerts

    try:
        judgements = run_alerts(args.db, dry_run=args.dry_run)
    except (RuleError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(as_json(judgements))
    else:
        for j in judgements:
            print(f"{j.rule} · {j.unit_name}: {j.kpi} = {j.value} ({j.op} {j.threshold}) → {j.state}"
                  + (f", {j.event}: {', '.join(j.sent or [])}" if j.event else ""))
    return 1 if any(j.failed for j in judgements) else 0


if __name__ == "__main__":
    sys.exit(main())
