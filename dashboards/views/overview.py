"""The overview page's content for one slice."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html
import plotly.graph_objects as go

from common import formats
from common.labels import kpi_label, label
from dashboards import data
from dashboards.components.charts import monthly_trend, ranked_bar
from dashboards.components.maps import MAP_METRICS, commune_map
from dashboards.components.kpi_card import kpi_card
from warehouse.kpi import BASE_KEYS
from warehouse.units import NEW_UNITS, UNKNOWN_UNIT
from warehouse.slice import Slice

CARD_KEYS = ("on_time_rate", "late_rate", "online_rate", "cashless_rate", "satisfaction_rate", "digitised_rate",
             "received_new", "pending_overdue")
RANKING_METRICS = MAP_METRICS  # the ranking and the map beside it show the same figure
FIELDS_SHOWN = 15


def cards(s: Slice, lang: str) -> list:
    figures = data.compare(s)
    return [dbc.Col(kpi_card(k, figures, lang, level=s.handling_level), xs=12, sm=6, lg=3, className="mb-3")
            for k in CARD_KEYS] + estimate_badge(figures.current, s, lang)


def estimate_badge(figures: dict, s: Slice, lang: str) -> list:
    """A line under the cards when their figures include dossiers placed by the split-commune rule."""
    note = estimate_note(figures, s, lang)
    if note is None:
        return []
    return [dbc.Col(html.Div([dbc.Badge(label("estimate_mark", lang), color="warning", className="me-2"), note],
                             className="estimate-note", id="estimate-note"), xs=12, className="mb-3")]


def trend(s: Slice, lang: str) -> go.Figure:
    return monthly_trend(data.monthly_trend(s), lang, marks=data.reform_marks(lang))


def late_by_field(s: Slice, lang: str) -> go.Figure:
    """The fields with the highest late rates (those with resolved dossiers), against the slice."""
    rows = [r for r in data.kpis_by(s, "field") if r["resolved_total"] > 0]
    rows.sort(key=lambda r: (-(r["late_rate"] or 0), -r["resolved_total"]))
    items = [(r["group_key"] or "—", r["late_rate"], r["resolved_total"]) for r in rows[:FIELDS_SHOWN]]
    return ranked_bar(items, lang, metric="late_rate", reference=(slice_label(s, lang), data.kpis(s)["late_rate"]))


RANKED_SHOWN = 25  # 96 communes do not fit a readable chart: the worst 25, the rest in the II.06a table


def unit_labels(rows: list[dict], s: Slice, lang: str) -> dict[str, str]:
    """group_key → how a unit-child row is named: the unit's name in the slice's view, the pseudo-units
    in words, dossiers coded at the unit itself as such, and "(ước tính)" where split communes'
    dossiers are counted by rule."""
    codes = [r["group_key"] for r in rows]
    names = data.unit_names(codes, s)
    here = data.located(s)
    labels = {}
    for r in rows:
        code = r["group_key"]
        if code == UNKNOWN_UNIT:
            text = label("unknown_unit", lang)
        elif code == NEW_UNITS:
            text = label("new_units", lang)
        elif code == here.path[-1] and (here.code is not None or here.view.is_current):
            text = (label("unit_itself_province", lang) if here.code is None
                    else label("unit_itself", lang).format(name=here.name or code))
        else:
            text = names.get(code, code)
        if r.get("estimated_dossiers"):
            text += f" ({label('estimate_mark', lang)})"
        labels[code] = text
    return labels


def ranked_units(s: Slice, metric: str, count_key: str, lang: str, *, only_with: str | None = None,
                 shown: int | None = RANKED_SHOWN) -> go.Figure:
    """The units just below the slice's unit, worst first on ``metric``; a click drills into one."""
    rows = [r for r in data.kpis_by(s, "unit_child") if not only_with or r[only_with]]
    labels = unit_labels(rows, s, lang)
    items = [(labels[r["group_key"]], r[metric], r[count_key], r["group_key"]) for r in rows]
    return ranked_bar(items, lang, metric=metric, reference=(slice_label(s, lang), data.kpis(s)[metric]),
                      shown=shown)


def units_ranked(s: Slice, metric: str, lang: str) -> go.Figure:
    """The units just below the slice's unit, worst first on ``metric``."""
    return ranked_units(s, metric, BASE_KEYS.get(metric, "received_total"), lang)


def shows_map(s: Slice) -> bool:
    """Whether the slice's units below are today's communes of the province with shapes to draw: in the
    old-units view there are no old boundaries, and below the province there is nothing to map."""
    return s.unit is None and data.located(s).view.is_current and bool(data.boundaries().names)


def units_map(s: Slice, metric: str, lang: str, *, height: int = 560, **style) -> dict | None:
    """Today's communes coloured by ``metric`` (a click drills in), or None where ``shows_map`` says no.

    A plain dict (see ``commune_map``)."""
    if not shows_map(s):
        return None
    rows = [r for r in data.kpis_by(s, "unit_child") if r["group_key"] not in (UNKNOWN_UNIT, NEW_UNITS)]
    names = unit_labels(rows, s, lang)
    count_key = BASE_KEYS.get(metric, "received_total")
    items = [(r["group_key"], names[r["group_key"]], r[metric], r[count_key]) for r in rows]
    return commune_map(items, data.boundaries(), lang, metric=metric, height=height,
                       communes=set(data.todays_communes()), **style)


def slice_label(s: Slice, lang: str) -> str:
    """How the average line names the slice: the province, or the unit's name."""
    if s.unit is None:
        return label("province", lang)
    return data.located(s).name or s.unit


def estimate_note(figures: dict, s: Slice, lang: str) -> str | None:
    """The "ước tính" note of a slice whose figures include dossiers placed by the split-commune rule."""
    count = figures.get("estimated_dossiers")
    return label("estimate_note", lang).format(count=formats.number(count, lang)) if count else None


def ranking_and_map(ranking_id: str, map_id: str, s: Slice, metric: str, lang: str, *,
                    header: list | str) -> dbc.Row:
    """The units ranked on ``metric`` and, where there is one (``shows_map``), the map of the same figure
    beside them; both drill into a unit on a click. The map's graph is always in the layout (hidden when
    there is no map) so the drill and metric callbacks have their inputs on every view."""
    ranking = units_ranked(s, metric, lang)
    shown = units_map(s, metric, lang, height=max(460, ranking.layout.height or 460))
    graph = {"config": {"displayModeBar": False}}
    map_card = dbc.Card([
        dbc.CardHeader(label("map_title", lang).format(metric=kpi_label(metric, lang, short=True))
                       + f" ({label('map_click', lang)})", id=f"{map_id}-header"),
        dbc.CardBody(dcc.Graph(id=map_id, figure=shown or {}, config={"displayModeBar": False, "scrollZoom": False},
                               className="commune-map")),
    ])
    return dbc.Row([
        dbc.Col(dbc.Card([dbc.CardHeader(header), dbc.CardBody(dcc.Graph(id=ranking_id, figure=ranking, **graph))]),
                lg=7 if shown else 12, className="mb-3"),
        dbc.Col(map_card, lg=5, className="mb-3", style={} if shown else {"display": "none"}),
    ])
