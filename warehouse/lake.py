"""The Parquet lake: a warehouse's dossiers, marts and reference tables as hive-partitioned Parquet that any
engine reads (DuckDB, Spark, Trino, ClickHouse), several provinces side by side.

Layout under the lake folder::

    _ioc_lake.json                                  what this folder is (refuses to write into anything else)
    _manifests/province=80.json                     one province's schema, editions, version, partitions
    dossiers/province=80/year=2024/month=03/part-<export>-<i>.parquet   the dossiers' current state, by received month
    kpi_month/province=80/*.parquet                 the KPI marts (marts/kpi_month.sql, marts/kpi_carry.sql)
    kpi_carry/province=80/*.parquet
    unit_views/province=80/*.parquet                the unit lists and the path every unit counts in
    admin_units/province=80/*.parquet, unit_lists/province=80/*.parquet, procedures/province=80/*.parquet

Partition values are ASCII and never empty (the province's GSO code, a four-digit year, a two-digit
month). Types are chosen so engines read them alike: dates are DATE; times are local wall-clock times in
Asia/Ho_Chi_Minh stored as Parquet TIMESTAMP(MICROS) *not adjusted to UTC* (no engine shifts them on
read); every code (unit, procedure, field) is text, so leading zeros stay.

An export compares each partition's fingerprint (row count and an order-free hash of its rows) with the
manifest's and rewrites only the partitions that changed: a small load rewrites a few months. The manifest
names every partition's files, and the lake's readers read exactly those: an export writes its files beside
the current ones under new names, replaces the manifest (atomically: the switch), then removes what the new
manifest no longer names. An export that dies half-way leaves the last manifest and its files as they were;
the next export sweeps away what it left.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from common.settings import get_settings
from warehouse import units
from warehouse.store import Reader, Store

PRODUCT = "ioc-dashboard"
LAYOUT = 1
MARKER = "_ioc_lake.json"
MANIFESTS = "_manifests"

# name in the lake → the warehouse's table (each row also gets its province)
SMALL_TABLES = {
    "kpi_month": "mart_kpi_month", "kpi_carry": "mart_kpi_carry", "unit_views": "unit_views",
    "admin_units": "admin_units", "unit_lists": "unit_lists", "procedures": "procedure_states",
    "unit_successors": "unit_successors", "load_batches": "load_batches", "warehouse_meta": "warehouse_meta",
}
TYPE_NOTES = {
    "dates": "DATE (days, no time zone)",
    "local_timestamps": "TIMESTAMP(MICROS), not adjusted to UTC: wall-clock time in Asia/Ho_Chi_Minh",
    "codes": "VARCHAR (unit, procedure and field codes keep their leading zeros)",
    "partitions": "province = GSO code, year = YYYY, month = MM of the received date (text)",
}


class LakeError(Exception):
    """An export or a lake that cannot be done or read as asked (the CLI exits 2 with this message)."""


@dataclass
class ExportReport:
    province: str
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rows: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {"province": self.province, "partitions_written": len(self.written),
                "partitions_kept": len(self.kept), "partitions_removed": len(self.removed), "dossiers": self.rows,
                "bytes": self.bytes, "seconds": round(self.seconds, 2), "written": self.written}


def check_target(out: Path, db: Path) -> None:
    """Refuse a lake folder inside the warehouse's own files, one that cannot be written, or one that holds
    something other than a lake of this product."""
    store = Store(db)
    target = out.resolve()
    own = [store.versions_dir.resolve(), store.path.resolve(strict=False) if store.path.exists() else store.path]
    if any(target == p or p in target.parents for p in own):
        raise LakeError(f"--out {out} nằm trong thư mục của kho dữ liệu / is inside the warehouse's own folder")
    if target.exists() and not target.is_dir():
        raise LakeError(f"--out {out} không phải thư mục / is not a folder")
    if target.exists() and any(target.iterdir()) and not (target / MARKER).exists():
        raise LakeError(f"--out {out} chứa tệp không phải của kho Parquet này / holds files that are not this "
                        f"product's lake (no {MARKER})")
    if (target / MARKER).exists():
        marker = json.loads((target / MARKER).read_text(encoding="utf-8"))
        if marker.get("product") != PRODUCT:
            raise LakeError(f"--out {out} là kho của sản phẩm khác / belongs to another product: {marker}")
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe = target / f".probe-{uuid.uuid4().hex}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise LakeError(f"--out {out}: không ghi được / not writable ({exc.strerror})") from None


@contextmanager
def _province_lock(lake: Path, province: str) -> Iterator[None]:
    """One export of a province at a time; other provinces export into the same lake meanwhile."""
    with open(lake / f".export-{province}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _fingerprints(con: duckdb.DuckDBPyConnection, province: str) -> dict[str, dict]:
    """Every partition this province's export would write: its path and (rows, order-free hash)."""
    parts = {}
    for year, month, rows, digest in con.execute(f"""
            select year, month, count(*), bit_xor(hash(d))::varchar
            from ({_DOSSIERS}) as d group by year, month""", [province]).fetchall():
        parts[f"dossiers/province={province}/year={year}/month={month}"] = {"rows": rows, "fingerprint": digest}
    for name, table in SMALL_TABLES.items():
        rows, digest = con.execute(f"select count(*), bit_xor(hash(t))::varchar from {table} as t").fetchone()
        parts[f"{name}/province={province}"] = {"rows": rows, "fingerprint": digest or "0"}
    return parts


# The dossiers as the lake holds them: every column of fct_dossiers, the commune each counts in under
# today's units, and the partition columns (text). $1 is the province.
_DOSSIERS = """
    select f.*, v.path[-1] as unit_code_current, $1::varchar as province,
           strftime(f.received_date, '%Y') as year, strftime(f.received_date, '%m') as month
    from fct_dossiers as f
    left join unit_views as v
      on v.unit_ref = f.unit_ref and v.view_list = (select list_id from unit_lists order by seq desc limit 1)
"""


def _write_dossiers(con: duckdb.DuckDBPyConnection, staging: Path, parts: list[str], province: str) -> None:
    """Write the dossiers of the changed months into ``staging`` in one pass (DuckDB writes a folder per
    partition)."""
    if not parts:
        return
    months = [tuple(p.split("=")[1] for p in part.split("/")[2:4]) for part in parts]
    (staging / "dossiers").mkdir()
    con.execute(f"""
        copy (select * exclude (province) from ({_DOSSIERS}) as d
              where (year, month) in (select unnest($2::varchar[]), unnest($3::varchar[]))
              order by year, month, received_at, dossier_id)
        to '{_quoted(staging / "dossiers" / f"province={province}")}'
        (format parquet, compression zstd, partition_by (year, month), filename_pattern 'part-{{i}}')""",
                [province, [y for y, _ in months], [m for _, m in months]])


def _write_table(con: duckdb.DuckDBPyConnection, staging: Path, part: str) -> None:
    """Write one of the small tables (marts, reference) whole into ``staging``."""
    out = staging / part
    out.mkdir(parents=True)
    con.execute(f"copy (select * from {SMALL_TABLES[part.split('/')[0]]}) to '{_quoted(out / 'part-0.parquet')}' "
                "(format parquet, compression zstd)")


def _place(lake: Path, staging: Path, part: str, export_id: str) -> list[str]:
    """Move a staged partition's files into the lake beside the ones readers use now, under names of this
    export (nothing a reader has open is touched); the file names, for the manifest."""
    target = lake / part
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for i, staged in enumerate(sorted((staging / part).glob("*.parquet"))):
        name = f"part-{export_id}-{i}.parquet"
        os.rename(staged, target / name)
        names.append(name)
    return names


def _listed(manifest: dict | None) -> dict[str, list[str]]:
    """partition → the files the manifest names (what readers of that manifest read)."""
    return {part: facts.get("files", []) for part, facts in ((manifest or {}).get("partitions") or {}).items()}


def _sweep(lake: Path, province: str, keep: dict[str, list[str]]) -> None:
    """Remove what no manifest names: files replaced by the last export, partitions gone, and whatever an
    export that died half-way left (its staging folder, files it had placed)."""
    for stale in lake.glob(f".staging-{province}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for table in ["dossiers", *SMALL_TABLES]:
        for file in (lake / table / f"province={province}").rglob("*.parquet"):
            part = file.parent.relative_to(lake).as_posix()
            if file.name not in keep.get(part, ()):
                file.unlink(missing_ok=True)
    for folder in sorted((lake / "dossiers" / f"province={province}").glob("*/*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def manifest_path(lake: Path, province: str) -> Path:
    return lake / MANIFESTS / f"province={province}.json"


def read_manifest(lake: Path, province: str) -> dict | None:
    path = manifest_path(lake, province)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def export(db: Path, out: Path) -> ExportReport:
    """Export the warehouse at ``db`` into the lake at ``out`` (see the module's docstring)."""
    started = time.perf_counter()
    check_target(out, db)
    lake = out.resolve()
    reader = Reader(Store(db))
    con = reader.cursor()
    province = units.province_code(con)
    if not _PROVINCE_CODE.match(province):
        raise LakeError(f"mã tỉnh không hợp lệ / not a province code: {province!r}")
    if not (lake / MARKER).exists():
        _write_json(lake / MARKER, {"product": PRODUCT, "layout": LAYOUT})
    report = ExportReport(province)
    with _province_lock(lake, province):
        previous = read_manifest(lake, province)
        _sweep(lake, province, _listed(previous))  # what an export that died half-way left
        before = (previous or {}).get("partitions", {})
        now = _fingerprints(con, province)
        files = _listed(previous)
        export_id = f"{datetime.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
        staging = lake / f".staging-{province}-{uuid.uuid4().hex}"
        staging.mkdir()
        try:
            for part, facts in sorted(now.items()):
                unchanged = {k: v for k, v in before.get(part, {}).items() if k != "files"} == facts and files.get(part)
                (report.kept if unchanged else report.written).append(part)
            _write_dossiers(con, staging, [p for p in report.written if p.startswith("dossiers/")], province)
            for part in report.written:
                if not part.startswith("dossiers/"):
                    _write_table(con, staging, part)
            for part in report.written:
                files[part] = _place(lake, staging, part, export_id)
            report.removed = sorted(set(before) - set(now))
            for part, facts in now.items():
                facts["files"] = files[part]
            # the switch: readers of the lake (open_lake, engines.spark_views) read the files the manifest names
            _write_json(manifest_path(lake, province), _manifest(con, reader, province, now))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _sweep(lake, province, {part: facts["files"] for part, facts in now.items()})
    report.rows = sum(f["rows"] for p, f in now.items() if p.startswith("dossiers/"))
    report.bytes = sum(f.stat().st_size for p in now for f in (lake / p).glob("*.parquet"))
    report.seconds = time.perf_counter() - started
    return report


def _manifest(con: duckdb.DuckDBPyConnection, reader: Reader, province: str, partitions: dict) -> dict:
    located = units.find(con, None, units.views(con)[-1])
    batch = con.execute("select max(batch_id), max(finished_at) from load_batches").fetchone()
    lists = con.execute("select list_id, edition, file_name, valid_from, valid_to from unit_lists order by seq").fetchall()
    schemas = {"dossiers": _columns(con, f"select * exclude (province, year, month) from ({_DOSSIERS}) as d limit 0",
                                    [province])}
    schemas |= {name: _columns(con, f"select * from {table} limit 0") for name, table in SMALL_TABLES.items()}
    return {
        "product": PRODUCT, "layout": LAYOUT, "province": province, "province_name": located.name,
        "exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "data_version": {"version": reader.version, "last_batch": batch[0],
                         "last_load": batch[1].isoformat() if batch[1] else None},
        "unit_lists": [{"list_id": r[0], "edition": r[1], "file": r[2], "valid_from": _iso(r[3]),
                        "valid_to": _iso(r[4])} for r in lists],
        "types": TYPE_NOTES,
        "tables": {name: {"columns": cols,
                          "rows": sum(f["rows"] for p, f in partitions.items() if p.split("/")[0] == name)}
                   for name, cols in schemas.items()},
        "partitions": partitions,
    }


def _columns(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> list[dict]:
    """The columns a query gives, with DuckDB's type names (the manifest's schema)."""
    return [{"name": d[0], "type": str(d[1])} for d in con.execute(query, params).description]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _write_json(path: Path, value: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    tmp.write_text(json.dumps(value, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)


_PROVINCE_CODE = re.compile(r"^\d{2}$")  # a GSO province code: what goes into the lake's paths and SQL


def provinces(lake: Path) -> list[str]:
    """The provinces a lake holds, by their manifests (a file not named by a province code is not one)."""
    codes = (p.stem.split("=", 1)[1] for p in (lake / MANIFESTS).glob("province=*.json"))
    return sorted(c for c in codes if _PROVINCE_CODE.match(c))


def check_manifests(lake: Path) -> list[str]:
    """The provinces of a lake this product can serve together: refuses (LakeError, naming the province) a
    folder that is not this product's lake, and a province whose manifest's schema differs from the others'."""
    marker = lake / MARKER
    if not marker.exists() or json.loads(marker.read_text(encoding="utf-8")).get("product") != PRODUCT:
        raise LakeError(f"{lake}: không phải kho Parquet của sản phẩm này / not this product's lake")
    codes = provinces(lake)
    if not codes:
        raise LakeError(f"{lake}: chưa có tỉnh nào / no province exported yet")
    schemas = {code: {name: table["columns"] for name, table in read_manifest(lake, code)["tables"].items()}
               for code in codes}
    first = codes[0]
    for code in codes[1:]:
        if schemas[code] != schemas[first]:
            differ = sorted(n for n in set(schemas[code]) | set(schemas[first])
                            if schemas[code].get(n) != schemas[first].get(n))
            raise LakeError(f"tỉnh {code}: lược đồ khác tỉnh {first} ({', '.join(differ)}) / province {code}: "
                            f"its schema differs from province {first}'s in {', '.join(differ)}")
    return codes


def open_lake(lake: Path, province: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose views over the lake's Parquet have the warehouse's table names, so the query
    layer's SQL (``warehouse.kpi``) runs over one province of the lake unchanged. The warehouse's schema is
    created first (empty), so what the lake does not carry (quarantined rows, load warnings) reads as empty."""
    from warehouse.migrate import migrate, migration_files

    if read_manifest(lake, province) is None:
        raise LakeError(f"{lake}: không có tỉnh {province} / no province {province} in this lake")
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    migrate(con, until=migration_files()[-1][0])
    manifest = read_manifest(lake, province)
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    files: dict[str, list[str]] = {}
    for part, facts in manifest["partitions"].items():
        files.setdefault(part.split("/")[0], []).extend(
            "'" + _quoted(lake.resolve() / part / name) + "'" for name in facts.get("files", []))
    views = {}
    if files.get("dossiers"):
        views["fct_dossiers"] = f"""
            select * exclude (province, year, month, unit_code_current)
            from read_parquet([{", ".join(files["dossiers"])}], hive_partitioning = true, hive_types_autocast = false)"""
    views |= {table: f"select * from read_parquet([{', '.join(files[name])}], hive_partitioning = false)"
              for name, table in SMALL_TABLES.items() if files.get(name)}
    for table, query in views.items():  # a table the lake has no file of stays the empty table of the schema
        if table in tables:
            con.execute(f"drop table {table}")
        con.execute(f"create view {table} as {query}")
    return con


def lake_files(lake: Path, province: str, table: str) -> list[Path]:
    """The files of one table of one province that its manifest names (what a reader of the lake reads)."""
    manifest = read_manifest(lake, province) or {}
    return [lake.resolve() / part / name for part, facts in manifest.get("partitions", {}).items()
            if part.split("/")[0] == table for name in facts.get("files", [])]


class LakeReader:
    """What the web app reads in ``python app.py --lake DIR``: the same interface as ``warehouse.store.Reader``,
    one province of the lake at a time (``province``, a context variable the web app sets per request). The
    province is part of ``version``, so every cached answer is one province's."""

    def __init__(self, lake: Path) -> None:
        import contextvars
        import threading

        self.lake = lake.resolve()
        self.codes = check_manifests(self.lake)
        configured = get_settings().province_code  # the installation's own province first, when the lake has it
        self.default = configured if configured in self.codes else self.codes[0]
        self.province: contextvars.ContextVar[str] = contextvars.ContextVar("lake_province", default=self.default)
        self._connections: dict[tuple[str, str], duckdb.DuckDBPyConnection] = {}
        self._lock = threading.Lock()
        self.store = Store(self.lake / "_dashboard.duckdb")  # where the alert store would be: none in a lake
        self._names = [(code, read_manifest(self.lake, code)["province_name"]) for code in self.codes]
        self._versions: dict[str, tuple[int, str]] = {}

    def names(self) -> list[tuple[str, str]]:
        """(code, name) of every province in the lake at start, as its manifest names it."""
        return self._names

    def _manifest_version(self, code: str) -> str:
        """The province's data version: its manifest's, read again only when the file changed (every cache key
        asks for it)."""
        stamp = manifest_path(self.lake, code).stat().st_mtime_ns
        known = self._versions.get(code)
        if known is None or known[0] != stamp:
            manifest = read_manifest(self.lake, code)
            known = self._versions[code] = (stamp, f"{manifest['data_version']['version']}@{manifest['exported_at']}")
        return known[1]

    @property
    def version(self) -> str:
        code = self.province.get()
        return f"lake:{code}:{self._manifest_version(code)}"

    def cursor(self) -> duckdb.DuckDBPyConnection:
        from warehouse.store import _cursor_versions

        code = self.province.get()
        key = (code, self._manifest_version(code))  # a new export of the province: a new connection
        with self._lock:
            if key not in self._connections:
                self._connections = {k: c for k, c in self._connections.items() if k[0] != code}
                self._connections[key] = open_lake(self.lake, code)
            cursor = self._connections[key].cursor()
        cursor.execute("set enable_progress_bar = false")
        _cursor_versions[cursor] = ("lake", str(self.lake), *key)
        return cursor
