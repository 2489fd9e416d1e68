"""Dịch vụ công: the service catalogue (procedures by level and online level), which procedures and online
services were used in the period, and fields by online offer against online use."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from common import formats
from common.labels import label
from dashboards import data
from dashboards.components.breadcrumb import unit_breadcrumb
from dashboards.components.slice_filters import filter_bar, link_to_url
from dashboards.components.tables import export_buttons, export_on_click, grid
from dashboards.url_state import preset_of, query_from_slice, slice_for_page
from dashboards.views import services as view

dash.register_page(__name__, path="/dich-vu", name="Dịch vụ công", title_en="Services",
                   title="Dịch vụ công – IOC", order=55)


def _list_card(grid_id: str, title_key: str, rows: list[dict], lang: str, file_name: str, *,
               with_dossiers: bool = False) -> dbc.Card:
    title = label(title_key, lang).format(count=formats.number(len(rows), lang))
    return dbc.Card([
        dbc.CardHeader(html.Div([html.Span(title, id=f"{grid_id}-title"), export_buttons(grid_id, lang)],
                                className="card-header-row")),
        dbc.CardBody(grid(grid_id, rows, view.list_columns(lang, with_dossiers=with_dossiers), lang,
                          file_name=file_name, page_size=15, compact=True)),
    ], className="mb-3")


@data.cached_page("/dich-vu")
def layout(lang: str = "vi", **query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    s = slice_for_page(query)
    header = html.Div([html.H1(label("services_page", lang), className="page-title"),
                       filter_bar("svc", s, lang, max_day=max(data.reference_day(), s.date_to),
                                  preset=preset_of(query))], className="page-header")
    crumb = unit_breadcrumb(s, lambda other: "/dich-vu" + query_from_slice(other, lang))
    if not data.has_catalogue():
        return html.Div([header, crumb, dbc.Alert(label("services_none", lang), color="secondary",
                                                  id="svc-none"), html.Div(lang, id="svc-lang", hidden=True)])
    cards, by_level, fields, unused, unused_online = data.concurrently(
        lambda: view.cards(s, lang), lambda: view.by_level(s, lang), lambda: view.fields_offer_use(s, lang),
        lambda: view.unused(s, lang), lambda: view.unused_online(s, lang))
    return html.Div([
        header, crumb,
        dbc.Row(cards),
        dbc.Row([
            dbc.Col(dbc.Card([dbc.CardHeader(label("services_by_level", lang)),
                              dbc.CardBody([dcc.Graph(id="svc-levels", figure=by_level,
                                                      config={"displayModeBar": False}),
                                            html.Div(label("services_multi_level", lang),
                                                     className="text-muted small")])]), lg=5, className="mb-3"),
            dbc.Col(dbc.Card([dbc.CardHeader(label("services_fields", lang)),
                              dbc.CardBody(dcc.Graph(id="svc-fields", figure=fields,
                                                     config={"displayModeBar": False}))]), lg=7, className="mb-3"),
        ]),
        _list_card("svc-unused", "services_unused", unused, lang, "tthc-khong-phat-sinh-ho-so"),
        _list_card("svc-unused-online", "services_unused_online", unused_online, lang,
                   "dvctt-khong-co-ho-so-truc-tuyen", with_dossiers=True),
        html.Div(lang, id="svc-lang", hidden=True),
    ])


link_to_url("svc")
export_on_click("svc-unused")
export_on_click("svc-unused-online")
