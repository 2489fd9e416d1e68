"""The wall's panels: the province (or a district) at a glance, readable from five metres."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import plotly.graph_objects as go
from dash import dcc, html

from common import formats
from common.labels import CHANNEL_LABELS, kpi_label, label
from common.periods import month_start
from common.settings import get_settings
from dashboards import data
from dashboards.components.maps import LABEL_TRACE
from dashboards.components.charts import index766_groups, monthly_trend, ranked_bar
from common.index766_text import band_line, points
from common.kpi_text import change_text, format_value, meets_target, target_text
from common.periods import preset_range
from dashboards.views.overview import slice_label, unit_labels, units_map
from warehouse.slice import Slice, local_now
from warehouse.units import display_name

HEADLINE = ("on_time_rate", "late_rate", "online_rate", "cashless_rate", "satisfaction_rate", "digitised_rate",
            "received_new", "pending_overdue")
UNIT_COLUMNS = ("late_rate", "on_time_rate", "online_rate", "cashless_rate", "digitised_rate", "satisfaction_rate")
PANELS = ("kpi", "trend", "fields", "units", "overdue", "today", "index766", "map")
# Screens the wall rotates through; the headline strip stays on every screen.
SCREENS = (("trend",), ("fields",), ("map",), ("units",), ("overdue", "today"), ("index766",))


def month_slices(unit: str | None) -> tuple[Slice, Slice]:
    """This month to the newest day with data, and the same days of the month before."""
    end = data.reference_day()
    start = month_start(end)
    previous_start = month_start(start - timedelta(days=1))
    previous_end = min(previous_start + (end - start), start - timedelta(days=1))
    return Slice(start, end, unit=unit), Slice(previous_start, previous_end, unit=unit)


def chart_font_px(screen_height: float) -> int:
    """Chart type in proportion to the screen, like the tiles' (vh) text: 20 px at 1080, 42 at 2160, in
    2-px steps so cached screens stay few."""
    return min(56, max(12, 2 * round(screen_height * 0.0097)))


def style_dark(fig: go.Figure, font_px: int) -> go.Figure:
    """The control-room look: transparent background, light text, sizes that follow the screen."""
    fig.update_layout(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                      font=dict(color="#e6edf3", size=font_px),
                      legend=dict(font=dict(size=font_px), itemwidth=max(30, font_px * 2),
                                  # each entry as wide as the longest name: at 4K plotly's own spacing
                                  # runs one entry into the next
                                  entrywidthmode="pixels", entrywidth=_legend_entry_px(fig, font_px)),
                      margin=dict(l=8, r=font_px * 3, t=font_px * 2, b=8), autosize=True, height=None)
    fig.update_xaxes(gridcolor="#30363d", linecolor="#30363d", tickfont=dict(size=font_px))
    fig.update_yaxes(gridcolor="#30363d", linecolor="#30363d", tickfont=dict(size=font_px))
    fig.update_traces(textfont_size=font_px, selector=dict(type="bar"))
    fig.update_annotations(font_size=round(font_px * 0.85))  # the reform marker and notes, read from afar too
    # lines and markers grow with the screen too, to stay visible across the room
    fig.update_traces(line_width=max(3, font_px / 5), marker_size=max(7, font_px / 2.5), selector=dict(type="scatter"))
    return fig


def _legend_entry_px(fig: go.Figure, font_px: int) -> int:
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    return round(font_px * (0.6 * max((len(n) for n in names), default=8) + 3.5))


def headline(unit: str, lang: str) -> list:
    current_slice, previous_slice = month_slices(unit)
    current, previous = data.kpis(current_slice), data.kpis(previous_slice)
    tiles = []
    for key in HEADLINE:
        value = current[key]
        status = meets_target(key, value)
        change, tone = change_text(key, value, previous[key], lang)
        name = label("received_month", lang) if key == "received_new" else \
            label("overdue_now", lang) if key == "pending_overdue" else kpi_label(key, lang, short=True)
        text = format_value(key, value, lang)
        size = " wall-tile-value-long" if len(text) > 6 else ""  # "100,00%", "123.456": a size down, never clipped
        tiles.append(html.Div([
            html.Div(name, className="wall-tile-label"),
            html.Div(text, className="wall-tile-value" + size, **{"data-kpi": key}),
            html.Div(html.Span(change, className=f"wall-change-{tone}"), className="wall-tile-change"),
            html.Div(target_text(key, lang, whole=True), className="wall-tile-target"),
        ], className=f"wall-tile wall-{ {True: 'good', False: 'bad', None: 'neutral'}[status] }"))
    return tiles


def trend(unit: str, lang: str, font_px: int) -> go.Figure:
    current, _ = month_slices(unit)
    fig = style_dark(monthly_trend(data.monthly_trend(current), lang, marks=data.reform_marks(lang)), font_px)
    return fig.update_traces(marker_color="#2d4a6b", selector=dict(type="bar"))


def fields(unit: str, lang: str, font_px: int, shown: int = 10) -> go.Figure:
    s = replace(month_slices(unit)[0], date_from=data.reference_day() - timedelta(days=364))
    rows = [r for r in data.kpis_by(s, "field") if r["resolved_total"] >= 20]
    rows.sort(key=lambda r: -(r["late_rate"] or 0))
    items = [(r["group_key"], r["late_rate"], r["resolved_total"]) for r in rows[:shown]]
    return style_dark(ranked_bar(items, lang, metric="late_rate",
                                 reference=(slice_label(s, lang), data.kpis(s)["late_rate"])), font_px)


WALL_UNITS_SHOWN = 15  # from five metres, 96 communes are a blur: the worst 15 by late rate


def units_table(unit: str, lang: str, shown: int = WALL_UNITS_SHOWN) -> html.Table:
    """The units below the wall's unit with the highest late rates × headline rates, each cell coloured
    against the target."""
    s = replace(month_slices(unit)[0], date_from=data.reference_day() - timedelta(days=364))
    rows = [r for r in data.kpis_by(s, "unit_child") if r["received_total"]]
    names = unit_labels(rows, s, lang)
    rows.sort(key=lambda r: -(r["late_rate"] or 0))
    rows = rows[:shown]
    header = html.Tr([html.Th("")] + [html.Th(kpi_label(k, lang, short=True)) for k in UNIT_COLUMNS])
    body = []
    for r in rows:
        cells = [html.Td(names[r["group_key"]], className="wall-unit-name")]
        for key in UNIT_COLUMNS:
            ok = meets_target(key, r[key])
            tone = {True: "good", False: "bad", None: "neutral"}[ok]
            cells.append(html.Td(formats.percent(r[key], lang), className=f"wall-cell-{tone}"))
        body.append(html.Tr(cells))
    return html.Table([html.Thead(header), html.Tbody(body)], className="wall-units")


WALL_MAP_LABELLED = 5  # the worst communes numbered on the map and named beside it


def commune_map(unit: str | None, lang: str, font_px: int) -> html.Div:
    """Today's communes by late rate over the last 12 months, the worst numbered on the map and named in a
    list beside it (no hover on a wall); where there is no map (a unit's wall, no boundary file), the
    units table instead."""
    s = replace(month_slices(unit)[0], date_from=data.reference_day() - timedelta(days=364))
    screen_h = font_px / 0.0097  # the screen height chart_font_px was computed from
    fig = units_map(s, "late_rate", lang, height=round(screen_h * 0.74), width_hint=round(screen_h * 0.9),
                    labelled=WALL_MAP_LABELLED, dark=True, font_px=font_px)
    if fig is None:
        return units_table(unit, lang)
    worst = next((t for t in fig["data"] if t.get("name") == LABEL_TRACE), None)
    names = list(worst["text"]) if worst is not None else []
    return html.Div([
        html.Div([dcc.Graph(figure=fig, config={"displayModeBar": False, "responsive": True, "staticPlot": True},
                            className="wall-graph commune-map"),
                  html.Div(className="wall-map-labels")], className="wall-map-canvas"),
        html.Div([html.Div(label("map_worst", lang), className="wall-map-list-title"),
                  html.Ol([html.Li(name) for name in names], className="wall-map-list")],
                 className="wall-map-side"),
    ], className="wall-map")


def overdue_list(unit: str, lang: str, shown: int = 10) -> html.Table:
    rows = data.overdue(month_slices(unit)[0], shown)  # as of the same instant as the headline
    body = [html.Tr([
        html.Td(f"{r['days_overdue']} {label('days_overdue', lang)}", className="wall-overdue-days"),
        html.Td([html.Div(r["procedure_name"] or r["field"] or "—", className="wall-overdue-what"),
                 html.Div(f"{display_name(r['unit_name'], r['unit_code'], lang)} · {r['field'] or '—'} · {r['agency'] or '—'}",
                          className="wall-overdue-where")]),
    ]) for r in rows]
    return html.Table(html.Tbody(body), className="wall-overdue")


def period_caption(unit: str, lang: str) -> str:
    """What the headline compares: ``Tháng 10/2026 (đến 31/10) so với tháng trước``."""
    current, _ = month_slices(unit)
    return (f"{label('month', lang)} {formats.month(current.date_from, lang)} "
            f"({formats.day(current.date_from, lang)}–{formats.day(current.date_to, lang)}) "
            f"{label('vs_last_month', lang)}")


def today(unit: str, lang: str) -> html.Div:
    """Intake on the newest day with data (today on a live system), by channel."""
    day = data.reference_day()
    by_channel = {int(r["group_key"]): r["received_new"] for r in data.kpis_by(Slice(day, day, unit=unit), "channel")}
    total = sum(by_channel.values())
    return html.Div([
        html.Div(label("today_intake", lang).format(day=formats.day(day, lang)), className="wall-panel-title"),
        html.Div(formats.number(total, lang), className="wall-today-total", **{"data-kpi": "received_today"}),
        html.Div([html.Div([html.Span(CHANNEL_LABELS[c][1 if lang == "en" else 0]),
                            html.Strong(formats.number(by_channel.get(c, 0), lang))], className="wall-today-row")
                  for c in (1, 2, 3)]),
    ], className="wall-today")


def index766(unit: str, lang: str, font_px: int) -> html.Div:
    """The Decision 766 estimate of the year to date: points computed, not computable and the most still
    reachable as three figures (never one total), and the groups' bars, from the same code as the page."""
    start, end = preset_range("year_to_date", data.reference_day())
    e = data.index766(Slice(start, end, unit=unit))
    figures = (("index766_computed", points(e.points_computed, lang), f"/ {points(e.pmax_computed, lang)}"),
               ("index766_not_computable", points(e.pmax_not_computable, lang), ""),
               ("index766_reachable", points(e.reachable, lang), "/ 100"))
    fig = style_dark(index766_groups(e.groups(), lang), font_px)
    fig.update_traces(textfont_size=font_px)
    fig.update_traces(marker_color="#30363d", marker_pattern_fgcolor="#8b949e", textfont_color="#e6edf3",
                      selector=dict(name=label("index766_missing", lang)))  # the hatch, dark on the dark wall
    return html.Div([
        html.Div(f"{label('index766_wall', lang)} · {formats.day(start, lang)}–{formats.day(end, lang)}",
                 className="wall-panel-title"),
        html.Div([html.Div([html.Div(label(key, lang), className="wall-766-label"),
                            html.Div([html.Span(value, className="wall-766-value"),
                                      html.Span(f" {out_of}", className="wall-766-of")])], className="wall-766-figure")
                  for key, value, out_of in figures], className="wall-766-figures"),
        html.Div(band_line(e, lang), className="wall-766-band"),
        dcc.Graph(figure=fig, config={"displayModeBar": False, "responsive": True, "staticPlot": True},
                  className="wall-graph"),
    ], className="wall-766")


def data_as_of(lang: str) -> tuple[str, bool]:
    """'Data as of …' text and whether it is older than the freshness setting."""
    fresh = data.freshness()
    age = formats.hours_since(fresh.last_load, local_now())
    stale = age is None or age > get_settings().freshness_hours
    return f"{label('updated_at', lang)}: {formats.moment(fresh.last_load, lang)}", stale


def scope_line(unit: str | None, lang: str) -> str:
    """The unit, the period compared and, when there are any, the threshold alerts open now."""
    line = f"{scope_name(unit, lang)} · {period_caption(unit, lang)}"
    open_now = len(data.open_alerts())
    return line + (f" · {label('alerts_open_count', lang).format(count=open_now)}" if open_now else "")


def scope_name(unit: str | None, lang: str) -> str:
    return data.located(month_slices(unit)[0]).name or unit or ""

