"""Tổng quan: the province at a glance for a period."""
from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from common import formats
from common.labels import kpi_label, label
from common.periods import preset_range
from dashboards import data
from dashboards.components.filters import period_picker
from dashboards.views import overview as view

dash.register_page(__name__, path="/", name="Tổng quan", title_en="Overview", title="Tổng quan – IOC", order=0)


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def layout(lang: str = "vi", **query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    default = data.default_slice()
    start = _parse_day(query.get("from")) or default.date_from
    end = _parse_day(query.get("to")) or default.date_to
    preset = "custom" if query.get("from") or query.get("to") else "year_to_date"
    s = view.province_slice(start, end)
    metric_options = [{"label": kpi_label(k, lang, short=True), "value": k} for k in view.RANKING_METRICS]
    return html.Div([
        dcc.Store(id="overview-lang", data=lang),
        html.Div([
            html.H1(label("overview", lang), className="page-title"),
            period_picker("overview", preset, start, end, data.reference_day(), lang),
        ], className="page-header"),
        dcc.Loading(dbc.Row(view.cards(s, lang), id="overview-cards"), delay_show=300),
        dbc.Row([
            dbc.Col(dbc.Card([dbc.CardHeader(label("trend_title", lang).format(month=formats.month(end, lang)),
                                             id="overview-trend-title"),
                              dbc.CardBody(dcc.Graph(id="overview-trend", figure=view.trend(s, lang),
                                                     config={"displayModeBar": False}))]), lg=7, className="mb-3"),
            dbc.Col(dbc.Card([dbc.CardHeader(label("late_by_field", lang)),
                              dbc.CardBody(dcc.Graph(id="overview-late-by-field", figure=view.late_by_field(s, lang),
                                                     config={"displayModeBar": False}))]), lg=5, className="mb-3"),
        ]),
        dbc.Card([
            dbc.CardHeader(html.Div([
                html.Span(label("units_ranked", lang)),
                dbc.Select(id="overview-rank-metric", options=metric_options, value="late_rate",
                           className="rank-metric", size="sm"),
            ], className="card-header-row")),
            dbc.CardBody(dcc.Graph(id="overview-units", figure=view.units_ranked(s, "late_rate", lang),
                                   config={"displayModeBar": False})),
        ], className="mb-3"),
    ])


@callback(Output("overview-period", "start_date"), Output("overview-period", "end_date"),
          Input("overview-preset", "value"), prevent_initial_call=True)
def apply_preset(preset: str):
    if preset == "custom":
        return no_update, no_update
    start, end = preset_range(preset, data.reference_day())
    return start.isoformat(), end.isoformat()


@callback(Output("overview-cards", "children"), Output("overview-trend", "figure"),
          Output("overview-trend-title", "children"),
          Output("overview-late-by-field", "figure"), Output("overview-units", "figure", allow_duplicate=True),
          Input("overview-period", "start_date"), Input("overview-period", "end_date"),
          State("overview-rank-metric", "value"), State("overview-lang", "data"), prevent_initial_call=True)
def update_period(start: str | None, end: str | None, metric: str, lang: str):
    start_day, end_day = _parse_day(start), _parse_day(end)
    if start_day is None or end_day is None or start_day > end_day:
        return (no_update,) * 5
    s = view.province_slice(start_day, end_day)
    title = label("trend_title", lang).format(month=formats.month(end_day, lang))
    return (view.cards(s, lang), view.trend(s, lang), title, view.late_by_field(s, lang),
            view.units_ranked(s, metric, lang))


@callback(Output("overview-units", "figure"), Input("overview-rank-metric", "value"),
          State("overview-period", "start_date"), State("overview-period", "end_date"),
          State("overview-lang", "data"), prevent_initial_call=True)
def update_ranking(metric: str, start: str | None, end: str | None, lang: str):
    start_day, end_day = _parse_day(start), _parse_day(end)
    if start_day is None or end_day is None or metric not in view.RANKING_METRICS:
        return no_update
    return view.units_ranked(view.province_slice(start_day, end_day), metric, lang)
