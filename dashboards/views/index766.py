"""The Decision 766 page's content for one slice: the estimate's three figures, its items with their
status, and the units ranked by the points computed (with their rank against the previous period)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from common import formats
from common.index766_text import band_line, points, status
from common.labels import label
from dashboards import data
from dashboards.components.charts import COLOURS, base_layout, empty_figure
from dashboards.components.tables import number_column, percent_column
from dashboards.views.overview import unit_labels
from warehouse.index766 import NOT_COMPUTABLE, Estimate
from warehouse.slice import Slice

UNITS_SHOWN = 30


def headline(e: Estimate, lang: str) -> dbc.Row:
    """Three cards, side by side and never added up: computed, not computable, most still reachable."""
    def card(title: str, value: str, note: str, card_id: str, tone: str) -> dbc.Col:
        return dbc.Col(dbc.Card(dbc.CardBody([
            html.Div(label(title, lang), className="kpi-label"),
            html.Div(value, className="kpi-value", id=card_id),
            html.Div(note, className="kpi-target"),
        ]), className=f"kpi-card {tone}"), xs=12, md=4, className="mb-3")

    return dbc.Row([
        card("index766_computed", points(e.points_computed, lang),
             label("index766_computed_of", lang).format(pmax=points(e.pmax_computed, lang)), "i766-computed",
             "kpi-neutral"),
        card("index766_not_computable", points(e.pmax_not_computable, lang),
             label("index766_not_computable_note", lang), "i766-not-computable", "kpi-muted"),
        card("index766_reachable", points(e.reachable, lang), label("index766_reachable_note", lang),
             "i766-reachable", "kpi-neutral"),
        dbc.Col(html.Div(band_line(e, lang), className="index766-band", id="i766-band"), xs=12, className="mb-3"),
    ])


ITEM_COLUMNS = [("group", "col_group766", {"flex": 2}), ("item", "col_criterion", {"flex": 4}),
                ("status", "col_status", {"flex": 3})]


def item_columns(lang: str) -> list[tuple]:
    return ITEM_COLUMNS + [("r", "col_r", percent_column(lang)), ("target", "target", percent_column(lang, 0)),
                           ("points", "col_points", number_column(lang, 2)), ("pmax", "col_pmax", number_column(lang))]


def item_rows(e: Estimate, lang: str) -> list[dict]:
    names = {g["code"]: g["name_en" if lang == "en" else "name_vi"] for g in e.groups()}
    return [{"group": f"{i['group']}. {names[i['group']]}",
             "item": f"{i['code']} {i['name_en' if lang == 'en' else 'name_vi']}",
             "status": status(i, lang), "r": i["r"], "target": i["target"], "pmax": i["pmax"],
             "points": None if i["status"] == NOT_COMPUTABLE else i["points"]} for i in e.items]


def _ranked(s: Slice, lang: str) -> tuple[list[dict], dict[str, str]]:
    rows = data.index766_by_unit(s)
    return rows, unit_labels([{"group_key": r["group_key"]} for r in rows], s, lang)


def units_figure(s: Slice, lang: str) -> go.Figure:
    """Units by points computed, best at the top, on an axis around their values (their differences are
    what a leader reads); a click drills into the unit."""
    rows, names = _ranked(s, lang)
    rows = [r for r in rows if r["estimate"].pmax_computed][:UNITS_SHOWN]
    if not rows:
        return empty_figure(lang)
    values = [r["estimate"].points_computed for r in rows]
    low, high = min(values), max(values)
    pad = max((high - low) * 0.15, 0.5)
    fig = go.Figure(go.Bar(
        x=values, y=[names[r["group_key"]] for r in rows], orientation="h", marker_color=COLOURS["primary"],
        text=[points(v, lang) for v in values], textposition="outside", cliponaxis=False,
        customdata=[[r["group_key"], r["rank"]] for r in rows],
        hovertemplate="%{y}: %{text} / " + points(rows[0]["estimate"].pmax_computed, lang)
        + " (" + label("col_rank", lang).lower() + " %{customdata[1]})<extra></extra>"))
    fig.update_layout(xaxis=dict(range=[max(0, low - pad), high + pad]), yaxis=dict(autorange="reversed"), bargap=0.3)
    return base_layout(fig, lang, max(260, 26 * len(rows) + 60))


UNIT_COLUMNS = [("rank", "col_rank", {"flex": 0, "width": 80}), ("unit", "col_unit", {"flex": 3})]


def unit_columns(lang: str) -> list[tuple]:
    return UNIT_COLUMNS + [("points", "col_points", number_column(lang, 2)),
                           ("pmax", "col_pmax", number_column(lang, 0)),
                           ("previous", "col_previous_points", number_column(lang, 2)),
                           ("rank_change", "col_rank_change", number_column(lang))]


def unit_rows(s: Slice, lang: str) -> list[dict]:
    """Every unit with its rank, its points and how its rank moved against the previous period (+ is up)."""
    rows, names = _ranked(s, lang)
    return [{"rank": r["rank"], "unit": names[r["group_key"]], "points": r["estimate"].points_computed,
             "pmax": r["estimate"].pmax_computed,
             "previous": r["previous"].points_computed if r["previous"] else None,
             "rank_change": (r["previous_rank"] - r["rank"]) if r["previous_rank"] else None} for r in rows]


def period_text(s: Slice, lang: str) -> str:
    return f"{formats.day(s.date_from, lang)} – {formats.day(s.date_to, lang)}"
