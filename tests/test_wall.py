"""The wall in a real headless Chromium at the operations room's sizes."""
from __future__ import annotations

import pytest

from tests.support import SAMPLES, AppProcess, etl_load, write_csv

pytestmark = pytest.mark.browser
SIZES = [(1920, 1080), (2560, 1440), (3840, 2160)]

# Every visible element with its own text: inside the viewport, and not cut off unless it ends in an ellipsis.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  const doc = document.scrollingElement;
  if (doc.scrollHeight > vh || doc.scrollWidth > vw) problems.push(`scrollbars ${doc.scrollWidth}x${doc.scrollHeight}`);
  for (const el of document.querySelectorAll('.wall-root *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.offsetParent === null) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1)
      problems.push(`outside: ${el.getAttribute('class')} '${el.textContent.slice(0, 30)}'`);
    if (el instanceof SVGElement) continue;  // chart text: placed by Plotly inside its own box
    const style = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && style.textOverflow !== 'ellipsis' && style.display !== 'inline')
      problems.push(`clipped: ${el.getAttribute('class')} '${el.textContent.slice(0, 30)}'`);
  }
  return problems;
}"""



def open_wall(chromium, app, query: str, size: tuple[int, int]):
    """The wall as a display opens it: no session, its wall token in the URL."""
    page = chromium.new_page(viewport={"width": size[0], "height": size[1]})
    url = f"{app.url}/wall?{query}&token={app.wall_token}"
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("[data-kpi=on_time_rate]")
    return page, errors


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_wall_fills_the_screen_without_clipping_at_each_size(chromium, sample_app, size, tmp_path):
    page, errors = open_wall(chromium, sample_app, "rotate=0", size)
    from dashboards.views.wall import SCREENS

    for screen in range(len(SCREENS)):  # every rotating screen, one at a time
        page.evaluate("i => document.querySelectorAll('.wall-screen').forEach("
                      "(el, j) => el.style.display = j === i ? '' : 'none')", screen)
        page.wait_for_timeout(300)
        assert page.evaluate(LAYOUT_PROBLEMS) == [], f"screen {screen}"
    headline_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.wall-tile-value')).fontSize)")
    assert headline_px >= 0.06 * size[1]
    # the trend's legend and axis labels grow with the screen like the tiles', and legend entries do not touch
    page.evaluate("document.querySelectorAll('.wall-screen').forEach((el, j) => el.style.display = j === 0 ? '' : 'none')")
    page.wait_for_timeout(300)
    chart_px = page.evaluate("""() => ['#wall-trend .legendtext', '#wall-trend .xtick text', '#wall-trend .ytick text']
        .map(s => parseFloat(document.querySelector(s).style.fontSize))""")
    assert min(chart_px) >= 0.018 * size[1], chart_px
    entries = page.evaluate("""() => [...document.querySelectorAll('#wall-trend .legend .traces')]
        .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; })""")
    overlapping = [(a, b) for i, a in enumerate(entries) for b in entries[i + 1:]
                   if a[0] < b[1] - 1 and b[0] < a[1] - 1 and a[2] < b[3] - 1 and b[2] < a[3] - 1]
    assert len(entries) >= 2 and overlapping == [], entries
    assert page.locator(".app-navbar").count() == 0  # nothing to click
    page.screenshot(path=str(tmp_path / f"wall-{size[0]}.png"))
    assert errors == []


def test_panels_unit_and_language_from_the_url(chromium, sample_app):
    page, errors = open_wall(chromium, sample_app, "panels=kpi,overdue&unit=703&lang=en&rotate=0",
                             SIZES[0])
    assert "Thành phố Tây Ninh" in page.locator(".wall-scope").inner_text()
    assert page.locator(".wall-panel-overdue").is_visible()
    assert not page.locator(".wall-panel-trend").is_visible()
    assert page.get_by_text("Most overdue dossiers").is_visible()
    assert errors == []


def test_rotation_changes_the_screen(chromium, sample_app):
    page, _ = open_wall(chromium, sample_app, "rotate=2", SIZES[0])
    seen = set()
    for _ in range(8):
        seen.add(page.evaluate("[...document.querySelectorAll('.wall-screen')].findIndex(e => e.style.display !== 'none')"))
        page.wait_for_timeout(1000)
    assert len(seen) >= 2


def test_new_data_appears_within_a_refresh_and_an_outage_shows_then_clears(chromium, tmp_path):
    db = tmp_path / "wh.duckdb"
    etl_load(db, SAMPLES / "mot_cua_mau.csv")
    app = AppProcess(db, {"IOC_SCHEDULER_IN_APP": "false"}).wait_ready()
    try:
        page, _ = open_wall(chromium, app, "refresh=3&rotate=0", SIZES[0])
        before = page.locator("[data-kpi=received_new]").inner_text()
        rows = [{"Mã hồ sơ": f"NEW-{i}", "Ngày tiếp nhận": "30/05/2024", "Mã ĐVHC": "703"} for i in range(5)]
        etl_load(db, write_csv(tmp_path / "new.csv", rows))
        page.wait_for_function(f"() => document.querySelector('[data-kpi=received_new]').innerText !== '{before}'",
                               timeout=10_000)  # one refresh interval (3 s) and the load's own time
        assert page.locator("#wall-offline").is_hidden()

        app.stop()  # the server goes away: figures stay, a warning appears
        page.wait_for_selector("#wall-offline", state="visible", timeout=20_000)
        assert page.locator("[data-kpi=received_new]").inner_text() != before

        app = AppProcess(db, {"IOC_SCHEDULER_IN_APP": "false"}, port=app.port).wait_ready()
        page.wait_for_selector("#wall-offline", state="hidden", timeout=20_000)
    finally:
        app.stop()
