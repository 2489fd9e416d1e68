"""Cảnh báo: dossiers overdue now and due soon, dossier by dossier, paged, sorted and exported by the server."""
from __future__ import annotations


import dash
import dash_bootstrap_components as dbc
from dash import html

from common import formats
from common.labels import label
from common.settings import get_settings
from dashboards import data
from dashboards.components.tables import export_buttons, serve_pages
from dashboards.components.slice_filters import filter_bar, link_to_url
from dashboards.url_state import preset_of, slice_for_page
from dashboards.views import early_warning as view

dash.register_page(__name__, path="/canh-bao", name="Cảnh báo", title_en="Early warning",
                   title="Cảnh báo sớm – IOC", order=50)


@data.cached_page("/canh-bao", also=data.alerts_stamp)
def layout(lang: str = "vi", **query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    s = slice_for_page(query)
    overdue_count, overdue = view.overdue_table(s, lang)
    soon_count, soon = view.due_soon_table(s, lang)
    hours = get_settings().due_soon_hours
    return html.Div([
        html.Div([
            html.H1(label("early_warning", lang), className="page-title"),
            filter_bar("cb", s, lang, max_day=max(data.reference_day(), s.date_to),
                             preset=preset_of(query)),
        ], className="page-header"),
        html.Div(f"{label('as_of_label', lang)}: {formats.day(s.date_to, lang)}", className="as-of-note"),
        dbc.Card([dbc.CardHeader(label("alerts_open", lang)), dbc.CardBody(view.open_alerts_table(lang))],
                 className="mb-3"),
        dbc.Card([dbc.CardHeader(html.Div([
            html.Span(f"{label('overdue_now_title', lang)}: {formats.number(overdue_count, lang)}",
                      id="cb-overdue-count"),
            export_buttons("cb-overdue", lang, server_side=True),
        ], className="card-header-row")), dbc.CardBody(overdue)], className="mb-3"),
        dbc.Card([dbc.CardHeader(html.Div([
            html.Span(f"{label('due_soon_title', lang).format(hours=hours)}: {formats.number(soon_count, lang)}",
                      id="cb-due-soon-count"),
            export_buttons("cb-due-soon", lang, server_side=True),
        ], className="card-header-row")), dbc.CardBody(soon)], className="mb-3"),
        html.Div(lang, id="cb-lang", hidden=True),
    ])


link_to_url("cb")


serve_pages("cb-overdue", view.overdue_columns, view.overdue_rows, file_name="ho-so-qua-han")
serve_pages("cb-due-soon", view.due_soon_columns, view.due_soon_rows, file_name="ho-so-sap-den-han")
