"""The filter bar every analyst page shares: period, unit, field, handling level, channel.

Changing a filter rewrites the page's URL (``?from=…&unit=…``); the page renders from the URL, so a
link reopens the same view and the back button steps back through filter changes.
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from common import formats
from common.labels import CHANNEL_LABELS, label
from common.periods import PRESETS, preset_range
from dashboards import data
from warehouse.units import NEW_UNITS, UNKNOWN_UNIT
from warehouse.slice import HANDLING_LEVELS, Slice

ALL = "__all__"
PROVINCE = "__province__"  # the unit picker's value for the whole province (the URL then names no unit)
CURRENT = "__current__"    # the unit-list switch's value for today's units (the URL then has no units_as_of)


def view_options(lang: str) -> list[dict]:
    """Today's units, then each earlier list by its last day: the unit-list switch."""
    options = []
    for view in reversed(data.views()):
        if view.is_current:
            start = formats.day(view.valid_from, lang) if view.valid_from else ""
            options.append({"label": label("units_view_current", lang).format(date=start), "value": CURRENT})
        else:
            options.append({"label": label("units_view_before", lang).format(date=formats.day(view.valid_to, lang)),
                            "value": view.as_of.isoformat()})
    return options


def level_options(s: Slice, lang: str) -> list[dict]:
    """Handling levels; ``Huyện`` only when the period reaches back to a list that had districts."""
    has_districts = "district" in data.unit_levels(s)
    shown = [lv for lv in HANDLING_LEVELS if lv != "Huyện" or has_districts or s.handling_level == lv]
    return [{"label": label("all_levels", lang), "value": ALL}] + [{"label": lv, "value": lv} for lv in shown]


def filter_bar(prefix: str, s: Slice, lang: str, *, max_day, preset: str = "custom") -> html.Div:
    """Ids ``{prefix}-preset``, ``-period``, ``-unit``, ``-field``, ``-level``, ``-channel``, and ``{prefix}-url``."""
    presets = [{"label": names[1] if lang == "en" else names[0], "value": key} for key, names in PRESETS.items()]
    tree = data.unit_options(s)  # the caller's home unit first, then everything below it, in the slice's view
    top = tree[0][2] if tree else 1
    units = [{"label": ("\u2003" * (depth - top)) + name, "value": code or PROVINCE, "search": name}
             for code, name, depth in tree]
    fields = [{"label": label("all_fields", lang), "value": ALL}] + [{"label": f, "value": f} for f in data.fields()]
    levels = level_options(s, lang)
    channels = [{"label": label("all_channels", lang), "value": ALL}] + [
        {"label": names[1] if lang == "en" else names[0], "value": str(code)} for code, names in CHANNEL_LABELS.items()]
    return html.Div([
        dcc.Location(id=f"{prefix}-url", refresh="callback-nav"),
        dbc.Select(id=f"{prefix}-preset", options=presets, value=preset if preset in PRESETS else "custom",
                   className="period-preset"),
        dcc.DatePickerRange(id=f"{prefix}-period", start_date=s.date_from.isoformat(), end_date=s.date_to.isoformat(),
                            display_format="DD/MM/YYYY", first_day_of_week=1, max_date_allowed=max_day.isoformat(),
                            minimum_nights=0),
        dbc.Select(id=f"{prefix}-units-view", options=view_options(lang),
                   value=s.units_as_of.isoformat() if s.units_as_of else CURRENT, className="filter-units-view"),
        dcc.Dropdown(id=f"{prefix}-unit", options=units, value=s.unit or PROVINCE, clearable=False, searchable=True,
                     className="filter-unit", optionHeight=30),
        dbc.Select(id=f"{prefix}-field", options=fields, value=s.field or ALL),
        dbc.Select(id=f"{prefix}-level", options=levels, value=s.handling_level or ALL),
        dbc.Select(id=f"{prefix}-channel", options=channels, value=str(s.channel) if s.channel else ALL),
    ], className="filter-bar slice-filters")


def query_args(start, end, unit, field, level, channel, lang: str, units_as_of: str | None = None) -> dict[str, str]:
    """The filter values as URL query arguments (blank ones left out)."""
    args = {"from": start, "to": end, "units_as_of": units_as_of, "unit": unit, "field": field, "level": level,
            "channel": channel, "lang": "en" if lang == "en" else None}
    return {k: v for k, v in args.items() if v and v not in (ALL, PROVINCE, CURRENT)}


def link_to_url(prefix: str, *, drill_graph: str | tuple[str, ...] = (),
                extra: tuple[str, str] | None = None) -> None:
    """Register the callback that writes the filter bar ``prefix`` into the page's URL.

    ``drill_graph``: charts (a ranking, a map) whose points carry a unit code first in ``customdata``;
    clicking one drills into that unit. ``extra``: (component id, query key) of one more page control to
    keep in the URL.
    """
    drill_graphs = (drill_graph,) if isinstance(drill_graph, str) else tuple(drill_graph)
    inputs = [Input(f"{prefix}-preset", "value"),
              Input(f"{prefix}-period", "start_date"), Input(f"{prefix}-period", "end_date"),
              Input(f"{prefix}-units-view", "value"), Input(f"{prefix}-unit", "value"), Input(f"{prefix}-field", "value"),
              Input(f"{prefix}-level", "value"), Input(f"{prefix}-channel", "value")]
    if extra:
        inputs.append(Input(extra[0], "value"))
    inputs += [Input(graph, "clickData") for graph in drill_graphs]

    @callback(Output(f"{prefix}-url", "search"), *inputs, State(f"{prefix}-lang", "children"),
              prevent_initial_call=True)
    def filters_to_url(preset, start, end, units_view, unit, field, level, channel, *rest):
        *controls, lang = rest
        if dash.ctx.triggered_id == f"{prefix}-preset" and preset in PRESETS and preset != "custom":
            first, last = preset_range(preset, data.reference_day())
            start, end = first.isoformat(), last.isoformat()
        else:
            preset = "custom"
        extra_value = controls.pop(0) if extra else None
        if dash.ctx.triggered_id in drill_graphs:  # drill down into the clicked unit
            click = controls[drill_graphs.index(dash.ctx.triggered_id)] or {}
            code = click.get("points", [{}])[0].get("customdata", [""])[0]
            if not code or code in (unit, UNKNOWN_UNIT, NEW_UNITS):
                return no_update
            unit = code
        if dash.ctx.triggered_id == f"{prefix}-units-view":
            unit = None  # a code means another unit (or nothing) in another list: start at the province
        args = query_args(start, end, unit, field, level, channel, lang, units_view)
        if preset != "custom":
            args["preset"] = preset
        if extra:
            args[extra[1]] = extra_value
        return "?" + urlencode(args)
