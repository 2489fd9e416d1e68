"""Services and the 766 estimate through the public interfaces, on a small demo warehouse (catalogue and
dossiers from the demo generator, loaded by the real CLI): the API against the CLI, unit scope, the pages
in a real Chromium, the wall and the weekly email from the same code."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest
import requests

from common.index766_text import points, summary
from etl.demo_catalogue import generate_catalogues
from etl.demo_data import generate_exports
from reports.render import render
from reports.weekly import build
from tests.support import TEST_PASSWORD, AppProcess, add_user, etl_load, run, sign_in, open_page
from warehouse.index766 import estimate
from warehouse.scope import Scope
from warehouse.slice import Slice
from warehouse.store import Reader, Store

pytestmark = pytest.mark.browser

COMMUNE = "25459"  # Phường Tân Ninh in today's list
YEAR = {"from": "2025-07-01", "to": "2025-09-30"}


@pytest.fixture(scope="module")
def services_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("services")
    files = generate_catalogues(folder, seed=72)
    files += generate_exports(folder, today=date(2025, 10, 5), start=date(2025, 5, 1), scale=0.05)
    db = folder / "warehouse.duckdb"
    summary_ = json.loads(etl_load(db, *files).stdout)
    assert summary_["procedures_loaded"] > 3000  # both editions
    return db


@pytest.fixture(scope="module")
def services_app(services_db):
    add_user(services_db, "unit-commune", "unit", TEST_PASSWORD, unit=COMMUNE)
    app = AppProcess(services_db).wait_ready()
    yield app
    app.stop()


def cli(db, *args: str) -> dict:
    return json.loads(run("-m", "warehouse", "services", "--db", str(db), "--json", *args).stdout)


@pytest.mark.parametrize("query", [YEAR, YEAR | {"level": "Xã"}, YEAR | {"unit": COMMUNE},
                                   {"from": "2025-05-01", "to": "2025-06-30", "level": "Huyện"}])
def test_api_services_equals_the_cli(services_app, services_db, query):
    answer = requests.get(services_app.url + "/api/services", params=query, headers=services_app.bearer, timeout=30)
    assert answer.status_code == 200
    args = ["--from", query["from"], "--to", query["to"]]
    args += ["--level", query["level"]] if "level" in query else []
    args += ["--unit", query["unit"]] if "unit" in query else []
    assert answer.json() == cli(services_db, *args)
    assert answer.json()["procedures_total"] > 0


def test_api_services_keeps_a_unit_user_in_their_unit(services_app, services_db):
    session = sign_in(services_app.url, "unit-commune", TEST_PASSWORD)
    own = session.get(services_app.url + "/api/services", params=YEAR | {"unit": COMMUNE}, timeout=30)
    assert own.status_code == 200 and own.json() == cli(services_db, "--from", YEAR["from"], "--to", YEAR["to"],
                                                         "--unit", COMMUNE)
    other = session.get(services_app.url + "/api/services", params=YEAR | {"unit": "25462"}, timeout=30)
    assert other.status_code == 403
    bad = requests.get(services_app.url + "/api/services", params=YEAR | {"level": "Bộ"},
                       headers=services_app.bearer, timeout=30)
    assert bad.status_code == 400




def test_services_page_shows_the_catalogue_and_its_lists(chromium, services_app, services_db):
    page, errors = open_page(chromium, services_app, "/dich-vu?from=2025-07-01&to=2025-09-30")
    expected = cli(services_db, "--from", "2025-07-01", "--to", "2025-09-30")
    shown = {el.get_attribute("data-kpi"): el.inner_text() for el in page.locator("[data-kpi]").all()}
    assert shown["procedures_total"] == f"{expected['procedures_total']:,}".replace(",", ".")
    assert shown["online_procedures_with_online_dossiers"] == \
        f"{expected['online_procedures_with_online_dossiers']:,}".replace(",", ".")
    unused = expected["procedures_total"] - expected["procedures_with_dossiers"]
    assert page.locator("#svc-unused-title").inner_text().endswith(f"({unused:,})".replace(",", "."))
    assert page.locator("#svc-unused .ag-row").count() > 0
    assert page.locator("#svc-levels .js-plotly-plot").count() == 1
    assert page.locator("#svc-fields .js-plotly-plot").count() == 1
    assert errors == []


def test_the_766_page_leads_with_computed_not_computable_and_reachable(chromium, services_app, services_db):
    page, errors = open_page(chromium, services_app, "/chi-so-766?from=2025-07-01&to=2025-09-30")
    con = Reader(Store(services_db)).cursor()
    e = estimate(con, Slice(date(2025, 7, 1), date(2025, 9, 30)), scope=Scope.everything())
    assert page.locator("#i766-computed").inner_text() == points(e.points_computed, "vi")
    assert page.locator("#i766-not-computable").inner_text() == "52"
    assert page.locator("#i766-reachable").inner_text() == points(e.reachable, "vi")
    assert "Chưa xếp loại" in page.locator("#i766-band").inner_text()  # no band without a full score
    assert page.locator("#i766-criteria .ag-row").count() == 13
    statuses = page.locator("#i766-criteria .ag-row [col-id='status']").all_inner_texts()
    assert statuses.count("Tính được") == 7 and sum("không có nguồn" in s for s in statuses) == 6
    # the units' axis starts near their values, not at 0, so their differences show
    x_range = page.evaluate("document.querySelector('#i766-units .js-plotly-plot').layout.xaxis.range")
    assert x_range[0] > 0
    page.locator("#i766-units .bars .point path").first.click(force=True)
    page.wait_for_url(re.compile(r"unit=\d{5}(&|$)"))
    page.wait_for_function("() => document.querySelector('#unit-breadcrumb').innerText.includes('›')")
    assert errors == []


def test_wall_and_email_show_the_same_estimate(chromium, services_app, services_db):
    page, errors = open_page(chromium, services_app, f"/wall?panels=kpi,index766&token={services_app.wall_token}",
                             size=(1920, 1080))
    page.wait_for_selector(".wall-766-value")
    values = page.locator(".wall-766-value").all_inner_texts()
    con = Reader(Store(services_db)).cursor()
    start = date(2025, 1, 1)
    e = estimate(con, Slice(start, date(2025, 9, 30)), scope=Scope.everything())  # the wall: year to date
    assert values == [points(e.points_computed, "vi"), points(e.pmax_not_computable, "vi"), points(e.reachable, "vi")]
    assert errors == []
    weekly = build(con, "2025-W39", None)
    mail = render(weekly, "vi", images=False)
    assert summary(weekly.index766, "vi") in mail.text and "cid:index766" in mail.html
    assert weekly.index766.points_computed == estimate(con, Slice(start, date(2025, 9, 28)),
                                                       scope=Scope.everything()).points_computed
