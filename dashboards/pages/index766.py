"""Chỉ số 766: the provisional Decision 766 estimate on the portal's six groups, every item with its status,
and the units ranked by the points computed (click to drill)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from common.labels import label
from dashboards import data
from dashboards.components.breadcrumb import unit_breadcrumb
from dashboards.components.charts import index766_groups
from dashboards.components.slice_filters import filter_bar, link_to_url
from dashboards.components.tables import export_buttons, export_on_click, grid
from dashboards.url_state import preset_of, query_from_slice, slice_for_page
from dashboards.views import index766 as view

dash.register_page(__name__, path="/chi-so-766", name="Chỉ số 766", title_en="Index 766",
                   title="Chỉ số 766 – IOC", order=60)


@data.cached_page("/chi-so-766")
def layout(lang: str = "vi", **query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    s = slice_for_page(query)
    children = data.has_children(s)
    e, _ = data.concurrently(lambda: data.index766(s), lambda: data.index766_by_unit(s) if children else None)
    units = []
    if children:
        units = [
            dbc.Card([dbc.CardHeader(label("units_766", lang)),
                      dbc.CardBody(dcc.Graph(id="i766-units", figure=view.units_figure(s, lang),
                                             config={"displayModeBar": False}))], className="mb-3"),
            dbc.Card([dbc.CardHeader(html.Div([html.Span(label("units_766_table", lang)),
                                               export_buttons("i766-unit-table", lang)], className="card-header-row")),
                      dbc.CardBody(grid("i766-unit-table", view.unit_rows(s, lang), view.unit_columns(lang), lang,
                                        file_name="chi-so-766-don-vi", page_size=20))], className="mb-3"),
        ]
    return html.Div([
        html.Div([html.H1(label("index766", lang), className="page-title"),
                  filter_bar("i766", s, lang, max_day=max(data.reference_day(), s.date_to),
                             preset=preset_of(query))], className="page-header"),
        unit_breadcrumb(s, lambda other: "/chi-so-766" + query_from_slice(other, lang)),
        view.headline(e, lang),
        html.P(label("index766_note", lang), className="text-muted small", id="i766-note"),
        dbc.Card([dbc.CardHeader(label("index766_groups", lang)),
                  dbc.CardBody(dcc.Graph(id="i766-groups", figure=index766_groups(e.groups(), lang, height=280),
                                         config={"displayModeBar": False}))], className="mb-3"),
        dbc.Card([dbc.CardHeader(html.Div([html.Span(label("col_criterion", lang)),
                                           export_buttons("i766-criteria", lang)], className="card-header-row")),
                  dbc.CardBody(grid("i766-criteria", view.item_rows(e, lang), view.item_columns(lang),
                                    lang, file_name="chi-so-766", page_size=20))], className="mb-3"),
        *units,
        html.Div(lang, id="i766-lang", hidden=True),
    ])


link_to_url("i766", drill_graph="i766-units")
export_on_click("i766-criteria")
export_on_click("i766-unit-table")
