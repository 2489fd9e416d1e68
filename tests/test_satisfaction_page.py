"""/hai-long in a real browser: the distribution of ratings and the ratings by agency add up to the CLI's
figures, and the agency table exports to XLSX with Vietnamese headers."""
from __future__ import annotations

import pytest

from tests.support import cli_kpi, open_settled

pytestmark = pytest.mark.browser
PERIOD = "from=2024-01-01&to=2024-06-30"


def test_rating_distribution_and_agencies_add_up_to_the_cli(chromium, sample_app, sample_db, tmp_path):
    import polars as pl

    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 900}, accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_settled(page, sample_app.url + f"/hai-long?{PERIOD}&unit=72")
    page.wait_for_selector("#hai-long-agencies .ag-row")
    page.wait_for_selector("#hai-long-distribution .js-plotly-plot .main-svg")  # the router may still be drawing
    bars = page.evaluate("document.querySelector('#hai-long-distribution .js-plotly-plot').data[0]")
    assert bars["y"] == ["Rất hài lòng", "Hài lòng", "Không hài lòng", "Chưa đánh giá"]
    cli = cli_kpi(sample_db, "--from", "2024-01-01", "--to", "2024-06-30", "--unit", "72")
    assert sum(bars["x"]) == cli["resolved_total"]
    assert (bars["x"][0] + bars["x"][1]) / sum(bars["x"][:3]) == pytest.approx(cli["satisfaction_rate"])

    with page.expect_download() as download:
        page.click("#hai-long-agencies-xlsx")
    path = tmp_path / "agencies.xlsx"
    download.value.save_as(path)
    sheet = pl.read_excel(path, engine="calamine")
    assert sheet.columns == ["Cơ quan", "Rất hài lòng", "Hài lòng", "Không hài lòng", "Chưa đánh giá", "Có đánh giá",
                             "Tỷ lệ hài lòng"]
    agencies, total = sheet.filter(pl.col("Cơ quan") != "Tổng cộng"), sheet.filter(pl.col("Cơ quan") == "Tổng cộng")
    assert agencies["Có đánh giá"].sum() == total["Có đánh giá"][0] == sum(bars["x"][:3])
    assert total["Tỷ lệ hài lòng"][0] == pytest.approx(cli["satisfaction_rate"])
    assert errors == []
