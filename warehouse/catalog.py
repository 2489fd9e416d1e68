"""Names and facts around the figures: known fields, data freshness, loads and their quarantine.
(Units, their views and names: ``warehouse.units``.)"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from warehouse.store import per_version


def fields(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The fields (lĩnh vực) present in the data, most dossiers first."""
    return list(per_version(con, ("fields",), lambda: tuple(r[0] for r in con.execute(
        "select field from fct_dossiers where field is not null group by field order by count(*) desc").fetchall())))


def known_values(con: duckdb.DuckDBPyConnection) -> dict[str, frozenset[str]]:
    """Every field, agency and procedure code in the data: what a filter may name."""
    def read() -> dict[str, frozenset[str]]:
        row = con.execute("select list(distinct field), list(distinct agency), list(distinct procedure_code) "
                          "from fct_dossiers").fetchone()
        return {key: frozenset(v for v in (values or []) if v is not None)
                for key, values in zip(("field", "agency", "procedure"), row)}

    return dict(per_version(con, ("known_values",), read))


@dataclass(frozen=True)
class Freshness:
    newest_received: datetime | None
    last_load: datetime | None
    dossiers: int

    @property
    def newest_day(self) -> date | None:
        return self.newest_received.date() if self.newest_received else None


def freshness(con: duckdb.DuckDBPyConnection) -> Freshness:
    """The newest received timestamp in the data and when the last load finished (once per version: on a
    layered version it reads every dossier)."""
    def read() -> Freshness:
        newest, count = con.execute("select max(received_at), count(*) from fct_dossiers").fetchone()
        last_load = con.execute("select max(finished_at) from load_batches").fetchone()[0]
        return Freshness(newest, last_load, count)

    return per_version(con, ("freshness",), read)


def is_simulated(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the warehouse holds the generated demo data, which pages must say."""
    row = con.execute("select value from warehouse_meta where key = 'simulated'").fetchone()
    return row is not None and row[0] == "true"


def load_history(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[dict]:
    """Past loads, newest first, with their files and row counts."""
    cursor = con.execute("""
        select b.batch_id, b.started_at, b.finished_at,
               date_diff('millisecond', b.started_at, b.finished_at) / 1000.0 as duration_s,
               b.rows_read, b.rows_loaded, b.rows_quarantined,
               coalesce(list(f.file_name order by f.file_seq) filter (f.file_name is not null), []) as files,
               (select count(*) from load_warnings w where w.batch_id = b.batch_id) as warnings
        from load_batches b left join load_files f using (batch_id)
        group by all order by b.batch_id desc limit ?""", [limit])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def quarantined_rows(con: duckdb.DuckDBPyConnection, *, batch_id: int | None = None,
                     reason_code: str | None = None, limit: int | None = None) -> list[dict]:
    """Quarantined rows with their file, row number, reason and original values, newest load first."""
    cursor = con.execute("""
        select q.batch_id, f.file_name, q.row_number, q.reason_code, q.reason, q.raw
        from quarantined_rows q join load_files f using (file_id)
        where ($batch_id is null or q.batch_id = $batch_id)
          and ($reason_code is null or q.reason_code = $reason_code)
        order by q.batch_id desc, f.file_seq, q.row_number
        limit coalesce($limit, 9223372036854775807)""",
        {"batch_id": batch_id, "reason_code": reason_code, "limit": limit})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def load_warnings(con: duckdb.DuckDBPyConnection, limit: int = 200) -> list[dict]:
    """Data-quality warnings (unknown unit codes, new fields or agencies, repeats), newest first."""
    cursor = con.execute("""
        select w.batch_id, f.file_name, w.row_number, w.kind, w.detail
        from load_warnings w left join load_files f using (file_id)
        order by w.batch_id desc, w.kind, w.row_number limit ?""", [limit])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
