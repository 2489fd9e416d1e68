"""Access control on a real ``python app.py``: log-in everywhere, roles, unit scope, tokens, the audit log.

The attacks are the ones a curious district officer or an outsider would try: no session at all,
editing the URL, crafting Dash callback requests, calling the API with another unit, SQL in the
filters, guessing passwords, and reusing a revoked token.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
import requests

from warehouse.store import Reader, Store
from tests.support import (ROOT, TEST_PASSWORD, AppProcess, add_user, cli_kpi, create_token, env, etl_load,
                           find_components, kpi_values_in, render_page, router_body, run, sign_in, SAMPLES)

PERIOD = {"from": "2024-03-01", "to": "2024-04-30"}
SEARCH = "?from=2024-03-01&to=2024-04-30"
OWN, NEIGHBOUR = "703", "710"  # Thành phố Tây Ninh; Huyện Gò Dầu
OWN_COMMUNE = "25459"          # a commune of 703
PAGES = ["/", "/tre-han", "/truc-tuyen", "/thanh-toan", "/hai-long", "/so-hoa", "/canh-bao", "/chi-so-766",
         "/du-lieu", "/quan-tri", "/wall"]
ATTACKS = ["1' or '1'='1", "'; drop table fct_dossiers; --", "72) or (1=1", "%' union select * from users --",
           "\\x00", "../../etc/passwd", "<script>alert(1)</script>"]


@pytest.fixture(scope="module")
def accounts(sample_app, sample_db):
    """One account per role (the sample app's own test account is an admin)."""
    add_user(sample_db, "unit703", "unit", TEST_PASSWORD, unit=OWN)
    add_user(sample_db, "leader1", "leader", TEST_PASSWORD)
    add_user(sample_db, "analyst1", "analyst", TEST_PASSWORD)
    add_user(sample_db, "wall1", "wall", TEST_PASSWORD)
    return {name: sign_in(sample_app.url, name, TEST_PASSWORD) for name in ("unit703", "leader1", "analyst1", "wall1")}


def units_below(db, code: str) -> set[str]:
    """The unit and every unit below it in the old units' view (where the old district 703 lives)."""
    con = Reader(Store(db)).cursor()
    return {r[0] for r in con.execute("select code from unit_views where view_list = '2024' and unit_list = '2024' "
                                      "and list_contains(path, ?)", [code]).fetchall()}


def bearer(db, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(db, name)}"}


def callback(app, session, output_prefix: str, values: dict[str, object]) -> requests.Response:
    """Call the app's callback whose output starts with ``output_prefix``, with chosen input and state values
    (what a crafted request looks like: the browser is not needed to send one)."""
    deps = session.get(app.url + "/_dash-dependencies", timeout=30).json()
    spec = next(d for d in deps if d["output"].lstrip(".").startswith(output_prefix))
    outputs = [dict(zip(("id", "property"), o.split("."))) for o in spec["output"].strip(".").split("...")]

    def filled(items):
        return [item | {"value": values.get(f"{item['id']}.{item['property']}")} for item in items]
    body = {"output": spec["output"], "outputs": outputs if len(outputs) > 1 else outputs[0], "inputs": filled(spec["inputs"]),
            "state": filled(spec["state"]), "changedPropIds": []}
    return session.post(app.url + "/_dash-update-component", json=body, timeout=30)


# --- nobody signed in --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_anonymous_pages_go_to_the_log_in(sample_app, path):
    response = requests.get(sample_app.url + path + SEARCH, allow_redirects=False, timeout=30)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=" + path)


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_callbacks_and_api_are_refused(sample_app, path):
    rendered = requests.post(sample_app.url + "/_dash-update-component", json=router_body(path, SEARCH), timeout=30)
    assert rendered.status_code == 401 and "props" not in rendered.text
    for route in ("/_dash-layout", "/_dash-dependencies", "/api/kpi?from=2024-03-01&to=2024-04-30"):
        assert requests.get(sample_app.url + route, timeout=30).status_code == 401
    assert requests.get(sample_app.url + "/healthz", timeout=30).json()["status"] == "ok"


def test_a_made_up_token_and_a_made_up_cookie_are_refused(sample_app):
    api = sample_app.url + "/api/kpi"
    assert requests.get(api, params=PERIOD, headers={"Authorization": "Bearer ioc.abc.def"}, timeout=30).status_code == 401
    forged = requests.get(api, params=PERIOD, cookies={"ioc_session": "eyJfdXNlcl9pZCI6InRlc3RlcjowOiJ9.x.y"},
                          timeout=30)
    assert forged.status_code == 401


# --- roles -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, allowed", [
    ("analyst1", set(PAGES) - {"/quan-tri"}),
    ("leader1", set(PAGES) - {"/quan-tri"}),
    ("unit703", set(PAGES) - {"/quan-tri", "/du-lieu"}),
    ("wall1", {"/wall"}),
])
def test_each_role_opens_exactly_its_pages(sample_app, accounts, name, allowed):
    for path in PAGES:
        status = accounts[name].post(sample_app.url + "/_dash-update-component", json=router_body(path, SEARCH),
                                     timeout=30).status_code
        assert status == (200 if path in allowed else 403), (name, path)
        assert accounts[name].get(sample_app.url + path, allow_redirects=False, timeout=30).status_code == \
            (200 if path in allowed else 403)


def test_the_admin_sees_users_and_the_audit_log(sample_app, accounts):
    tree = render_page(sample_app, "/quan-tri")
    text = str(tree)
    assert "unit703" in text and "wall1" in text
    assert "Đăng nhập" in text  # log-in events, in Vietnamese


def test_only_some_roles_export_and_every_export_is_audited(sample_app, accounts):
    def export(session):
        return callback(sample_app, session, "late-table.exportDataAsCsv", {"late-table-csv.n_clicks": 1})

    assert export(accounts["leader1"]).status_code == 403
    assert export(accounts["wall1"]).status_code == 403
    assert export(accounts["analyst1"]).status_code == 200
    audit = str(render_page(sample_app, "/quan-tri"))
    assert "late-table.csv" in audit and "analyst1" in audit


def test_a_wall_account_cannot_use_the_api(sample_app, sample_db, accounts):
    response = requests.get(sample_app.url + "/api/kpi", params=PERIOD, headers=bearer(sample_db, "wall1"), timeout=30)
    assert response.status_code == 403


# --- unit scope ---------------------------------------------------------------------------------------------

def test_a_unit_user_gets_their_own_figures_from_the_api(sample_app, sample_db, accounts):
    headers = bearer(sample_db, "unit703")
    api = sample_app.url + "/api/kpi"
    own = requests.get(api, params=PERIOD, headers=headers, timeout=30)
    assert own.json() == cli_kpi(sample_db, "--from", PERIOD["from"], "--to", PERIOD["to"], "--unit", OWN)
    commune = requests.get(api, params=PERIOD | {"unit": OWN_COMMUNE}, headers=headers, timeout=30)
    # an account scoped to an old district reads codes in the old units: 25459 is its Phường 3
    assert commune.json() == cli_kpi(sample_db, "--from", PERIOD["from"], "--to", PERIOD["to"], "--unit", OWN_COMMUNE,
                                     "--units-as-of", "2025-06-30")
    today = requests.get(api, params=PERIOD | {"unit": OWN_COMMUNE, "units_as_of": "2026-01-01"}, headers=headers,
                         timeout=30)
    assert today.status_code == 403  # today's Phường Tân Ninh is not inside the old district's view
    for other in (NEIGHBOUR, "72", "25663", "_unknown"):
        refused = requests.get(api, params=PERIOD | {"unit": other}, headers=headers, timeout=30)
        assert refused.status_code in (400, 403) and "received_total" not in refused.text, other


def test_a_unit_user_editing_the_url_sees_only_their_unit(sample_app, sample_db, accounts):
    own = cli_kpi(sample_db, "--from", PERIOD["from"], "--to", PERIOD["to"], "--unit", OWN)
    neighbour_names = ("Gò Dầu", "Bến Cầu", "Trảng Bàng", "Tân Châu")
    for path in ("/", "/tre-han", "/truc-tuyen", "/canh-bao", "/chi-so-766"):
        for unit in (NEIGHBOUR, "72", "25663"):
            tree = render_page(sample_app, path, f"{SEARCH}&unit={unit}", session=accounts["unit703"])
            text = str(tree)
            assert not any(name in text for name in neighbour_names), (path, unit)
            pickers = find_components(tree, lambda c: str(c["props"].get("id", "")).endswith("-unit"))
            assert [p["props"]["value"] for p in pickers] == [OWN], (path, unit)  # shown: their own unit
    cards = kpi_values_in(render_page(sample_app, "/", f"{SEARCH}&unit={NEIGHBOUR}", session=accounts["unit703"]))
    assert cards["received_new"] == str(own["received_new"])


def test_a_unit_users_crafted_wall_callback_for_another_unit_gets_nothing(sample_app, accounts):
    settings = {"lang": "vi", "unit": NEIGHBOUR, "panels": ["kpi", "trend", "fields", "units", "overdue", "today"],
                "screens": [0, 1, 2, 3], "screen_count": 4, "rotate_s": 0, "refresh_s": 300}
    values = {"wall-refresh.n_intervals": 1, "wall-viewport.data": {"height": 1080, "width": 1920},
              "wall-settings.data": settings}
    crafted = callback(sample_app, accounts["unit703"], "wall-headline", values)
    shown = str(crafted.json())  # decoded: the JSON text escapes Vietnamese letters
    assert crafted.status_code == 200 and "Gò Dầu" not in shown  # their own unit instead
    assert "Thành phố Tây Ninh" in shown
    own = callback(sample_app, accounts["unit703"], "wall-headline", values | {"wall-settings.data": settings | {"unit": OWN}})
    assert own.status_code == 200


@pytest.mark.parametrize("grid, unit, key", [("cb-overdue", NEIGHBOUR, "pending_overdue"),
                                             ("cb-overdue", "72", "pending_overdue"),
                                             ("late-dossiers", "25663", "received_total")])
def test_a_unit_users_crafted_page_request_for_another_unit_gets_their_own_dossiers(sample_app, sample_db, accounts,
                                                                                    grid, unit, key):
    request = {"startRow": 0, "endRow": 1000, "sortModel": [], "filterModel": {}}
    values = {f"{grid}.getRowsRequest": request, f"{grid}-slice.data": PERIOD | {"unit": unit}}
    crafted = callback(sample_app, accounts["unit703"], f"{grid}.getRowsResponse", values)
    assert crafted.status_code == 200  # the page's own fallback: their own unit, never the one asked for
    answer = crafted.json()["response"][grid]["getRowsResponse"]
    own = cli_kpi(sample_db, "--from", PERIOD["from"], "--to", PERIOD["to"], "--unit", OWN)[key]
    assert answer["rowCount"] == own == len(answer["rowData"]) > 0
    assert not any(n in str(crafted.json()) for n in ("Gò Dầu", "Bến Cầu", "Trảng Bàng", "Tân Châu"))
    own_units = units_below(sample_db, OWN)
    assert {r["dossier_id"].split("-")[0] for r in answer["rowData"]} <= {f"H72.{c}" for c in own_units}
    export = callback(sample_app, accounts["unit703"], f"{grid}-download", values | {f"{grid}-csv.n_clicks": 1})
    assert export.status_code in (200, 403) and "Gò Dầu" not in str(export.json() if export.ok else "")


def test_crafted_page_requests_cannot_sort_by_sql_or_export_without_the_right(sample_app, accounts):
    values = {"cb-overdue-slice.data": PERIOD, "cb-overdue.getRowsRequest": {
        "startRow": 0, "endRow": 50, "sortModel": [{"colId": "unit_code; drop table fct_dossiers", "sort": "asc"}]}}
    crafted = callback(sample_app, accounts["analyst1"], "cb-overdue.getRowsResponse", values)
    assert crafted.status_code == 400 and "rowData" not in crafted.text
    export = values | {"cb-overdue-xlsx.n_clicks": 1, "cb-overdue.getRowsRequest": None}
    assert callback(sample_app, accounts["leader1"], "cb-overdue-download", export).status_code == 403
    assert callback(sample_app, accounts["analyst1"], "cb-overdue-download", export).status_code == 200
    assert "cb-overdue." in str(render_page(sample_app, "/quan-tri"))  # audited


def test_a_wall_account_runs_only_wall_callbacks(sample_app, accounts):
    crafted = callback(sample_app, accounts["wall1"], "late-table.exportDataAsCsv", {"late-table-csv.n_clicks": 1})
    assert crafted.status_code == 403
    # Dash passes inputs by position: a decoy "/wall" further down must not let the first input through.
    body = router_body("/canh-bao", SEARCH)
    body["inputs"] = [{"id": "x", "property": "pathname", "value": "/canh-bao"},
                      {"id": "_pages_location", "property": "pathname", "value": "/wall"}]
    reordered = accounts["wall1"].post(sample_app.url + "/_dash-update-component", json=body, timeout=30)
    assert reordered.status_code == 403 and "props" not in reordered.text
    body = router_body("/wall", "") | {"output": "late-table.exportDataAsCsv"}  # a wall key on another callback
    assert accounts["wall1"].post(sample_app.url + "/_dash-update-component", json=body,
                                  timeout=30).status_code == 403


# --- hostile input -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("attack", ATTACKS)
def test_sql_in_any_filter_changes_and_leaks_nothing(sample_app, sample_db, attack):
    before = cli_kpi(sample_db, "--from", "2019-01-01", "--to", "2030-12-31")
    for key in ("unit", "field", "agency", "level", "channel", "procedure", "from", "to"):
        response = sample_app.api_kpi(PERIOD | {key: attack})
        assert response.status_code == 400, (key, response.text)
        assert "received_total" not in response.text
        page = render_page(sample_app, "/tre-han", f"{SEARCH}&{key}={requests.utils.quote(attack)}")
        assert "<script>" not in str(page).replace("\\u003c", "<") or attack not in str(page)
    assert cli_kpi(sample_db, "--from", "2019-01-01", "--to", "2030-12-31") == before


def test_log_in_refuses_forged_forms_and_foreign_redirects(sample_app):
    session = requests.Session()
    forged = session.post(sample_app.url + "/login", data={"username": "tester", "password": TEST_PASSWORD},
                          allow_redirects=False, timeout=30)
    assert forged.status_code == 400
    form = session.get(sample_app.url + "/login", timeout=30).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    signed_in = session.post(sample_app.url + "/login", data={"csrf": csrf, "username": "tester",
                                                               "password": TEST_PASSWORD, "next": "//evil.example/x"},
                             allow_redirects=False, timeout=30)
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"


def test_security_headers(sample_app):
    response = sample_app.get("/")
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = sample_app.session.cookies.get("ioc_session")
    assert cookie
    raw = requests.Session()
    form = raw.get(sample_app.url + "/login", timeout=30)
    assert "HttpOnly" in form.headers["Set-Cookie"] and "SameSite=Lax" in form.headers["Set-Cookie"]


# --- tokens and sessions that must stop at once ---------------------------------------------------------------

def test_a_revoked_token_stops_working_at_once(sample_app, sample_db):
    token = create_token(sample_db, "tester")
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(sample_app.url + "/api/kpi", params=PERIOD, headers=headers, timeout=30).status_code == 200
    run("app.py", "token", "revoke", token.split(".")[1], "--db", str(sample_db))
    assert requests.get(sample_app.url + "/api/kpi", params=PERIOD, headers=headers, timeout=30).status_code == 401


def test_a_revoked_wall_token_ends_the_walls_session(sample_app, sample_db, accounts):
    token = create_token(sample_db, "wall1")
    wall = requests.Session()
    assert wall.get(f"{sample_app.url}/wall?token={token}", timeout=30).status_code == 200
    body = router_body("/wall", "")
    assert wall.post(sample_app.url + "/_dash-update-component", json=body, timeout=30).status_code == 200
    run("app.py", "token", "revoke", token.split(".")[1], "--db", str(sample_db))
    assert wall.post(sample_app.url + "/_dash-update-component", json=body, timeout=30).status_code == 401
    assert requests.get(f"{sample_app.url}/wall?token={token}", timeout=30).status_code == 401


def test_signing_out_ends_the_session_even_for_a_copied_cookie(sample_app, sample_db):
    add_user(sample_db, "temp2", "analyst", TEST_PASSWORD)
    session = sign_in(sample_app.url, "temp2", TEST_PASSWORD)
    copy = requests.Session()
    copy.cookies.update(session.cookies)
    assert copy.get(sample_app.url + "/_dash-layout", timeout=30).status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', session.get(sample_app.url + "/login").text).group(1)
    assert session.post(sample_app.url + "/logout", data={"csrf": csrf}, allow_redirects=False,
                        timeout=30).headers["Location"] == "/login"
    assert copy.get(sample_app.url + "/_dash-layout", timeout=30).status_code == 401


def test_the_access_store_is_readable_by_its_owner_only(sample_db):
    from access.store import access_path

    assert access_path(sample_db).stat().st_mode & 0o777 == 0o600


def test_exported_text_never_becomes_a_formula():
    import zipfile
    from io import BytesIO

    from dashboards.components.tables import safe_file_name, xlsx_bytes

    book = xlsx_bytes([{"field": "raw", "headerName": "Giá trị gốc"}], [{"raw": '=HYPERLINK("http://evil/","x")'}])
    sheet = zipfile.ZipFile(BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert safe_file_name("../../x.csv", "grid", "xlsx") == "x.xlsx"


def test_refusals_are_in_the_audit_log(sample_app, sample_db, accounts):
    accounts["unit703"].get(sample_app.url + "/api/kpi", params=PERIOD | {"unit": NEIGHBOUR}, timeout=30)
    accounts["leader1"].post(sample_app.url + "/_dash-update-component", json=router_body("/quan-tri", ""), timeout=30)
    audit = str(render_page(sample_app, "/quan-tri"))
    assert "Bị từ chối" in audit and "unit703" in audit and f"unit={NEIGHBOUR}" in audit


def test_disabling_a_user_or_changing_their_password_ends_their_sessions(sample_app, sample_db):
    add_user(sample_db, "temp1", "analyst", TEST_PASSWORD)
    session = sign_in(sample_app.url, "temp1", TEST_PASSWORD)
    assert render_page(sample_app, "/", SEARCH, session=session)
    run("app.py", "user", "disable", "temp1", "--db", str(sample_db))
    assert session.post(sample_app.url + "/_dash-update-component", json=router_body("/", SEARCH),
                        timeout=30).status_code == 401
    with pytest.raises(AssertionError):
        sign_in(sample_app.url, "temp1", TEST_PASSWORD)
    run("app.py", "user", "enable", "temp1", "--db", str(sample_db))
    session = sign_in(sample_app.url, "temp1", TEST_PASSWORD)
    done = subprocess.run([sys.executable, "app.py", "user", "passwd", "temp1", "--db", str(sample_db)], cwd=ROOT,
                          env=env(), input="another-password-2\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert session.get(sample_app.url + "/_dash-layout", timeout=30).status_code == 401
    assert sign_in(sample_app.url, "temp1", "another-password-2")


# --- a separate installation: first start, guessing, idle sessions --------------------------------------------

@pytest.fixture(scope="module")
def strict_app(tmp_path_factory):
    """A fresh installation with tight limits, started the way the README says (no users yet)."""
    db = tmp_path_factory.mktemp("strict") / "warehouse.duckdb"
    etl_load(db, SAMPLES / "mot_cua_mau.csv")
    app = AppProcess(db, {"IOC_LOGIN_MAX_FAILURES_ADDRESS": "8", "IOC_SESSION_IDLE_MINUTES": "0.05"},
                     create_test_user=False).wait_ready()
    yield app
    app.stop()


def test_first_start_creates_admin_and_prints_the_password_once(strict_app):
    log = strict_app.output()
    found = re.findall(r"password: (\S+)", log)
    assert len(found) == 1
    assert sign_in(strict_app.url, "admin", found[0])
    listed = run("app.py", "user", "list", "--json", "--db", str(strict_app.db)).stdout
    assert [u["name"] for u in __import__("json").loads(listed)] == ["admin"]
    assert found[0] not in listed


def test_an_idle_session_expires(strict_app):
    password = re.findall(r"password: (\S+)", strict_app.output())[0]
    session = sign_in(strict_app.url, "admin", password)
    assert session.get(strict_app.url + "/_dash-layout", timeout=30).status_code == 200
    time.sleep(1.5)
    assert session.get(strict_app.url + "/_dash-layout", timeout=30).status_code == 200  # activity keeps it
    time.sleep(4)  # longer than the 3 s idle limit of this installation
    assert session.get(strict_app.url + "/_dash-layout", timeout=30).status_code == 401


def test_guessing_passwords_is_slowed_per_user_and_per_address(strict_app):
    password = re.findall(r"password: (\S+)", strict_app.output())[0]

    def attempt(name, secret):
        session = requests.Session()
        csrf = re.search(r'name="csrf" value="([^"]+)"', session.get(strict_app.url + "/login").text).group(1)
        return session.post(strict_app.url + "/login", data={"csrf": csrf, "username": name, "password": secret},
                            allow_redirects=False, timeout=30).status_code

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(10) as pool:  # ten guesses at once: no more than five are even checked
        statuses = sorted(pool.map(lambda i: attempt("admin", f"guess-{i}"), range(10)))
    assert statuses == [401] * 5 + [429] * 5
    assert attempt("admin", password) == 429          # the right password, too late: locked for the window
    assert [attempt(f"someone{i}", "guess") for i in range(3)] == [401] * 3
    assert attempt("nobody-else", "guess") == 429      # 8 failures from this address: every name is locked
    audit = run("app.py", "user", "list", "--db", str(strict_app.db))  # the CLI still works meanwhile
    assert audit.returncode == 0


def test_a_units_weekly_email_holds_only_that_units_figures(sample_db):
    from reports.weekly import build
    from warehouse.store import Reader, Store

    con = Reader(Store(sample_db)).cursor()
    weekly = build(con, "2024-W14", OWN)
    shown = [u.code for u in weekly.units] + [r["unit_code"] for r in weekly.overdue]
    assert shown, "the week should have something to show"
    assert set(shown) <= units_below(sample_db, OWN)
    assert weekly.current["received_total"] == cli_kpi(sample_db, "--from", "2024-04-01", "--to", "2024-04-07",
                                                       "--unit", OWN)["received_total"]


def test_a_unit_users_unit_picker_holds_their_unit_and_what_lies_below(sample_app, accounts):
    tree = render_page(sample_app, "/tre-han", SEARCH, session=accounts["unit703"])
    [picker] = find_components(tree, lambda c: c["props"].get("id") == "late-unit")
    codes = [o["value"] for o in picker["props"]["options"]]
    assert codes[0] == OWN and OWN_COMMUNE in codes and NEIGHBOUR not in codes and "72" not in codes
