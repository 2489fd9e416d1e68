"""/canh-bao in a real browser: filters live in the URL, back restores the view, lists match the KPIs."""
from __future__ import annotations

import re

import pytest

from tests.support import cli_kpi, xlsx_download, open_settled

pytestmark = pytest.mark.browser


def overdue_count(page) -> int:
    return int(re.sub(r"\D", "", page.locator("#cb-overdue-count").inner_text().split(":")[1]))


def test_filters_go_to_the_url_and_back_restores_them(chromium, sample_app, sample_db):
    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 768})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_settled(page, sample_app.url + "/canh-bao?from=2024-03-01&to=2024-04-30&unit=72")
    everything = overdue_count(page)
    assert everything == cli_kpi(sample_db, "--from", "2024-03-01", "--to", "2024-04-30", "--unit", "72")[
        "pending_overdue"]

    page.select_option("#cb-field", "Đất đai")
    page.wait_for_url(re.compile(r"field=%C4%90%E1%BA%A5t"))
    page.wait_for_function(f"() => !document.querySelector('#cb-overdue-count').innerText.endsWith(': {everything}')")
    land = overdue_count(page)
    assert land == cli_kpi(sample_db, "--from", "2024-03-01", "--to", "2024-04-30", "--unit", "72",
                           "--field", "Đất đai")["pending_overdue"]
    assert 0 < land < everything

    page.go_back()
    page.wait_for_function(f"() => document.querySelector('#cb-overdue-count').innerText.endsWith(': {everything}')")
    assert "field=" not in page.url
    assert errors == []


def test_a_shared_link_reopens_the_same_view(chromium, sample_app):
    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 768})
    open_settled(page, sample_app.url + "/canh-bao?from=2024-03-01&to=2024-04-30&unit=703&level=X%C3%A3")
    assert page.locator("#cb-level").input_value() == "Xã"
    assert "Thành phố Tây Ninh" in page.locator("#cb-unit").inner_text()


def test_a_period_preset_sets_the_dates_in_the_url(chromium, sample_app):
    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 768})
    open_settled(page, sample_app.url + "/canh-bao?unit=72")
    page.select_option("#cb-preset", "last_month")
    page.wait_for_url(re.compile(r"preset=last_month"))
    assert "from=2024-04-01" in page.url and "to=2024-04-30" in page.url  # the sample's newest day is 30/05/2024
    assert page.locator("#cb-preset").input_value() == "last_month"


# --- the overdue grid pages, sorts and exports on the server -----------------------------------------------
# The sample's 22 overdue dossiers at 30/04/2024: two pages at 15 a page.
OVERDUE_VIEW = "/canh-bao?from=2024-03-01&to=2024-04-30&unit=72"


def wait_for_rows(page, grid: str = "#cb-overdue") -> None:
    """Until the grid's first page has arrived: before that, AG Grid draws empty placeholder rows."""
    page.wait_for_function("""(grid) => { const rows = [...document.querySelectorAll(grid + ' .ag-center-cols-container .ag-row')];
        return rows.length > 0 && rows.every(r => (r.querySelector('[col-id="dossier_id"]') || {}).innerText); }""",
                           arg=grid)


def shown_ids(page, grid: str = "#cb-overdue") -> list[str]:
    """The dossier ids of the grid's current page, in row order."""
    return page.evaluate("""(grid) => [...document.querySelectorAll(grid + ' .ag-center-cols-container .ag-row')]
        .sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))
        .map(r => r.querySelector('[col-id="dossier_id"]').innerText)""", grid)


def wait_for_first_id(page, expected: str, grid: str = "#cb-overdue") -> None:
    """Until the first row of the grid's current page is the dossier ``expected``."""
    page.wait_for_function(f"""() => {{
        const rows = [...document.querySelectorAll('{grid} .ag-center-cols-container .ag-row')];
        const first = rows.sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))[0];
        return !!first && first.querySelector('[col-id="dossier_id"]').innerText === '{expected}';
    }}""")


def pager(page, grid: str = "#cb-overdue") -> str:
    return page.locator(f"{grid} .ag-paging-description").inner_text()


def test_the_overdue_grid_pages_and_sorts_on_the_server(chromium, sample_app, sample_db):
    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 768})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.post_data or "") if "_dash-update-component" in r.url else None)
    open_settled(page, sample_app.url + OVERDUE_VIEW)
    wait_for_rows(page)
    total = overdue_count(page)
    assert total == 22 and len(shown_ids(page)) == 22  # 50 a page: one page
    assert "Số dòng/trang" in page.locator("#cb-overdue .ag-paging-panel").inner_text()

    page.click("#cb-overdue .ag-paging-page-size .ag-picker-field-wrapper")
    page.locator(".ag-select-list .ag-list-item", has_text="15").first.click()
    page.wait_for_function("() => document.querySelectorAll('#cb-overdue .ag-center-cols-container .ag-row').length === 15")
    assert re.sub(r"\s+", " ", pager(page)).strip() == "Trang 1 của 2"
    first = shown_ids(page)
    by_days = [int(c) for c in page.locator("#cb-overdue .ag-row [col-id='days_overdue']").all_inner_texts()]
    assert by_days == sorted(by_days, reverse=True)  # the initial sort: most days overdue first

    page.click("#cb-overdue [data-ref='btNext']")
    page.wait_for_function("() => document.querySelectorAll('#cb-overdue .ag-center-cols-container .ag-row').length === 7")
    second = shown_ids(page)
    assert not set(first) & set(second) and len(set(first + second)) == total

    asked = len(requests)
    page.click("#cb-overdue .ag-header-cell[col-id='dossier_id'] .ag-header-cell-label")  # sort by id, ascending
    everything = sorted(first + second)
    wait_for_first_id(page, everything[15])  # still on page 2, now in the server's new order
    assert shown_ids(page) == everything[15:]
    page.click("#cb-overdue [data-ref='btFirst']")
    wait_for_first_id(page, everything[0])
    assert shown_ids(page) == everything[:15]
    assert any('"colId":"dossier_id"' in body for body in requests[asked:])  # asked of the server
    assert errors == []


def test_exports_hold_the_whole_list_in_the_shown_order_with_vietnamese_headers(chromium, sample_app, tmp_path):
    import csv

    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 768}, accept_downloads=True)
    open_settled(page, sample_app.url + OVERDUE_VIEW)
    wait_for_rows(page)
    total = overdue_count(page)
    page.click("#cb-overdue .ag-header-cell[col-id='dossier_id'] .ag-header-cell-label")
    page.wait_for_function("() => document.querySelector(\"#cb-overdue .ag-header-cell[col-id='dossier_id']\")"
                           ".getAttribute('aria-sort') === 'ascending'")
    page.wait_for_load_state("networkidle")
    assert "200.000" in page.locator("#cb-overdue-csv").get_attribute("title")  # the cap is stated

    with page.expect_download() as download:
        page.click("#cb-overdue-csv")
    assert download.value.suggested_filename == "ho-so-qua-han.csv"
    raw = download.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    header, *body = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert header == ["Mã hồ sơ", "Thủ tục", "Lĩnh vực", "Cơ quan", "Đơn vị", "Ngày tiếp nhận", "Hạn trả",
                      "Số ngày quá hạn"]
    assert len(body) == total and [r[0] for r in body] == sorted(r[0] for r in body)
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", body[0][6])

    name, sheet = xlsx_download(page, "#cb-overdue-xlsx", tmp_path)
    assert name == "ho-so-qua-han.xlsx"
    assert sheet.columns == header and sheet.height == total
    assert sheet["Mã hồ sơ"].to_list() == [r[0] for r in body]
    assert sheet["Số ngày quá hạn"].dtype.is_numeric()  # numbers stay numbers
