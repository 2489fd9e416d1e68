"""The filter bar every analyst page shares: period, unit, field, handling level, channel.

Changing a filter rewrites the page's URL (``?from=…&unit=…``); the page renders from the URL, so a
link reopens the same view and the back button steps back through filter changes.
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from common.labels import CHANNEL_LABELS, label
from common.periods import PRESETS, preset_range
from dashboards import data
from warehouse.catalog import UNKNOWN_UNIT
from warehouse.slice import HANDLING_LEVELS, Slice

ALL = "__all__"


def filter_bar(prefix: str, s: Slice, lang: str, *, max_day, preset: str = "custom") -> html.Div:
    """Ids ``{prefix}-preset``, ``-period``, ``-unit``, ``-field``, ``-level``, ``-channel``, and ``{prefix}-url``."""
    presets = [{"label": names[1] if lang == "en" else names[0], "value": key} for key, names in PRESETS.items()]
    tree = data.unit_options()  # the caller's home unit first, then everything below it
    top = tree[0][2] if tree else 1
    units = [{"label": ("\u2003" * (depth - top)) + name, "value": code} for code, name, depth in tree]
    fields = [{"label": label("all_fields", lang), "value": ALL}] + [{"label": f, "value": f} for f in data.fields()]
    levels = [{"label": label("all_levels", lang), "value": ALL}] + [{"label": lv, "value": lv}
                                                                   for lv in HANDLING_LEVELS]
    channels = [{"label": label("all_channels", lang), "value": ALL}] + [
        {"label": names[1] if lang == "en" else names[0], "value": str(code)} for code, names in CHANNEL_LABELS.items()]
    return html.Div([
        dcc.Location(id=f"{prefix}-url", refresh="callback-nav"),
        dbc.Select(id=f"{prefix}-preset", options=presets, value=preset if preset in PRESETS else "custom",
                   className="period-preset"),
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


def link_to_url(prefix: str, *, drill_graph: str | None = None, extra: tuple[str, str] | None = None) -> None:
    """Register the callback that writes the filter bar ``prefix`` into the page's URL.

    ``drill_graph``: a chart whose points carry a unit code in ``customdata``; clicking one drills
    into that unit. ``extra``: (component id, query key) of one more page control to keep in the URL.
    """
    inputs = [Input(f"{prefix}-preset", "value"),
              Input(f"{prefix}-period", "start_date"), Input(f"{prefix}-period", "end_date"),
              Input(f"{prefix}-unit", "value"), Input(f"{prefix}-field", "value"),
              Input(f"{prefix}-level", "value"), Input(f"{prefix}-channel", "value")]
    if extra:
        inputs.append(Input(extra[0], "value"))
    if drill_graph:
        inputs.append(Input(drill_graph, "clickData"))

    @callback(Output(f"{prefix}-url", "search"), *inputs, State(f"{prefix}-lang", "children"),
              prevent_initial_call=True)
    def filters_to_url(preset, start, end, unit, field, level, channel, *rest):
        *controls, lang = rest
        if dash.ctx.triggered_id == f"{prefix}-preset" and preset in PRESETS and preset != "custom":
            first, last = preset_range(preset, data.reference_day())
            start, end = first.isoformat(), last.isoformat()
        else:
            preset = "custom"
        extra_value = controls.pop(0) if extra else None
        if drill_graph and dash.ctx.triggered_id == drill_graph:  # drill down into the clicked unit
            click = controls[0] or {}
            code = click.get("points", [{}])[0].get("customdata", [""])[0]
            if not code or code in (unit, UNKNOWN_UNIT):
                return no_update
            unit = code
        args = query_args(start, end, unit, field, level, channel, lang)
        if preset != "custom":
            args["preset"] = preset
        if extra:
            args[extra[1]] = extra_value
        return "?" + urlencode(args)
