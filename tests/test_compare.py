"""Comparisons (previous period, same period last year) and targets by handling level."""
from __future__ import annotations

from datetime import date

import pytest

from common import kpi_text
from common.settings import Targets, get_settings
from tests.test_kpi_rules import ALL, dossier, load
from warehouse.kpi import compare, kpi_json, kpis
from warehouse.slice import Slice


@pytest.mark.parametrize(("period", "last_year"), [
    ((date(2025, 3, 1), date(2025, 3, 31)), (date(2024, 3, 1), date(2024, 3, 31))),
    # a whole February, and a year to date through February, compare with the whole month
    ((date(2025, 2, 1), date(2025, 2, 28)), (date(2024, 2, 1), date(2024, 2, 29))),
    ((date(2025, 1, 1), date(2025, 2, 28)), (date(2024, 1, 1), date(2024, 2, 29))),
    # 29 February has no twin: it becomes 28 February, at either end
    ((date(2024, 2, 1), date(2024, 2, 29)), (date(2023, 2, 1), date(2023, 2, 28))),
    ((date(2024, 2, 29), date(2024, 2, 29)), (date(2023, 2, 28), date(2023, 2, 28))),
    ((date(2024, 2, 29), date(2024, 3, 31)), (date(2023, 2, 28), date(2023, 3, 31))),
    # a day inside February that is not its last stays itself
    ((date(2024, 2, 20), date(2024, 2, 28)), (date(2023, 2, 20), date(2023, 2, 28))),
])
def test_same_period_last_year_handles_29_february(period, last_year):
    shifted = Slice(*period, unit="72", field="Đất đai").same_period_last_year()
    assert (shifted.date_from, shifted.date_to) == last_year
    assert (shifted.unit, shifted.field) == ("72", "Đất đai")


def test_compare_gives_the_period_the_one_before_and_last_years_in_one_answer(tmp_path):
    resolved = {"Trạng thái": "Đã có kết quả", "Ngày hẹn trả": "20/03/2024"}
    con = load(tmp_path, [
        dossier("this-march", "05/03/2025", **{"Ngày có kết quả": "10/03/2025", "Ngày hẹn trả": "06/03/2025",
                                               "Trạng thái": "Đã có kết quả"}),
        dossier("february", "10/02/2025"),
        dossier("last-march-1", "05/03/2024", **resolved, **{"Ngày có kết quả": "10/03/2024"}),
        dossier("last-march-2", "06/03/2024", **resolved, **{"Ngày có kết quả": "11/03/2024"}),
        dossier("last-leap-day", "29/02/2024"),
    ])
    s = Slice(date(2025, 3, 1), date(2025, 3, 31))
    figures = compare(con, s, scope=ALL)
    assert kpi_json(figures.current) == kpi_json(kpis(con, s, scope=ALL))
    assert kpi_json(figures.previous) == kpi_json(kpis(con, s.previous(), scope=ALL))
    assert kpi_json(figures.last_year) == kpi_json(kpis(con, Slice(date(2024, 3, 1), date(2024, 3, 31)), scope=ALL))
    assert (figures.current["received_new"], figures.previous["received_new"],
            figures.last_year["received_new"]) == (1, 1, 2)
    assert (figures.current["late_rate"], figures.last_year["late_rate"]) == (1, 0)
    february = compare(con, Slice(date(2025, 2, 1), date(2025, 2, 28)), scope=ALL)
    assert february.last_year["received_new"] == 1  # 29/02/2024 belongs to last year's February


def test_a_level_override_applies_only_to_slices_of_that_level(monkeypatch):
    targets = Targets(online_rate=0.5, by_level={"Tỉnh": {"online_rate": 0.9}, "Xã": {"online_rate": 0.4}})
    monkeypatch.setattr(get_settings(), "targets", targets)
    assert kpi_text.target_of("online_rate") == 0.5
    assert kpi_text.target_of("online_rate", "Tỉnh") == 0.9
    assert kpi_text.target_of("online_rate", "Huyện") == 0.5  # no override: the province's
    assert kpi_text.target_of("late_rate", "Xã") == targets.late_rate
    assert kpi_text.meets_target("online_rate", 0.45, "Xã") is True
    assert kpi_text.meets_target("online_rate", 0.45) is False
    assert kpi_text.target_text("online_rate", "vi", level="Tỉnh") == "Mục tiêu: ≥ 90,00%"
    assert kpi_text.target_of("received_new", "Xã") is None


def test_a_misspelt_override_is_refused():
    with pytest.raises(ValueError, match="onlin_rate"):
        Targets(by_level={"Xã": {"onlin_rate": 0.4}})
    with pytest.raises(ValueError):
        Targets(by_level={"Phường": {"online_rate": 0.4}})
