"""The overview page in a real headless Chromium: filled KPI cards, charts, no console errors."""
from __future__ import annotations

import re

import pytest

from tests.support import open_page

pytestmark = pytest.mark.browser




def card_values(page) -> dict[str, str]:
    return {el.get_attribute("data-kpi"): el.inner_text() for el in page.locator("[data-kpi]").all()}


def test_overview_shows_filled_cards_and_charts(chromium, sample_app):
    page, errors = open_page(chromium, sample_app, "/?from=2024-03-01&to=2024-04-30")
    values = card_values(page)
    assert set(values) == {"on_time_rate", "late_rate", "online_rate", "cashless_rate", "satisfaction_rate",
                           "digitised_rate", "received_new", "pending_overdue"}
    assert values["received_new"] == "97"             # expected_kpis.json, unit 72
    assert values["on_time_rate"] == "47,50%"          # Vietnamese percent format
    assert all(re.search(r"\d", v) for v in values.values())
    assert page.locator(".kpi-vs-previous").count() == page.locator(".kpi-vs-last-year").count() == 8
    assert page.locator(".kpi-vs-last-year").first.inner_text().endswith("so với cùng kỳ năm trước")
    assert page.locator(".js-plotly-plot").count() == 4  # trend, fields, ranking, map
    assert page.get_by_text("Tỷ lệ trễ hạn theo lĩnh vực").is_visible()
    assert errors == []


def test_changing_the_period_updates_the_cards(chromium, sample_app):
    page, errors = open_page(chromium, sample_app, "/?from=2024-03-01&to=2024-04-30")
    page.select_option("#ov-preset", "year_to_date")
    page.wait_for_url(re.compile(r"preset=year_to_date"))
    page.wait_for_function("() => document.querySelector('[data-kpi=received_new]').innerText !== '97'")
    assert card_values(page)["received_new"] != "97"
    assert errors == []


def test_english_switch(chromium, sample_app):
    page, errors = open_page(chromium, sample_app, "/?from=2024-03-01&to=2024-04-30&lang=en")
    assert page.get_by_text("Late rate by field").is_visible()
    assert card_values(page)["on_time_rate"] == "47.50%"
    assert errors == []


@pytest.mark.parametrize("path", ["/", "/tre-han", "/truc-tuyen", "/thanh-toan", "/hai-long", "/so-hoa", "/canh-bao", "/chi-so-766",
                                  "/du-lieu", "/?lang=en", "/tre-han?lang=en", "/du-lieu?lang=en", "/no-such-page"])
def test_every_page_renders_without_console_errors(chromium, sample_app, path):
    page, errors = open_page(chromium, sample_app, path)
    page.wait_for_selector(".page-title")
    assert page.locator(".app-navbar").is_visible()
    assert errors == []


def test_unknown_address_says_so_in_vietnamese(chromium, sample_app):
    page, _ = open_page(chromium, sample_app, "/khong-co")
    assert page.locator(".page-title").inner_text() == "Không tìm thấy trang"


def test_topic_page_drills_down_by_clicking_a_unit(chromium, sample_app):
    page, errors = open_page(chromium, sample_app, "/truc-tuyen?from=2024-01-01&to=2024-06-30&unit=72")
    page.wait_for_selector("#truc-tuyen-units .js-plotly-plot .main-svg")  # the router may still be drawing
    labels = page.evaluate("document.querySelector('#truc-tuyen-units .js-plotly-plot').data[0].y")
    district = next(i for i, name in enumerate(labels) if name.startswith(("Huyện", "Thành phố", "Thị xã")))
    page.locator("#truc-tuyen-units .bars .point path").nth(district).click(force=True)
    page.wait_for_url(re.compile(r"unit=7\d\d(&|$)"))
    page.wait_for_function("() => document.querySelector('#unit-breadcrumb').innerText.includes('›')")
    assert errors == []
