"""The commune map: boundary files read and matched, the figure's rules, and the map in a real browser with
the outside network blocked (an operations room often has none)."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from common.settings import get_settings
from dashboards.components.maps import NO_DATA, SCALE, commune_map
from tests.support import AppProcess, open_settled
from warehouse import boundaries

SHAPES_FILE = get_settings().boundaries_path


def shapes():
    return boundaries.load(SHAPES_FILE)


def test_the_demo_boundary_file_has_every_commune_of_todays_province_once():
    found = shapes()
    assert found.problem is None and len(found.names) == 96 and found.repeated == ()
    west, south, east, north = found.bounds
    assert 105 < west < east < 107 and 10 < south < north < 12
    assert all(west <= lon <= east and south <= lat <= north for lon, lat in found.centres.values())


@pytest.mark.parametrize("text", ["not json", "{}", '{"features": 3}', '{"features": [{"geometry": null}]}'])
def test_an_unreadable_boundary_file_gives_no_shapes_and_a_reason_not_an_error(text):
    found = boundaries.parse(text, "x.geojson")
    assert found.names == {} and found.problem and "x.geojson" in found.problem
    assert commune_map([("25459", "Phường Tân Ninh", 0.1, 10)], found, "vi", metric="late_rate")["data"] == []


def test_mismatches_name_communes_without_a_shape_and_shapes_without_a_commune():
    found = shapes()
    communes = dict(list(found.names.items())[1:]) | {"99999": "Xã Không Có"}
    result = boundaries.mismatches(found, communes)
    assert result["without_shape"] == [{"code": "99999", "name": "Xã Không Có"}]
    first = next(iter(found.names))
    assert result["without_commune"] == [{"code": first, "name": found.names[first]}]


def test_the_figure_greys_communes_without_a_figure_and_darkens_the_worst():
    found = shapes()
    codes = list(found.names)
    items = [(codes[0], "A", 0.0, 40), (codes[1], "B", 0.05, 40), (codes[2], "C", None, 0)]
    fig = commune_map(items, found, "vi", metric="late_rate", labelled=1)
    grey, valued, labels = fig["data"]
    assert grey["colorscale"][0][1] == NO_DATA and codes[2] in grey["locations"] and len(grey["locations"]) == 94
    assert list(valued["locations"]) == codes[:2] and list(valued["z"]) == [0.0, 0.05]  # zero is a colour, not grey
    assert valued["colorscale"][-1][1] == SCALE[-1]  # late rate: the highest is the darkest
    assert [c[0] for c in valued["customdata"]] == codes[:2]  # code first: a click drills like the ranking's
    assert [f["id"] for f in valued["geojson"]["features"]] == codes[:2]  # each trace ships its own shapes
    assert list(labels["text"]) == ["B 5,00%"]
    on_time = commune_map(items, found, "vi", metric="on_time_rate")
    assert on_time["data"][1]["colorscale"][0][1] == SCALE[-1]  # on-time rate: the lowest is the darkest
    assert len(json.dumps(fig)) < 300_000
    grey_only = commune_map(items, found, "vi", metric="late_rate", communes={codes[2], codes[3]})
    assert sorted(grey_only["data"][0]["locations"]) == sorted([codes[2], codes[3]])  # no shape of no commune


def offline_page(chromium, app, path, size=(1366, 768)):
    """A signed-in page whose every request off the app's own address is refused, and its console errors."""
    page = app.new_page(chromium, viewport={"width": size[0], "height": size[1]})
    blocked: list[str] = []

    def only_the_app(route):
        if route.request.url.startswith(app.url):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort()

    page.route("**/*", only_the_app)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_settled(page, app.url + path)
    return page, errors, blocked


RENDERED = """sel => { const gd = document.querySelector(sel + ' .js-plotly-plot');
    const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (!sub || !sub.map) return -1; const map = sub.map;
    const fills = map.queryRenderedFeatures().filter(f => f.layer.id.endsWith('-fill'));
    return new Set(fills.map(f => JSON.stringify(f.properties.ct))).size; }"""

CENTRE = """([sel, lon, lat]) => { const gd = document.querySelector(sel + ' .js-plotly-plot');
    const p = gd._fullLayout.map._subplot.map.project([lon, lat]); const r = gd.getBoundingClientRect();
    return [r.left + p.x, r.top + p.y]; }"""


@pytest.mark.browser
def test_the_overview_map_draws_96_communes_offline_and_a_click_drills_in(chromium, sample_app):
    page, errors, blocked = offline_page(chromium, sample_app, "/?from=2024-01-01&to=2024-12-31")
    page.wait_for_function(f"() => ({RENDERED})('#overview-map') === 96", timeout=30_000)
    assert errors == [] and blocked == []  # nothing asked of the internet, nothing failed
    code, name = "25459", shapes().names["25459"]
    lon, lat = shapes().centres[code]
    page.locator("#overview-map").scroll_into_view_if_needed()
    x, y = page.evaluate(CENTRE, ["#overview-map", lon, lat])
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(rf"unit={code}(&|$)"))
    page.wait_for_function("() => document.querySelector('#unit-breadcrumb').innerText.includes('›')")
    assert name in page.locator("#unit-breadcrumb").inner_text()
    page.go_back()
    page.wait_for_url(re.compile(r"^(?!.*unit=)"))
    assert errors == []


@pytest.mark.browser
def test_an_indicator_page_has_the_map_and_the_old_units_view_has_only_the_ranking(chromium, sample_app):
    page, errors, _ = offline_page(chromium, sample_app, "/truc-tuyen?from=2024-01-01&to=2024-12-31")
    page.wait_for_function(f"() => ({RENDERED})('#truc-tuyen-map') === 96", timeout=30_000)
    assert "Trực tuyến" in page.locator("#truc-tuyen-map-header").inner_text()
    old, old_errors, _ = offline_page(chromium, sample_app, "/?from=2024-01-01&to=2024-12-31&units_as_of=2025-06-30")
    assert not old.locator("#overview-map").is_visible()
    assert old.locator("#overview-units .bars .point").count() > 0
    assert errors == old_errors == []


@pytest.mark.browser
def test_the_ranking_metric_recolours_the_map(chromium, sample_app):
    page, errors, _ = offline_page(chromium, sample_app, "/?from=2024-01-01&to=2024-12-31")
    page.wait_for_function(f"() => ({RENDERED})('#overview-map') === 96", timeout=30_000)
    page.select_option("#overview-rank-metric", "pending_overdue_per_1000")
    page.wait_for_function("() => document.querySelector('#overview-map-header').innerText.includes('1.000')")
    title = page.evaluate("document.querySelector('#overview-map .js-plotly-plot').data.at(-1).colorbar.title.text")
    assert title == "Quá hạn/1.000 hồ sơ"
    assert errors == []


@pytest.mark.browser
def test_the_data_page_lists_shapes_that_do_not_match(chromium, sample_db, tmp_path):
    document = json.loads(SHAPES_FILE.read_text(encoding="utf-8"))
    dropped = document["features"].pop(0)["properties"]
    document["features"].append({"type": "Feature", "properties": {"code": "99999", "name": "Vùng lạ"},
                                 "geometry": {"type": "Polygon", "coordinates": [[[106, 11], [106.01, 11],
                                                                                  [106, 11.01], [106, 11]]]}})
    own = tmp_path / "own.geojson"
    own.write_text(json.dumps(document), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    shutil.copy(sample_db, db)
    app = AppProcess(db, extra_env={"IOC_BOUNDARIES_FILE": str(own)}).wait_ready()
    try:
        page, errors, _ = offline_page(chromium, app, "/du-lieu")
        rows = page.evaluate("""() => { const grid = document.querySelector('#dq-boundaries');
            return [...grid.querySelectorAll('.ag-center-cols-container .ag-row')].map(r => r.innerText); }""")
        assert any(dropped["code"] in r and dropped["name"] in r for r in rows), rows
        assert any("99999" in r and "Vùng lạ" in r for r in rows), rows
        assert "own.geojson" in page.locator("#dq-boundaries-file").inner_text()
        page2, errors2, _ = offline_page(chromium, app, "/?from=2024-01-01&to=2024-12-31")
        page2.wait_for_function(f"() => ({RENDERED})('#overview-map') === 95", timeout=30_000)  # the map still draws
        assert errors == errors2 == []
    finally:
        app.stop()
