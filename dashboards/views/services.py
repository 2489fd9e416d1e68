"""The services page's content for one slice: the catalogue's figures, procedures by level and online
level, fields by online offer against online use, and the lists a province reviews."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from common import formats
from common.labels import kpi_label, label
from dashboards import data
from dashboards.components.charts import COLOURS, base_layout, empty_figure
from dashboards.components.tables import number_column
from warehouse.slice import Slice

LEVELS = ("Tỉnh", "Huyện", "Xã")
ONLINE_TEXT = {4: "online_full", 3: "online_partly"}


def cards(s: Slice, lang: str) -> list:
    f = data.services(s)

    def share(part: int, whole: int) -> str:
        return label("share_of", lang).format(share=formats.percent(part / whole if whole else None, lang, 1),
                                              total=formats.number(whole, lang))

    items = (("procedures_total", f["procedures_total"],
              label("services_in_force", lang).format(day=formats.day(s.date_to, lang))),
             ("procedures_online", f["procedures_online"], share(f["procedures_online"], f["procedures_total"])),
             ("procedures_full_online", f["procedures_full_online"],
              share(f["procedures_full_online"], f["procedures_total"])),
             ("procedures_with_dossiers", f["procedures_with_dossiers"],
              share(f["procedures_with_dossiers"], f["procedures_total"])),
             ("online_procedures_with_online_dossiers", f["online_procedures_with_online_dossiers"],
              share(f["online_procedures_with_online_dossiers"], f["procedures_online"])))
    return [dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(kpi_label(key, lang), className="kpi-label"),
        html.Div(formats.number(value, lang), className="kpi-value", **{"data-kpi": key}),
        html.Div(note, className="kpi-target")]), className="kpi-card kpi-neutral"),
        xs=12, sm=6, lg=True, className="mb-3") for key, value, note in items]


def by_level(s: Slice, lang: str) -> go.Figure:
    """Procedures of each level, split by online level (a procedure of two levels in both)."""
    rows = {r["group_key"]: r for r in data.services_by(s, "handling_level")}
    levels = [lv for lv in LEVELS if lv in rows]
    if not levels:
        return empty_figure(lang, 260)
    parts = (("online_full", lambda r: r["procedures_full_online"], COLOURS["good"]),
             ("online_partly", lambda r: r["procedures_partly_online"], COLOURS["primary"]),
             ("online_none", lambda r: r["procedures_total"] - r["procedures_online"], COLOURS["muted"]))
    fig = go.Figure()
    for key, value, colour in parts:
        values = [value(rows[lv]) for lv in levels]
        fig.add_trace(go.Bar(x=values, y=levels, orientation="h", name=label(key, lang), marker_color=colour,
                             text=[formats.number(v, lang) for v in values], textposition="inside",
                             insidetextanchor="middle",
                             hovertemplate="%{y}: %{x:,.0f}<extra>" + label(key, lang) + "</extra>"))
    fig.update_layout(barmode="stack", yaxis=dict(autorange="reversed"),
                      legend=dict(orientation="h", y=-0.15, x=0, yanchor="top", traceorder="normal"),
                      margin=dict(b=40))
    return base_layout(fig, lang, 110 + 60 * len(levels))


def fields_offer_use(s: Slice, lang: str) -> go.Figure:
    """Per field: the share of its procedures offered online beside the share of its dossiers filed
    online; fields whose offer runs furthest ahead of use first."""
    offer = {r["group_key"]: r for r in data.services_by(s, "field")}
    use = {r["group_key"]: r for r in data.kpis_by(s, "field")}
    rows = []
    for field, r in offer.items():
        offered = r["procedures_online"] / r["procedures_total"] if r["procedures_total"] else None
        used = use.get(field, {}).get("online_rate")
        rows.append((field, offered, used))
    if not rows:
        return empty_figure(lang)
    rows.sort(key=lambda x: -((x[1] or 0) - (x[2] or 0)))
    fields = [r[0] for r in rows]
    fig = go.Figure([
        go.Bar(x=[r[1] for r in rows], y=fields, orientation="h", name=label("services_offer", lang),
               marker_color=COLOURS["muted"], hovertemplate="%{y}: %{x:.1%}<extra>" + label("services_offer", lang)
               + "</extra>"),
        go.Bar(x=[r[2] for r in rows], y=fields, orientation="h", name=label("services_use", lang),
               marker_color=COLOURS["primary"], hovertemplate="%{y}: %{x:.1%}<extra>" + label("services_use", lang)
               + "</extra>"),
    ])
    fig.update_layout(barmode="group", xaxis=dict(tickformat=".0%", range=[0, 1.02]), yaxis=dict(autorange="reversed"),
                      legend=dict(orientation="h", y=1.0, x=0, yanchor="bottom"), bargap=0.25, bargroupgap=0.05)
    return base_layout(fig, lang, max(300, 34 * len(rows) + 80))


LIST_COLUMNS = [("code", "col_procedure_code", {"flex": 0, "width": 190}), ("name", "col_procedure", {"flex": 4}),
                ("field", "col_field", {"flex": 2}), ("levels", "col_levels", {"flex": 0, "width": 120}),
                ("online", "col_online_level", {"flex": 0, "width": 130})]


def list_columns(lang: str, *, with_dossiers: bool = False) -> list[tuple]:
    return LIST_COLUMNS + ([("dossiers", "col_dossiers_new", number_column(lang))] if with_dossiers else [])


def _row(p: dict, lang: str) -> dict:
    return {"code": p["procedure_code"], "name": p["procedure_name"], "field": p["field"],
            "levels": ", ".join(p["levels"]), "online": label(ONLINE_TEXT.get(p["online_level"], "online_none"), lang),
            "dossiers": p["new_dossiers"]}


def unused(s: Slice, lang: str) -> list[dict]:
    """Procedures in force with no dossier received in the period: what a province reviews for simplification."""
    return [_row(p, lang) for p in data.procedures(s) if p["new_dossiers"] == 0]


def unused_online(s: Slice, lang: str) -> list[dict]:
    """Online services with no dossier filed online in the period (some may have dossiers filed in person)."""
    return [_row(p, lang) for p in data.procedures(s) if p["is_online"] and p["online_dossiers"] == 0]
