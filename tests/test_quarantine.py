"""mot_cua_loi.csv: 18 read, 8 loaded, 10 quarantined, each with its reason; warnings for the rest."""
from __future__ import annotations

import json

import duckdb

from tests.support import SAMPLES, cli_kpi, etl_load

EXPECTED_REASONS = {
    7: "missing_id", 8: "missing_received", 9: "bad_received", 10: "bad_due", 11: "bad_processed",
    12: "end_before_received", 13: "bad_fee", 14: "negative_fee", 15: "unknown_status",
    16: "resolved_without_end",
}


def test_bad_rows_are_quarantined_with_reasons(tmp_path):
    db = tmp_path / "wh.duckdb"
    summary = json.loads(etl_load(db, SAMPLES / "mot_cua_loi.csv").stdout)
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_quarantined"]) == (18, 8, 10)
    [file] = summary["files"]
    assert any("H72.25465-240409-1001" in w and "(17)" in w for w in file["warnings"])
    assert any("99999" in w for w in file["warnings"])

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select row_number, reason_code, reason, raw from quarantined_rows order by row_number").fetchall()
    assert {r[0]: r[1] for r in rows} == EXPECTED_REASONS
    by_row = {r[0]: r for r in rows}
    assert "sắp tới" in by_row[10][2]            # the offending value is quoted for the operator
    assert "một trăm nghìn" in by_row[13][2]
    assert "Đang chờ ký" in by_row[15][2]
    assert json.loads(by_row[14][3])["Phí, lệ phí"] == "-1000"  # original values kept
    warnings = {r[0] for r in con.execute("select kind from load_warnings").fetchall()}
    assert {"duplicate_in_file", "unknown_unit"} <= warnings
    loaded = con.execute("select count(*), count(distinct dossier_id) from dossier_rows").fetchone()
    assert loaded == (8, 7)  # row 17 repeats row 2's id: both kept as rows, one dossier


def test_later_row_wins_and_unknown_unit_counts_in_province(tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, SAMPLES / "mot_cua_loi.csv")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select row_number from fct_dossiers where dossier_id = 'H72.25465-240409-1001'"
                       ).fetchone() == (17,)
    province = cli_kpi(db, "--from", "2024-01-01", "--to", "2024-12-31")
    old_tay_ninh = cli_kpi(db, "--from", "2024-01-01", "--to", "2024-12-31", "--unit", "72")
    unknown = cli_kpi(db, "--from", "2024-01-01", "--to", "2024-12-31", "--unit", "_unknown")
    assert province["received_new"] == 7 and old_tay_ninh["received_new"] == 6
    assert unknown["received_new"] == 1
