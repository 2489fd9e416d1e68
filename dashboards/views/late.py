"""Hồ sơ trễ hạn: the Biểu II.06a table by a dimension, and late rate by unit for drilling down."""
from __future__ import annotations

import plotly.graph_objects as go

from common import formats
from common.labels import OUTCOME_LABELS, label
from dashboards import data
from dashboards.components.tables import MOMENT, PAGE_SIZE, WIDE, grid, number_column, paged_grid, percent_column
from dashboards.views.overview import ranked_units, unit_labels
from warehouse.kpi import Sort
from warehouse.slice import Slice

DIMENSIONS = ("field", "agency", "procedure", "unit_child")
TABLE_COUNTS = ("received_new", "received_carried_over", "received_online", "resolved_early", "resolved_on_time",
                "resolved_late", "pending_on_track", "pending_overdue")


def table_06a(s: Slice, dimension: str, lang: str):
    """One row per group with the II.06a columns and the late rate, plus a total row."""
    rows = data.kpis_by(s, dimension)
    names = unit_labels(rows, s, lang) if dimension == "unit_child" else {}
    total = data.kpis(s)
    body = [{"group": names[r["group_key"]] if dimension == "unit_child"
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


DOSSIER_SORT: Sort = (("received_at", "desc"),)  # newest first, as the grid's header arrow shows


def dossier_columns(lang: str) -> list[tuple]:
    return [("dossier_id", "col_dossier", {"minWidth": 200}), ("procedure_name", "col_procedure", WIDE),
            ("field", "col_field"), ("agency", "col_agency"), ("received_at", "col_received", MOMENT | {"sort": "desc"}),
            ("due_at", "col_due", MOMENT), ("end_at", "col_end", MOMENT), ("outcome", "col_outcome", MOMENT)]


def dossier_rows(s: Slice, offset: int, limit: int, sort: Sort, lang: str) -> tuple[list[dict], int]:
    """A page of the unit's dossiers (the keys are the query's column names, which sorting refers to) and
    their total, the slice's ``received_total``."""
    page = data.dossier_page(s, offset, limit, sort)
    body = [{"dossier_id": r["dossier_id"], "procedure_name": r["procedure_name"], "field": r["field"],
             "agency": r["agency"], "received_at": formats.moment(r["received_at"], lang),
             "due_at": formats.moment(r["due_at"], lang), "end_at": formats.moment(r["end_at"], lang),
             "outcome": label(r["outcome"], lang, OUTCOME_LABELS)} for r in page.rows]
    return body, page.total


def unit_dossiers(s: Slice, lang: str):
    """A commune's dossiers in the period, dossier by dossier (the end of the drill-down), paged on the
    server: (their total, the grid). The total is asked with the grid's first page, which is then cached."""
    total = data.dossier_page(s, 0, PAGE_SIZE, DOSSIER_SORT).total
    return total, paged_grid("late-dossiers", dossier_columns(lang), lang, s)


def late_by_unit(s: Slice, lang: str) -> go.Figure:
    return ranked_units(s, "late_rate", "resolved_total", lang, only_with="resolved_total")
