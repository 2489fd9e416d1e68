"""One pattern for the pages about a single indicator (online, payment, satisfaction, digitisation):
cards, a 12-month trend of its rates, and rankings by unit (click to drill down) and by field."""
from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
import plotly.graph_objects as go

from common import formats
from common.labels import kpi_label
from dashboards import data
from dashboards.components.charts import COLOURS, base_layout, empty_figure, ranked_bar
from dashboards.components.kpi_card import kpi_card
from common.kpi_text import target_of
from dashboards.views.overview import slice_label, unit_label
from warehouse.slice import Slice


@dataclass(frozen=True)
class Topic:
    slug: str        # URL path and component-id prefix
    title_key: str   # common.labels.UI key of the page title
    nav_key: str     # short name in the navigation
    rates: tuple[str, ...]
    counts: tuple[str, ...]
    order: int


TOPICS = {
    "truc-tuyen": Topic("truc-tuyen", "topic_online", "nav_online", ("online_rate", "full_online_rate"),
                        ("received_new", "received_online"), 20),
    "thanh-toan": Topic("thanh-toan", "topic_payment", "nav_payment", ("cashless_rate", "online_payment_rate"),
                        ("received_new",), 30),
    "hai-long": Topic("hai-long", "topic_satisfaction", "nav_satisfaction", ("satisfaction_rate",),
                      ("resolved_total",), 40),
    "so-hoa": Topic("so-hoa", "topic_digitisation", "nav_digitisation", ("digitised_rate",), ("received_new",), 45),
}


def cards(topic: Topic, s: Slice, lang: str) -> list:
    figures = data.compare(s)
    return [dbc.Col(kpi_card(k, figures, lang, level=s.handling_level, card_id=f"{topic.slug}-card-{k}"),
                    xs=12, sm=6, lg=3, className="mb-3") for k in topic.rates + topic.counts]


def trend(topic: Topic, s: Slice, lang: str) -> go.Figure:
    rows = data.monthly_trend(s)
    if not any(r["received_total"] for r in rows):
        return empty_figure(lang)
    months = [formats.month(r["period_from"], lang) for r in rows]
    fig = go.Figure()
    for key, colour in zip(topic.rates, (COLOURS["primary"], COLOURS["accent"]), strict=False):
        fig.add_scatter(x=months, y=[r[key] for r in rows], name=kpi_label(key, lang), mode="lines+markers",
                        line=dict(color=colour, width=3),
                        hovertemplate="%{x}: %{y:.2%}<extra>" + kpi_label(key, lang, short=True) + "</extra>")
        target = target_of(key, s.handling_level)
        if target is not None:
            fig.add_hline(y=target, line_dash="dot", line_color=colour, opacity=0.5)
    fig.update_layout(yaxis=dict(tickformat=".0%", range=[0, 1.05]))
    return base_layout(fig, lang, 340)


def by_unit(topic: Topic, s: Slice, lang: str) -> go.Figure:
    metric = topic.rates[0]
    rows = data.kpis_by(s, "unit_child")
    names = data.unit_names([r["group_key"] for r in rows])
    labels = {r["group_key"]: unit_label(r["group_key"], names, s.unit, lang) for r in rows}
    items = [(labels[r["group_key"]], r[metric], r["received_new"]) for r in rows]
    fig = ranked_bar(items, lang, metric=metric, reference=(slice_label(s, lang), data.kpis(s)[metric]))
    code_of = {v: k for k, v in labels.items()}
    fig.update_traces(customdata=[[code_of.get(y.replace("<b>", "").replace("</b>", ""), "")] for y in fig.data[0].y],
                      hovertemplate="%{y}: %{text}<extra></extra>")
    return fig


def by_field(topic: Topic, s: Slice, lang: str, shown: int = 15) -> go.Figure:
    metric = topic.rates[0]
    rows = [r for r in data.kpis_by(s, "field") if r[metric] is not None]
    rows.sort(key=lambda r: r["received_new"], reverse=True)
    items = [(r["group_key"] or "—", r[metric], r["received_new"]) for r in rows[:shown]]
    return ranked_bar(items, lang, metric=metric, reference=(slice_label(s, lang), data.kpis(s)[metric]))
