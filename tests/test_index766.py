"""The Decision 766 estimate (KPI.md "Citizen-service index"): every item's status, R, target and points."""
from __future__ import annotations

import json
from datetime import date

import pytest

from common.settings import get_settings
from etl.load import load_files
from tests.support import write_catalogue, write_csv
from warehouse.index766 import COMPUTED, FULL_MARKS, GROUPS, ITEMS, NOT_COMPUTABLE, estimate, score
from warehouse.scope import Scope
from warehouse.slice import Slice
from warehouse.store import Reader, Store

MARCH = Slice(date(2024, 3, 1), date(2024, 3, 31))
ALL = Scope.everything()


def dossier(id_: str, received: str, **cells) -> dict:
    return {"Mã hồ sơ": id_, "Ngày tiếp nhận": received, **cells}


@pytest.fixture
def con(tmp_path):
    catalogue = write_catalogue(tmp_path / "c.csv", [
        {"Mã TTHC": "P1", "Cấp thực hiện": "Xã", "Mức độ DVC": "Toàn trình"},
        {"Mã TTHC": "P2", "Cấp thực hiện": "Xã", "Mức độ DVC": "Một phần"},
        {"Mã TTHC": "P3", "Cấp thực hiện": "Xã"},
        {"Mã TTHC": "P4", "Cấp thực hiện": "Tỉnh"},
        {"Mã TTHC": "P5", "Cấp thực hiện": "Tỉnh", "Mức độ DVC": "Toàn trình"},
    ])
    dossiers = write_csv(tmp_path / "d.csv", [
        dossier("early", "01/03/2024", **{"Mã TTHC": "P1", "Ngày hẹn trả": "10/03/2024", "Ngày có kết quả": "05/03/2024",
                                          "Trạng thái": "9", "Kênh nộp": "Trực tuyến", "Số hóa": "Có",
                                          "Mức độ hài lòng": "Hài lòng", "Phí, lệ phí": "50000",
                                          "Hình thức thanh toán": "Trực tuyến"}),
        dossier("late", "01/03/2024", **{"Mã TTHC": "P2", "Ngày hẹn trả": "05/03/2024", "Ngày có kết quả": "10/03/2024",
                                         "Trạng thái": "9", "Mức độ hài lòng": "Không hài lòng",
                                         "Phí, lệ phí": "50000", "Hình thức thanh toán": "Tiền mặt"}),
        dossier("open-on-track", "20/03/2024", **{"Mã TTHC": "P1", "Ngày hẹn trả": "10/04/2024"}),
        dossier("open-overdue", "01/03/2024", **{"Mã TTHC": "P3", "Ngày hẹn trả": "15/03/2024"}),
    ])
    db = tmp_path / "wh.duckdb"
    load_files(db, [catalogue, dossiers])
    return Reader(Store(db)).cursor()


def test_items_cover_six_groups_and_100_points():
    criteria = get_settings().criteria_766
    assert [g.code for g in GROUPS] == ["1", "2", "3", "4", "5", "6"]
    assert sum(criteria[i.code].pmax for i in ITEMS) == 100
    by_group = {g.code: sum(criteria[i.code].pmax for i in ITEMS if i.group == g.code) for g in GROUPS}
    assert by_group == {"1": 18, "2": 20, "3": 12, "4": 10, "5": 22, "6": 18}


def test_each_item_scores_pmax_times_min_1_r_over_target(con):
    e = estimate(con, MARCH, scope=ALL)
    items = {i["code"]: i for i in e.items}
    # 2.1: (early + on time + pending on track) / received_total = 2 / 4, target 100%
    assert items["2.1"]["r"] == 2 / 4 and items["2.1"]["points"] == 20 * 0.5
    # 3.1: 3 of 5 procedures online, target 80%
    assert items["3.1"]["r"] == 3 / 5 and items["3.1"]["points"] == pytest.approx(2 * (0.6 / 0.8))
    # 3.2: of the 3 online procedures, P1 had an online dossier: 1 / 3, target 100%
    assert items["3.2"]["r"] == 1 / 3 and items["3.2"]["points"] == pytest.approx(4 / 3)
    # 3.3: online_rate 1 / 4 against 50%
    assert items["3.3"]["r"] == 1 / 4 and items["3.3"]["points"] == 6 * 0.5
    # 4.1: one of two fees paid online, target 100%
    assert items["4.1"]["r"] == 1 / 2 and items["4.1"]["points"] == 3
    # 5.1: 1 of 4 digitised against 80%; 6.1: satisfaction 1 of 2 rated against 90%
    assert items["5.1"]["points"] == pytest.approx(4 * (0.25 / 0.8))
    assert items["6.1"]["r"] == 1 / 2 and items["6.1"]["points"] == pytest.approx(6 * (0.5 / 0.9))
    assert {c for c, i in items.items() if i["status"] == COMPUTED} == {"2.1", "3.1", "3.2", "3.3", "4.1", "5.1", "6.1"}


def test_items_without_a_source_are_shown_never_guessed_and_totals_stay_apart(con):
    e = estimate(con, MARCH, scope=ALL)
    missing = {i["code"]: i for i in e.items if i["status"] == NOT_COMPUTABLE}
    assert set(missing) == {"1.1", "1.2", "4.2", "5.2", "6.2", "6.3"}
    assert all(i["points"] is None and i["reason"] == "no_source" for i in missing.values())
    assert e.pmax_not_computable == 6 + 12 + 4 + 18 + 6 + 6 == 52
    assert e.pmax_computed == 48
    assert e.reachable == pytest.approx(e.points_computed + 52)
    assert e.band is None  # the portal's bands only for a full score


def test_an_item_with_no_base_in_the_period_is_not_computable_for_want_of_data(tmp_path):
    db = tmp_path / "wh.duckdb"
    load_files(db, [write_csv(tmp_path / "d.csv", [dossier("a", "05/03/2024")])])  # no catalogue, no fee, no rating
    items = {i["code"]: i for i in estimate(Reader(Store(db)).cursor(), MARCH, scope=ALL).items}
    for code in ("3.1", "3.2", "4.1", "6.1"):
        assert (items[code]["status"], items[code]["reason"], items[code]["points"]) == (NOT_COMPUTABLE, "no_data", None)
    assert items["2.1"]["status"] == COMPUTED


def test_full_marks_by_rule_and_the_band_of_a_complete_score(monkeypatch):
    everything = {"received_total": 10, "resolved_early": 10, "resolved_on_time": 0, "pending_on_track": 0,
                  "procedures_online": 8, "procedures_total": 10, "online_procedures_with_online_dossiers": 6,
                  "online_rate": 0.5, "online_payment_rate": 1.0, "digitised_rate": 0.8, "satisfaction_rate": 0.9}
    criteria = {code: {"pmax": pmax, "target": None, "applies_to": ["Tỉnh"]}
                for code, pmax in (("1.1", 6), ("1.2", 12), ("4.2", 4), ("5.2", 18), ("6.2", 6), ("6.3", 6))}
    monkeypatch.setenv("IOC_CRITERIA_766", json.dumps(criteria))
    get_settings.cache_clear()
    try:
        commune = score(everything, "Xã")
        assert {i["code"] for i in commune.items if i["status"] == FULL_MARKS} == set(criteria)
        assert commune.complete and commune.points_computed == pytest.approx(100 - 4 * 0.25)  # 3.2: 6 of 8 used online
        assert commune.band == "Xuất sắc"
        province = score(everything, "Tỉnh")  # the items apply there, and have no source
        assert province.pmax_not_computable == 52 and province.band is None
    finally:
        get_settings.cache_clear()
