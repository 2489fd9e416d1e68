"""Plotly figures built from query-layer rows; the same look on every page."""
from __future__ import annotations

import math

import plotly.graph_objects as go
import plotly.io as pio

from common import formats
from common.labels import LOWER_IS_BETTER, kpi_label, label

COLOURS = {"primary": "#0b5cad", "good": "#1a7f37", "bad": "#c62828", "muted": "#8c959f", "accent": "#e69500"}
FONT = "Inter, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"


def _template() -> go.layout.Template:
    """Our look (plotly's default template's essentials, quiet grid, compact margins, one font) as a small
    template built once: assigning it costs a chart a fraction of a millisecond, where the same settings
    as updates over plotly's full default template cost ~4 ms per chart (the cached pages' budget is 20 ms)."""
    axis = dict(ticks="", title=dict(standoff=15), automargin=True, zerolinecolor="white", zerolinewidth=2)
    template = go.layout.Template()
    template.layout.update(
        margin=dict(l=8, r=16, t=8, b=8), font=dict(family=FONT, size=13, color="#2a3f5f"), plot_bgcolor="white",
        paper_bgcolor="white", hoverlabel=dict(font_family=FONT, align="left"), hovermode="closest",
        legend=dict(orientation="h", y=1.08, x=0), autotypenumbers="strict",
        colorway=pio.templates["plotly"].layout.colorway,
        xaxis=axis | dict(showgrid=False, linecolor="#d0d7de"),
        yaxis=axis | dict(gridcolor="#eef1f4", linecolor="white", zeroline=False),
    )
    return template


pio.templates["ioc"] = _template()


def base_layout(fig: go.Figure, lang: str, height: int) -> go.Figure:
    """Shared layout (the ``ioc`` template), the height, and the language's separators (``1.234,5``)."""
    fig.update_layout(template="ioc", height=height, separators=",." if lang == "vi" else ".,")
    return fig


def empty_figure(lang: str, height: int = 320) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=label("no_data", lang), showarrow=False, font=dict(size=16, color=COLOURS["muted"]))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, lang, height)


def mark_dates(fig: go.Figure, rows: list[dict], marks: list[tuple], lang: str) -> go.Figure:
    """A dotted line and a caption at the month each of ``marks`` (date, label) falls in, when the chart
    holds it: the 1 July 2025 reorganisation, across which a unit's figures are restated."""
    for day, text in marks:
        months = [r["period_from"] for r in rows]
        inside = [i for i, r in enumerate(rows) if r["period_from"] <= day <= r["period_to"]]
        if not inside or day == months[0]:
            continue
        x = inside[0] - 0.5 if day == rows[inside[0]]["period_from"] else inside[0]
        fig.add_vline(x=x, line_dash="dot", line_color=COLOURS["muted"], line_width=1.5)
        fig.add_annotation(x=x, y=1, yref="paper", text=text, showarrow=False, xanchor="left", yanchor="bottom",
                           font=dict(size=11, color=COLOURS["muted"]), xshift=3)
    return fig


def monthly_trend(rows: list[dict], lang: str, height: int = 340, marks: list[tuple] = ()) -> go.Figure:
    """Dossiers received per month (bars) with the on-time and online rates (lines); ``marks`` (date, label)
    are drawn as dotted lines (the reorganisation)."""
    if not any(r["received_total"] for r in rows):
        return empty_figure(lang, height)
    months = [formats.month(r["period_from"], lang) for r in rows]
    fig = go.Figure()
    fig.add_bar(x=months, y=[r["received_new"] for r in rows], name=kpi_label("received_new", lang, short=True),
                marker_color="#c9d7e8",
                hovertemplate="%{x}: %{y:,.0f}<extra>" + kpi_label("received_new", lang, short=True) + "</extra>")
    for key, colour in (("on_time_rate", COLOURS["good"]), ("online_rate", COLOURS["primary"]),
                        ("digitised_rate", COLOURS["accent"])):
        fig.add_scatter(x=months, y=[r[key] for r in rows], name=kpi_label(key, lang, short=True),
                        mode="lines+markers", line=dict(color=colour, width=2.5), yaxis="y2",
                        hovertemplate="%{x}: %{y:.2%}<extra>" + kpi_label(key, lang, short=True) + "</extra>")
    # Both axes get five steps over the same height, so the counts' ticks sit on the rates' gridlines.
    step = nice_step(max(r["received_new"] for r in rows) / 5)
    fig.update_layout(yaxis=dict(tickformat=",.0f", title=None, showgrid=False, range=[0, 5.25 * step], dtick=step),
                      yaxis2=dict(overlaying="y", side="right", tickformat=".0%", range=[0, 1.05], dtick=0.2, title=None,
                                  gridcolor="#eef1f4"),
                      bargap=0.35)
    mark_dates(fig, rows, list(marks), lang)
    return base_layout(fig, lang, height)


def nice_step(at_least: float) -> float:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least ``at_least`` (1 for nothing)."""
    if at_least <= 1:
        return 1
    power = 10 ** math.floor(math.log10(at_least))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= at_least)


PER_1000 = frozenset({"pending_overdue_per_1000"})


def value_text(metric: str, value: float | None, lang: str) -> str:
    """A ranked or mapped value as people read it: a percentage, or dossiers per 1,000 with one decimal."""
    if metric in PER_1000:
        return formats.decimal(value, lang, 1)
    return formats.percent(value, lang)


def worse_than(metric: str, value: float | None, reference: float | None) -> bool:
    """Whether ``value`` is worse than ``reference`` for this metric (lower is better for late rates)."""
    if value is None or reference is None:
        return False
    return value > reference if metric in LOWER_IS_BETTER else value < reference


def ranked_bar(items: list[tuple], lang: str, *, metric: str,
               reference: tuple[str, float | None] | None = None, height: int | None = None,
               shown: int | None = None) -> go.Figure:
    """Horizontal bars of (name, value, dossiers[, code]), worst at the top.

    The ``reference`` (the province or the parent unit) is a grey bar in its ranked place, so
    each unit reads as better (blue) or worse (red) than it without a line crossing the labels.
    A bar's ``customdata`` is ``[code, dossiers]``: a click drills into the unit ``code``. With ``shown``,
    only the worst ``shown`` units are drawn (96 communes do not fit one readable chart) and a note
    under the chart says how many more there are.
    """
    rows = [(item[0], item[1], item[2], False, item[3] if len(item) > 3 else "") for item in items
            if item[1] is not None]
    if not rows:
        return empty_figure(lang, height or 320)
    rows.sort(key=lambda r: r[1], reverse=metric in LOWER_IS_BETTER)
    hidden = len(rows) - shown if shown and len(rows) > shown else 0
    rows = rows[:len(rows) - hidden]
    ref_value = reference[1] if reference else None
    if reference and ref_value is not None:
        rows.append((reference[0], ref_value, None, True, ""))
        rows.sort(key=lambda r: r[1], reverse=metric in LOWER_IS_BETTER)
    colours = [COLOURS["muted"] if is_ref else COLOURS["bad"] if worse_than(metric, value, ref_value)
               else COLOURS["primary"] for _, value, _, is_ref, _ in rows]
    names = [f"<b>{name}</b>" if is_ref else name for name, _, _, is_ref, _ in rows]
    texts = [value_text(metric, value, lang) for _, value, _, _, _ in rows]
    fig = go.Figure(go.Bar(
        x=[value for _, value, _, _, _ in rows], y=names, orientation="h", marker_color=colours, text=texts,
        textposition="outside", cliponaxis=False,
        customdata=[[code, count if count is not None else 0] for _, _, count, _, code in rows],
        hovertemplate="%{y}: %{text} (%{customdata[1]:,.0f} " + label("dossiers", lang) + ")<extra></extra>",
    ))
    top = max(value for _, value, _, _, _ in rows) or 0.01
    fig.update_layout(xaxis=dict(tickformat=".1%" if metric not in PER_1000 else ",.1f", range=[0, top * 1.25]),
                      yaxis=dict(autorange="reversed"),
                      bargap=0.3)
    if hidden:
        fig.add_annotation(text=label("more_units", lang).format(count=formats.number(hidden, lang)),
                           xref="paper", yref="paper", x=0, y=0, yshift=-34, showarrow=False, xanchor="left",
                           font=dict(color=COLOURS["muted"], size=12))
        fig.update_layout(margin=dict(b=44))
    return base_layout(fig, lang, height or max(260, 26 * len(rows) + 50 + (30 if hidden else 0)))


def count_bars(items: list[tuple[str, int, str]], lang: str, height: int = 260) -> go.Figure:
    """Horizontal bars of (name, dossiers, colour) in the given order, each labelled with its count."""
    if not any(count for _, count, _ in items):
        return empty_figure(lang, height)
    fig = go.Figure(go.Bar(
        x=[count for _, count, _ in items], y=[name for name, _, _ in items], orientation="h",
        marker_color=[colour for _, _, colour in items], text=[formats.number(c, lang) for _, c, _ in items],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text} " + label("dossiers", lang) + "<extra></extra>",
    ))
    fig.update_layout(xaxis=dict(tickformat=",.0f", range=[0, max(c for _, c, _ in items) * 1.25]),
                      yaxis=dict(autorange="reversed"), bargap=0.3)
    return base_layout(fig, lang, height)


def index766_groups(groups: list[dict], lang: str, *, height: int = 300, font_size: int | None = None) -> go.Figure:
    """The Decision 766 estimate by group: points earned, points computed but not earned, and points not
    computable (hatched grey), each group a bar of its maximum; the same chart on the page, wall and email."""
    names = [f"{g['code']}. {g['name_en' if lang == 'en' else 'name_vi']}" for g in groups][::-1]
    parts = (("points", "index766_earned", COLOURS["good"], ""),
             ("lost", "index766_lost", COLOURS["bad"], ""),
             ("pmax_not_computable", "index766_missing", "#d0d7de", "/"))
    fig = go.Figure()
    for key, label_key, colour, pattern in parts:
        values = [(g["pmax_computed"] - g["points"]) if key == "lost" else g[key] for g in groups][::-1]
        fig.add_trace(go.Bar(
            x=values, y=names, orientation="h", name=label(label_key, lang), marker_color=colour,
            marker_pattern_shape=pattern, marker_line_width=0,
            text=[formats.decimal(v, lang, 1) if v >= 1 else "" for v in values], textposition="inside",
            insidetextanchor="middle", hovertemplate="%{y}: %{x:.2f} " + label("col_points", lang).lower()
            + "<extra>" + label(label_key, lang) + "</extra>"))
    fig.update_layout(barmode="stack", xaxis=dict(range=[0, max(g["pmax"] for g in groups) * 1.02], dtick=5),
                      legend=dict(orientation="h", y=-0.12, x=0, yanchor="top", traceorder="normal"),
                      margin=dict(b=40))
    fig = base_layout(fig, lang, height)
    if font_size:
        fig.update_layout(font=dict(size=font_size))
    return fig
