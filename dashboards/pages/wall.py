"""/wall: the operations-room screen. No controls; refreshes, rotates and warns on its own.

URL settings for kiosks: ``?panels=kpi,trend,overdue`` ``?unit=703`` ``?lang=en``
``?rotate=30`` (seconds, 0 stops) ``?refresh=300`` (seconds).
"""
from __future__ import annotations

import time

import dash
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html

from common.labels import label
from common.settings import get_settings
from dashboards import data
from dashboards.url_state import one
from dashboards.views import wall as view

dash.register_page(__name__, path="/wall", name="Màn hình lớn", title_en="Wall", title="Màn hình điều hành – IOC",
                   order=80)

GRAPH_CONFIG = {"displayModeBar": False, "responsive": True, "staticPlot": True}


def _int(value, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


def layout(**query) -> html.Div:
    lang = "en" if one(query, "lang") == "en" else "vi"
    unit, panels = one(query, "unit"), one(query, "panels")
    rotate, refresh = one(query, "rotate"), one(query, "refresh")
    unit = data.visible_unit(unit)
    chosen = [p for p in (panels or ",".join(view.PANELS)).split(",") if p in view.PANELS] or list(view.PANELS)
    # Every screen and panel is in the page (callbacks need their targets); unchosen ones stay hidden.
    shown_screens = [i for i, screen in enumerate(view.SCREENS) if any(p in chosen for p in screen)]
    settings = {"lang": lang, "unit": unit, "panels": chosen, "screens": shown_screens,
                "screen_count": len(view.SCREENS),
                "rotate_s": _int(rotate, get_settings().wall_rotate_seconds),
                "refresh_s": max(2, _int(refresh, get_settings().wall_refresh_seconds)),
                "stale_after_s": 2 * max(2, _int(refresh, get_settings().wall_refresh_seconds)) + 5}
    return html.Div([
        dcc.Store(id="wall-settings", data=settings),
        dcc.Store(id="wall-viewport"),
        dcc.Store(id="wall-last-ok"),
        dcc.Interval(id="wall-refresh", interval=settings["refresh_s"] * 1000),
        dcc.Interval(id="wall-tick", interval=1000),
        html.Div([
            html.Div([html.Div(label("wall_title", lang), className="wall-title"),
                      html.Div(id="wall-scope", className="wall-scope")], className="wall-heading"),
            html.Div(id="wall-offline", className="wall-offline", children=label("connection_lost", lang),
                     style={"display": "none"}),
            html.Div([html.Div(id="wall-as-of", className="wall-as-of"),
                      html.Div(id="wall-clock", className="wall-clock")], className="wall-time"),
        ], className="wall-header"),
        html.Div([
            html.Div(id="wall-headline", className="wall-headline",
                     style=None if "kpi" in chosen else {"display": "none"}),
            html.Div([
                html.Div([_panel(p, lang, p in chosen) for p in screen], className="wall-screen",
                         id=f"wall-screen-{i}", style=None if shown_screens[:1] == [i] else {"display": "none"})
                for i, screen in enumerate(view.SCREENS)
            ], className="wall-main", style=None if shown_screens else {"display": "none"}),
        ], className="wall-body"),
    ], className="wall-root")


def _panel(name: str, lang: str, shown: bool) -> html.Div:
    titles = {"trend": label("trend_12m", lang), "fields": label("late_by_field_12m", lang),
              "units": label("units_by_kpi_12m", lang), "overdue": label("overdue_list", lang), "today": "",
              "index766": "", "map": label("map_wall", lang)}
    body = dcc.Graph(id=f"wall-{name}", config=GRAPH_CONFIG, className="wall-graph") if name in ("trend", "fields") \
        else html.Div(id=f"wall-{name}", className="wall-panel-body")
    title = html.Div(titles[name], className="wall-panel-title") if titles[name] else None
    return html.Div([title, body], className=f"wall-panel wall-panel-{name}",
                    style=None if shown else {"display": "none"})


clientside_callback(ClientsideFunction("wall", "viewport"), Output("wall-viewport", "data"),
                    Input("wall-settings", "data"))
clientside_callback(ClientsideFunction("wall", "tick"),
                    Output("wall-clock", "children"), Output("wall-offline", "style"),
                    *[Output(f"wall-screen-{i}", "style") for i in range(len(view.SCREENS))],
                    Input("wall-tick", "n_intervals"), State("wall-settings", "data"), State("wall-last-ok", "data"),
                    prevent_initial_call=False)


@callback(Output("wall-headline", "children"), Output("wall-scope", "children"),
          Output("wall-as-of", "children"), Output("wall-as-of", "className"),
          Output("wall-last-ok", "data"),
          *[Output(f"wall-{p}", "figure" if p in ("trend", "fields") else "children")
            for p in view.PANELS if p != "kpi"],
          Input("wall-refresh", "n_intervals"), Input("wall-viewport", "data"), State("wall-settings", "data"))
def refresh(_n, viewport, settings):
    """Everything on the wall from the query layer; the browser keeps the last figures if this fails."""
    settings = settings if isinstance(settings, dict) else {}
    lang = "en" if settings.get("lang") == "en" else "vi"
    unit = data.visible_unit(settings.get("unit"))
    chosen = [p for p in view.PANELS if p in (settings.get("panels") or ())]
    height = (viewport or {}).get("height") if isinstance(viewport, dict) else None
    font_px = view.chart_font_px(height if isinstance(height, (int, float)) else 1080)
    as_of, stale = view.data_as_of(lang)
    builders = {
        "trend": lambda: view.trend(unit, lang, font_px), "fields": lambda: view.fields(unit, lang, font_px),
        "units": lambda: view.units_table(unit, lang), "overdue": lambda: view.overdue_list(unit, lang),
        "today": lambda: view.today(unit, lang), "index766": lambda: view.index766(unit, lang, font_px),
        "map": lambda: view.commune_map(unit, lang, font_px),
    }

    def screen() -> tuple:
        shown = [p for p in view.PANELS if p != "kpi"]
        built = iter(data.concurrently(lambda: view.headline(unit, lang), lambda: view.scope_line(unit, lang),
                                       *(builders[p] for p in shown if p in chosen)))
        headline, scope = next(built), next(built)
        return headline, scope, [next(built) if p in chosen else dash.no_update for p in shown]

    headline, scope, panels = data.cached_for_caller("wall", screen, unit, lang, font_px, tuple(chosen),
                                                     data.alerts_stamp())
    return (headline, scope, as_of, "wall-as-of wall-stale" if stale else "wall-as-of", time.time() * 1000, *panels)
