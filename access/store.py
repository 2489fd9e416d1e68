"""Users, API tokens and the audit log of one installation, in SQLite beside the warehouse.

Why not in the DuckDB warehouse itself: its published files are immutable versions that only the
ETL writes, while log-ins are written by every web worker at any moment. SQLite in WAL mode takes
many small writes from several processes safely. The file sits beside the warehouse
(``<db>.access.sqlite3``), so ``--db`` names the installation for the app, the ETL and the
``python app.py user ...`` commands alike.

Passwords are stored as argon2id hashes; tokens (long random secrets) as SHA-256 digests.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from warehouse.slice import local_now

ROLES = ("admin", "leader", "analyst", "unit", "wall")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 10
FIRST_ADMIN = "admin"

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))  # verified for unknown names: same time either way

SCHEMA = """
create table if not exists users (
    name text primary key, role text not null, unit text, password_hash text not null,
    disabled integer not null default 0, epoch integer not null default 0,
    created_at text not null, changed_at text not null);
create table if not exists tokens (
    id text primary key, user_name text not null references users (name), secret_sha256 text not null,
    label text, created_at text not null, revoked_at text, last_used_at text);
create table if not exists audit (
    id integer primary key autoincrement, at text not null, event text not null,
    user_name text, actor text, address text, detail text);
create index if not exists audit_by_event on audit (event, at);
create table if not exists secrets (name text primary key, value text not null);
create table if not exists sessions (
    id text primary key, user_name text not null, token_id text, created_at text not null);
"""


class AccessError(ValueError):
    """A user command that cannot be done (unknown user, bad role, weak password...)."""


def access_path(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + ".access.sqlite3")


def _now() -> str:
    return local_now().isoformat(" ", "milliseconds")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    unit: str | None
    disabled: bool
    epoch: int          # bumped by a new password or disabling: older sessions stop working
    created_at: str


@dataclass(frozen=True)
class Token:
    id: str
    user_name: str
    label: str | None
    created_at: str
    revoked_at: str | None
    last_used_at: str | None


class AccessStore:
    """One installation's users, tokens, audit log and cookie-signing secret."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Owner-only: the file holds the cookie-signing secret and the password hashes. SQLite gives
        # its -wal and -shm files the same mode.
        self.path.touch(mode=0o600, exist_ok=True)
        self.path.chmod(0o600)
        with self._connect() as con:
            con.execute("pragma journal_mode = wal")  # stays set in the file: readers never wait for a writer
            con.executescript(SCHEMA)

    @classmethod
    def beside(cls, db: Path) -> AccessStore:
        return cls(access_path(db))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A short-lived connection per operation: web requests run on many threads and processes."""
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("pragma foreign_keys = on")
            yield con
        finally:
            con.close()

    # --- users ---------------------------------------------------------------------------------

    def user(self, name: str) -> User | None:
        with self._connect() as con:
            row = con.execute("select name, role, unit, disabled, epoch, created_at from users where name = ?",
                              (name,)).fetchone()
        return User(row[0], row[1], row[2], bool(row[3]), row[4], row[5]) if row else None

    def users(self) -> list[User]:
        with self._connect() as con:
            rows = con.execute("select name, role, unit, disabled, epoch, created_at from users order by name")
            return [User(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]

    def add_user(self, name: str, role: str, password: str, unit: str | None = None) -> User:
        if not NAME_PATTERN.match(name):
            raise AccessError(f"user names are 2-64 lower-case letters, digits, '.', '_' or '-': {name!r}")
        if role not in ROLES:
            raise AccessError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        if (role == "unit") != (unit is not None):
            raise AccessError("a 'unit' user needs --unit CODE, and only a 'unit' user has one")
        _check_password(password)
        now = _now()
        with self._connect() as con:
            try:
                con.execute("insert into users (name, role, unit, password_hash, created_at, changed_at) "
                            "values (?, ?, ?, ?, ?, ?)", (name, role, unit, _hasher.hash(password), now, now))
            except sqlite3.IntegrityError as exc:
                raise AccessError(f"user {name!r} exists already") from exc
        return self.user(name)

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        self._change(name, "password_hash = ?, epoch = epoch + 1", (_hasher.hash(password),))

    def set_disabled(self, name: str, disabled: bool) -> None:
        self._change(name, "disabled = ?, epoch = epoch + 1", (int(disabled),))

    def _change(self, name: str, assignments: str, values: tuple) -> None:
        with self._connect() as con:
            changed = con.execute(f"update users set {assignments}, changed_at = ? where name = ?",
                                  (*values, _now(), name)).rowcount
        if not changed:
            raise AccessError(f"no such user: {name!r}")

    def verify_password(self, name: str, password: str) -> User | None:
        """The user when ``password`` is theirs and they are enabled; None otherwise (in the same time)."""
        with self._connect() as con:
            row = con.execute("select password_hash from users where name = ?", (name,)).fetchone()
        try:
            _hasher.verify(row[0] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        user = self.user(name) if row else None
        return user if user and not user.disabled else None

    def ensure_first_admin(self) -> str | None:
        """On an installation with no users, create ``admin`` with a random password and return it (once)."""
        password = secrets.token_urlsafe(12)
        now = _now()
        with self._connect() as con:
            con.execute("begin immediate")  # two workers starting together create one admin, not two
            if con.execute("select count(*) from users").fetchone()[0]:
                con.execute("rollback")
                return None
            con.execute("insert into users (name, role, unit, password_hash, created_at, changed_at) "
                        "values (?, 'admin', null, ?, ?, ?)", (FIRST_ADMIN, _hasher.hash(password), now, now))
            con.execute("commit")
        self.audit("user_added", FIRST_ADMIN, actor="first start", detail="role=admin")
        return password

    # --- tokens --------------------------------------------------------------------------------

    def create_token(self, name: str, label: str | None = None) -> tuple[Token, str]:
        """A new token for ``name``: the record and the secret text, shown once and stored only hashed."""
        user = self.user(name)
        if user is None:
            raise AccessError(f"no such user: {name!r}")
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        with self._connect() as con:
            con.execute("insert into tokens (id, user_name, secret_sha256, label, created_at) values (?, ?, ?, ?, ?)",
                        (token_id, name, _sha256(secret), label, _now()))
        return self.token(token_id), f"ioc.{token_id}.{secret}"

    def token(self, token_id: str) -> Token | None:
        with self._connect() as con:
            row = con.execute("select id, user_name, label, created_at, revoked_at, last_used_at from tokens "
                              "where id = ?", (token_id,)).fetchone()
        return Token(*row) if row else None

    def tokens(self, name: str | None = None) -> list[Token]:
        with self._connect() as con:
            rows = con.execute("select id, user_name, label, created_at, revoked_at, last_used_at from tokens "
                               "where ? is null or user_name = ? order by created_at", (name, name)).fetchall()
        return [Token(*r) for r in rows]

    def revoke_token(self, token_id: str) -> Token:
        with self._connect() as con:
            changed = con.execute("update tokens set revoked_at = ? where id = ? and revoked_at is null",
                                  (_now(), token_id)).rowcount
        token = self.token(token_id)
        if token is None:
            raise AccessError(f"no such token: {token_id!r}")
        if not changed:
            raise AccessError(f"token {token_id} was revoked already ({token.revoked_at})")
        return token

    def token_user(self, text: str) -> tuple[User, str] | None:
        """(user, token id) for a valid, unrevoked token of an enabled user; None for anything else."""
        parts = text.strip().split(".")
        if len(parts) != 3 or parts[0] != "ioc":
            return None
        _, token_id, secret = parts
        with self._connect() as con:
            row = con.execute("select user_name, secret_sha256 from tokens where id = ? and revoked_at is null",
                              (token_id,)).fetchone()
            if row is None or not hmac.compare_digest(row[1], _sha256(secret)):
                return None
            now = local_now()
            con.execute("update tokens set last_used_at = ? where id = ? and coalesce(last_used_at, '') < ?",
                        (_now(), token_id, (now - timedelta(minutes=1)).isoformat(" ", "milliseconds")))
        user = self.user(row[0])
        return (user, token_id) if user and not user.disabled else None

    def token_active(self, token_id: str) -> bool:
        token = self.token(token_id)
        return token is not None and token.revoked_at is None

    # --- audit log -----------------------------------------------------------------------------

    def audit(self, event: str, user_name: str | None, *, actor: str | None = None, address: str | None = None,
              detail: str | None = None) -> None:
        with self._connect() as con:
            con.execute("insert into audit (at, event, user_name, actor, address, detail) values (?, ?, ?, ?, ?, ?)",
                        (_now(), event, user_name, actor, address, detail))

    def audit_log(self, limit: int = 1000) -> list[dict]:
        with self._connect() as con:
            cursor = con.execute("select at, event, user_name, actor, address, detail from audit "
                                 "order by id desc limit ?", (limit,))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def open_attempt(self, name: str, address: str | None, window: timedelta, max_user: int,
                     max_address: int) -> int | None:
        """Record a log-in attempt as failed *before* its password is checked, under SQLite's write lock,
        so simultaneous guesses count against each other. None (and a ``login_throttled`` line) when
        the name or the address has reached its limit of failures within ``window``."""
        since = (local_now() - window).isoformat(" ", "milliseconds")
        with self._connect() as con:
            con.execute("begin immediate")
            by_user, by_address = con.execute(
                "select count(*) filter (where user_name = ?), count(*) filter (where address = ?) "
                "from audit where event = 'login_failed' and at >= ?", (name, address, since)).fetchone()
            throttled = by_user >= max_user or by_address >= max_address
            cursor = con.execute("insert into audit (at, event, user_name, address) values (?, ?, ?, ?)",
                                 (_now(), "login_throttled" if throttled else "login_failed", name, address))
            con.execute("commit")
        return None if throttled else cursor.lastrowid

    def attempt_succeeded(self, attempt_id: int) -> None:
        with self._connect() as con:
            con.execute("update audit set event = 'login_ok' where id = ?", (attempt_id,))

    # --- sessions --------------------------------------------------------------------------------

    def open_session(self, name: str, token_id: str | None = None, max_age: timedelta = timedelta(days=1)) -> str:
        """A server-side record of a signed-in browser: signing out deletes it, so a copied cookie dies too.
        Password sessions older than ``max_age`` are deleted on the way (they can no longer be used)."""
        session_id = secrets.token_urlsafe(18)
        expired = (local_now() - max_age).isoformat(" ", "milliseconds")
        with self._connect() as con:
            con.execute("delete from sessions where token_id is null and created_at < ?", (expired,))
            con.execute("insert into sessions values (?, ?, ?, ?)", (session_id, name, token_id, _now()))
        return session_id

    def session_alive(self, session_id: str, name: str, max_age: timedelta) -> bool:
        """The session exists, is this user's, and (unless a wall token opened it) is not older than ``max_age``."""
        with self._connect() as con:
            row = con.execute("select user_name, token_id, created_at from sessions where id = ?",
                              (session_id,)).fetchone()
        if row is None or row[0] != name:
            return False
        return row[1] is not None or row[2] >= (local_now() - max_age).isoformat(" ", "milliseconds")

    def close_session(self, session_id: str) -> None:
        with self._connect() as con:
            con.execute("delete from sessions where id = ?", (session_id,))

    # --- the cookie-signing secret -------------------------------------------------------------

    def secret_key(self) -> str:
        """The installation's session secret, created once and shared by every worker."""
        with self._connect() as con:
            con.execute("insert or ignore into secrets values ('session', ?)", (secrets.token_urlsafe(48),))
            return con.execute("select value from secrets where name = 'session'").fetchone()[0]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccessError(f"passwords have at least {MIN_PASSWORD_LENGTH} characters")
