"""Start the dashboard: ``python app.py [--host H] [--port P] [--db PATH] [--lake DIR]``.

With ``--lake DIR`` it serves a national view over a Parquet lake of several provinces
(``python -m warehouse export``), read-only, with a province picker; accounts stay beside ``--db``.

On a fresh clone (no database at ``--db`` yet) it first builds the demo
warehouse there, with a progress bar, then serves. On an installation with no
users yet it creates ``admin`` with a random password and prints it, once.

Accounts: ``python app.py user add|list|disable|enable|passwd ...`` and
``python app.py token create|list|revoke ...`` (see ``access/cli.py``), with the same ``--db``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common.settings import get_settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from access import cli

    settings = get_settings()
    parser = argparse.ArgumentParser(description="Provincial operations-centre dashboard (public services).")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    parser.add_argument("--db", type=Path, default=settings.db_path)
    parser.add_argument("--lake", type=Path, default=None, metavar="DIR",
                        help="serve a Parquet lake of several provinces, read-only (python -m warehouse export)")
    parser.add_argument("--debug", action="store_true", default=settings.debug, help="Dash debug mode (development)")
    # `--db` after a command too (`python app.py user list --db X`); SUPPRESS keeps the one given before it.
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    cli.add_parsers(parser.add_subparsers(dest="command"), db_option)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command:
        from access import cli

        return cli.run(args)
    if args.lake is not None:
        return serve_lake(args)
    from warehouse import reference
    from warehouse.store import Store

    try:
        reference.configured()  # a bad unit list or assignment file stops here, naming the line
        if reference.bring_up_to_date(args.db):
            print("Đã cập nhật danh mục đơn vị hành chính trong kho / unit lists updated in the warehouse",
                  file=sys.stderr)
    except reference.ReferenceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not Store(args.db).exists():
        from etl.demo import build_demo

        print(f"Chưa có kho dữ liệu tại {args.db}: đang tạo dữ liệu mô phỏng (demo)…", file=sys.stderr)
        build_demo(args.db)
    from access.cli import announce_first_admin
    from access.store import AccessStore
    from dashboards import create_app

    announce_first_admin(AccessStore.beside(args.db))

    app = create_app(args.db)
    if get_settings().warm_after_load:
        from dashboards import warm

        warm.start(app.server, get_settings().warm_poll_seconds)
    if get_settings().scheduler_in_app:
        # The single-process default runs the one scheduler here; production sets
        # IOC_SCHEDULER_IN_APP=false and runs `python -m etl schedule` beside gunicorn.
        from etl.schedule import build_scheduler

        from reports.alerts import RuleError

        try:
            build_scheduler(args.db, get_settings().inbox_dir, blocking=False).start()
        except RuleError as exc:  # the dashboard keeps serving; the scheduler waits for a good rule file
            print(f"Lịch chạy không khởi động / scheduler not started: {exc}", file=sys.stderr)
    print(f"Bảng điều hành: http://{args.host}:{args.port}/", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=args.debug, use_reloader=False)
    return 0


def serve_lake(args: argparse.Namespace) -> int:
    """The national view: no load, no scheduler, no warm-up; a lake whose manifests disagree is refused."""
    from access.cli import announce_first_admin
    from access.store import AccessStore
    from dashboards import create_app
    from warehouse.lake import LakeError

    try:
        app = create_app(args.db, lake=args.lake)
    except LakeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    announce_first_admin(AccessStore.beside(args.db))
    print(f"Bảng điều hành (toàn quốc, {args.lake}): http://{args.host}:{args.port}/", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=args.debug, use_reloader=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
