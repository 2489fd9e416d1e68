"""Readers for the two export shapes of DATA-CONTRACT.md.

Each reader turns a file into chunks of one canonical frame: the columns of
``contract.CANONICAL`` (dossiers) or ``contract.CATALOGUE_CANONICAL`` (a service
catalogue, shape C, recognised by its headers: ``content_of`` tells a chunk's) as text (blank = null), plus ``row_number`` (1 = first data
row) and ``raw`` (the row's original values, a struct, kept for quarantine). Typing
and validation happen later, once, for every shape alike.
"""
from __future__ import annotations

import csv
import hashlib
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl import contract
from etl.errors import RefusedFile
from etl.text import match_key

CHUNK_ROWS = 250_000
_READ_BYTES = 1 << 20
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
_ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class FileFacts:
    """What one streaming pass over a file tells before it is parsed."""

    path: Path
    sha256: str
    size: int
    utf8_error_at: int | None  # byte offset of the first invalid UTF-8 sequence
    head: bytes                # the first bytes, BOM included

    @property
    def shape(self) -> str:
        suffix = self.path.suffix.lower().lstrip(".")
        return {"txt": "csv", "tsv": "csv", "jsonl": "ndjson", "xls": "xlsx"}.get(suffix, suffix)


def inspect_file(path: Path, block_bytes: int = _READ_BYTES) -> FileFacts:
    """Hash the file and check its UTF-8 in one pass, without holding it in memory.

    Each block's whole characters are checked by Polars' UTF-8 validation (several times faster than
    decoding them in Python, which a 10-million-row export felt); a character cut by the block's end
    waits for the next block. Only a block that fails is decoded in Python, for the exact byte offset
    the refusal names."""
    digest = hashlib.sha256()
    size, error_at, head, pending = 0, None, b"", b""
    with open(path, "rb") as handle:
        while block := handle.read(block_bytes):
            digest.update(block)
            if not head:
                head = block[:4096]
            if error_at is None:
                pending += block
                whole = _whole_characters(pending)
                if (invalid := _first_invalid_utf8(pending[:whole])) is not None:
                    error_at = size + len(block) - len(pending) + invalid
                pending = pending[whole:]
            size += len(block)
    if error_at is None and (invalid := _first_invalid_utf8(pending)) is not None:  # the last character
        error_at = size - len(pending) + invalid
    return FileFacts(path, digest.hexdigest(), size, error_at, head)


def _whole_characters(data: bytes) -> int:
    """The length of ``data`` up to the start of its last character when that one may be cut short (a lead
    byte followed by fewer continuation bytes than at most three): what can be checked before the next block."""
    i = len(data) - 1
    while i >= max(0, len(data) - 3) and data[i] & 0xC0 == 0x80:
        i -= 1
    return i if i >= 0 and data[i] >= 0xC0 else len(data)


def _first_invalid_utf8(data: bytes) -> int | None:
    """The offset of the first byte of ``data`` that is not valid UTF-8, or None when all of it is."""
    if not data:
        return None
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
        return None
    except pl.exceptions.ComputeError:  # not valid: Python's decoder says where
        pass
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def read_export(facts: FileFacts, chunk_rows: int = CHUNK_ROWS,
                ragged: frozenset[int] | None = None) -> Iterator[pl.DataFrame]:
    """Canonical chunks of one export file, or RefusedFile when it cannot be read at all."""
    name = facts.path.name
    if facts.size == 0 or not facts.head.strip():
        raise RefusedFile(name, "tệp rỗng, không có dữ liệu", "the file is empty")
    readers = {"csv": _read_tabular_text, "xlsx": _read_xlsx, "json": _read_portal_json,
               "ndjson": _read_portal_json}
    reader = readers.get(facts.shape)
    if reader is None:
        raise RefusedFile(name, f"không nhận dạng được loại tệp '.{facts.shape}' (cần .csv, .xlsx, .json, .ndjson)",
                          f"unknown file type '.{facts.shape}' (expected .csv, .xlsx, .json, .ndjson)")
    if facts.shape != "xlsx" and facts.head.startswith(_ZIP_MAGIC):  # else "not UTF-8", which misleads
        raise RefusedFile(
            name,
            f"tệp có đuôi '{facts.path.suffix}' nhưng là tệp Excel (.xlsx); hãy đổi đuôi tệp thành .xlsx "
            "hoặc xuất lại dưới dạng CSV (UTF-8)",
            f"named '{facts.path.suffix}' but it is an Excel (.xlsx) file; rename it to .xlsx "
            "or export it again as CSV (UTF-8)")
    if facts.shape != "xlsx" and facts.utf8_error_at is not None:
        raise RefusedFile(
            name,
            f"tệp không phải mã UTF-8 (byte lỗi ở vị trí {facts.utf8_error_at}); hãy xuất lại tệp với mã UTF-8",
            f"the file is not UTF-8 (invalid byte at offset {facts.utf8_error_at}); re-export it as UTF-8")
    yielded = False
    chunks = _read_tabular_text(facts, chunk_rows, ragged) if reader is _read_tabular_text else \
        reader(facts, chunk_rows)
    for chunk in chunks:
        yielded = yielded or chunk.height > 0
        yield chunk
    if not yielded:
        raise RefusedFile(name, "tệp có tiêu đề nhưng không có dòng dữ liệu nào", "the file has no data rows")


# -- shape A -----------------------------------------------------------------

def detect_delimiter(header_line: str) -> str:
    """The one of ``,`` ``;`` or tab that splits the header into the most columns."""
    best, best_count = ",", 0
    for candidate in (",", ";", "\t"):
        count = len(next(csv.reader([header_line], delimiter=candidate), []))
        if count > best_count:
            best, best_count = candidate, count
    return best


DOSSIERS, CATALOGUE = "dossiers", "catalogue"  # what a tabular file holds (DATA-CONTRACT.md shapes A and C)


@dataclass(frozen=True)
class Headers:
    """What a tabular file's header row says: which shape it is and where each canonical column is."""

    content: str                 # DOSSIERS or CATALOGUE
    mapping: dict[str, str]      # original header → canonical column

    @property
    def canonical(self) -> tuple[str, ...]:
        return contract.CANONICAL if self.content == DOSSIERS else contract.CATALOGUE_CANONICAL


def map_headers(file: str, headers: list[str]) -> Headers:
    """Recognise the file by its headers and map them; refuse it when a required column is missing.

    A file with "Mã hồ sơ" is a dossier export, whatever else it has; one without it but with a column only
    a catalogue has ("Cấp thực hiện", "Ngày hiệu lực", ...) is a catalogue."""
    keys = [match_key(h) for h in headers]
    if "dossier_id" in {contract.HEADER_KEYS.get(k) for k in keys} or not contract.CATALOGUE_ONLY_KEYS.intersection(keys):
        content, table, columns = DOSSIERS, contract.HEADER_KEYS, contract.TABULAR_COLUMNS
    else:
        content, table, columns = CATALOGUE, contract.CATALOGUE_HEADER_KEYS, contract.CATALOGUE_COLUMNS
    mapping: dict[str, str] = {}
    for header, key in zip(headers, keys):
        canonical = table.get(key)
        if canonical and canonical not in mapping.values():
            mapping[header] = canonical
    missing = [c.headers[0] for c in columns if c.required and c.name not in mapping.values()]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        if content == CATALOGUE:
            raise RefusedFile(file, f"danh mục TTHC thiếu cột bắt buộc {names}",
                              f"service catalogue: required column(s) missing: {names}")
        raise RefusedFile(file, f"thiếu cột bắt buộc {names}", f"required column(s) missing: {names}")
    return Headers(content, mapping)


def _canonical(frame: pl.DataFrame, headers: Headers, first_row: int) -> pl.DataFrame:
    """Rename to canonical columns, add the missing ones as null, keep lineage and raw values."""
    mapping = headers.mapping
    originals = [c for c in frame.columns]
    frame = frame.with_columns(
        pl.struct(originals).alias("raw"),  # encoded to JSON only for rows that are quarantined
        (pl.int_range(pl.len(), dtype=pl.Int64) + first_row).alias("row_number"),
    )
    # A line with nothing in it is not a row (trailing blank lines, Excel's empty rows).
    blank = pl.all_horizontal(pl.col(originals).str.strip_chars().fill_null("") == "")
    frame = frame.filter(~blank)
    columns = [pl.col(orig).str.strip_chars().replace("", None).alias(canon) for orig, canon in mapping.items()]
    present = set(mapping.values())
    columns += [pl.lit(None, dtype=pl.String).alias(c) for c in headers.canonical if c not in present]
    return frame.select(*columns, "row_number", "raw").select(*headers.canonical, "row_number", "raw")


def content_of(chunk: pl.DataFrame) -> str:
    """DOSSIERS or CATALOGUE: what a canonical chunk holds."""
    return DOSSIERS if "dossier_id" in chunk.columns else CATALOGUE


class RaggedRows(Exception):
    """Some records have more cells than the header: read again, marking them (see ``ragged_records``)."""

    def __init__(self, records: frozenset[int]) -> None:
        self.records = records
        super().__init__(f"{len(records)} record(s) with more cells than the header")


def ragged_records(path: Path, delimiter: str) -> frozenset[int]:
    """Numbers (1 = first after the header) of records with more cells than the header.

    Only run once Polars has said the file is ragged: Python's csv module is slow but
    counts cells exactly, quoted delimiters and line breaks included.
    """
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = csv.reader(handle, delimiter=delimiter)
        width = len(next(records, []))
        return frozenset(number for number, cells in enumerate(records, start=1) if len(cells) > width)


def _read_tabular_text(facts: FileFacts, chunk_rows: int,
                       ragged: frozenset[int] | None = None) -> Iterator[pl.DataFrame]:
    """CSV in chunks. Strict first (a ragged record raises RaggedRows); with ``ragged`` known,
    extra cells are cut and those records flagged ``extra_cells`` so validation quarantines them."""
    text_head = facts.head.decode("utf-8", errors="replace").lstrip("\ufeff")
    delimiter = detect_delimiter(text_head.splitlines()[0] if text_head else "")
    try:
        lazy = pl.scan_csv(facts.path, separator=delimiter, infer_schema=False, encoding="utf8",
                           quote_char='"', truncate_ragged_lines=ragged is not None)
        headers = map_headers(facts.path.name, lazy.collect_schema().names())
        first = 1
        for batch in lazy.collect_batches(chunk_size=chunk_rows):
            chunk = _canonical(batch, headers, first)
            if ragged:
                chunk = chunk.with_columns(extra_cells=pl.col("row_number").is_in(list(ragged)))
            yield chunk
            first += batch.height
    except pl.exceptions.ComputeError as exc:
        if ragged is None and "more fields" in str(exc):
            raise RaggedRows(ragged_records(facts.path, delimiter)) from exc
        raise RefusedFile(facts.path.name, f"không đọc được tệp CSV: {exc}", f"cannot parse the CSV: {exc}") from exc
    except pl.exceptions.PolarsError as exc:
        raise RefusedFile(facts.path.name, f"không đọc được tệp CSV: {exc}", f"cannot parse the CSV: {exc}") from exc


def _xlsx_text(series: pl.Series) -> pl.Series:
    """An Excel column as the text a CSV export would hold (dates ISO, whole numbers without .0)."""
    dtype = series.dtype
    if dtype == pl.Datetime or dtype == pl.Date:
        as_dt = series.cast(pl.Datetime)
        midnight = as_dt.dt.time() == pl.time(0)
        return pl.select(
            pl.when(midnight).then(as_dt.dt.strftime("%Y-%m-%d")).otherwise(as_dt.dt.strftime("%Y-%m-%d %H:%M:%S"))
        ).to_series().alias(series.name)
    if dtype.is_float():
        whole = series == series.floor()
        return pl.select(
            pl.when(whole).then(series.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(series.cast(pl.String))
        ).to_series().alias(series.name)
    if dtype == pl.Boolean:
        return series.cast(pl.Int8).cast(pl.String)
    return series.cast(pl.String)


def _read_xlsx(facts: FileFacts, chunk_rows: int) -> Iterator[pl.DataFrame]:
    name = facts.path.name
    if not facts.head.startswith((_ZIP_MAGIC, _OLE2_MAGIC)):  # .xlsx is a zip; old .xls an OLE2 file
        raise RefusedFile(name, "tệp có đuôi .xlsx nhưng không phải tệp Excel", "named .xlsx but not an Excel file")
    try:
        with warnings.catch_warnings():  # fastexcel warns when a column mixes types; we read it as text
            warnings.simplefilter("ignore")
            frame = pl.read_excel(facts.path, sheet_id=1, engine="calamine", infer_schema_length=None)
    except Exception as exc:  # fastexcel raises its own error types
        raise RefusedFile(name, f"không đọc được tệp Excel: {exc}", f"cannot read the Excel file: {exc}") from exc
    headers = map_headers(name, frame.columns)
    frame = frame.select([_xlsx_text(frame[c]) for c in frame.columns])
    for start in range(0, max(frame.height, 1), chunk_rows):
        yield _canonical(frame.slice(start, chunk_rows), headers, start + 1)


# -- shape B -----------------------------------------------------------------

_PORTAL_SCHEMA = {field: pl.String for field in contract.PORTAL_FIELDS} | {
    contract.PORTAL_FEES: pl.List(pl.Struct({"TenPhiLePhi": pl.String, "Gia": pl.String, "HinhThucThu": pl.String})),
}


def _read_portal_json(facts: FileFacts, chunk_rows: int) -> Iterator[pl.DataFrame]:
    name = facts.path.name
    first_char = facts.head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first_char not in (b"[", b"{"):
        raise RefusedFile(name, "tệp không phải JSON (không bắt đầu bằng '[' hoặc '{')",
                          "not JSON (does not start with '[' or '{')")
    try:
        if first_char == b"[":
            frame = pl.read_json(facts.path, schema=_PORTAL_SCHEMA)
        elif facts.head.startswith(_UTF8_BOM):  # read_ndjson, unlike read_json, fails on a BOM
            frame = pl.read_ndjson(io.BytesIO(facts.path.read_bytes()[len(_UTF8_BOM):]), schema=_PORTAL_SCHEMA)
        else:
            frame = pl.read_ndjson(facts.path, schema=_PORTAL_SCHEMA)
    except pl.exceptions.PolarsError as exc:
        raise RefusedFile(name, f"JSON hỏng hoặc bị cắt cụt: {exc}",
                          f"broken or truncated JSON: {exc}") from exc
    present = [f for f in contract.PORTAL_REQUIRED if frame[f].null_count() < frame.height]
    missing = [f for f in contract.PORTAL_REQUIRED if f not in present]
    if frame.height and missing:
        names = ", ".join(missing)
        raise RefusedFile(name, f"thiếu trường bắt buộc {names}", f"required field(s) missing: {names}")
    for start in range(0, max(frame.height, 1), chunk_rows):
        yield _portal_canonical(frame.slice(start, chunk_rows), start + 1)


def _portal_canonical(frame: pl.DataFrame, first_row: int) -> pl.DataFrame:
    fees = pl.col(contract.PORTAL_FEES)
    fee_total = (
        pl.when(fees.list.len() > 0)
        .then(fees.list.eval(pl.element().struct.field("Gia")).list.join("+"))
        .otherwise(None)
    )
    return frame.select(
        *[pl.col(src).str.strip_chars().replace("", None).alias(dst) for src, dst in contract.PORTAL_FIELDS.items()],
        fee_total.alias("fee"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + first_row).alias("row_number"),
        pl.struct(pl.all()).alias("raw"),
    ).select(*contract.CANONICAL, "row_number", "raw")
