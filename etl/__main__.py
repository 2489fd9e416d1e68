"""``python -m etl``: load export files into the warehouse, by hand or from an inbox.

    python -m etl load [--db PATH] [--json] FILE...
    python -m etl watch [--db PATH] [--inbox DIR] [--once [--settle SECONDS]]
    python -m etl schedule [--db PATH] [--inbox DIR]
    python -m etl quarantine [--db PATH] [--batch N] [--json]
    python -m etl history [--db PATH] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

from common.formats import decimal, number
from common.settings import get_settings
from etl.errors import RefusedFile
from etl.load import LoadReport, load_files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Load one-stop-shop exports.")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="load export files as one batch")
    load.add_argument("--db", type=Path, default=get_settings().db_path)
    load.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    load.add_argument("files", nargs="+", type=Path)
    settings = get_settings()
    for name, help_text in (("watch", "load new files from the inbox folder (every N minutes, or --once)"),
                            ("schedule", "run the scheduler process (inbox loads, weekly email)")):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--db", type=Path, default=settings.db_path)
        sub.add_argument("--inbox", type=Path, default=settings.inbox_dir)
        if name == "watch":
            sub.add_argument("--once", action="store_true", help="one pass, then exit")
            sub.add_argument("--settle", type=float, default=settings.inbox_settle_seconds, metavar="SECONDS",
                             help="a file must be unchanged this long before it is loaded (0: the copy is finished)")
    quarantine = commands.add_parser("quarantine", help="list quarantined rows with their reasons")
    quarantine.add_argument("--db", type=Path, default=settings.db_path)
    quarantine.add_argument("--batch", type=int)
    quarantine.add_argument("--json", action="store_true")
    history = commands.add_parser("history", help="list past loads")
    history.add_argument("--db", type=Path, default=settings.db_path)
    history.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "load":
        return _load(args.db, args.files, as_json=args.json)
    if args.command == "watch" and args.once:
        return _watch_once(args.db, args.inbox, args.settle)
    if args.command in ("watch", "schedule"):
        return _schedule(args.db, args.inbox, inbox_only=args.command == "watch")
    return _listing(args)


def _load(db: Path, files: list[Path], *, as_json: bool) -> int:
    missing = [f for f in files if not f.is_file()]
    if missing:
        return _refused(RefusedFile(str(missing[0]), "không tìm thấy tệp", "file not found"), as_json)
    bar = tqdm(unit=" dòng", desc="Đang nạp", disable=not sys.stderr.isatty(), file=sys.stderr)
    try:
        report = load_files(db, files, progress=lambda rows: bar.update(rows - bar.n))  # a position
    except RefusedFile as refusal:
        bar.close()
        return _refused(refusal, as_json)
    bar.close()
    if as_json:
        summary = report.as_json()
        print(json.dumps(summary, ensure_ascii=False))
    else:
        _print_summary(report)
    return 0


def _refused(refusal: RefusedFile, as_json: bool) -> int:
    message = f"Từ chối tệp {refusal.file}: {refusal.problem_vi}. Không dữ liệu nào của lần nạp này được áp dụng.\n" \
              f"Refused {refusal.file}: {refusal.problem_en}. Nothing of this batch was applied."
    print(message, file=sys.stderr)
    if as_json:
        print(json.dumps({"refused": {"file": refusal.file, "problem_vi": refusal.problem_vi,
                                      "problem_en": refusal.problem_en}}, ensure_ascii=False))
    return 2


def _print_summary(report: LoadReport) -> None:
    print(f"Lần nạp {report.batch_id}: đọc {number(report.rows_read)}, nạp {number(report.rows_loaded)}, "
          f"cách ly {number(report.rows_quarantined)} dòng trong {decimal(report.duration_s)} giây")
    for file in report.files:
        if file.skipped:
            print(f"  {file.file}: đã nạp trước đây, bỏ qua / already loaded, skipped")
            continue
        print(f"  {file.file}: đọc {number(file.rows_read)}, nạp {number(file.rows_loaded)}, "
              f"cách ly {number(file.rows_quarantined)}")
        for warning in file.warnings:
            print(f"    ! {warning}")



def _watch_once(db: Path, inbox: Path, settle_seconds: float) -> int:
    from etl.inbox import process_inbox, waiting_files

    run = process_inbox(db, inbox, settle_seconds=settle_seconds)
    if run.loaded:
        _print_summary(run.loaded)
    for refusal in run.refused:
        print(f"Từ chối {refusal.file}: {refusal.problem_vi} / Refused: {refusal.problem_en}", file=sys.stderr)
    waiting = waiting_files(inbox, settle_seconds)
    for path, seconds in waiting:
        print(f"Đang chờ tệp {path.name} ổn định (còn {seconds:.0f} giây; --settle 0 nếu đã chép xong) / "
              f"waiting for {path.name} to settle ({seconds:.0f} s left; --settle 0 if the copy is finished)")
    if not run.moved and not waiting:
        print(f"Không có tệp mới trong {inbox} / nothing new in the inbox")
    return 0


def _schedule(db: Path, inbox: Path, *, inbox_only: bool) -> int:
    import logging

    from etl.schedule import build_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from reports.alerts import RuleError

    try:
        scheduler = build_scheduler(db, inbox, blocking=True, inbox_only=inbox_only)
    except RuleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Lịch chạy: {', '.join(job.name for job in scheduler.get_jobs())} (Ctrl+C để dừng)", file=sys.stderr)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    return 0


def _listing(args) -> int:
    from common.formats import files_summary, moment
    from warehouse import catalog
    from warehouse.store import Reader, Store

    try:
        con = Reader(Store(args.db)).cursor()
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "history":
        rows = catalog.load_history(con)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, default=str))
            return 0
        for r in rows:
            print(f"#{r['batch_id']:<4} {moment(r['started_at'])}  {decimal(r['duration_s'] or 0):>6} giây  "
                  f"đọc {number(r['rows_read']):>10}  nạp {number(r['rows_loaded']):>10}  "
                  f"cách ly {number(r['rows_quarantined']):>6}  {files_summary(r['files'], 'vi')}")
        return 0
    rows = catalog.quarantined_rows(con, batch_id=args.batch)
    if args.json:
        print(json.dumps([r | {"raw": json.loads(r["raw"])} for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        print(f"#{r['batch_id']} {r['file_name']} dòng {r['row_number']}: {r['reason']}")
    if not rows:
        print("Không có dòng nào bị cách ly / no quarantined rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
