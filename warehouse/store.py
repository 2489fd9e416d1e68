"""The warehouse on disk, published atomically.

DuckDB allows one writer or many readers on a file, never both. So the path the
product is given (``data/warehouse.duckdb``) is a symbolic link to an immutable
version file ``<path>.d/vNNNNNN.duckdb``. A load (the single writer, serialised
by a lock file) writes a new file and swaps the link atomically: usually the
version's small layer over its base, copied with the load's change added
(``warehouse/layers.py``); now and then, or when the schema or models change, a
copy of the base into which the layer is folded. Readers open the version the link
points to and reopen when it changes; a reader never waits and never sees a
half-applied batch, and a load that fails or is killed leaves the last good
version as is.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from common.settings import get_settings
from warehouse import layers
from warehouse.failpoints import failpoint
from warehouse.migrate import migrate, models_current, schema_current
from warehouse.slice import local_now

_VERSION_FILE = re.compile(r"^v(\d{6})\.duckdb$")

T = TypeVar("T")
# The published version each reader's cursor reads: (file, inode), a version that never changes once published.
_cursor_versions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_memo: OrderedDict[tuple, Any] = OrderedDict()
_memo_lock = threading.Lock()
_MEMO_ENTRIES = 512
# The databases a layer's writer stores its version in, base first and the layer it writes last (a
# full version's writer is absent: it writes ``main``, its copy).
_layer_databases: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# A version is a base and at most one layer, which each load rewrites whole with its change added: readers
# then pay for one layer, whatever the number of loads since the base. Once the layer weighs a twentieth
# of the base (and more than a small warehouse's layer ever does), the next load folds it into a new base.
_MAX_LAYER_SHARE = 0.05
_MIN_FOLD_BYTES = 16 << 20


class FullVersionNeeded(Exception):
    """Raised inside a layer's load when what it must do rewrites whole tables (every dossier, a new
    year's carries): ``Store.publish`` then runs the load again on a full version."""


def write_target(con: duckdb.DuckDBPyConnection) -> str:
    """The database name a writer's statements qualify the tables they write with."""
    return databases(con)[-1]


def put_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Set a ``warehouse_meta`` entry from a writer (in a layer, the entry replaces the one below)."""
    into = write_target(con)
    if is_layer(con):
        keys = "(select ?::varchar as key) as k"
        layers.hide(con, into, "warehouse_meta", layers.base_rows_with_keys(databases(con), "warehouse_meta", keys),
                    [key])
    con.execute(f"insert or replace into {into}.warehouse_meta values (?, ?)", [key, value])


def databases(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The databases a writer's version is stored in, base first: ``main`` for a full version, the base
    and the layer for a layer (for ``layers.base_rows_with_keys``)."""
    return _layer_databases.get(con, ["main"])


def is_layer(con: duckdb.DuckDBPyConnection) -> bool:
    """True when ``con`` writes a layer (what rewrites whole tables must raise ``FullVersionNeeded``)."""
    return con in _layer_databases


def per_version(con: duckdb.DuckDBPyConnection, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per published version a reader's cursor reads, for ``key``: reference data that a
    version never changes (its unit lists, its province, the fields it holds). A page asks these dozens of
    times, each a query of about a millisecond; a cursor a Reader did not hand out (a writer's, a test's)
    computes every time. The value must not be changed by the caller."""
    version = _cursor_versions.get(con)
    if version is None:
        return compute()
    entry = (version, *key)
    with _memo_lock:
        if entry in _memo:
            _memo.move_to_end(entry)
            return _memo[entry]
    value = compute()
    with _memo_lock:
        _memo[entry] = value
        while len(_memo) > _MEMO_ENTRIES:
            _memo.popitem(last=False)
    return value


def sibling(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Another cursor on the same published version as ``con``, for a query run beside ``con``'s in another
    thread (a DuckDB cursor serves one thread at a time); it shares ``con``'s ``per_version`` memo."""
    cursor = con.cursor()
    cursor.execute("set enable_progress_bar = false")
    version = _cursor_versions.get(con)
    if version is not None:
        _cursor_versions[cursor] = version
    return cursor


def copy_file(source: Path, target: Path) -> None:
    """Copy with ``copy_file_range``: on XFS and btrfs the kernel shares the blocks (a reflink),
    so publishing costs time proportional to the change; elsewhere it is an in-kernel copy."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        remaining = os.fstat(src.fileno()).st_size
        try:
            while remaining > 0:
                copied = os.copy_file_range(src.fileno(), dst.fileno(), remaining)
                if copied == 0:
                    break
                remaining -= copied
        except OSError:
            src.seek(0)
            dst.seek(0)
            dst.truncate()
            shutil.copyfileobj(src, dst, 1 << 24)


def _discard(con: duckdb.DuckDBPyConnection, work: Path) -> None:
    """Close a writer's connection and delete the file it was writing (nothing of it is published)."""
    con.close()
    work.unlink(missing_ok=True)


class Store:
    """Versioned DuckDB files behind one stable path."""

    def __init__(self, path: Path | str, keep_versions: int = 2) -> None:
        self.path = Path(path).absolute()
        self.versions_dir = self.path.with_name(self.path.name + ".d")
        self.keep_versions = max(1, keep_versions)

    # -- reading -------------------------------------------------------------
    def current_file(self) -> Path | None:
        """The version file the path points to, or None when nothing is published."""
        if not os.path.lexists(self.path):
            return None
        return Path(os.path.realpath(self.path))

    def exists(self) -> bool:
        file = self.current_file()
        return file is not None and file.exists()

    # -- writing -------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise writers (loads) across processes."""
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        with open(self.versions_dir / "write.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def publish(self, apply: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run ``apply`` (a load) on a writer and publish what it wrote: as the version's layer while that is
        light, else, or when ``apply`` raises ``FullVersionNeeded``, as a full version."""
        try:
            with self.writer(layered=True) as con:
                return apply(con)
        except FullVersionNeeded:
            with self.writer() as con:
                return apply(con)

    @contextmanager
    def writer(self, *, layered: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to a new version, published on success: the current version's layer
        rewritten when ``layered`` and the layer is still light, else a copy of the current version's
        base with its layer folded in."""
        with self.lock():
            self._remove_leftovers()
            version = self._next_version()
            target = self.versions_dir / f"v{version:06d}.duckdb"
            work = target.with_name(target.name + f".tmp-{os.getpid()}")
            current = self.current_file()
            stack = layers.chain_of(current) if current is not None and current.exists() else []
            con = self._open_layer(work, stack) if layered and self._takes_layer(stack) else None
            if con is None:
                con = self._open_full(work, stack)
            try:
                yield con
                failpoint("applied")
                into = write_target(con)
                con.execute(f"insert into {into}.publish_log values (?, (select max(batch_id) from load_batches), ?)",
                            [version, local_now()])
                con.execute("checkpoint" if into == "main" else f"checkpoint {into}")
                con.close()
            except BaseException:
                _discard(con, work)
                raise
            failpoint("closed")
            self._fsync(work)
            os.replace(work, target)
            layers.record_chain(target, [stack[0], target] if into != "main" else [target])
            failpoint("renamed")
            self._point_to(target)
            failpoint("linked")
            self._prune()

    def _takes_layer(self, stack: list[Path]) -> bool:
        """A load may rewrite the version's layer until the layer is heavy beside its base."""
        if not stack:
            return False
        cap = get_settings().max_layer_mb
        limit = cap * (1 << 20) if cap is not None else max(_MAX_LAYER_SHARE * stack[0].stat().st_size,
                                                            _MIN_FOLD_BYTES)
        return sum(f.stat().st_size for f in stack[1:]) < limit

    def _open_layer(self, work: Path, stack: list[Path]) -> duckdb.DuckDBPyConnection | None:
        """An in-memory writer over the stack's base read-only and ``work``, its new layer (a copy of the
        current one, if any), writable; None when the schema or models changed (a full version migrates
        them)."""
        if len(stack) > 1:
            copy_file(stack[1], work)  # the current layer, which the new one extends
        con = duckdb.connect(config=self._writer_config())
        con.execute("set enable_progress_bar = false")
        try:
            names = layers.attach(con, [stack[0], work], writable_top=True)
            if schema_current(con, names[0]):
                if len(stack) == 1:
                    layers.start_layer(con, names[0], names[1], stack[0])
                layers.create_views(con, names)
                if models_current(con):
                    failpoint("copied")
                    _layer_databases[con] = names
                    return con
        except BaseException:
            _discard(con, work)
            raise
        _discard(con, work)
        return None

    def _open_full(self, work: Path, stack: list[Path]) -> duckdb.DuckDBPyConnection:
        """A read-write connection to a copy of the version's base with its layer folded in, migrated."""
        if stack:
            copy_file(stack[0], work)
        failpoint("copied")
        con = duckdb.connect(str(work), config=self._writer_config())
        con.execute("set enable_progress_bar = false")  # DuckDB's bar would print into --json output
        try:
            layers.fold(con, stack[1:])
            migrate(con)
        except BaseException:
            _discard(con, work)
            raise
        return con

    def _writer_config(self) -> dict[str, str]:
        """Bound the writer's memory (it spills to disk beyond it) so a big load cannot starve the web app."""
        settings = get_settings()
        return {"memory_limit": settings.etl_memory_limit, "temp_directory": str(self.versions_dir / "spill")}

    def _next_version(self) -> int:
        numbers = [int(m.group(1)) for p in self.versions_dir.iterdir()
                   if (m := _VERSION_FILE.match(p.name))]
        return max(numbers, default=0) + 1

    def _point_to(self, target: Path) -> None:
        """Swap the stable path to ``target`` in one rename."""
        link = self.path.with_name(self.path.name + f".link-{os.getpid()}")
        link.unlink(missing_ok=True)
        os.symlink(os.path.relpath(target, self.path.parent), link)
        os.replace(link, self.path)
        self._fsync(self.path.parent)

    def _prune(self) -> None:
        """Delete the files no kept version reads; open readers keep their file until they let go."""
        files = sorted(p for p in self.versions_dir.iterdir() if _VERSION_FILE.match(p.name))
        kept = {f for head in files[-self.keep_versions:] for f in layers.chain_of(head)}
        for old in files:
            if old not in kept:
                old.unlink(missing_ok=True)

    def _remove_leftovers(self) -> None:
        """Remove the copies of loads that died (we hold the lock, so none is running)."""
        for leftover in self.versions_dir.glob("*.tmp-*"):
            leftover.unlink(missing_ok=True)
        for leftover in self.path.parent.glob(self.path.name + ".link-*"):
            leftover.unlink(missing_ok=True)

    @staticmethod
    def _fsync(path: Path) -> None:
        """Flush a file (and then its folder, so the rename is durable) to disk."""
        for target in (path, path.parent) if path.is_file() else (path,):
            fd = os.open(target, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


class Reader:
    """Read-only access for the web app and CLI; follows new versions as they are published."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._file: Path | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[str, int] | None = None

    @property
    def version(self) -> str:
        """An identifier of the published version (changes with every load)."""
        file = self.store.current_file()
        return file.name if file else "none"

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the newest published version (thread-safe; one per query)."""
        for attempt in range(3):
            file = self.store.current_file()
            if file is None or not file.exists():
                raise FileNotFoundError(f"No warehouse at {self.store.path}: load data first (python -m etl load)")
            with self._lock:
                if file == self._file and self._con is not None:
                    return self._cursor()
                try:
                    # Each version has its own path, so DuckDB's per-path instance cache never
                    # hands back the old database; the old connection closes when unreferenced.
                    stack = layers.chain_of(file)
                    self._con = (duckdb.connect(str(file), read_only=True) if len(stack) == 1
                                 else layers.open_stack(stack))
                except duckdb.IOException:
                    if attempt == 2:
                        raise
                    continue  # pruned between resolving the link and opening it: follow the link again
                self._file = file
                self._identity = (str(file), os.stat(file).st_ino)
                return self._cursor()
        raise AssertionError("unreachable")

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = self._con.cursor()
        cursor.execute("set enable_progress_bar = false")  # never print on a server's stdout
        _cursor_versions[cursor] = self._identity
        return cursor
