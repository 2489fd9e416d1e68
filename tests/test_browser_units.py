"""Today's units and the old ones in a real headless Chromium: the unit-list switch in the filter bar, the
1 July 2025 marker on trends, the "ước tính" mark of split communes, and Huyện only where districts existed.

A small warehouse of its own: dossiers every fortnight from 2024 to mid-2026 in Phường Tân Ninh's predecessors
and in Xã Thái Bình (25597, split between Tân Ninh and Xã Châu Thành), then in today's communes.
"""
from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from etl.load import load_files
from tests.support import AppProcess, open_page

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "tmp"


def export(path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Mã hồ sơ", "Lĩnh vực", "Mã ĐVHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
                      "Trạng thái", "Cấp giải quyết", "Kênh nộp"])
        day, n = date(2024, 1, 3), 0
        while day < date(2026, 6, 30):
            units = ("25456", "25459", "25597", "25585") if day < date(2025, 7, 1) else ("25459", "25585")
            for unit in units:
                n += 1
                late = n % 9 == 0
                out.writerow([f"D{n:05d}", "Đất đai" if n % 3 else "Hộ tịch", unit, day.strftime("%d/%m/%Y"),
                              day.strftime("%d/%m/%Y"), (day + timedelta(days=2 if late else 0)).strftime("%d/%m/%Y"),
                              "Đã có kết quả", "Xã", "Trực tuyến" if n % 2 else "Trực tiếp"])
            day += timedelta(days=14)
    return path


@pytest.fixture(scope="module")
def units_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("units-app")
    db = tmp / "wh.duckdb"
    load_files(db, [export(tmp / "units.csv")])
    app = AppProcess(db).wait_ready()
    yield app
    app.stop()




def svg_texts(page, selector: str) -> list[str]:
    """The text of SVG elements (axis labels, annotations: not HTML, so no innerText)."""
    return page.locator(selector).evaluate_all("els => els.map(e => e.textContent)")


def test_a_split_communes_figures_say_estimate_and_the_trend_marks_the_reform(chromium, units_app):
    page, errors = open_page(chromium, units_app, "/?from=2025-01-01&to=2025-12-31&unit=25459")
    assert "ước tính" in page.locator("#estimate-note").inner_text()
    page.wait_for_selector("#overview-trend .annotation-text")
    marks = svg_texts(page, "#overview-trend .annotation-text")
    assert "Sắp xếp ĐVHC 01/07/2025" in marks
    assert errors == []
    # the province total counts every dossier once: no estimate there
    province, _ = open_page(chromium, units_app, "/?from=2025-01-01&to=2025-12-31")
    assert province.locator("#estimate-note").count() == 0
    # the ranking names the split commune's successor with the mark (once plotly has drawn its axis)
    province.wait_for_selector("#overview-units .ytick text")
    bars = " ".join(svg_texts(province, "#overview-units .ytick text"))
    assert "Phường Tân Ninh (ước tính)" in bars


def test_the_switch_shows_the_old_units_and_keeps_it_in_the_url(chromium, units_app):
    page, errors = open_page(chromium, units_app, "/tre-han?from=2024-01-01&to=2024-12-31&unit=25459")
    assert page.locator("#unit-breadcrumb").inner_text().replace("\n", " ").strip() == "Tỉnh Tây Ninh › Phường Tân Ninh"
    page.select_option("#late-units-view", "2025-06-30")
    page.wait_for_url(re.compile(r"units_as_of=2025-06-30"))
    assert "unit=" not in page.url  # a code means another unit in another list: back to the province
    page.wait_for_function("() => document.querySelector('#unit-breadcrumb').innerText.trim() === 'Tỉnh Tây Ninh'")
    # today's province appears as the old provinces it was made from
    page.wait_for_function("() => [...document.querySelectorAll('#late-units .ytick text')]"
                           ".some(e => e.textContent.includes('Tỉnh Tây Ninh'))")
    bars = " ".join(svg_texts(page, "#late-units .ytick text"))
    assert "Tỉnh Tây Ninh" in bars
    assert not page.locator("#late-table .ag-paging-panel").is_visible()  # two fields: nothing to page through
    page.go_back()
    page.wait_for_url(re.compile(r"unit=25459"))
    assert "units_as_of" not in page.url
    assert errors == []


def test_huyen_is_offered_only_for_periods_that_had_districts(chromium, units_app):
    after, _ = open_page(chromium, units_app, "/?from=2026-01-01&to=2026-03-31")
    assert "Huyện" not in after.locator("#ov-level").inner_text()
    before, _ = open_page(chromium, units_app, "/?from=2025-01-01&to=2025-12-31")
    assert "Huyện" in before.locator("#ov-level").inner_text()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_screenshots_of_both_views(chromium, units_app, size):
    """Screenshots to look at (screenshots/tmp/, not committed); the pages must render without errors."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("current", "/?from=2024-01-01&to=2026-06-30&unit=25459"),
                       ("old", "/tre-han?from=2024-01-01&to=2025-06-30&units_as_of=2025-06-30&unit=72")):
        page, errors = open_page(chromium, units_app, path, size)
        page.screenshot(path=str(SHOTS / f"units-{name}-{size[0]}x{size[1]}.png"), full_page=True)
        assert errors == []


def test_the_api_takes_units_as_of_like_the_cli(units_app):
    from tests.support import cli_kpi

    args = {"from": "2024-01-01", "to": "2024-12-31", "unit": "25459"}
    for extra, cli_extra in (({}, ()), ({"units_as_of": "2025-06-30"}, ("--units-as-of", "2025-06-30"))):
        answer = requests.get(units_app.url + "/api/kpi", params=args | extra, headers=units_app.bearer, timeout=30)
        assert answer.json() == cli_kpi(units_app.db, "--from", args["from"], "--to", args["to"], "--unit", "25459",
                                        *cli_extra)
    today, old = (requests.get(units_app.url + "/api/kpi", params=args | e, headers=units_app.bearer, timeout=30).json()
                  for e in ({}, {"units_as_of": "2025-06-30"}))
    assert today["received_new"] > old["received_new"]  # today's Tân Ninh holds more than old Phường 3
    bad = requests.get(units_app.url + "/api/kpi", params=args | {"units_as_of": "30/06/2025"},
                       headers=units_app.bearer, timeout=30)
    assert bad.status_code == 400
