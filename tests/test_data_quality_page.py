"""The data-quality page (/du-lieu): loads, quarantined rows with reasons, warnings, freshness."""
from __future__ import annotations

import json

import pytest

from tests.support import SAMPLES, AppProcess, etl_load, find_components, render_page


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("dq") / "wh.duckdb"
    etl_load(db, SAMPLES / "mot_cua_loi.csv")
    return db


def grid_rows(tree, grid_id: str) -> list[dict]:
    [grid] = find_components(tree, lambda n: n["props"].get("id") == grid_id)
    return grid["props"]["rowData"]


def freshness_verdict(tree) -> dict:
    [verdict] = find_components(tree, lambda n: "data-stale" in n["props"])
    return verdict["props"]


@pytest.mark.parametrize("hours, stale", [("24", "false"), ("0", "true")])
def test_page_lists_loads_quarantine_and_warns_when_stale(loaded_db, hours, stale):
    app = AppProcess(loaded_db, {"IOC_FRESHNESS_HOURS": hours}).wait_ready()
    try:
        tree = render_page(app, "/du-lieu")
    finally:
        app.stop()
    assert freshness_verdict(tree)["data-stale"] == stale
    quarantined = grid_rows(tree, "dq-quarantine")
    assert [r["row_number"] for r in quarantined] == list(range(7, 17))
    assert quarantined[2]["reason"].startswith("Ngày tiếp nhận không đọc được: '31/02/2024'")
    assert "BAD-2" in quarantined[2]["raw"]
    loads = grid_rows(tree, "dq-loads")
    assert (loads[0]["rows_read"], loads[0]["rows_loaded"], loads[0]["rows_quarantined"]) == (18, 8, 10)
    kinds = {r["kind"] for r in grid_rows(tree, "dq-warnings")}
    assert kinds == {"Trùng mã trong tệp", "Mã ĐVHC lạ"}
    assert json.dumps(tree, ensure_ascii=False).count("Thiếu mã hồ sơ") == 1
