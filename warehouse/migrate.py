"""Schema migrations and model refresh, run by the single writer before every load.

Migrations are ``migrations/NNNN_name.sql`` files applied in order and recorded in
``schema_migrations``; a database at any older version ends at the current schema.
After migrating, reference data is seeded once and the staging views are
(re)created from their ``.sql`` files, so a changed model reaches the next publish.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from warehouse.sql import sql

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VIEWS = ("staging/stg_dossier_rows", "marts/procedure_states")


def migration_files() -> list[tuple[int, Path]]:
    """All migration files as (version, path), in order."""
    files = sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return [(int(p.name[:4]), p) for p in files]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The newest applied migration (0 for an empty database)."""
    con.execute("create table if not exists schema_migrations ("
                "version integer primary key, name varchar not null, applied_at timestamp not null)")
    return con.execute("select coalesce(max(version), 0) from schema_migrations").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, *, until: int | None = None) -> int:
    """Apply pending migrations (up to ``until``), seed reference data, refresh views."""
    applied = current_version(con)
    for version, path in migration_files():
        if version <= applied or (until is not None and version > until):
            continue
        con.execute("begin")
        con.execute(path.read_text(encoding="utf-8"))
        con.execute("insert into schema_migrations values (?, ?, now()::timestamp)", [version, path.stem])
        con.execute("commit")
        applied = version
    if until is None:
        seed_reference(con)
        refresh_models(con)
    return applied


def seed_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Write the unit lists, the successors and the views of the configured reference data, when the
    warehouse does not hold this edition yet (a province may hand in a newer one at any time)."""
    from warehouse import reference

    reference.seed(con, reference.configured())


def refresh_models(con: duckdb.DuckDBPyConnection) -> None:
    """Recreate staging views; rebuild the dossier and KPI marts fully when their models, or the reference
    data their units are read in, changed."""
    for name in VIEWS:
        con.execute(f"create or replace view {Path(name).name} as {sql(name)}")
    con.execute("create table if not exists model_hashes (model varchar primary key, sha256 varchar)")
    con.execute("insert or replace into model_hashes values ('views', ?)", [_views_digest()])
    digest = _marts_digest(con)
    if _stored_digest(con, _MARTS) != digest:
        from warehouse.marts import failed_checks, rebuild_dossiers  # local: marts imports this module's views
        rebuild_dossiers(con, since_batch=0)
        broken = failed_checks(con)  # every dossier was rebuilt, so every dossier is checked
        if broken:
            raise RuntimeError(f"data checks failed after rebuilding the marts, nothing applied: {', '.join(broken)}")
        con.execute("insert or replace into model_hashes values (?, ?)", [_MARTS, digest])


def schema_current(con: duckdb.DuckDBPyConnection, base: str) -> bool:
    """True when the database attached as ``base`` has every migration (a load may then write a layer)."""
    applied = con.execute(f"select coalesce(max(version), 0) from {base}.schema_migrations").fetchone()[0]
    return applied == migration_files()[-1][0]


def models_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when ``migrate`` would change nothing but the staging views' identical text: the reference data
    is the configured edition and the models are the code's, so a load may write a layer."""
    from warehouse import reference

    return (reference.stored_digest(con) == reference.configured_digest()
            and _stored_digest(con, "views") == _views_digest()
            and _stored_digest(con, _MARTS) == _marts_digest(con))


_MARTS = "marts/fct_dossiers"  # the key of the marts' digest in model_hashes


def _marts_digest(con: duckdb.DuckDBPyConnection) -> str:
    """The marts' models and the reference edition their units are read in."""
    from warehouse import reference

    models = sql(_MARTS) + sql("marts/kpi_month") + sql("marts/kpi_carry") + sql(VIEWS[0])
    return hashlib.sha256((models + (reference.stored_digest(con) or "")).encode()).hexdigest()


def _views_digest() -> str:
    return hashlib.sha256("".join(sql(name) for name in VIEWS).encode()).hexdigest()


def _stored_digest(con: duckdb.DuckDBPyConnection, model: str) -> str | None:
    row = con.execute("select sha256 from model_hashes where model = ?", [model]).fetchone()
    return row[0] if row else None
