"""Chỉ số 766: the provisional Decision 766 estimate, per criterion, and units ranked by it."""
from __future__ import annotations


import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from common import formats
from common.labels import label
from dashboards import data
from dashboards.components.charts import COLOURS, base_layout, empty_figure
from dashboards.components.slice_filters import filter_bar, link_to_url
from dashboards.components.tables import grid, number_column
from dashboards.url_state import preset_of, slice_for_page
from dashboards.views.overview import unit_labels
from warehouse.index766 import total

dash.register_page(__name__, path="/chi-so-766", name="Chỉ số 766", title_en="Index 766",
                   title="Chỉ số 766 – IOC", order=60)


def units_figure(s, lang: str) -> go.Figure:
    here = data.located(s)
    itself = here.path[-1] if here.code is not None or here.view.is_current else None  # old 80 is Long An
    rows = [r for r in data.index766_by_unit(s) if r["group_key"] != itself]
    if not rows:
        return empty_figure(lang)
    names = unit_labels(rows, s, lang)
    rows.sort(key=lambda r: r["total"])
    fig = go.Figure(go.Bar(x=[r["total"] for r in rows], y=[names[r["group_key"]] for r in rows],
                           orientation="h", marker_color=COLOURS["primary"],
                           text=[formats.decimal(r["total"], lang, 1) for r in rows], textposition="outside",
                           cliponaxis=False))
    fig.update_layout(xaxis=dict(range=[0, 45]))
    return base_layout(fig, lang, max(260, 28 * len(rows) + 60))


@data.cached_page("/chi-so-766")
def layout(lang: str = "vi", **query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    s = slice_for_page(query)
    rows = data.index766(s)
    earned, possible = total(rows)
    table_rows = [{"criterion": f"{r['code']} {r['name_en' if lang == 'en' else 'name_vi']}",
                   "r": formats.percent(r["r"], lang), "target": formats.percent(r["target"], lang, digits=0),
                   "points": r["points"], "pmax": r["pmax"]} for r in rows]
    columns = [("criterion", "col_criterion", {"flex": 3}), ("r", "col_r"), ("target", "target"),
               ("points", "col_points", number_column(lang, 2)), ("pmax", "col_pmax", number_column(lang))]
    return html.Div([
        html.Div([html.H1(label("index766", lang), className="page-title"),
                  filter_bar("i766", s, lang, max_day=max(data.reference_day(), s.date_to),
                             preset=preset_of(query))], className="page-header"),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody([
                html.Div(label("index766_total", lang), className="kpi-label"),
                html.Div(f"{formats.decimal(earned, lang, 2)} / {formats.number(possible, lang)}",
                         className="kpi-value", id="i766-total"),
                html.Div(label("index766_note", lang), className="kpi-target"),
            ]), className="kpi-card kpi-neutral"), lg=4, className="mb-3"),
            dbc.Col(dbc.Card(dbc.CardBody(grid("i766-criteria", table_rows, columns, lang, file_name="chi-so-766.csv",
                                               compact=True))), lg=8, className="mb-3"),
        ]),
        dbc.Card([dbc.CardHeader(label("units_766", lang)),
                  dbc.CardBody(dcc.Graph(id="i766-units", figure=units_figure(s, lang),
                                         config={"displayModeBar": False}))], className="mb-3"),
        html.Div(lang, id="i766-lang", hidden=True),
    ])



link_to_url("i766")
