"""Dữ liệu: is the data fresh, what did the loads do, which rows were refused and why."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from common.labels import label
from dashboards.components.tables import export_buttons, export_on_click
from dashboards.views import data_quality as view

dash.register_page(__name__, path="/du-lieu", name="Dữ liệu", title_en="Data", title="Dữ liệu – IOC", order=90)


def section(title_key: str, body, lang: str, export_grid: str | None = None) -> dbc.Card:
    header = [html.Span(label(title_key, lang))]
    if export_grid:
        header.append(export_buttons(export_grid, lang))
    return dbc.Card([dbc.CardHeader(html.Div(header, className="card-header-row")), dbc.CardBody(body)],
                    className="mb-3")


def layout(lang: str = "vi", **_query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    return html.Div([
        html.Div(html.H1(label("data_quality", lang), className="page-title"), className="page-header"),
        section("freshness", view.freshness(lang), lang),
        section("loads", view.loads_table(lang), lang),
        section("quarantine", view.quarantine_table(lang), lang, export_grid="dq-quarantine"),
        section("warnings", view.warnings_table(lang), lang, export_grid="dq-warnings"),
        section("split_communes", view.split_communes_table(lang), lang, export_grid="dq-split"),
        section("not_in_catalogue", view.not_in_catalogue(lang), lang, export_grid="dq-catalogue"),
        section("map_boundaries", view.boundary_mismatches(lang), lang),
        section("mail_failures", view.mail_failures_table(lang), lang),
        section("alert_history", view.alert_history_table(lang), lang),
    ])


export_on_click("dq-quarantine")
export_on_click("dq-warnings")
export_on_click("dq-split")
export_on_click("dq-catalogue")
