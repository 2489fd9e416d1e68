"""The checks a load runs before it publishes, and the warnings it records, on real warehouses."""
from __future__ import annotations

import json
import shutil

import duckdb

from tests.support import etl_load, write_csv
from warehouse import layers
from warehouse.marts import failed_checks
from warehouse.store import Store

ROWS = [{"Mã hồ sơ": f"C-{i}", "Ngày tiếp nhận": "04/03/2024 08:00", "Ngày hẹn trả": "08/03/2024",
         "Ngày có kết quả": "06/03/2024 09:00", "Trạng thái": "Đã trả kết quả"} for i in range(5)]


def _writable_copy(db, tmp_path) -> duckdb.DuckDBPyConnection:
    """The published version as one writable file: its base, with its layers folded in."""
    files = layers.chain_of(Store(db).current_file())
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(files[0], copy)
    con = duckdb.connect(str(copy))
    layers.fold(con, files[1:])
    return con


def test_a_second_row_of_a_dossier_or_a_mart_that_does_not_add_up_is_caught(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", ROWS))
    con = _writable_copy(db, tmp_path)
    assert failed_checks(con) == []
    latest = con.execute("select max(batch_id) from load_batches").fetchone()[0]
    con.execute("insert into fct_dossiers select * from fct_dossiers where dossier_id = 'C-1'")
    assert "dossier id unique in fct_dossiers" in failed_checks(con, since_batch=latest)
    assert "the KPI mart adds up to the dossiers" in failed_checks(con)  # 6 dossiers, the mart counts 5


def test_a_new_field_is_warned_once_and_a_known_one_is_not(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", ROWS))
    second = [ROWS[0] | {"Mã hồ sơ": "C-9", "Lĩnh vực": "Đất đai"}, ROWS[0] | {"Mã hồ sơ": "C-10"}]
    warnings = [w for f in json.loads(etl_load(db, write_csv(tmp_path / "b.csv", second)).stdout)["files"]
                for w in f["warnings"]]
    assert [w for w in warnings if w.startswith("Lĩnh vực mới")] == ["Lĩnh vực mới: Đất đai / new field: Đất đai"]


def test_row_checks_read_the_loads_dossiers_and_all_of_them_when_asked(tmp_path):
    """A load checks the dossiers it touched (an earlier batch's were checked by its own load); with
    since_batch 0, as after a model change rebuilds every dossier, a broken old row is caught."""
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", ROWS))
    etl_load(db, write_csv(tmp_path / "b.csv", [ROWS[0] | {"Mã hồ sơ": "D-1"}]))
    con = _writable_copy(db, tmp_path)
    latest = con.execute("select max(batch_id) from load_batches").fetchone()[0]
    con.execute("update fct_dossiers set outcome = null where dossier_id = 'C-2'")  # a row of batch 1
    assert failed_checks(con, since_batch=latest) == []
    assert "every counted dossier has an outcome once resolved" in failed_checks(con)
    con.execute("update fct_dossiers set outcome = null where dossier_id = 'D-1'")  # the latest load's row
    assert "every counted dossier has an outcome once resolved" in failed_checks(con, since_batch=latest)


def test_a_warehouse_from_before_the_known_values_learns_them_from_its_rows(tmp_path):
    """Migration 0007 seeds the known fields from the rows already loaded, so upgrading does not warn of
    every field as new at the next load; a field no row named is still new."""
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", [ROWS[0] | {"Lĩnh vực": "Hộ tịch"}]))
    version = Store(db).current_file()
    con = duckdb.connect(str(version))
    con.execute("drop table known_values")
    con.execute("delete from schema_migrations where version = 7")
    con.close()
    second = [ROWS[1] | {"Lĩnh vực": "Hộ tịch"}, ROWS[2] | {"Lĩnh vực": "Đất đai"}]
    warnings = [w for f in json.loads(etl_load(db, write_csv(tmp_path / "b.csv", second)).stdout)["files"]
                for w in f["warnings"]]
    assert [w for w in warnings if w.startswith("Lĩnh vực mới")] == ["Lĩnh vực mới: Đất đai / new field: Đất đai"]
