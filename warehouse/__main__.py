"""``python -m warehouse``: ask the warehouse for figures.

    python -m warehouse kpi [--db PATH] --from YYYY-MM-DD --to YYYY-MM-DD
                            [--unit CODE] [--field NAME] [--agency NAME] [--level Tỉnh|Huyện|Xã]
                            [--channel 1|2|3] [--procedure CODE] [--units-as-of YYYY-MM-DD] [--json]
    python -m warehouse services [--db PATH] --from YYYY-MM-DD --to YYYY-MM-DD [--unit CODE]
                                 [--level Tỉnh|Huyện|Xã] [--units-as-of YYYY-MM-DD] [--json]
    python -m warehouse migrate [--db PATH]
    python -m warehouse export --out DIR [--db PATH] [--json]
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
from etl.contract import HANDLING_LEVELS
from etl.text import match_key
from warehouse import units
from warehouse.kpi import COUNT_KEYS, KPI_KEYS, kpi_json, kpis
from warehouse.scope import Scope
from warehouse.services import SERVICE_KEYS, services
from warehouse.slice import Slice
from warehouse.store import Reader, Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description="Warehouse figures (KPI.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    kpi = _slice_command(commands, "kpi", "the KPIs of KPI.md for one slice")
    kpi.add_argument("--field")
    kpi.add_argument("--agency")
    kpi.add_argument("--channel", type=int)
    kpi.add_argument("--procedure")
    _slice_command(commands, "services", "the service-catalogue figures of KPI.md for one slice")
    migrate = commands.add_parser("migrate", help="bring the database to the current schema")
    migrate.add_argument("--db", type=Path, default=get_settings().db_path)
    export = commands.add_parser("export", help="write the warehouse into a Parquet lake (warehouse/lake.py)")
    export.add_argument("--db", type=Path, default=get_settings().db_path)
    export.add_argument("--out", type=Path, required=True, metavar="DIR")
    export.add_argument("--json", action="store_true", help="one JSON object: partitions written and kept, size")
    args = parser.parse_args(argv)
    if args.command == "export":
        return _export(args.db, args.out, as_json=args.json)
    if args.command == "migrate":
        with Store(args.db).writer():
            pass
        print(f"{args.db}: schema up to date")
        return 0
    try:
        s = Slice(args.date_from, args.date_to, unit=args.unit, field=getattr(args, "field", None),
                  agency=getattr(args, "agency", None), handling_level=args.handling_level,
                  channel=getattr(args, "channel", None), procedure=getattr(args, "procedure", None),
                  units_as_of=args.units_as_of)
        con = Reader(Store(args.db)).cursor()
        if args.unit:
            _say_which_unit(con, s)
        # The CLI is run by whoever administers the installation: it sees every unit.
        if args.command == "services":
            return _print_services(services(con, s, scope=Scope.everything()), as_json=args.json)
        figures = kpis(con, s, scope=Scope.everything())
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(kpi_json(figures), ensure_ascii=False))
    else:
        for key in KPI_KEYS:
            value = number(figures[key]) if key in COUNT_KEYS else percent(figures[key])
            print(f"{kpi_label(key):<40} {value:>12}   {key}")
        if figures["estimated_dossiers"]:
            print(f"ước tính / estimate: {number(figures['estimated_dossiers'])} hồ sơ của xã cũ bị chia tách, tính vào "
                  "đơn vị này theo quy tắc / dossiers of split old communes counted here by rule")
    return 0


def _export(db: Path, out: Path, *, as_json: bool) -> int:
    from warehouse.lake import LakeError, export

    try:
        report = export(db, out)
    except (LakeError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(f"tỉnh {report.province}: {len(report.written)} phân vùng ghi, {len(report.kept)} giữ nguyên, "
              f"{number(report.rows)} hồ sơ, {number(report.bytes // 1024)} KB, {report.seconds:.1f} s / "
              f"province {report.province}: {len(report.written)} partitions written, {len(report.kept)} kept")
    return 0


def _slice_command(commands, name: str, help_text: str) -> argparse.ArgumentParser:
    """A subcommand taking a period, a unit, a handling level and a unit view, as every figure does."""
    command = commands.add_parser(name, help=help_text)
    command.add_argument("--db", type=Path, default=get_settings().db_path)
    command.add_argument("--from", dest="date_from", type=_day, required=True, metavar="YYYY-MM-DD")
    command.add_argument("--to", dest="date_to", type=_day, required=True, metavar="YYYY-MM-DD")
    command.add_argument("--unit")
    command.add_argument("--level", dest="handling_level", type=_level, metavar="Tỉnh|Huyện|Xã")
    command.add_argument("--units-as-of", dest="units_as_of", type=_day, metavar="YYYY-MM-DD",
                         help="the unit hierarchy in force on that date (default: today's units)")
    command.add_argument("--json", action="store_true", help="one JSON object with KPI.md's keys")
    return command


def _print_services(figures: dict, *, as_json: bool) -> int:
    if as_json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for key in SERVICE_KEYS:
            print(f"{kpi_label(key):<40} {number(figures[key]):>12}   {key}")
    return 0


def _level(text: str) -> str:
    """A handling level as the data writes it (``Tỉnh``, ``Huyện``, ``Xã``; also without diacritics)."""
    level = HANDLING_LEVELS.get(match_key(text))
    if level is None:
        raise argparse.ArgumentTypeError(f"cấp giải quyết phải là Tỉnh, Huyện hoặc Xã / the level must be "
                                         f"Tỉnh, Huyện or Xã: {text!r}")
    return level


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _say_which_unit(con, s: Slice) -> None:
    """On stderr: which unit a code was read as, when another list gives it another meaning or the code
    was found only in an earlier list (so a report is never silently about the wrong commune)."""
    r = units.resolve(con, s)
    asked = units.view_on(con, s.units_as_of)
    view = r.view
    if view != asked:
        print(f"{s.unit}: không có trong {asked.name}; dùng {r.unit.name} theo {view.name} "
              f"(--units-as-of {view.as_of}) / not in the requested list; read in list {view.list_id}",
              file=sys.stderr)
    for other, name in units.other_meanings(con, s.unit, view):
        hint = f"--units-as-of {other.as_of}" if other.as_of else "bỏ --units-as-of / omit --units-as-of"
        print(f"{s.unit}: dùng {r.unit.name} ({view.name}); {other.name}: {name} — để hỏi đơn vị đó: {hint} "
              f"/ used {r.unit.name} (list {view.list_id}); in list {other.list_id} it is {name}: {hint}",
              file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
