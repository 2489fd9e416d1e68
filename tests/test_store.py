"""Published versions: readers never see half a batch and keep working across a publish."""
from __future__ import annotations

import os

import pytest

from etl.errors import RefusedFile
from etl.load import load_files
from tests.support import write_csv
from warehouse.store import Reader, Store

ROW = {"Mã hồ sơ": "A", "Ngày tiếp nhận": "04/03/2024"}


def count(cursor) -> int:
    return cursor.execute("select count(*) from fct_dossiers").fetchone()[0]


def test_a_reader_follows_new_versions_and_old_cursors_keep_their_snapshot(tmp_path):
    db = tmp_path / "wh.duckdb"
    load_files(db, [write_csv(tmp_path / "a.csv", [ROW])])
    reader = Reader(Store(db))
    old = reader.cursor()
    first_version = reader.version
    load_files(db, [write_csv(tmp_path / "b.csv", [ROW | {"Mã hồ sơ": "B"}])])
    assert reader.version != first_version
    assert count(old) == 1              # a query in flight finishes on the version it started with
    assert count(reader.cursor()) == 2  # the next query sees the new version


def test_old_versions_are_pruned_and_failed_loads_leave_no_files(tmp_path):
    db = tmp_path / "wh.duckdb"
    for name in "abcd":
        load_files(db, [write_csv(tmp_path / f"{name}.csv", [ROW | {"Mã hồ sơ": name}])])
    versions = sorted(p.name for p in Store(db).versions_dir.glob("v*.duckdb"))
    # the last two versions: the base v1 under the layers v3 and v4 (each load rewrote the layer)
    assert versions == ["v000001.duckdb", "v000003.duckdb", "v000004.duckdb"]
    assert os.path.basename(os.path.realpath(db)) == "v000004.duckdb"
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(RefusedFile):
        load_files(db, [empty])
    assert sorted(p.name for p in Store(db).versions_dir.iterdir()) == [*versions, "write.lock"]


def test_reference_lookups_are_remembered_per_version_and_a_load_brings_its_own(tmp_path):
    """The fields a filter offers are read once per published version (store.per_version), never carried
    into the next one: a load bringing a new field shows it at once."""
    from warehouse import catalog

    db = tmp_path / "wh.duckdb"
    load_files(db, [write_csv(tmp_path / "a.csv", [ROW | {"Lĩnh vực": "Hộ tịch"}])])
    reader = Reader(Store(db))
    assert catalog.fields(reader.cursor()) == ["Hộ tịch"]
    assert catalog.fields(reader.cursor()) == ["Hộ tịch"]  # the second ask is the remembered answer
    load_files(db, [write_csv(tmp_path / "b.csv", [ROW | {"Mã hồ sơ": "B", "Lĩnh vực": "Đất đai"},
                                                   ROW | {"Mã hồ sơ": "C", "Lĩnh vực": "Đất đai"}])])
    assert catalog.fields(reader.cursor()) == ["Đất đai", "Hộ tịch"]
    assert catalog.known_values(reader.cursor())["field"] == {"Đất đai", "Hộ tịch"}


def test_a_sibling_cursor_reads_its_parents_version_after_a_newer_one_is_published(tmp_path):
    """A query run beside another (store.sibling, the 766 ranking's two queries at once) reads the same
    published version as the cursor it came from, even once a load has published the next one."""
    from warehouse.store import sibling

    db = tmp_path / "wh.duckdb"
    load_files(db, [write_csv(tmp_path / "a.csv", [ROW])])
    reader = Reader(Store(db))
    con = reader.cursor()
    load_files(db, [write_csv(tmp_path / "b.csv", [ROW | {"Mã hồ sơ": "B"}])])
    side = sibling(con)
    assert side.execute("select count(*) from fct_dossiers").fetchone()[0] == 1
    assert reader.cursor().execute("select count(*) from fct_dossiers").fetchone()[0] == 2
