"""Plotly figures built from query-layer rows; the same look on every page."""
from __future__ import annotations

import plotly.graph_objects as go

from common import formats
from common.labels import LOWER_IS_BETTER, kpi_label, label

COLOURS = {"primary": "#0b5cad", "good": "#1a7f37", "bad": "#c62828", "muted": "#8c959f", "accent": "#e69500"}
FONT = "Inter, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"


def base_layout(fig: go.Figure, lang: str, height: int) -> go.Figure:
    """Shared layout: Vietnamese separators (``1.234,5``), quiet grid, compact margins."""
    fig.update_layout(
        height=height, margin=dict(l=8, r=16, t=8, b=8), font=dict(family=FONT, size=13),
        separators=",." if lang == "vi" else ".,", plot_bgcolor="white", paper_bgcolor="white",
        hoverlabel=dict(font_family=FONT), legend=dict(orientation="h", y=1.08, x=0),
    )
    fig.update_xaxes(showgrid=False, linecolor="#d0d7de")
    fig.update_yaxes(gridcolor="#eef1f4", zeroline=False)
    return fig


def empty_figure(lang: str, height: int = 320) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=label("no_data", lang), showarrow=False, font=dict(size=16, color=COLOURS["muted"]))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, lang, height)


def monthly_trend(rows: list[dict], lang: str, height: int = 340) -> go.Figure:
    """Dossiers received per month (bars) with the on-time and online rates (lines)."""
    if not any(r["received_total"] for r in rows):
        return empty_figure(lang, height)
    months = [formats.month(r["period_from"], lang) for r in rows]
    fig = go.Figure()
    fig.add_bar(x=months, y=[r["received_new"] for r in rows], name=kpi_label("received_new", lang),
                marker_color="#c9d7e8",
                hovertemplate="%{x}: %{y:,.0f}<extra>" + kpi_label("received_new", lang) + "</extra>")
    for key, colour in (("on_time_rate", COLOURS["good"]), ("online_rate", COLOURS["primary"]),
                        ("digitised_rate", COLOURS["accent"])):
        fig.add_scatter(x=months, y=[r[key] for r in rows], name=kpi_label(key, lang, short=True),
                        mode="lines+markers", line=dict(color=colour, width=2.5), yaxis="y2",
                        hovertemplate="%{x}: %{y:.2%}<extra>" + kpi_label(key, lang, short=True) + "</extra>")
    fig.update_layout(yaxis=dict(tickformat=",.0f", title=None, showgrid=False),
                      yaxis2=dict(overlaying="y", side="right", tickformat=".0%", range=[0, 1.05], dtick=0.2, title=None,
                                  gridcolor="#eef1f4"),
                      bargap=0.35)
    return base_layout(fig, lang, height)


def worse_than(metric: str, value: float | None, reference: float | None) -> bool:
    """Whether ``value`` is worse than ``reference`` for this metric (lower is better for late rates)."""
    if value is None or reference is None:
        return False
    return value > reference if metric in LOWER_IS_BETTER else value < reference


def ranked_bar(names: list[str], values: list[float | None], lang: str, *, metric: str,
               average: float | None = None, counts: list[int] | None = None,
               height: int | None = None, average_label: str | None = None) -> go.Figure:
    """Horizontal bars in the given order (worst first), bars worse than the average in red."""
    if not names:
        return empty_figure(lang, height or 320)
    average_label = average_label or label("average", lang)
    shown = [v if v is not None else 0 for v in values]
    colours = [COLOURS["bad"] if worse_than(metric, v, average) else COLOURS["primary"] for v in values]
    texts = [formats.percent(v, lang) for v in values]
    custom = counts or [None] * len(names)
    fig = go.Figure(go.Bar(
        x=shown, y=names, orientation="h", marker_color=colours, text=texts, textposition="outside",
        cliponaxis=False, customdata=custom,
        hovertemplate="%{y}: %{text}" + (" (%{customdata:,.0f} " + label("dossiers", lang) + ")" if counts else "")
        + "<extra></extra>",
    ))
    if average is not None:
        fig.add_vline(x=average, line_dash="dash", line_color=COLOURS["muted"])
        fig.add_annotation(x=average, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{average_label}: {formats.percent(average, lang)}",
                           font=dict(size=12, color=COLOURS["muted"]))
    top = max(shown + [average or 0]) or 0.01
    fig.update_layout(xaxis=dict(tickformat=".1%", range=[0, top * 1.3]), yaxis=dict(autorange="reversed"),
                      bargap=0.3)
    base_layout(fig, lang, height or max(260, 26 * len(names) + 60))
    fig.update_layout(margin=dict(l=8, r=24, t=30, b=8))
    fig.update_yaxes(automargin=True)
    return fig
