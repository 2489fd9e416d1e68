"""The frame around every page: navigation from the page registry, language switch,
the simulated-data notice and the "data as of" line."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from access.web import csrf_token, current_principal
from common import formats
from common.labels import ROLE_LABELS, label
from dashboards import data


def lang_of(search: str | None) -> str:
    """The language asked for in a query string (``?lang=en``); Vietnamese otherwise."""
    values = parse_qs((search or "").lstrip("?")).get("lang", ["vi"])
    return "en" if values[0] == "en" else "vi"


def with_lang(search: str | None, lang: str) -> str:
    query = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    query["lang"] = lang
    if lang == "vi":
        query.pop("lang")
    return ("?" + urlencode(query)) if query else ""


def layout() -> html.Div:
    return html.Div([
        dcc.Location(id="shell-url"),
        html.Div(id="shell-navbar"),
        dbc.Container(dash.page_container, fluid=True, className="page-body"),
    ])


@callback(Output("shell-navbar", "children"), Input("shell-url", "pathname"), Input("shell-url", "search"))
def render_navbar(pathname: str | None, search: str | None):
    if pathname == "/wall":  # the wall is full screen, with nothing to click
        return None
    lang = lang_of(search)
    principal = current_principal()
    links = [dbc.NavItem(dbc.NavLink(page.get("title_en" if lang == "en" else "name", page["name"]),
                                     href=page["relative_path"] + with_lang("", lang),
                                     active=pathname == page["relative_path"]))
             for page in dash.page_registry.values()
             if page["path"] != "/wall" and page.get("nav", True) and principal.may_open(page["path"])]
    fresh = data.freshness()
    notices = []
    if data.is_simulated():
        notices.append(dbc.Badge(label("simulated", lang), color="warning", text_color="dark",
                                 className="simulated-badge", id="shell-simulated"))
    if principal.unit and not data.in_todays_list(principal.unit) and (note := data.old_code_note(principal.unit)):
        # an account still scoped to an old code (a district) works in the old units; say so from the first page
        notices.append(dbc.Badge(label("old_unit_account", lang), color="danger", className="old-unit-badge",
                                 id="shell-old-unit", title=note))
    notices.append(html.Span(f"{label('data_as_of', lang)} {formats.day(fresh.newest_received, lang)}",
                             className="data-as-of", id="shell-data-as-of"))
    switch = dcc.Link(label("language", lang), href=(pathname or "/") + with_lang(search, "vi" if lang == "en" else "en"),
                      className="lang-switch", id="shell-lang-switch")
    return dbc.Navbar(dbc.Container([
        dbc.NavbarBrand(label("app_title", lang), href="/" + with_lang("", lang), className="brand"),
        *province_picker(pathname, lang),
        dbc.Nav(links, navbar=True, className="me-auto"),
        html.Div([*notices, switch, account(principal, lang)], className="navbar-notices"),
    ], fluid=True), color="dark", dark=True, className="app-navbar")


def province_picker(pathname: str | None, lang: str) -> list:
    """In a national view (``python app.py --lake DIR``): which province the pages show, and the others. A
    choice opens the page afresh for that province (its units and filters are its own)."""
    provinces = data.lake_provinces()
    if not provinces:
        return []
    current = data.current_province()
    names = dict(provinces)
    items = [dbc.DropdownMenuItem(name, href=f"{pathname or '/'}?{urlencode({'province': code} | ({'lang': lang} if lang == 'en' else {}))}",
                                  external_link=True, active=code == current, id=f"shell-province-{code}")
             for code, name in provinces]
    return [dbc.DropdownMenu(items, label=names.get(current, current), nav=True, in_navbar=True,
                             id="shell-province", class_name="province-picker me-2",
                             toggle_class_name="province-toggle", align_end=False)]


def account(principal, lang: str) -> html.Form:
    """Who is signed in (name, role, unit) and the sign-out button (a POST with the session's token)."""
    role = label(principal.role, lang, ROLE_LABELS)
    if principal.unit:
        role = f"{role} · {data.unit_name(principal.unit) or principal.unit}"
    return html.Form([
        html.Span(principal.name, className="account-name", id="shell-account", title=f"{principal.name} · {role}"),
        html.Span(role, className="account-role"),
        dcc.Input(type="hidden", name="csrf", value=csrf_token()),
        html.Button(label("logout", lang), type="submit", className="btn btn-sm btn-outline-light", id="shell-logout"),
    ], action="/logout", method="post", className="account")
