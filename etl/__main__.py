"""``python -m etl``: load export files into the warehouse.

    python -m etl load [--db PATH] [--json] FILE...
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

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
    args = parser.parse_args(argv)
    return _load(args.db, args.files, as_json=args.json)


def _load(db: Path, files: list[Path], *, as_json: bool) -> int:
    missing = [f for f in files if not f.is_file()]
    if missing:
        return _refused(RefusedFile(str(missing[0]), "không tìm thấy tệp", "file not found"), as_json)
    bar = tqdm(unit=" dòng", desc="Đang nạp", disable=not sys.stderr.isatty(), file=sys.stderr)
    try:
        report = load_files(db, files, progress=bar.update)
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
    print(f"Lần nạp {report.batch_id}: đọc {report.rows_read}, nạp {report.rows_loaded}, "
          f"cách ly {report.rows_quarantined} dòng trong {report.duration_s:.1f} s")
    for file in report.files:
        if file.skipped:
            print(f"  {file.file}: đã nạp trước đây, bỏ qua / already loaded, skipped")
            continue
        print(f"  {file.file}: đọc {file.rows_read}, nạp {file.rows_loaded}, cách ly {file.rows_quarantined}")
        for warning in file.warnings:
            print(f"    ! {warning}")


if __name__ == "__main__":
    sys.exit(main())
