"""One load batch: files → validated rows → a new published warehouse version.

The batch is all or nothing. Every file is read and validated into a private
copy of the warehouse; if any file is refused, the copy is thrown away and the
published warehouse is untouched. A file whose content was loaded before (same
SHA-256, whatever its name) is skipped, so reloading changes no figure.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl.readers import CATALOGUE, DOSSIERS, RaggedRows, content_of, inspect_file, read_export
from etl.validate import Validated, validate
from etl.validate_catalogue import validate_catalogue
from warehouse.failpoints import failpoint
from warehouse.marts import failed_checks, rebuild_dossiers
from warehouse.slice import local_now
from warehouse.store import Store, put_meta, write_target


@dataclass
class FileReport:
    """What a load did with one file."""

    file: str
    shape: str
    sha256: str
    content: str = DOSSIERS  # or "catalogue" (DATA-CONTRACT.md shape C)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    skipped: str | None = None  # why nothing was read (already loaded)
    warnings: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    """The summary of a batch, as ``python -m etl load --json`` prints it."""

    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    procedures_loaded: int   # catalogue rows loaded (their count is also in rows_loaded)
    files: list[FileReport]
    batch_id: int | None
    duration_s: float

    def as_json(self) -> dict:
        return asdict(self)


Progress = Callable[[int], None]
"""Told the rows read so far in the batch: a position, not an increment, so a load that starts again (a file
with ragged rows, or a layer that turned out to need a full version) moves the bar back, never past the end."""


def load_files(db: Path | str, paths: Sequence[Path | str], *, progress: Progress | None = None,
               meta: dict[str, str] | None = None) -> LoadReport:
    """Load ``paths`` as one batch into the warehouse at ``db``; raise RefusedFile to refuse it.

    ``meta`` entries are stored in ``warehouse_meta`` with the batch (the demo marks itself simulated).
    """
    started = time.perf_counter()
    facts = [inspect_file(Path(p)) for p in paths]

    def apply(con: duckdb.DuckDBPyConnection) -> tuple[int, list[FileReport]]:
        # No enclosing transaction: the batch is atomic because it is written into a private file
        # that is published only when complete. Committing chunk by chunk keeps memory flat.
        into = write_target(con)
        batch_id = _next_id(con, "load_batches", "batch_id")
        con.execute(f"insert into {into}.load_batches (batch_id, started_at) values (?, ?)", [batch_id, local_now()])
        reports: list[FileReport] = []
        for seq, fact in enumerate(facts, start=1):
            done = sum(r.rows_read for r in reports)
            at = (lambda rows, done=done: progress(done + rows)) if progress else None
            reports.append(_load_file(con, batch_id, seq, fact, at))
        _finish_batch(con, batch_id, reports)
        for key, value in (meta or {}).items():
            put_meta(con, key, value)
        return batch_id, reports

    batch_id, reports = Store(db).publish(apply)
    return LoadReport(
        rows_read=sum(r.rows_read for r in reports),
        rows_loaded=sum(r.rows_loaded for r in reports),
        rows_quarantined=sum(r.rows_quarantined for r in reports),
        procedures_loaded=sum(r.rows_loaded for r in reports if r.content == CATALOGUE),
        files=reports, batch_id=batch_id, duration_s=round(time.perf_counter() - started, 3),
    )


def _next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    return con.execute(f"select coalesce(max({column}), 0) + 1 from {table}").fetchone()[0]


def _load_file(con: duckdb.DuckDBPyConnection, batch_id: int, seq: int, fact, progress: Progress | None) -> FileReport:
    report = FileReport(file=fact.path.name, shape=fact.shape, sha256=fact.sha256)
    earlier = con.execute("select batch_id from load_files where sha256 = ? order by batch_id limit 1",
                          [fact.sha256]).fetchone()
    if earlier is not None:
        report.skipped = f"already_loaded_in_batch_{earlier[0]}"
        return report
    into = write_target(con)
    file_id = _next_id(con, "load_files", "file_id")
    con.execute(f"insert into {into}.load_files values (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 'dossiers')",
                [file_id, batch_id, seq, fact.path.name, str(fact.path.absolute()), fact.sha256, fact.shape])
    try:
        _load_chunks(con, batch_id, file_id, seq, read_export(fact), report, progress)
    except RaggedRows as ragged:  # some records have extra cells: start the file again, flagging them
        for table in ("dossier_rows", "procedure_rows", "quarantined_rows", "load_warnings"):
            con.execute(f"delete from {into}.{table} where file_id = ?", [file_id])
        report.rows_read = report.rows_loaded = report.rows_quarantined = 0
        report.warnings.clear()
        _load_chunks(con, batch_id, file_id, seq, read_export(fact, ragged=ragged.records), report, progress)
    con.execute(f"update {into}.load_files set rows_read = ?, rows_loaded = ?, rows_quarantined = ?, content = ? "
                "where file_id = ?",
                [report.rows_read, report.rows_loaded, report.rows_quarantined, report.content, file_id])
    return report


def validated_ahead(chunks: Iterator[pl.DataFrame]) -> Iterator[tuple[int, Validated]]:
    """(rows read, validated chunk), the next one read and validated by Polars in a worker thread
    while DuckDB inserts the current one: the two engines overlap instead of taking turns."""
    def next_result() -> tuple[int, Validated] | None:
        chunk = next(chunks, None)
        if chunk is None:
            return None
        return chunk.height, (validate(chunk) if content_of(chunk) == DOSSIERS else validate_catalogue(chunk))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="etl-read") as pool:
        future = pool.submit(next_result)
        while (item := future.result()) is not None:
            future = pool.submit(next_result)
            yield item


def _load_chunks(con: duckdb.DuckDBPyConnection, batch_id: int, file_id: int, seq: int,
                 chunks: Iterator[pl.DataFrame], report: FileReport, progress: Progress | None) -> None:
    """Validate and insert each chunk of one file, counting every row read."""
    for rows_read, result in validated_ahead(chunks):
        report.content = DOSSIERS if "dossier_id" in result.loaded.columns else CATALOGUE
        _insert_chunk(con, batch_id, file_id, seq, result.loaded, result.quarantined,
                      "dossier_rows" if report.content == DOSSIERS else "procedure_rows")
        for kind, row_number, detail in result.warnings:
            con.execute(f"insert into {write_target(con)}.load_warnings values (?, ?, ?, ?, ?)",
                        [batch_id, file_id, row_number, kind, detail])
            report.warnings.append(detail)
        report.rows_read += rows_read
        report.rows_loaded += result.loaded.height
        report.rows_quarantined += result.quarantined.height
        if progress:
            progress(report.rows_read)
        failpoint("chunk_inserted")


def _insert_chunk(con: duckdb.DuckDBPyConnection, batch_id: int, file_id: int, seq: int,
                  loaded: pl.DataFrame, quarantined: pl.DataFrame, table: str) -> None:
    lineage = [batch_id, file_id, seq]
    into = write_target(con)
    con.register("chunk_loaded", loaded)
    con.execute(f"insert into {into}.{table} by name "
                "select ? as batch_id, ? as file_id, ? as file_seq, * from chunk_loaded", lineage)
    con.unregister("chunk_loaded")
    con.register("chunk_quarantined", quarantined)
    con.execute(f"insert into {into}.quarantined_rows by name "
                "select ? as batch_id, ? as file_id, * from chunk_quarantined", [batch_id, file_id])
    con.unregister("chunk_quarantined")


def _finish_batch(con: duckdb.DuckDBPyConnection, batch_id: int, reports: list[FileReport]) -> None:
    """Record data-quality warnings, rebuild the marts for what changed, check the data."""
    into = write_target(con)
    con.execute(f"insert into {into}.load_warnings {_BATCH_WARNINGS_SQL}", {"batch_id": batch_id})
    con.execute(f"insert or ignore into {into}.known_values {_REMEMBER_NAMED_SQL}", {"batch_id": batch_id})
    rebuild_dossiers(con, since_batch=batch_id)
    broken = failed_checks(con, since_batch=batch_id)
    if broken:
        raise RuntimeError(f"data checks failed after load, nothing applied: {', '.join(broken)}")
    con.execute(
        f"update {into}.load_batches set finished_at = ?, rows_read = ?, rows_loaded = ?, "
        "rows_quarantined = ? where batch_id = ?",
        [local_now(), sum(r.rows_read for r in reports), sum(r.rows_loaded for r in reports),
         sum(r.rows_quarantined for r in reports), batch_id])
    for report in reports:
        report.warnings += [r[0] for r in con.execute(
            "select detail from load_warnings w join load_files f using (file_id) "
            "where w.batch_id = ? and f.file_name = ? and w.kind <> 'unknown_value' order by kind, row_number",
            [batch_id, report.file]).fetchall()]


# the fields and agencies this batch's dossier rows name
_NAMED_SQL = """
    select 'field' as kind, field as name, file_id, row_number from dossier_rows where batch_id = $batch_id
        and field is not null
    union all
    select 'agency', agency, file_id, row_number from dossier_rows where batch_id = $batch_id and agency is not null
"""

# the names this batch brings that no earlier batch did, remembered for the next batch's warnings
# (migrations/0007_known_values.sql)
_REMEMBER_NAMED_SQL = f"""
select distinct kind, name, $batch_id from ({_NAMED_SQL}) as named
where not exists (select 1 from known_values k where k.kind = named.kind and k.name = named.name)
"""

# the batch's warnings (rows of load_warnings)
_BATCH_WARNINGS_SQL = f"""
-- the same dossier twice in one file: the later row wins
select batch_id, file_id, max(row_number), 'duplicate_in_file',
       'Mã hồ sơ ' || dossier_id || ' xuất hiện ' || count(*) || ' lần trong tệp; dùng dòng sau cùng ('
       || max(row_number) || ') / dossier id repeated in the file, the last row wins'
from dossier_rows where batch_id = $batch_id
group by batch_id, file_id, dossier_id having count(*) > 1
union all
-- the same procedure twice in one catalogue: the later row wins
select batch_id, file_id, max(row_number), 'duplicate_in_file',
       'Mã TTHC ' || procedure_code || ' xuất hiện ' || count(*) || ' lần trong danh mục; dùng dòng sau cùng ('
       || max(row_number) || ') / procedure code repeated in the catalogue, the last row wins'
from procedure_rows where batch_id = $batch_id
group by batch_id, file_id, procedure_code having count(*) > 1
union all
-- dossiers of this batch whose procedure the catalogue does not list (once there is a catalogue)
select $batch_id, min(file_id), min(row_number), 'procedure_not_in_catalogue',
       count(*) || ' hồ sơ thuộc ' || count(distinct procedure_code) || ' mã TTHC không có trong danh mục TTHC (ví dụ '
       || min(procedure_code) || ') / dossiers whose procedure code is not in the service catalogue'
from dossier_rows r
where batch_id = $batch_id and procedure_code is not null
  and exists (select 1 from procedure_rows)
  and not exists (select 1 from procedure_rows p where p.procedure_code = r.procedure_code)
having count(*) > 0
union all
-- unit codes in no list of the province count under "unknown unit"
select $batch_id, min(file_id), min(row_number), 'unknown_unit',
       'Mã ĐVHC ' || coalesce(unit_code, '(trống)') || ' không có trong danh mục đơn vị hành chính của tỉnh ('
       || count(*) || ' dòng), tính vào "Không xác định" / unit code in no unit list of the province'
from stg_dossier_rows
where batch_id = $batch_id and unit_read = 'unknown'
group by unit_code
union all
-- a code the list in force on the received date lacks, read in the latest list that has it
select $batch_id, min(r.file_id), min(r.row_number), 'unit_other_list',
       'Mã ĐVHC ' || r.unit_code || ' (' || any_value(a.name) || ') không có trong danh mục đang hiệu lực ngày tiếp nhận ('
       || strftime(min(r.received_date), '%d/%m/%Y') || ' – ' || strftime(max(r.received_date), '%d/%m/%Y') || ', '
       || count(*) || ' dòng); đọc theo ' || any_value(l.name) || ' / unit code ' || r.unit_code
       || ' is not in the list in force on its received date; read in list ' || r.unit_list
from stg_dossier_rows r
join admin_units a on a.list_id = r.unit_list and a.code = r.unit_code
join unit_lists l on l.list_id = r.unit_list
where r.batch_id = $batch_id and r.unit_read = 'other_list'
group by r.unit_code, r.unit_list
union all
-- district handling level where the list in force has no districts (after 1 July 2025)
select $batch_id, min(file_id), min(row_number), 'district_level',
       'Cấp giải quyết "Huyện" ở ' || count(*) || ' hồ sơ tiếp nhận từ ' || strftime(min(received_date), '%d/%m/%Y')
       || ', khi danh mục đang hiệu lực không còn cấp huyện / handling level Huyện where the unit list in force '
       || 'has no districts'
from stg_dossier_rows
where batch_id = $batch_id and handling_level = 'Huyện' and not coalesce(list_in_force_has_districts, true)
having count(*) > 0
union all
-- fields and agencies never seen in an earlier batch
select $batch_id, min(file_id), min(row_number), 'new_' || kind,
       (case kind when 'field' then 'Lĩnh vực mới: ' else 'Cơ quan mới: ' end) || name
       || ' / new ' || kind || ': ' || name
from ({_NAMED_SQL}) as seen
where not exists (select 1 from known_values as k
                  where k.kind = seen.kind and k.name = seen.name and k.first_batch < $batch_id)
  and exists (select 1 from load_batches where batch_id < $batch_id)
group by kind, name
"""
