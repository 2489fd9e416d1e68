"""Names and facts around the figures: units and their children, known fields, data freshness."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

UNKNOWN_UNIT = "_unknown"


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    parent_code: str | None


def unit(con: duckdb.DuckDBPyConnection, code: str) -> Unit | None:
    row = con.execute("select code, name, level, parent_code from admin_units where code = ?", [code]).fetchone()
    return Unit(*row) if row else None


def unit_names(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, str]:
    """code → name for the given codes (unknown codes are left out)."""
    rows = con.execute("select code, name from admin_units where code in (select unnest(?::varchar[]))",
                       [codes]).fetchall()
    return dict(rows)


def children(con: duckdb.DuckDBPyConnection, code: str) -> list[Unit]:
    rows = con.execute("select code, name, level, parent_code from admin_units where parent_code = ? order by code",
                       [code]).fetchall()
    return [Unit(*r) for r in rows]


def fields(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The fields (lĩnh vực) present in the data, most dossiers first."""
    return [r[0] for r in con.execute(
        "select field from fct_dossiers where field is not null group by field order by count(*) desc").fetchall()]


@dataclass(frozen=True)
class Freshness:
    newest_received: datetime | None
    last_load: datetime | None
    dossiers: int

    @property
    def newest_day(self) -> date | None:
        return self.newest_received.date() if self.newest_received else None


def freshness(con: duckdb.DuckDBPyConnection) -> Freshness:
    """The newest received timestamp in the data and when the last load finished."""
    newest, count = con.execute("select max(received_at), count(*) from fct_dossiers").fetchone()
    last_load = con.execute("select max(finished_at) from load_batches").fetchone()[0]
    return Freshness(newest, last_load, count)


def is_simulated(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the warehouse holds the generated demo data, which pages must say."""
    row = con.execute("select value from warehouse_meta where key = 'simulated'").fetchone()
    return row is not None and row[0] == "true"
