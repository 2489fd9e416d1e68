"""Trễ hạn: which fields, agencies, procedures and units drive late dossiers; click a unit to drill down."""
from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from common.labels import label
from dashboards import data
from dashboards.components.breadcrumb import unit_breadcrumb
from dashboards.components.slice_filters import filter_bar, query_args
from dashboards.url_state import BadRequest, query_from_slice, slice_from_query
from dashboards.views import late as view
from dashboards.views import overview
from warehouse.catalog import UNKNOWN_UNIT

dash.register_page(__name__, path="/tre-han", name="Trễ hạn", title_en="Late", title="Hồ sơ trễ hạn – IOC",
                   order=10)


def layout(lang: str = "vi", by: str = "field", **query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    by = by if by in view.DIMENSIONS else "field"
    default = data.default_slice()
    try:
        s = slice_from_query(query, default)
        data.kpis(s)
    except (BadRequest, ValueError):
        s = default
    dims = [{"label": label(f"dim_{d}", lang), "value": d} for d in view.DIMENSIONS]
    return html.Div([
        html.Div([html.H1(label("late_page", lang), className="page-title"),
                  filter_bar("late", s, lang, max_day=max(data.reference_day(), s.date_to))], className="page-header"),
        unit_breadcrumb(s.unit, lambda code: "/tre-han" + query_from_slice(s.__class__(**{**s.__dict__, "unit": code}),
                                                                            lang)),
        dbc.Row(overview.cards(s, lang)),
        dbc.Card([dbc.CardHeader(label("late_by_unit", lang)),
                  dbc.CardBody(dcc.Graph(id="late-units", figure=view.late_by_unit(s, lang),
                                         config={"displayModeBar": False}))], className="mb-3"),
        dbc.Card([dbc.CardHeader(html.Div([
            html.Span(label("table_06a", lang).format(dimension=label(f"dim_{by}", lang))),
            html.Div([dbc.Select(id="late-by", options=dims, value=by, size="sm"),
                      dbc.Button(label("export_csv", lang), id="late-export", size="sm", color="secondary",
                                 outline=True, className="text-nowrap")], className="card-header-tools"),
        ], className="card-header-row")), dbc.CardBody(view.table_06a(s, by, lang))], className="mb-3"),
        html.Div(lang, id="late-lang", hidden=True),
    ])


@callback(Output("late-url", "search"),
          Input("late-period", "start_date"), Input("late-period", "end_date"), Input("late-unit", "value"),
          Input("late-field", "value"), Input("late-level", "value"), Input("late-channel", "value"),
          Input("late-by", "value"), Input("late-units", "clickData"),
          State("late-lang", "children"), prevent_initial_call=True)
def filters_to_url(start, end, unit, field, level, channel, by, click, lang):
    if dash.ctx.triggered_id == "late-units":  # drill down into the clicked unit
        code = (click or {}).get("points", [{}])[0].get("customdata", [""])[0]
        if not code or code in (unit, UNKNOWN_UNIT):
            return no_update
        unit = code
    return "?" + urlencode(query_args(start, end, unit, field, level, channel, lang) | {"by": by})


@callback(Output("late-table", "exportDataAsCsv"), Input("late-export", "n_clicks"), prevent_initial_call=True)
def export_table(_clicks):
    return True
