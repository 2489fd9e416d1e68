"""Cảnh báo: dossiers overdue now and due soon, dossier by dossier, sortable and exportable."""
from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html

from common import formats
from common.labels import label
from common.settings import get_settings
from dashboards import data
from dashboards.components.slice_filters import filter_bar, query_args
from dashboards.url_state import BadRequest, slice_from_query
from dashboards.views import early_warning as view

dash.register_page(__name__, path="/canh-bao", name="Cảnh báo", title_en="Early warning",
                   title="Cảnh báo sớm – IOC", order=50)


def layout(lang: str = "vi", **query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    default = data.default_slice()
    try:
        s = slice_from_query(query, default)
        data.kpis(s)  # an unknown unit code is refused here, not half-way through the page
    except (BadRequest, ValueError):
        s = default
    overdue_count, overdue = view.overdue_table(s, lang)
    soon_count, soon = view.due_soon_table(s, lang)
    hours = get_settings().due_soon_hours
    return html.Div([
        html.Div([
            html.H1(label("early_warning", lang), className="page-title"),
            filter_bar("cb", s, lang, max_day=max(data.reference_day(), s.date_to)),
        ], className="page-header"),
        html.Div(f"{label('as_of_label', lang)}: {formats.day(s.date_to, lang)}", className="as-of-note"),
        dbc.Card([dbc.CardHeader(html.Div([
            html.Span(f"{label('overdue_now_title', lang)}: {formats.number(overdue_count, lang)}",
                      id="cb-overdue-count"),
            dbc.Button(label("export_csv", lang), id="cb-overdue-export", size="sm", color="secondary", outline=True),
        ], className="card-header-row")), dbc.CardBody(overdue)], className="mb-3"),
        dbc.Card([dbc.CardHeader(html.Div([
            html.Span(f"{label('due_soon_title', lang).format(hours=hours)}: {formats.number(soon_count, lang)}",
                      id="cb-due-soon-count"),
            dbc.Button(label("export_csv", lang), id="cb-due-soon-export", size="sm", color="secondary",
                       outline=True),
        ], className="card-header-row")), dbc.CardBody(soon)], className="mb-3"),
        html.Div(lang, id="cb-lang", hidden=True),
    ])


@callback(Output("cb-url", "search"),
          Input("cb-period", "start_date"), Input("cb-period", "end_date"), Input("cb-unit", "value"),
          Input("cb-field", "value"), Input("cb-level", "value"), Input("cb-channel", "value"),
          State("cb-lang", "children"), prevent_initial_call=True)
def filters_to_url(start, end, unit, field, level, channel, lang):
    return "?" + urlencode(query_args(start, end, unit, field, level, channel, lang))


@callback(Output("cb-overdue", "exportDataAsCsv"), Input("cb-overdue-export", "n_clicks"), prevent_initial_call=True)
def export_overdue(_clicks):
    return True


@callback(Output("cb-due-soon", "exportDataAsCsv"), Input("cb-due-soon-export", "n_clicks"),
          prevent_initial_call=True)
def export_due_soon(_clicks):
    return True
