"""A KPI card: value, target, and change against the previous period and the same period last year,
coloured by what is better."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from common.kpi_text import change_text, format_value, meets_target, target_text
from common.labels import kpi_label, label
from warehouse.kpi import Comparison


def _change_line(key: str, value, before, note_key: str, lang: str) -> html.Div:
    """``+0,12 điểm % so với kỳ trước``, coloured better/worse/same."""
    change, tone = change_text(key, value, before, lang)
    return html.Div([html.Span(change, className=f"kpi-change kpi-change-{tone}"),
                     html.Span(" " + label(note_key, lang), className="kpi-change-note")],
                    className=f"kpi-{note_key.replace('_', '-')}")


def kpi_card(key: str, figures: Comparison, lang: str = "vi", *, level: str | None = None,
             card_id: str | None = None) -> dbc.Card:
    """One headline figure against its target (the slice's handling ``level``'s where the province
    sets one), the previous period and the same period last year."""
    value = figures.current[key]
    tone = {True: "kpi-good", False: "kpi-bad", None: "kpi-neutral"}[meets_target(key, value, level)]
    return dbc.Card(
        dbc.CardBody([
            html.Div(kpi_label(key, lang, short=True), className="kpi-label"),
            html.Div(format_value(key, value, lang), className="kpi-value", **{"data-kpi": key}),
            html.Div(target_text(key, lang, level=level), className="kpi-target"),
            _change_line(key, value, figures.previous[key], "vs_previous", lang),
            _change_line(key, value, figures.last_year[key], "vs_last_year", lang),
        ]),
        className=f"kpi-card {tone}", id=card_id or f"kpi-card-{key}",
    )
