"""/tre-han in a real browser: drill from the province into a district and a commune by clicking,
the breadcrumb goes back up, the URL carries the state, and the II.06a table's totals equal the CLI."""
from __future__ import annotations

import re

import pytest

from tests.support import cli_kpi, xlsx_download, open_settled

pytestmark = pytest.mark.browser
PERIOD = "from=2024-01-01&to=2024-06-30"


def click_first_unit_bar(page) -> None:
    """Click the worst unit's bar (the top one) in the late-rate-by-unit chart."""
    page.locator("#late-units .bars .point path").first.click(force=True)


def test_drill_down_by_clicking_and_back_up(chromium, sample_app, sample_db):
    """Before the reform: today's province › the old province › its district › a commune, and back up."""
    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_settled(page, sample_app.url + f"/tre-han?{PERIOD}&units_as_of=2025-06-30")
    assert page.locator("#unit-breadcrumb").inner_text().strip() == "Tỉnh Tây Ninh"

    click_first_unit_bar(page)  # today's province → the old province it was made from (the samples: old 72)
    page.wait_for_url(re.compile(r"unit=72(&|$)"))
    page.wait_for_function("() => document.querySelector('#unit-breadcrumb').querySelectorAll('a').length === 1")

    click_first_unit_bar(page)  # old province → district
    page.wait_for_url(re.compile(r"unit=7\d\d(&|$)"))
    district = re.search(r"unit=(7\d\d)", page.url).group(1)
    page.wait_for_function("() => document.querySelector('#unit-breadcrumb').querySelectorAll('a').length === 2")

    click_first_unit_bar(page)  # district → commune, which lists its dossiers
    page.wait_for_url(re.compile(r"unit=\d{5}(&|$)"))
    page.wait_for_function("() => document.querySelector('#unit-breadcrumb').querySelectorAll('a').length === 3")
    commune = re.search(r"unit=(\d{5})", page.url).group(1)
    assert "units_as_of=2025-06-30" in page.url
    page.wait_for_selector("#late-dossiers .ag-row")
    listed = int(re.search(r"\(([\d.]+)\)", page.locator("#late-dossiers-title").inner_text()).group(1).replace(".", ""))
    assert listed == cli_kpi(sample_db, "--from", "2024-01-01", "--to", "2024-06-30", "--unit", commune,
                             "--units-as-of", "2025-06-30")["received_total"]

    page.go_back()  # the browser's back button returns to the district
    page.wait_for_url(re.compile(rf"unit={district}(&|$)"))
    page.locator("#unit-breadcrumb a").first.click()  # the breadcrumb goes straight up to the province
    page.wait_for_function("() => !location.search.includes('unit=')")
    assert errors == []


def test_todays_units_drill_from_the_province_to_a_new_commune(chromium, sample_app, sample_db):
    """Today's units (the default): the province › a new commune, its 2024 figures restated."""
    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 900})
    open_settled(page, sample_app.url + f"/tre-han?{PERIOD}")
    click_first_unit_bar(page)
    page.wait_for_url(re.compile(r"unit=\d{5}(&|$)"))
    commune = re.search(r"unit=(\d{5})", page.url).group(1)
    page.wait_for_selector("#late-dossiers .ag-row")
    listed = int(re.search(r"\(([\d.]+)\)", page.locator("#late-dossiers-title").inner_text()).group(1).replace(".", ""))
    assert listed == cli_kpi(sample_db, "--from", "2024-01-01", "--to", "2024-06-30", "--unit", commune)[
        "received_total"]
    assert "units_as_of" not in page.url


def test_06a_totals_equal_the_cli(chromium, sample_app, sample_db):
    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 900})
    open_settled(page, sample_app.url + f"/tre-han?{PERIOD}&unit=703&by=field")
    for col in ("received_new", "resolved_late", "pending_overdue"):
        # The pinned totals row renders after the body rows; read it once AG Grid has drawn it.
        page.wait_for_selector(f"#late-table .ag-floating-bottom .ag-cell[col-id={col}]")
    cells = {c.get_attribute("col-id"): c.inner_text() for c in page.locator("#late-table .ag-floating-bottom .ag-cell").all()}
    cli = cli_kpi(sample_db, "--from", "2024-01-01", "--to", "2024-06-30", "--unit", "703")
    assert int(cells["received_new"].replace(".", "")) == cli["received_new"]
    assert int(cells["resolved_late"].replace(".", "")) == cli["resolved_late"]
    assert int(cells["pending_overdue"].replace(".", "")) == cli["pending_overdue"]


def test_exported_csv_adds_up_to_the_cli(chromium, sample_app, sample_db, tmp_path):
    import csv

    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 900}, accept_downloads=True)
    open_settled(page, sample_app.url + f"/tre-han?{PERIOD}&unit=72&by=field")
    page.wait_for_selector("#late-table .ag-row")
    with page.expect_download() as download:
        page.click("#late-table-csv")
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    header, body = rows[0], rows[1:]
    assert header[0] == "Nhóm" and "Trễ hạn" in header  # Vietnamese headers
    received = header.index("Mới tiếp nhận trong kỳ")
    groups = [r for r in body if r[0] != "Tổng cộng"]
    cli = cli_kpi(sample_db, "--from", "2024-01-01", "--to", "2024-06-30", "--unit", "72")
    assert sum(int(r[received].replace(".", "")) for r in groups) == cli["received_new"]


def test_exported_xlsx_holds_the_table_with_vietnamese_headers_and_adds_up_to_the_cli(chromium, sample_app,
                                                                                       sample_db, tmp_path):
    import polars as pl

    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 900}, accept_downloads=True)
    open_settled(page, sample_app.url + f"/tre-han?{PERIOD}&unit=72&by=field")
    page.wait_for_selector("#late-table .ag-row")
    shown = page.locator("#late-table .ag-center-cols-container .ag-row").count()
    name, sheet = xlsx_download(page, "#late-table-xlsx", tmp_path)
    assert name == "bieu-06a.xlsx"
    assert sheet.columns[0] == "Nhóm" and "Trễ hạn" in sheet.columns and "Tỷ lệ trễ hạn" in sheet.columns
    groups, total = sheet.filter(pl.col("Nhóm") != "Tổng cộng"), sheet.filter(pl.col("Nhóm") == "Tổng cộng")
    assert groups.height == shown and total.height == 1
    cli = cli_kpi(sample_db, "--from", "2024-01-01", "--to", "2024-06-30", "--unit", "72")
    for key, header in (("received_new", "Mới tiếp nhận trong kỳ"), ("resolved_late", "Trễ hạn"),
                        ("pending_overdue", "Đang giải quyết quá hạn")):
        assert groups[header].sum() == total[header][0] == cli[key]
    assert abs(total["Tỷ lệ trễ hạn"][0] - cli["late_rate"]) < 1e-9  # a number, not text


def test_a_communes_dossiers_are_paged_by_the_server_and_export_whole(chromium, sample_app, sample_db):
    import csv

    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 900}, accept_downloads=True)
    open_settled(page, sample_app.url + f"/tre-han?{PERIOD}&unit=25459")
    page.wait_for_selector("#late-dossiers .ag-row")
    total = cli_kpi(sample_db, "--from", "2024-01-01", "--to", "2024-06-30", "--unit", "25459")["received_total"]
    assert f"({total})" in page.locator("#late-dossiers-title").inner_text()
    assert page.locator("#late-dossiers .ag-center-cols-container .ag-row").count() == total
    received = page.locator("#late-dossiers .ag-header-cell[col-id='received_at']")
    assert received.get_attribute("aria-sort") == "descending"  # newest first, as the server ordered them
    assert page.locator("#late-table .ag-header-cell-filter-button").count() > 0  # the 06a table filters in the browser
    assert page.locator("#late-dossiers .ag-header-cell-filter-button").count() == 0  # no filter that would do nothing
    with page.expect_download() as download:
        page.click("#late-dossiers-csv")
    assert download.value.suggested_filename == "ho-so-don-vi.csv"
    header, *body = list(csv.reader(download.value.path().read_text(encoding="utf-8-sig").splitlines()))
    assert header[:2] == ["Mã hồ sơ", "Thủ tục"] and "Kết quả" in header
    assert len(body) == total
