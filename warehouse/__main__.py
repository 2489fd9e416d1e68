"""``python -m warehouse``: ask the warehouse for figures.

    python -m warehouse kpi [--db PATH] --from YYYY-MM-DD --to YYYY-MM-DD
                            [--unit CODE] [--field NAME] [--agency NAME] [--level Tỉnh|Huyện|Xã]
                            [--channel 1|2|3] [--procedure CODE] [--json]
    python -m warehouse migrate [--db PATH]
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from common.formats import number, percent
from common.labels import kpi_label
from common.settings import get_settings
from warehouse.kpi import COUNT_KEYS, KPI_KEYS, kpi_json, kpis
from warehouse.scope import Scope
from warehouse.slice import Slice
from warehouse.store import Reader, Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description="Warehouse figures (KPI.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    kpi = commands.add_parser("kpi", help="the KPIs of KPI.md for one slice")
    kpi.add_argument("--db", type=Path, default=get_settings().db_path)
    kpi.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True)
    kpi.add_argument("--to", dest="date_to", type=date.fromisoformat, required=True)
    kpi.add_argument("--unit")
    kpi.add_argument("--field")
    kpi.add_argument("--agency")
    kpi.add_argument("--level", dest="handling_level")
    kpi.add_argument("--channel", type=int)
    kpi.add_argument("--procedure")
    kpi.add_argument("--json", action="store_true", help="one JSON object with KPI.md's keys")
    migrate = commands.add_parser("migrate", help="bring the database to the current schema")
    migrate.add_argument("--db", type=Path, default=get_settings().db_path)
    args = parser.parse_args(argv)
    if args.command == "migrate":
        with Store(args.db).writer():
            pass
        print(f"{args.db}: schema up to date")
        return 0
    try:
        s = Slice(args.date_from, args.date_to, unit=args.unit, field=args.field, agency=args.agency,
                  handling_level=args.handling_level, channel=args.channel, procedure=args.procedure)
        # The CLI is run by whoever administers the installation: it sees every unit.
        figures = kpis(Reader(Store(args.db)).cursor(), s, scope=Scope.everything())
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(kpi_json(figures), ensure_ascii=False))
    else:
        for key in KPI_KEYS:
            value = number(figures[key]) if key in COUNT_KEYS else percent(figures[key])
            print(f"{kpi_label(key):<40} {value:>12}   {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
