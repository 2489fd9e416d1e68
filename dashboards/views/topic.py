"""One pattern for the pages about a single indicator (online, payment, satisfaction, digitisation):
cards, a 12-month trend of its rates, and rankings by unit (click to drill down) and by field."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dash_bootstrap_components as dbc
import plotly.graph_objects as go

from common import formats
from dash import dcc, html

from common.labels import kpi_label, label
from dashboards import data
from dashboards.components.charts import COLOURS, base_layout, count_bars, empty_figure, mark_dates, ranked_bar
from dashboards.components.tables import export_buttons, grid, number_column, percent_column
from dashboards.components.kpi_card import kpi_card
from common.kpi_text import target_of
from dashboards.views.overview import estimate_badge, ranking_and_map, slice_label
from warehouse.kpi import RATING_KEYS
from warehouse.slice import Slice


def cards(topic: Topic, s: Slice, lang: str) -> list:
    figures = data.compare(s)
    return [dbc.Col(kpi_card(k, figures, lang, level=s.handling_level, card_id=f"{topic.slug}-card-{k}"),
                    xs=12, sm=6, lg=3, className="mb-3") for k in topic.rates + topic.counts] + \
        estimate_badge(figures.current, s, lang)


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
    mark_dates(fig, rows, data.reform_marks(lang), lang)
    return base_layout(fig, lang, 340)


def units_row(topic: Topic, s: Slice, lang: str, header: str) -> dbc.Row:
    """The units ranked on the page's rate, with the map of it beside them (today's communes)."""
    return ranking_and_map(f"{topic.slug}-units", f"{topic.slug}-map", s, topic.rates[0], lang, header=header)


def by_field(topic: Topic, s: Slice, lang: str, shown: int = 15) -> go.Figure:
    metric = topic.rates[0]
    rows = [r for r in data.kpis_by(s, "field") if r[metric] is not None]
    rows.sort(key=lambda r: r["received_new"], reverse=True)
    items = [(r["group_key"] or "—", r[metric], r["received_new"]) for r in rows[:shown]]
    return ranked_bar(items, lang, metric=metric, reference=(slice_label(s, lang), data.kpis(s)[metric]))


RATING_COLOURS = {"very_satisfied": COLOURS["good"], "satisfied": "#6cc17a", "dissatisfied": COLOURS["bad"],
                  "not_rated": COLOURS["muted"]}


def rating_distribution(s: Slice, lang: str) -> go.Figure:
    """How the dossiers resolved in the period were rated, value by value (the base of the satisfaction rate)."""
    total = data.kpis(s)
    return count_bars([(label(k, lang), total[k], RATING_COLOURS[k]) for k in RATING_KEYS], lang)


def ratings_by_agency(s: Slice, lang: str):
    """One row per agency: dossiers per rating value, rated, and the satisfaction rate; the slice's total pinned."""
    shown = RATING_KEYS + ("rated_total", "satisfaction_rate")
    rows = sorted((r for r in data.kpis_by(s, "agency") if r["resolved_total"]), key=lambda r: -r["rated_total"])
    body = [{"agency": r["group_key"] or "—", **{k: r[k] for k in shown}} for r in rows]
    total = data.kpis(s)
    pinned = {"agency": label("total", lang), **{k: total[k] for k in shown}}
    number = number_column(lang)
    columns = [("agency", "col_agency", {"flex": 3, "minWidth": 220})] + \
        [(k, k, number) for k in RATING_KEYS] + [("rated_total", "col_rated", number),
                                                 ("satisfaction_rate", "satisfaction_rate", percent_column(lang))]
    table = grid("hai-long-agencies", body, columns, lang, file_name="hai-long-theo-co-quan.csv", compact=True)
    table.dashGridOptions = table.dashGridOptions | {"pinnedBottomRowData": [pinned]}
    return table


def satisfaction_panels(s: Slice, lang: str) -> list:
    """The satisfaction page's own panels: the distribution of ratings, and ratings by agency."""
    graph = dcc.Graph(id="hai-long-distribution", figure=rating_distribution(s, lang), config={"displayModeBar": False})
    header = html.Div([html.Span(label("ratings_by_agency", lang)), export_buttons("hai-long-agencies", lang)],
                      className="card-header-row")
    return [dbc.Row([
        dbc.Col(dbc.Card([dbc.CardHeader(label("rating_distribution", lang)), dbc.CardBody(graph)]), lg=4,
                className="mb-3"),
        dbc.Col(dbc.Card([dbc.CardHeader(header), dbc.CardBody(ratings_by_agency(s, lang))]), lg=8, className="mb-3"),
    ])]


@dataclass(frozen=True)
class Topic:
    slug: str        # URL path and component-id prefix
    title_key: str   # common.labels.UI key of the page title
    nav_key: str     # short name in the navigation
    rates: tuple[str, ...]
    counts: tuple[str, ...]
    order: int
    # the page's own panels below the shared ones, and the ids of their tables with CSV/XLSX export
    extra: Callable[[Slice, str], list] | None = None
    exported_grids: tuple[str, ...] = ()


TOPICS = {
    "truc-tuyen": Topic("truc-tuyen", "topic_online", "nav_online", ("online_rate", "full_online_rate"),
                        ("received_new", "received_online"), 20),
    "thanh-toan": Topic("thanh-toan", "topic_payment", "nav_payment", ("cashless_rate", "online_payment_rate"),
                        ("received_new",), 30),
    "hai-long": Topic("hai-long", "topic_satisfaction", "nav_satisfaction", ("satisfaction_rate",),
                      ("resolved_total",), 40, extra=satisfaction_panels, exported_grids=("hai-long-agencies",)),
    "so-hoa": Topic("so-hoa", "topic_digitisation", "nav_digitisation", ("digitised_rate",), ("received_new",), 45),
}
