"""A database at any older schema version ends at the current schema; a fresh one too."""
from __future__ import annotations

import duckdb

from warehouse.migrate import migrate, migration_files

SCHEMA = """
select table_name, column_name, data_type, is_nullable
from information_schema.columns where table_schema = 'main' order by table_name, column_name
"""


def schema(con) -> list[tuple]:
    return con.execute(SCHEMA).fetchall()


def test_every_older_version_migrates_to_the_current_schema(tmp_path):
    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    latest = migrate(fresh)
    assert latest == migration_files()[-1][0] and latest >= 2
    for version, _ in migration_files()[:-1]:
        old = duckdb.connect(str(tmp_path / f"v{version}.duckdb"))
        assert migrate(old, until=version) == version
        assert schema(old) != schema(fresh)
        assert migrate(old) == latest
        assert schema(old) == schema(fresh)


def test_migrating_twice_changes_nothing_and_seeds_units_once(tmp_path):
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    migrate(con)
    before = con.execute("select count(*) from admin_units").fetchone()[0]
    migrate(con)
    assert con.execute("select count(*) from admin_units").fetchone()[0] == before == 10_810
    depth = dict(con.execute("select level, max(depth) from admin_units join unit_paths using (code) "
                             "group by level").fetchall())
    assert depth == {"province": 1, "district": 2, "commune": 3}  # derived from parents, not coded
