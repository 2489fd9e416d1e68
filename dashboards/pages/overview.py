"""Tổng quan: the province (or any unit) at a glance for a period; the state lives in the URL."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from common import formats
from common.labels import kpi_label, label
from dashboards import data
from dashboards.components.breadcrumb import unit_breadcrumb
from dashboards.components.slice_filters import filter_bar, link_to_url
from dashboards.url_state import args_from_slice, preset_of, query_from_slice, slice_for_page
from dashboards.views import overview as view
from warehouse.slice import Slice

dash.register_page(__name__, path="/", name="Tổng quan", title_en="Overview", title="Tổng quan – IOC", order=0)


@data.cached_page("/")
def layout(lang: str = "vi", **query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    s = slice_for_page(query)
    metric_options = [{"label": kpi_label(k, lang, short=True), "value": k} for k in view.RANKING_METRICS]
    graph = {"config": {"displayModeBar": False}}
    header = html.Div([
        html.Span(label("units_ranked", lang)),
        dbc.Select(id="overview-rank-metric", options=metric_options, value="late_rate",
                   className="rank-metric", size="sm"),
    ], className="card-header-row")
    cards, trend, by_field, ranking = data.concurrently(
        lambda: view.cards(s, lang), lambda: view.trend(s, lang), lambda: view.late_by_field(s, lang),
        lambda: view.ranking_and_map("overview-units", "overview-map", s, "late_rate", lang, header=header))
    return html.Div([
        dcc.Store(id="overview-slice", data=args_from_slice(s, lang)),
        html.Div([
            html.H1(label("overview", lang), className="page-title"),
            filter_bar("ov", s, lang, max_day=max(data.reference_day(), s.date_to), preset=preset_of(query)),
        ], className="page-header"),
        unit_breadcrumb(s, lambda other: "/" + query_from_slice(other, lang)),
        dcc.Loading(dbc.Row(cards, id="overview-cards"), delay_show=300),
        dbc.Row([
            dbc.Col(dbc.Card([dbc.CardHeader(label("trend_title", lang).format(month=formats.month(s.date_to, lang))),
                              dbc.CardBody(dcc.Graph(id="overview-trend", figure=trend, **graph))]),
                    lg=7, className="mb-3"),
            dbc.Col(dbc.Card([dbc.CardHeader(label("late_by_field", lang)),
                              dbc.CardBody(dcc.Graph(id="overview-late-by-field", figure=by_field, **graph))]),
                    lg=5, className="mb-3"),
        ]),
        ranking,
        html.Div(lang, id="ov-lang", hidden=True),
    ])


link_to_url("ov", drill_graph=("overview-units", "overview-map"))


@callback(Output("overview-units", "figure"), Output("overview-map", "figure"),
          Output("overview-map-header", "children"), Input("overview-rank-metric", "value"),
          State("overview-slice", "data"), State("ov-lang", "children"), prevent_initial_call=True)
def update_ranking(metric: str, args: dict, lang: str):
    """The ranking and the map follow the metric picker together."""
    if metric not in view.RANKING_METRICS:
        return no_update, no_update, no_update
    s = slice_for_page(args)  # validated, and within the caller's scope
    ranking, shown = data.cached_for_caller("overview-ranking", lambda: _ranking_and_map(s, metric, lang),
                                            s.key(), metric, lang)
    header = label("map_title", lang).format(metric=kpi_label(metric, lang, short=True)) + \
        f" ({label('map_click', lang)})"
    return ranking, shown or no_update, header


def _ranking_and_map(s: Slice, metric: str, lang: str) -> tuple:
    """The two figures a metric change redraws (cached like a page: a repeat costs a cache read)."""
    ranking = view.units_ranked(s, metric, lang)
    return ranking, view.units_map(s, metric, lang, height=max(460, ranking.layout.height or 460))
