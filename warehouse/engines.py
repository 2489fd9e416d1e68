"""KPI.md's figures on engines past one machine: the query layer's definition (``queries/kpi.sql``, the
dossiers' path) translated by sqlglot for Apache Spark and ClickHouse, which read the Parquet lake
(``warehouse/lake.py``). Nothing here restates a formula: the SQL is the one ``warehouse.kpi`` runs on
DuckDB, with its parameters bound as literals (engines differ on parameters and list types) and its table
names pointing at the lake.

Time zones: the lake's times are wall-clock times in Asia/Ho_Chi_Minh stored without a zone. Each engine is
told to read and compare them in UTC (``spark.sql.session.timeZone``, ClickHouse ``session_timezone``), so a
literal ``2026-12-03 10:00:00`` and a stored ``10:00:00`` mean the same instant and nothing shifts.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from warehouse import kpi
from warehouse.lake import SMALL_TABLES, lake_files
from warehouse.scope import Scope
from warehouse.slice import Slice
from warehouse.sql import sql

_PLACEHOLDER = re.compile(r"\$(\w+)")
PERIOD_COLUMNS = ("period_from", "period_to", "as_of", "period_idx")


def _literal(value: Any, dialect: str) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, datetime):  # microseconds kept: an as-of instant is 23:59:59.999 (ClickHouse's DateTime has none)
        kind = exp.DataType.build("DATETIME64(6)", dialect="clickhouse") if dialect == "clickhouse" else "TIMESTAMP"
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ", timespec="microseconds")), kind)
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, (list, tuple)):
        return exp.Array(expressions=[_literal(v, dialect) for v in value])
    raise TypeError(f"no literal for {type(value).__name__}")


def _periods(params: dict, dialect: str) -> exp.Expression:
    """The periods as a UNION ALL of one-row selects: every engine has that (not every one has list
    parameters, VALUES or UNNEST alike)."""
    rows = zip(params["period_from"], params["period_to"], params["as_of"], range(1, len(params["period_from"]) + 1))
    selects = [exp.select(*(exp.alias_(_literal(v, dialect), c) for v, c in zip(row, PERIOD_COLUMNS))) for row in rows]
    union = selects[0]
    for other in selects[1:]:
        union = exp.union(union, other, distinct=False)
    return union


def bound_kpi_sql(params: dict, dialect: str) -> exp.Expression:
    """``queries/kpi.sql`` (DuckDB dialect) with every parameter a literal and its periods a literal table,
    ready to be written in ``dialect``."""
    # the values go into the text before sqlglot reads it: it moves a list index from DuckDB's 1-based to
    # the target's own base only when it reads a literal index (path[$unit_depth] is path[3] in Spark at depth 4)
    # and without its comments first: a value with a line break must never end a `--` comment and become SQL
    bare = sqlglot.transpile(sql("queries/kpi"), read="duckdb", write="duckdb", comments=False)[0]
    text = _PLACEHOLDER.sub(lambda m: _literal(params[m.group(1)], "duckdb").sql(dialect="duckdb")
                            if m.group(1) in params else m.group(0), bare)
    tree = sqlglot.parse_one(text, read="duckdb")
    for cte in tree.find_all(exp.CTE):
        if cte.alias == "periods":
            cte.set("this", _periods(params, dialect))
    return tree


def kpi_sql(params: dict, dialect: str) -> str:
    """The KPI query for ``dialect`` (``spark``, ``clickhouse``, ``duckdb``), reading the warehouse's table names."""
    return bound_kpi_sql(params, dialect).sql(dialect=dialect, comments=False)


def kpi_params(con: duckdb.DuckDBPyConnection, periods: Sequence[tuple[date, date]], s: Slice, *,
               group_by: str = "none", now: datetime | None = None) -> dict:
    """The parameters ``warehouse.kpi`` gives the query for a slice, resolved on a connection with the unit
    tables (the warehouse, or DuckDB over the lake)."""
    return kpi.query_params(con, periods, s, group_by, now, Scope.everything())


# --- Apache Spark ---------------------------------------------------------------------------------------

def spark_session(master: str = "local-cluster[2,1,1024]", app: str = "ioc-kpi"):
    """A Spark session with two executor processes (``local-cluster``: work is really split), reading times
    in UTC so the lake's wall-clock times are compared as written."""
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master).appName(app)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.parquet.inferTimestampNTZ.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "1g")
            .getOrCreate())


def spark_views(spark, lake: Path, province: str) -> None:
    """Temporary views named like the warehouse's tables over one province of the lake: the files its
    manifest names, so an export under way is never half seen."""
    root = lake.resolve()
    files = lambda table: [str(f) for f in lake_files(lake, province, table)]  # noqa: E731 - the manifest's
    dossiers = spark.read.option("basePath", str(root / "dossiers")).parquet(*files("dossiers"))
    dossiers.drop("province", "year", "month", "unit_code_current").createOrReplaceTempView("fct_dossiers")
    for name, table in SMALL_TABLES.items():
        if files(name):
            spark.read.parquet(*files(name)).createOrReplaceTempView(table)


def spark_kpis(spark, params: dict) -> list[dict]:
    frame = spark.sql(kpi_sql(params, "spark"))
    return [row.asDict() for row in frame.collect()]


# --- ClickHouse (chdb, embedded) ------------------------------------------------------------------------

def clickhouse_tables(lake: Path, province: str) -> dict[str, str]:
    """The lake's files as ClickHouse table functions, by the warehouse's table names."""
    root = lake.resolve()
    paths = {"fct_dossiers": root / "dossiers" / f"province={province}" / "*" / "*" / "*.parquet"}
    paths |= {table: root / name / f"province={province}" / "*.parquet" for name, table in SMALL_TABLES.items()}
    return {table: str(path) for table, path in paths.items()}


def clickhouse_kpis(params: dict, lake: Path, province: str) -> list[dict]:
    import chdb

    tree = bound_kpi_sql(params, "clickhouse")
    files = clickhouse_tables(lake, province)
    for table in list(tree.find_all(exp.Table)):
        if table.name in files:
            function = exp.Anonymous(this="file", expressions=[exp.Literal.string(files[table.name]),
                                                               exp.Literal.string("Parquet")])
            table.replace(exp.Table(this=function, alias=exp.TableAlias(this=exp.to_identifier(table.alias_or_name))))
    query = tree.sql(dialect="clickhouse", comments=False) + (" SETTINGS session_timezone = 'UTC', use_hive_partitioning = 0, "
                                               "join_use_nulls = 1")
    result = chdb.query(query, "ArrowTable")
    return result.to_pylist()
