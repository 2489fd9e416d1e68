"""/canh-bao in a real browser: filters live in the URL, back restores the view, lists match the KPIs."""
from __future__ import annotations

import re

import pytest

from tests.support import cli_kpi

pytestmark = pytest.mark.browser


def overdue_count(page) -> int:
    return int(re.sub(r"\D", "", page.locator("#cb-overdue-count").inner_text().split(":")[1]))


def test_filters_go_to_the_url_and_back_restores_them(chromium, sample_app, sample_db):
    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 768})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(sample_app.url + "/canh-bao?from=2024-03-01&to=2024-04-30&unit=72", wait_until="networkidle")
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
    page.goto(sample_app.url + "/canh-bao?from=2024-03-01&to=2024-04-30&unit=703&level=X%C3%A3",
              wait_until="networkidle")
    assert page.locator("#cb-level").input_value() == "Xã"
    assert "Thành phố Tây Ninh" in page.locator("#cb-unit").inner_text()


def test_a_period_preset_sets_the_dates_in_the_url(chromium, sample_app):
    page = sample_app.new_page(chromium, viewport={"width": 1366, "height": 768})
    page.goto(sample_app.url + "/canh-bao?unit=72", wait_until="networkidle")
    page.select_option("#cb-preset", "last_month")
    page.wait_for_url(re.compile(r"preset=last_month"))
    assert "from=2024-04-01" in page.url and "to=2024-04-30" in page.url  # the sample's newest day is 30/05/2024
    assert page.locator("#cb-preset").input_value() == "last_month"
