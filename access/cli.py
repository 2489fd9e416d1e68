"""``python app.py user ...`` and ``python app.py token ...``: accounts managed from the command line.

    python app.py user add NAME --role ROLE [--unit CODE]   (password from a prompt, or one line of stdin)
    python app.py user list [--json]
    python app.py user disable NAME | enable NAME | passwd NAME
    python app.py token create NAME [--label TEXT]          (prints {"token": "..."})
    python app.py token list [NAME] [--json]
    python app.py token revoke ID

Each takes ``--db PATH`` like the app, and acts on that installation's access store.
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from pathlib import Path

from access.store import ROLES, AccessError, AccessStore


def add_parsers(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    """The ``user`` and ``token`` commands, added to app.py's parser (``db_option`` gives ``--db``)."""
    user = commands.add_parser("user", help="manage user accounts").add_subparsers(dest="action", required=True)
    add = user.add_parser("add", parents=[db_option], help="add a user (password from a prompt or stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--unit", help="the unit code of a 'unit' user (a district or a commune)")
    listing = user.add_parser("list", parents=[db_option], help="list users")
    listing.add_argument("--json", action="store_true")
    for action, text in (("disable", "disable a user (sessions and tokens stop at once)"),
                         ("enable", "enable a disabled user"), ("passwd", "set a new password")):
        user.add_parser(action, parents=[db_option], help=text).add_argument("name")
    token = commands.add_parser("token", help="manage API and wall tokens").add_subparsers(dest="action",
                                                                                           required=True)
    create = token.add_parser("create", parents=[db_option], help='create a token; prints {"token": "..."}')
    create.add_argument("name")
    create.add_argument("--label")
    tokens = token.add_parser("list", parents=[db_option], help="list tokens (never their secrets)")
    tokens.add_argument("name", nargs="?")
    tokens.add_argument("--json", action="store_true")
    token.add_parser("revoke", parents=[db_option], help="revoke a token at once").add_argument("id")


def run(args: argparse.Namespace) -> int:
    store = AccessStore.beside(args.db)
    announce_first_admin(store)
    try:
        return COMMANDS[(args.command, args.action)](store, args)
    except AccessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def announce_first_admin(store: AccessStore) -> None:
    """On an installation without users, create ``admin`` and print its password, this once."""
    password = store.ensure_first_admin()
    if password:
        print("Đã tạo tài khoản quản trị đầu tiên / first administrator created:\n"
              f"  user: admin\n  password: {password}\n"
              "  (in một lần duy nhất / shown once; đổi bằng / change with: python app.py user passwd admin)",
              file=sys.stderr, flush=True)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def read_password(confirm: bool = True) -> str:
    """From a prompt (twice) on a terminal, else the first line of stdin (for scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Mật khẩu / password: ")
    if confirm and getpass.getpass("Nhập lại / again: ") != password:
        raise AccessError("the two passwords differ")
    return password


def _check_unit(db: Path, code: str | None) -> None:
    """A unit user's code must be a unit below the province in this installation's warehouse."""
    if code is None:
        return
    from warehouse import units
    from warehouse.store import Reader, Store

    if not Store(db).exists():
        raise AccessError(f"no warehouse at {db} yet to check unit {code!r}: start the app or load data first")
    con = Reader(Store(db)).cursor()
    try:
        unit = units.find(con, code, units.view_on(con, None))
    except ValueError:
        unit = None
    if unit is None or unit.code is None or unit.level == "pseudo":
        raise AccessError(f"{code!r} is not a commune (or an earlier list's district or commune) of this province")
    note = units.old_code_note(con, code)
    if note:
        print(f"warning: {note}", file=sys.stderr)


def _unit_notes(db: Path, codes: set[str]) -> dict[str, str]:
    """code → warning for accounts scoped to a code of an earlier unit list (empty without a warehouse)."""
    from warehouse import units
    from warehouse.store import Reader, Store

    if not codes or not Store(db).exists():
        return {}
    con = Reader(Store(db)).cursor()
    notes = {}
    for code in codes:
        try:
            note = units.old_code_note(con, code)
        except ValueError:
            note = f"unit {code} is in no unit list of this province"
        if note:
            notes[code] = note
    return notes


def user_add(store: AccessStore, args) -> int:
    _check_unit(args.db, args.unit)
    user = store.add_user(args.name, args.role, read_password(), args.unit)
    store.audit("user_added", user.name, actor=_actor(), detail=f"role={user.role} unit={user.unit or ''}".strip())
    print(f"added {user.name} ({user.role}{' ' + user.unit if user.unit else ''})")
    return 0


def user_list(store: AccessStore, args) -> int:
    users = store.users()
    notes = _unit_notes(args.db, {u.unit for u in users if u.unit})
    if args.json:
        print(json.dumps([asdict(u) | ({"warning": notes[u.unit]} if u.unit in notes else {}) for u in users],
                         ensure_ascii=False))
        return 0
    for u in users:
        status = "disabled" if u.disabled else "active"
        print(f"{u.name:<24} {u.role:<8} {u.unit or '-':<8} {status:<9} {u.created_at}")
        if u.unit in notes:
            print(f"    warning: {notes[u.unit]}")
    return 0


def user_disabled(disabled: bool):
    def command(store: AccessStore, args) -> int:
        store.set_disabled(args.name, disabled)
        store.audit("user_disabled" if disabled else "user_enabled", args.name, actor=_actor())
        print(f"{args.name}: {'disabled' if disabled else 'enabled'}")
        return 0
    return command


def user_passwd(store: AccessStore, args) -> int:
    if store.user(args.name) is None:
        raise AccessError(f"no such user: {args.name!r}")
    store.set_password(args.name, read_password())
    store.audit("password_changed", args.name, actor=_actor())
    print(f"{args.name}: password changed; their open sessions are closed")
    return 0


def token_create(store: AccessStore, args) -> int:
    token, secret = store.create_token(args.name, args.label)
    store.audit("token_created", args.name, actor=_actor(), detail=f"token {token.id}")
    print(json.dumps({"token": secret}))
    print(f"token id {token.id}; revoke with: python app.py token revoke {token.id}", file=sys.stderr)
    return 0


def token_list(store: AccessStore, args) -> int:
    tokens = store.tokens(args.name)
    if args.json:
        print(json.dumps([asdict(t) for t in tokens], ensure_ascii=False))
        return 0
    for t in tokens:
        state = f"revoked {t.revoked_at}" if t.revoked_at else f"last used {t.last_used_at or 'never'}"
        print(f"{t.id}  {t.user_name:<24} {t.label or '-':<20} created {t.created_at}  {state}")
    return 0


def token_revoke(store: AccessStore, args) -> int:
    token = store.revoke_token(args.id)
    store.audit("token_revoked", token.user_name, actor=_actor(), detail=f"token {token.id}")
    print(f"token {token.id} of {token.user_name}: revoked")
    return 0


COMMANDS = {
    ("user", "add"): user_add, ("user", "list"): user_list, ("user", "disable"): user_disabled(True),
    ("user", "enable"): user_disabled(False), ("user", "passwd"): user_passwd,
    ("token", "create"): token_create, ("token", "list"): token_list, ("token", "revoke"): token_revoke,
}
