"""Hồ sơ trễ hạn: the Biểu II.06a table by a dimension, and late rate by unit for drilling down."""
from __future__ import annotations

import plotly.graph_objects as go

from common import formats
from common.labels import OUTCOME_LABELS, label
from dashboards import data
from dashboards.components.charts import ranked_bar
from dashboards.components.tables import grid, number_column, percent_column
from dashboards.views.overview import slice_label, unit_label
from warehouse.slice import Slice

DIMENSIONS = ("field", "agency", "procedure", "unit_child")
TABLE_COUNTS = ("received_new", "received_carried_over", "received_online", "resolved_early", "resolved_on_time",
                "resolved_late", "pending_on_track", "pending_overdue")


def table_06a(s: Slice, dimension: str, lang: str):
    """One row per group with the II.06a columns and the late rate, plus a total row."""
    rows = data.kpis_by(s, dimension)
    names = data.unit_names([r["group_key"] for r in rows]) if dimension == "unit_child" else {}
    total = data.kpis(s)
    body = [{"group": unit_label(r["group_key"], names, s.unit, lang) if dimension == "unit_child"
             else (r["group_key"] or "—"), **{k: r[k] for k in TABLE_COUNTS}, "late_rate": r["late_rate"]}
            for r in rows]
    body.sort(key=lambda r: -(r["late_rate"] or 0))
    pinned = {"group": label("total", lang), **{k: total[k] for k in TABLE_COUNTS}, "late_rate": total["late_rate"]}
    number = number_column(lang)
    columns = [("group", "col_group", {"flex": 3, "pinned": "left"})] + \
        [(k, k, number | {"headerTooltip": label(k, lang)}) for k in TABLE_COUNTS] + [("late_rate", "late_rate", percent_column(lang))]
    table = grid("late-table", body, columns, lang, file_name="bieu-06a.csv", compact=True)
    table.dashGridOptions = table.dashGridOptions | {"pinnedBottomRowData": [pinned]}
    return table


def unit_dossiers(s: Slice, lang: str):
    """A commune's dossiers in the period, dossier by dossier (the end of the drill-down)."""
    rows = data.dossiers(s)
    body = [{"dossier_id": r["dossier_id"], "procedure": r["procedure_name"], "field": r["field"],
             "agency": r["agency"], "received": formats.moment(r["received_at"], lang),
             "due": formats.moment(r["due_at"], lang), "end": formats.moment(r["end_at"], lang),
             "outcome": label(r["outcome"], lang, OUTCOME_LABELS)} for r in rows]
    wide_enough = {"minWidth": 150}
    columns = [("dossier_id", "col_dossier", {"minWidth": 200}), ("procedure", "col_procedure", {"flex": 3}),
               ("field", "col_field"), ("agency", "col_agency"), ("received", "col_received", wide_enough),
               ("due", "col_due", wide_enough), ("end", "col_end", wide_enough), ("outcome", "col_outcome", wide_enough)]
    return len(rows), grid("late-dossiers", body, columns, lang, file_name="ho-so-don-vi.csv", compact=True)


def late_by_unit(s: Slice, lang: str) -> go.Figure:
    rows = [r for r in data.kpis_by(s, "unit_child") if r["resolved_total"]]
    names = data.unit_names([r["group_key"] for r in rows])
    items = [(unit_label(r["group_key"], names, s.unit, lang), r["late_rate"], r["resolved_total"]) for r in rows]
    fig = ranked_bar(items, lang, metric="late_rate", reference=(slice_label(s, lang), data.kpis(s)["late_rate"]))
    codes_by_label = {unit_label(r["group_key"], names, s.unit, lang): r["group_key"] for r in rows}
    fig.update_traces(customdata=[[codes_by_label.get(y.replace("<b>", "").replace("</b>", ""), "")]
                                  for y in fig.data[0].y],
                      hovertemplate="%{y}: %{text}<extra></extra>")
    return fig

