"""Builds the page of one indicator (see ``dashboards.views.topic``); each page module calls
``register_page(__name__, slug)`` (the name Dash looks for when it imports the pages folder)."""
from __future__ import annotations


import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from common.labels import kpi_label, label
from dashboards import data
from dashboards.components.breadcrumb import unit_breadcrumb
from dashboards.components.slice_filters import filter_bar, link_to_url
from dashboards.components.tables import export_on_click
from dashboards.url_state import preset_of, query_from_slice, slice_for_page
from dashboards.views import topic as view


def register_page(module: str, slug: str) -> None:
    """Register the page ``/slug`` for ``module`` with its layout and callbacks."""
    topic = view.TOPICS[slug]
    prefix = slug

    @data.cached_page(f"/{slug}")
    def layout(lang: str = "vi", **query) -> html.Div:
        lang = "en" if lang == "en" else "vi"
        s = slice_for_page(query)
        metric = kpi_label(topic.rates[0], lang, short=True)
        graph = {"config": {"displayModeBar": False}}
        cards, trend, units, fields, extra = data.concurrently(
            lambda: view.cards(topic, s, lang), lambda: view.trend(topic, s, lang),
            lambda: view.units_row(topic, s, lang, header=label("by_unit_click", lang).format(metric=metric)),
            lambda: view.by_field(topic, s, lang), lambda: topic.extra(s, lang) if topic.extra else [])
        return html.Div([
            html.Div([html.H1(label(topic.title_key, lang), className="page-title"),
                      filter_bar(prefix, s, lang, max_day=max(data.reference_day(), s.date_to),
                                 preset=preset_of(query))],
                     className="page-header"),
            unit_breadcrumb(s, lambda other: f"/{slug}" + query_from_slice(other, lang)),
            dbc.Row(cards),
            dbc.Card([dbc.CardHeader(label("trend_12m", lang)),
                      dbc.CardBody(dcc.Graph(id=f"{prefix}-trend", figure=trend, **graph))],
                     className="mb-3"),
            units,
            dbc.Card([dbc.CardHeader(label("by_field", lang).format(metric=metric)),
                      dbc.CardBody(dcc.Graph(id=f"{prefix}-fields", figure=fields, **graph))],
                     className="mb-3"),
            *extra,
            html.Div(lang, id=f"{prefix}-lang", hidden=True),
        ])

    dash.register_page(module, path=f"/{slug}", name=label(topic.nav_key), title_en=label(topic.nav_key, "en"),
                       title=f"{label(topic.title_key)} – IOC", order=topic.order, layout=layout)

    link_to_url(prefix, drill_graph=(f"{prefix}-units", f"{prefix}-map"))
    for grid_id in topic.exported_grids:
        export_on_click(grid_id)
