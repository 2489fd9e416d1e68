"""What a load does with states, repeats and refusals (DATA-CONTRACT.md), through the real CLI."""
from __future__ import annotations

import json
import os
import shutil

from tests.support import cli_kpi, etl_load, write_csv

PERIOD = ("--from", "2024-03-01", "--to", "2024-03-31")
PENDING = {"Mã hồ sơ": "D-1", "Ngày tiếp nhận": "04/03/2024 08:00", "Ngày hẹn trả": "08/03/2024",
           "Trạng thái": "Đang xử lý"}
RESOLVED_LATE = PENDING | {"Ngày có kết quả": "12/03/2024 10:00", "Trạng thái": "Đã có kết quả"}
OTHER = {"Mã hồ sơ": "D-2", "Ngày tiếp nhận": "05/03/2024", "Ngày hẹn trả": "20/03/2024",
         "Ngày có kết quả": "06/03/2024", "Trạng thái": "Đã trả kết quả"}


def test_newer_state_replaces_older_across_loads(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", [PENDING, OTHER]))
    before = cli_kpi(db, *PERIOD)
    assert (before["pending_total"], before["resolved_total"]) == (1, 1)
    etl_load(db, write_csv(tmp_path / "b.csv", [RESOLVED_LATE]))
    after = cli_kpi(db, *PERIOD)
    assert (after["received_new"], after["pending_total"], after["resolved_total"]) == (2, 0, 2)
    assert after["resolved_late"] == 1


def test_later_file_in_one_batch_is_the_newer_state(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "old.csv", [PENDING]), write_csv(tmp_path / "new.csv", [RESOLVED_LATE]))
    assert cli_kpi(db, *PERIOD)["resolved_late"] == 1


def test_reloading_a_file_changes_nothing_whatever_its_name(tmp_path):
    db = tmp_path / "wh.duckdb"
    first = write_csv(tmp_path / "a.csv", [PENDING, OTHER])
    etl_load(db, first)
    etl_load(db, write_csv(tmp_path / "b.csv", [RESOLVED_LATE]))
    figures = cli_kpi(db, *PERIOD)
    renamed = shutil.copy(first, tmp_path / "a-again.csv")
    summary = json.loads(etl_load(db, first, renamed).stdout)
    assert summary["rows_read"] == 0
    assert all(f["skipped"] for f in summary["files"])
    assert cli_kpi(db, *PERIOD) == figures  # the older state did not come back


def test_batch_with_a_refused_file_applies_nothing(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", [PENDING]))
    version = os.path.realpath(db)
    figures = cli_kpi(db, *PERIOD)
    good = write_csv(tmp_path / "good.csv", [RESOLVED_LATE, OTHER])
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("Mã hồ sơ,Lĩnh vực\nX,Đất đai\n".encode("cp1258", errors="replace").replace(b"?", b"\xe3"))
    result = etl_load(db, good, latin1, check=False)
    assert result.returncode != 0
    assert "latin1.csv" in result.stderr and "UTF-8" in result.stderr
    assert os.path.realpath(db) == version
    assert cli_kpi(db, *PERIOD) == figures


def test_missing_required_column_is_named(tmp_path):
    db = tmp_path / "wh.duckdb"
    bad = tmp_path / "no_status.csv"
    bad.write_text("Mã hồ sơ;Lĩnh vực;Mã ĐVHC;Ngày tiếp nhận\nX;Đất đai;703;01/03/2024\n", encoding="utf-8")
    result = etl_load(db, bad, check=False)
    assert result.returncode != 0
    assert "no_status.csv" in result.stderr and "Trạng thái" in result.stderr
    assert not db.exists()


def test_headers_match_ignoring_case_diacritics_and_punctuation(tmp_path):
    db = tmp_path / "wh.duckdb"
    export = tmp_path / "ascii.csv"
    export.write_text(
        "MA HO SO\tlinh_vuc\tMã đvhc\tNGAY TIEP NHAN\ttrang thai\tPhi le phi\textra column\n"
        "X-1\tĐất đai\t703\t2024-03-04 08:00\t10\t1.500.000\tignored\n", encoding="utf-8")
    summary = json.loads(etl_load(db, export).stdout)
    assert summary["rows_quarantined"] == 1  # resolved status without an end date
    export.write_text(export.read_text(encoding="utf-8").replace("\t10\t", "\t4\t"), encoding="utf-8")
    summary = json.loads(etl_load(db, export).stdout)
    assert summary["rows_loaded"] == 1
    assert cli_kpi(db, *PERIOD, "--unit", "703")["received_new"] == 1


def test_a_dossier_refused_later_leaves_every_figure(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", [PENDING, OTHER]))
    etl_load(db, write_csv(tmp_path / "b.csv", [PENDING | {"Trạng thái": "Không được tiếp nhận"}]))
    figures = cli_kpi(db, *PERIOD)
    assert (figures["received_new"], figures["pending_total"]) == (1, 0)


def test_a_later_batch_with_a_blank_field_loads_and_warns_of_no_new_field(tmp_path):
    """A dossier with no "Lĩnh vực" in a second batch is loaded like in the first (it once made the
    batch's new-field warning null and the whole load fail)."""
    db = tmp_path / "wh.duckdb"
    etl_load(db, write_csv(tmp_path / "a.csv", [PENDING]))
    done = json.loads(etl_load(db, write_csv(tmp_path / "b.csv", [OTHER | {"Lĩnh vực": ""}])).stdout)
    assert done["rows_loaded"] == 1
    assert not any("Lĩnh vực mới" in w for f in done["files"] for w in f["warnings"])
    assert cli_kpi(db, *PERIOD)["received_new"] == 2
