"""Loading from an inbox folder, so nobody has to run loads by hand.

Export jobs drop files into the inbox. Each run loads every settled file as one
batch, then moves each file to ``processed/`` or ``refused/`` with a short report
beside it. A refused file is taken out and the rest of the batch is loaded
without it, so one bad export never holds back the good ones. A file whose
content was loaded before, whatever its name, changes nothing.
"""
from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import RefusedFile
from etl.load import LoadReport, load_files
from warehouse.slice import local_now

IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".lock", "~")
PROCESSED, REFUSED = "processed", "refused"


@dataclass
class InboxRun:
    """What one pass over the inbox did."""

    loaded: LoadReport | None = None
    refused: list[RefusedFile] = field(default_factory=list)
    moved: list[Path] = field(default_factory=list)


def _candidates(inbox: Path) -> list[Path]:
    """Files an export job dropped: not hidden, not partial."""
    return [p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")
            and not p.name.endswith(IGNORED_SUFFIXES)]


def settled_files(inbox: Path, settle_seconds: float) -> list[Path]:
    """Files ready to load (oldest first): not hidden, not partial, not modified for a while."""
    now = time.time()
    files = [p for p in _candidates(inbox) if now - p.stat().st_mtime >= settle_seconds]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def waiting_files(inbox: Path, settle_seconds: float) -> list[tuple[Path, float]]:
    """Files still being written (changed within ``settle_seconds``) and how many seconds each still waits:
    so "nothing new" is never said while a file sits there."""
    if not inbox.is_dir():
        return []
    now = time.time()
    return sorted(((p, settle_seconds - (now - p.stat().st_mtime)) for p in _candidates(inbox)
                   if now - p.stat().st_mtime < settle_seconds), key=lambda item: item[0].name)


@contextmanager
def inbox_lock(inbox: Path) -> Iterator[bool]:
    """True when this process owns the inbox for this run (another watcher may be at it)."""
    with open(inbox / ".watch.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def process_inbox(db: Path, inbox: Path, *, settle_seconds: float = 5.0) -> InboxRun:
    """Load the inbox's settled files as one batch and file each away with its report."""
    inbox.mkdir(parents=True, exist_ok=True)
    run = InboxRun()
    with inbox_lock(inbox) as owned:
        if not owned:
            return run
        pending = settled_files(inbox, settle_seconds)
        while pending:
            try:
                run.loaded = load_files(db, pending)
            except RefusedFile as refusal:
                bad = next((p for p in pending if p.name == refusal.file), pending[0])
                pending.remove(bad)
                run.refused.append(refusal)
                run.moved.append(_file_away(bad, REFUSED, _refusal_report(refusal)))
                continue
            for path, report in zip(pending, run.loaded.files, strict=True):
                run.moved.append(_file_away(path, PROCESSED, _file_report(report, run.loaded.batch_id)))
            break
    return run


def _file_away(path: Path, folder: str, report: str) -> Path:
    """Move ``path`` into ``folder`` under a timestamped name and write its report beside it."""
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / f"{local_now():%Y%m%d-%H%M%S}_{path.name}"
    path.replace(target)
    target.with_name(target.name + ".report.txt").write_text(report, encoding="utf-8")
    return target


def _file_report(report, batch_id: int | None) -> str:
    if report.skipped:
        return (f"{report.file}: đã nạp trước đây (cùng nội dung), không thay đổi số liệu nào.\n"
                f"{report.file}: already loaded (same content); no figure changed.\n")
    lines = [f"{report.file}: lần nạp {batch_id}: đọc {report.rows_read}, nạp {report.rows_loaded}, "
             f"cách ly {report.rows_quarantined} dòng.",
             f"{report.file}: batch {batch_id}: {report.rows_read} rows read, {report.rows_loaded} loaded, "
             f"{report.rows_quarantined} quarantined (python -m etl quarantine lists them)."]
    lines += [f"! {warning}" for warning in report.warnings]
    return "\n".join(lines) + "\n"


def _refusal_report(refusal: RefusedFile) -> str:
    return (f"Từ chối tệp {refusal.file}: {refusal.problem_vi}. Không dòng nào của tệp này được nạp.\n"
            f"Refused {refusal.file}: {refusal.problem_en}. No row of this file was loaded.\n")
