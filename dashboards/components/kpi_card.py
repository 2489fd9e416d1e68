"""A KPI card: value, target, and change against the previous period, coloured by what is better."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from common import formats
from common.labels import LOWER_IS_BETTER, kpi_label, label
from warehouse.kpi import COUNT_KEYS


def is_count(key: str) -> bool:
    return key in COUNT_KEYS


def meets_target(key: str, value: float | None, target: float | None) -> bool | None:
    """Whether ``value`` meets ``target`` (None when either is unknown)."""
    if value is None or target is None:
        return None
    return value <= target if key in LOWER_IS_BETTER else value >= target


def change_text(key: str, value, previous, lang: str) -> tuple[str, str]:
    """The signed change and its tone: 'better', 'worse' or 'same'."""
    if value is None or previous is None:
        return formats.DASH, "same"
    delta = value - previous
    text = formats.signed_number(delta, lang) if is_count(key) else formats.points(delta, lang)
    if delta == 0 or key == "received_new":
        return text, "same"
    better = (delta < 0) if key in LOWER_IS_BETTER else (delta > 0)
    return text, "better" if better else "worse"


def format_value(key: str, value, lang: str) -> str:
    return formats.number(value, lang) if is_count(key) else formats.percent(value, lang)


def kpi_card(key: str, value, previous, target, lang: str = "vi", card_id: str | None = None) -> dbc.Card:
    """One headline figure. ``target`` is None when the product sets none (dossiers received)."""
    status = meets_target(key, value, target)
    tone = {True: "kpi-good", False: "kpi-bad", None: "kpi-neutral"}[status]
    change, change_tone = change_text(key, value, previous, lang)
    comparator = "≤" if key in LOWER_IS_BETTER else "≥"
    target_text = f"{label('target', lang)}: {comparator} {format_value(key, target, lang)}" if target is not None \
        else label("no_target", lang)
    return dbc.Card(
        dbc.CardBody([
            html.Div(kpi_label(key, lang, short=True), className="kpi-label"),
            html.Div(format_value(key, value, lang), className="kpi-value", **{"data-kpi": key}),
            html.Div(target_text, className="kpi-target"),
            html.Div([html.Span(change, className=f"kpi-change kpi-change-{change_tone}"),
                      html.Span(" " + label("vs_previous", lang), className="kpi-change-note")]),
        ]),
        className=f"kpi-card {tone}", id=card_id or f"kpi-card-{key}",
    )
