"""The commune map: a choropleth of today's communes, one figure for the pages and the wall.

``go.Choroplethmap`` on the ``white-bg`` style draws the shapes with no tiles and no network (operations
rooms often have none); ``go.Choropleth`` (geo) would fetch a world outline from a CDN. Text on such a
map would need glyphs from the internet too, so the wall's labels of the worst communes are HTML laid
over the map by ``assets/maps.js`` at the points of a marker trace.
"""
from __future__ import annotations

import math

import plotly.graph_objects as go

from common import formats
from common.labels import LOWER_IS_BETTER, kpi_label, label
from dashboards.components.charts import PER_1000, base_layout, empty_figure, value_text
from warehouse.boundaries import Boundaries

MAP_METRICS = ("late_rate", "on_time_rate", "online_rate", "cashless_rate", "satisfaction_rate", "digitised_rate",
               "pending_overdue_per_1000")
# Sequential light → dark (ColorBrewer YlOrRd): read by lightness, so colour-blind readers can use it;
# the darkest shade is always the worst. A commune with no dossiers is grey, outside the scale.
SCALE = ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"]
NO_DATA = "#c9ced6"
LABEL_TRACE = "labels"
# the wall's map: white-bg's one background layer, transparent over the dark panel (no sources, no glyphs)
DARK_STYLE = {"version": 8, "sources": {}, "layers": [
    {"id": "background", "type": "background", "paint": {"background-color": "rgba(0,0,0,0)"}}]}  # the marker trace whose points the wall's HTML labels sit on


def view_of(shapes: Boundaries, height: int, width: int) -> dict:
    """Centre and zoom that fit the shapes' bounding box in a ``width`` × ``height`` pixel map (Web
    Mercator, 512-pixel tiles): plotly's map has no "fit bounds" of its own."""
    west, south, east, north = shapes.bounds
    mercator = (lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
    zoom_h = math.log2(height * 2 * math.pi / ((mercator(north) - mercator(south)) * 512))
    zoom_w = math.log2(width * 360 / ((east - west) * 512))
    return {"center": {"lon": (west + east) / 2, "lat": (south + north) / 2}, "zoom": min(zoom_h, zoom_w) - 0.15}


def commune_map(items: list[tuple], shapes: Boundaries, lang: str, *, metric: str, height: int = 520,
                width_hint: int | None = None, labelled: int = 0, dark: bool = False,
                font_px: int | None = None, communes: set[str] | None = None) -> dict:
    """Communes coloured by ``metric`` from ``items`` of (code, name, value, dossiers).

    Each shape's ``customdata`` starts ``[code, dossiers]`` like the ranking's bars, so a click drills
    into the commune through the same callback. Communes with no value are grey and named "no dossiers"
    in the legend, never coloured as a zero. ``labelled``: the worst so many communes get a marker
    (and, on the wall, an HTML label).

    Returns the figure as plain JSON with the shapes attached after plotly's validation: validating 96
    polygons costs ~150 ms a map, and a dict also unpickles from the page cache as is."""
    if not shapes.names:
        return empty_figure(lang, height).to_plotly_json()
    by_code = {code: (name, value, count) for code, name, value, count in items if code in shapes.names}
    valued = [(code, *v) for code, v in by_code.items() if v[1] is not None]
    with_value = {code for code, *_ in valued}
    # shapes of no commune of today's list (``communes``) are left out: the data page lists them
    missing = [code for code in shapes.names if code not in with_value and (communes is None or code in communes)]
    lower_better = metric in LOWER_IS_BETTER
    dossiers = label("dossiers", lang)
    fig = go.Figure()
    if missing:
        fig.add_trace(go.Choroplethmap(
            featureidkey="properties.code", locations=missing, z=[0] * len(missing),
            colorscale=[[0, NO_DATA], [1, NO_DATA]], showscale=False, marker_line_color="white",
            marker_line_width=0.6, name=label("map_no_data", lang), showlegend=True,
            customdata=[[c, 0, by_code.get(c, (shapes.names[c],))[0]] for c in missing],
            hovertemplate="<b>%{customdata[2]}</b><br>" + label("map_no_data", lang) + "<extra></extra>"))
    if valued:
        values = [v for _, _, v, _ in valued]
        fig.add_trace(go.Choroplethmap(
            featureidkey="properties.code", locations=[c for c, *_ in valued],
            z=values,
            zmin=min(values), zmax=max(values) if max(values) > min(values) else min(values) + 1e-9,
            colorscale=[[i / (len(SCALE) - 1), colour] for i, colour in enumerate(SCALE if lower_better
                                                                                   else SCALE[::-1])],
            marker_line_color="white" if not dark else "#0d1117", marker_line_width=0.6, showlegend=False,
            colorbar=_colorbar(metric, lang, dark, font_px, max(values)),
            customdata=[[c, n, name, value_text(metric, v, lang), formats.number(n, lang)]
                        for c, name, v, n in valued],
            hovertemplate="<b>%{customdata[2]}</b><br>" + kpi_label(metric, lang, short=True)
            + ": %{customdata[3]}<br>%{customdata[4]} " + dossiers + "<extra></extra>"))
        if labelled:
            worst = sorted(valued, key=lambda r: r[2], reverse=lower_better)[:labelled]
            fig.add_trace(go.Scattermap(
                lon=[shapes.centres[c][0] for c, *_ in worst], lat=[shapes.centres[c][1] for c, *_ in worst],
                mode="markers", name=LABEL_TRACE, showlegend=False, hoverinfo="skip",
                marker=dict(size=1, opacity=0),  # the wall draws numbered badges here (assets/maps.js)
                text=[f"{name} {value_text(metric, v, lang)}" for _, name, v, _ in worst]))
    view = view_of(shapes, height, width_hint or round(height * 1.1))
    # the view computed here is the first drawing; assets/maps.js then fits the communes to the box
    fig.update_layout(map=dict(style="white-bg", **view), margin=dict(l=0, r=0, t=0, b=0),
                      meta={"fit": list(shapes.bounds)},
                      legend=dict(orientation="h", x=0, y=0, yanchor="bottom", bgcolor="rgba(255,255,255,0.7)"),
                      dragmode=False)
    fig = base_layout(fig, lang, height)
    if dark:
        fig.update_layout(paper_bgcolor="rgba(0,0,0,0)", font=dict(color="#e6edf3", size=font_px),
                          legend=dict(bgcolor="rgba(0,0,0,0)", font=dict(size=font_px)), height=None,
                          autosize=True)
        fig.update_layout(map_style=DARK_STYLE)
    figure = fig.to_plotly_json()
    shaped = [t for t in figure["data"] if t["type"] == "choroplethmap"]
    for trace in shaped:  # each trace carries only its own communes' shapes, so the figure has each once
        trace["geojson"] = _subset(shapes, trace["locations"])
    return figure


def _subset(shapes: Boundaries, codes) -> dict:
    """The shapes of ``codes`` only: each trace ships its own shapes, so the figure carries each once."""
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in shapes.geojson["features"] if f["id"] in wanted]}


def _colorbar(metric: str, lang: str, dark: bool, font_px: int | None, zmax: float) -> dict:
    percent = metric not in PER_1000
    size = font_px or 12
    return dict(title=dict(text=kpi_label(metric, lang, short=True), side="top", font=dict(size=size)),
                tickformat=(".2%" if zmax < 0.02 else ".1%" if zmax < 0.1 else ".0%") if percent else ",.1f",
                nticks=6, tickfont=dict(size=size), thickness=max(12, size),
                len=0.6, x=0.98, xanchor="right", y=0.98, yanchor="top",
                bgcolor="rgba(13,17,23,0.6)" if dark else "rgba(255,255,255,0.8)", outlinewidth=0)
