"""The filter bar every analyst page shares: period, unit, field, handling level, channel.

Changing a filter rewrites the page's URL (``?from=…&unit=…``); the page renders from the URL, so a
link reopens the same view and the back button steps back through filter changes.
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from common.labels import CHANNEL_LABELS, label
from dashboards import data
from warehouse.slice import HANDLING_LEVELS, Slice

ALL = "__all__"


def filter_bar(prefix: str, s: Slice, lang: str, *, max_day) -> html.Div:
    """Ids ``{prefix}-period``, ``-unit``, ``-field``, ``-level``, ``-channel``, and ``{prefix}-url``."""
    units = [{"label": ("\u2003" * (depth - 1)) + name, "value": code}
             for code, name, depth in data.unit_options(data.default_slice().unit)]
    fields = [{"label": label("all_fields", lang), "value": ALL}] + [{"label": f, "value": f} for f in data.fields()]
    levels = [{"label": label("all_levels", lang), "value": ALL}] + [{"label": lv, "value": lv}
                                                                   for lv in HANDLING_LEVELS]
    channels = [{"label": label("all_channels", lang), "value": ALL}] + [
        {"label": names[1] if lang == "en" else names[0], "value": str(code)} for code, names in CHANNEL_LABELS.items()]
    return html.Div([
        dcc.Location(id=f"{prefix}-url", refresh="callback-nav"),
        dcc.DatePickerRange(id=f"{prefix}-period", start_date=s.date_from.isoformat(), end_date=s.date_to.isoformat(),
                            display_format="DD/MM/YYYY", first_day_of_week=1, max_date_allowed=max_day.isoformat(),
                            minimum_nights=0),
        dcc.Dropdown(id=f"{prefix}-unit", options=units, value=s.unit, clearable=False, className="filter-unit"),
        dbc.Select(id=f"{prefix}-field", options=fields, value=s.field or ALL),
        dbc.Select(id=f"{prefix}-level", options=levels, value=s.handling_level or ALL),
        dbc.Select(id=f"{prefix}-channel", options=channels, value=str(s.channel) if s.channel else ALL),
    ], className="filter-bar slice-filters")


def query_args(start, end, unit, field, level, channel, lang: str) -> dict[str, str]:
    """The filter values as URL query arguments (blank ones left out)."""
    args = {"from": start, "to": end, "unit": unit, "field": field, "level": level, "channel": channel,
            "lang": "en" if lang == "en" else None}
    return {k: v for k, v in args.items() if v and v != ALL}
