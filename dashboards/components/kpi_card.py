"""A KPI card: value, target, and change against the previous period, coloured by what is better."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from common.kpi_text import change_text, format_value, meets_target, target_text
from common.labels import kpi_label, label


def kpi_card(key: str, value, previous, lang: str = "vi", card_id: str | None = None) -> dbc.Card:
    """One headline figure against its target (if the province sets one) and the previous period."""
    status = meets_target(key, value)
    tone = {True: "kpi-good", False: "kpi-bad", None: "kpi-neutral"}[status]
    change, change_tone = change_text(key, value, previous, lang)
    return dbc.Card(
        dbc.CardBody([
            html.Div(kpi_label(key, lang, short=True), className="kpi-label"),
            html.Div(format_value(key, value, lang), className="kpi-value", **{"data-kpi": key}),
            html.Div(target_text(key, lang), className="kpi-target"),
            html.Div([html.Span(change, className=f"kpi-change kpi-change-{change_tone}"),
                      html.Span(" " + label("vs_previous", lang), className="kpi-change-note")]),
        ]),
        className=f"kpi-card {tone}", id=card_id or f"kpi-card-{key}",
    )
