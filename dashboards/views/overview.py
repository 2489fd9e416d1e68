"""The overview page's content for one slice."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go

from common.labels import label
from dashboards import data
from dashboards.components.charts import monthly_trend, ranked_bar
from dashboards.components.kpi_card import kpi_card
from warehouse.catalog import UNKNOWN_UNIT
from warehouse.slice import Slice

CARD_KEYS = ("on_time_rate", "late_rate", "online_rate", "cashless_rate", "satisfaction_rate", "digitised_rate",
             "received_new", "pending_overdue")
RANKING_METRICS = ("late_rate", "on_time_rate", "online_rate", "cashless_rate", "digitised_rate",
                   "satisfaction_rate")
FIELDS_SHOWN = 15


def cards(s: Slice, lang: str) -> list:
    figures = data.compare(s)
    return [dbc.Col(kpi_card(k, figures, lang, level=s.handling_level), xs=12, sm=6, lg=3, className="mb-3")
            for k in CARD_KEYS]


def trend(s: Slice, lang: str) -> go.Figure:
    return monthly_trend(data.monthly_trend(s), lang)


def late_by_field(s: Slice, lang: str) -> go.Figure:
    """The fields with the highest late rates (those with resolved dossiers), against the slice."""
    rows = [r for r in data.kpis_by(s, "field") if r["resolved_total"] > 0]
    rows.sort(key=lambda r: (-(r["late_rate"] or 0), -r["resolved_total"]))
    items = [(r["group_key"] or "—", r["late_rate"], r["resolved_total"]) for r in rows[:FIELDS_SHOWN]]
    return ranked_bar(items, lang, metric="late_rate", reference=(slice_label(s, lang), data.kpis(s)["late_rate"]))


def unit_label(code: str, names: dict[str, str], parent: str | None, lang: str) -> str:
    if code == UNKNOWN_UNIT:
        return label("unknown_unit", lang)
    if code == parent:
        unit = data.unit(code)
        if unit is not None and unit.parent_code is None:
            return label("unit_itself_province", lang)
        return label("unit_itself", lang).format(name=unit.name if unit else code)
    return names.get(code, code)


def units_ranked(s: Slice, metric: str, lang: str) -> go.Figure:
    """The units just below the slice's unit, worst first on ``metric``."""
    rows = data.kpis_by(s, "unit_child")
    names = data.unit_names([r["group_key"] for r in rows])
    items = [(unit_label(r["group_key"], names, s.unit, lang), r[metric], r["received_total"]) for r in rows]
    return ranked_bar(items, lang, metric=metric, reference=(slice_label(s, lang), data.kpis(s)[metric]))


def slice_label(s: Slice, lang: str) -> str:
    """How the average line names the slice: the province, or the unit's name."""
    unit = data.unit(s.unit) if s.unit else None
    if unit is None or unit.parent_code is None:
        return label("province", lang)
    return unit.name

