"""Trễ hạn: which fields, agencies, procedures and units drive late dossiers; click a unit to drill down."""
from __future__ import annotations


import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from common import formats
from common.labels import label
from dashboards import data
from dashboards.components.tables import export_buttons, export_on_click, serve_pages
from dashboards.components.breadcrumb import unit_breadcrumb
from dashboards.components.slice_filters import filter_bar, link_to_url
from dashboards.url_state import preset_of, query_from_slice, slice_for_page
from dashboards.views import late as view
from dashboards.views import overview

dash.register_page(__name__, path="/tre-han", name="Trễ hạn", title_en="Late", title="Hồ sơ trễ hạn – IOC",
                   order=10)


def unit_panel(s, lang: str) -> dbc.Card:
    """Units below the current one (click to drill down); at a commune, its dossiers."""
    graph = dcc.Graph(id="late-units", figure=view.late_by_unit(s, lang), config={"displayModeBar": False})
    if data.has_children(s):
        return dbc.Card([dbc.CardHeader(label("late_by_unit", lang)), dbc.CardBody(graph)], className="mb-3")
    count, table = view.unit_dossiers(s, lang)
    title = label("unit_dossiers", lang).format(unit=data.located(s).name or s.unit, count=formats.number(count, lang))
    return dbc.Card([dbc.CardHeader(html.Div([html.Span(title, id="late-dossiers-title"),
                                              export_buttons("late-dossiers", lang, server_side=True)],
                                             className="card-header-row")),
                     dbc.CardBody([table, html.Div(graph, hidden=True)])], className="mb-3")


@data.cached_page("/tre-han")
def layout(lang: str = "vi", by: str = "field", **query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    by = by if by in view.DIMENSIONS else "field"
    s = slice_for_page(query)
    dims = [{"label": label(f"dim_{d}", lang), "value": d} for d in view.DIMENSIONS]
    return html.Div([
        html.Div([html.H1(label("late_page", lang), className="page-title"),
                  filter_bar("late", s, lang, max_day=max(data.reference_day(), s.date_to),
                             preset=preset_of(query))], className="page-header"),
        unit_breadcrumb(s, lambda other: "/tre-han" + query_from_slice(other, lang)),
        dbc.Row(overview.cards(s, lang)),
        unit_panel(s, lang),
        dbc.Card([dbc.CardHeader(html.Div([
            html.Span(label("table_06a", lang).format(dimension=label(f"dim_{by}", lang))),
            html.Div([dbc.Select(id="late-by", options=dims, value=by, size="sm"),
                      export_buttons("late-table", lang)], className="card-header-tools"),
        ], className="card-header-row")), dbc.CardBody(view.table_06a(s, by, lang))], className="mb-3"),
        html.Div(lang, id="late-lang", hidden=True),
    ])


link_to_url("late", drill_graph="late-units", extra=("late-by", "by"))


export_on_click("late-table")
serve_pages("late-dossiers", view.dossier_columns, view.dossier_rows, file_name="ho-so-don-vi")
