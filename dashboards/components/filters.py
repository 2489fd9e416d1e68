"""The period picker: a preset (this month, year to date, ...) or a custom range."""
from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from common.labels import label
from common.periods import PRESETS


def period_picker(prefix: str, preset: str, start: date, end: date, max_day: date, lang: str) -> html.Div:
    """A preset dropdown beside a date range; ids ``{prefix}-preset`` and ``{prefix}-period``."""
    options = [{"label": names[1] if lang == "en" else names[0], "value": key} for key, names in PRESETS.items()]
    return html.Div([
        html.Label(label("period", lang), htmlFor=f"{prefix}-preset", className="filter-label"),
        dbc.Select(id=f"{prefix}-preset", options=options, value=preset, className="period-preset"),
        dcc.DatePickerRange(
            id=f"{prefix}-period", start_date=start.isoformat(), end_date=end.isoformat(),
            display_format="DD/MM/YYYY", first_day_of_week=1, max_date_allowed=max_day.isoformat(),
            minimum_nights=0, className="period-range",
        ),
    ], className="filter-bar")
