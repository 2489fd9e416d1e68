"""Each spec sample, loaded alone through the real CLI, gives exactly expected_kpis.json."""
from __future__ import annotations

import json

import pytest

from tests.support import SAMPLES, cli_kpi, etl_load
from warehouse.kpi import KPI_KEYS

EXPECTED = json.loads((SAMPLES / "expected_kpis.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["mot_cua_mau.csv", "mot_cua_mau.xlsx", "dong_bo_mau.json"])
def loaded(request, tmp_path_factory):
    db = tmp_path_factory.mktemp("sample") / "wh.duckdb"
    summary = json.loads(etl_load(db, SAMPLES / request.param).stdout)
    assert summary["rows_read"] == summary["rows_loaded"] == 200
    assert summary["rows_quarantined"] == 0
    return db


@pytest.mark.parametrize("case", EXPECTED, ids=lambda c: " ".join(c["args"]))
def test_sample_gives_expected_kpis(loaded, case):
    got = cli_kpi(loaded, *case["args"])
    assert list(got) == list(KPI_KEYS)
    assert set(got) == set(case["expect"])
    assert got == case["expect"]  # exact, floats included


def test_identities_hold(loaded):
    for case in EXPECTED:
        got = cli_kpi(loaded, *case["args"])
        assert got["received_total"] == got["resolved_total"] + got["pending_total"]
        assert got["resolved_total"] == got["resolved_early"] + got["resolved_on_time"] + got["resolved_late"]
        assert got["received_total"] == got["received_new"] + got["received_carried_over"]
