"""Cảnh báo sớm: the dossiers overdue now and those due within the window (KPI.md "Early warning").

Both lists can hold tens of thousands of dossiers, so their grids page on the server: each page and
each export comes from the query layer, and the card headers show the lists' totals."""
from __future__ import annotations

from common import formats
from dashboards import data
from dash import html

from common.labels import label
from dashboards.components.tables import MOMENT, NARROW, PAGE_SIZE, WIDE, grid, number_column, paged_grid
from warehouse.kpi import Sort
from warehouse.slice import Slice
from warehouse.units import display_name

# What the grids show first (the column headers' arrows say so); the first page is asked for in this order.
OVERDUE_SORT: Sort = (("days_overdue", "desc"),)
DUE_SOON_SORT: Sort = (("hours_left", "asc"),)


def _rows(rows: list[dict], lang: str) -> list[dict]:
    """Rows as the grids show them; the keys are the query's column names, which sorting refers to."""
    return [{"dossier_id": r["dossier_id"], "procedure_name": r["procedure_name"], "field": r["field"],
             "agency": r["agency"], "unit_name": display_name(r["unit_name"], r["unit_code"], lang),
             "received_at": formats.moment(r["received_at"], lang), "due_at": formats.moment(r["due_at"], lang),
             "days_overdue": r["days_overdue"], "hours_left": round(r["hours_left"], 1)} for r in rows]


# Agency and unit names are long ("Chi nhánh Văn phòng Đăng ký đất đai…", "Huyện Dương Minh Châu"): room for them.
NAMES = {"flex": 2, "minWidth": 150}


def overdue_columns(lang: str) -> list[tuple]:
    return [("dossier_id", "col_dossier", {"minWidth": 180}), ("procedure_name", "col_procedure", WIDE),
            ("field", "col_field", {"minWidth": 110}), ("agency", "col_agency", NAMES), ("unit_name", "col_unit", NAMES),
            ("received_at", "col_received", MOMENT), ("due_at", "col_due", MOMENT),
            ("days_overdue", "col_days_overdue", NARROW | number_column(lang) | {"sort": "desc", "width": 160})]


def due_soon_columns(lang: str) -> list[tuple]:
    return [("dossier_id", "col_dossier", {"minWidth": 180}), ("procedure_name", "col_procedure", WIDE),
            ("field", "col_field", {"minWidth": 110}), ("agency", "col_agency", NAMES), ("unit_name", "col_unit", NAMES), ("due_at", "col_due", MOMENT),
            ("hours_left", "col_hours_left", NARROW | number_column(lang, 1) | {"sort": "asc", "width": 110})]


def overdue_rows(s: Slice, offset: int, limit: int, sort: Sort, lang: str) -> tuple[list[dict], int]:
    """A page of the overdue list and its total (``pending_overdue``)."""
    page = data.overdue_page(s, offset, limit, sort)
    return _rows(page.rows, lang), page.total


def due_soon_rows(s: Slice, offset: int, limit: int, sort: Sort, lang: str) -> tuple[list[dict], int]:
    page = data.due_soon_page(s, offset, limit, sort)
    return _rows(page.rows, lang), page.total


def overdue_table(s: Slice, lang: str):
    """(the list's total, its grid). The total is asked with the grid's first page, which is then cached."""
    total = data.overdue_page(s, 0, PAGE_SIZE, OVERDUE_SORT).total
    return total, paged_grid("cb-overdue", overdue_columns(lang), lang, s)


def due_soon_table(s: Slice, lang: str):
    total = data.due_soon_page(s, 0, PAGE_SIZE, DUE_SOON_SORT).total
    return total, paged_grid("cb-due-soon", due_soon_columns(lang), lang, s)


def open_alerts_table(lang: str):
    """The units beyond a threshold rule now (reports/alerts.py), since when; none said in words."""
    rows = data.open_alerts()
    if not rows:
        return html.P(label("alerts_none", lang), className="text-muted mb-0", id="cb-alerts-none")
    names = data.todays_communes()
    shown = [{"rule": r["rule"], "unit": names.get(r["unit"], r["unit"] or label("province", lang)),
              "since": r["since"]} for r in rows]
    return grid("cb-alerts", shown, [("rule", "col_rule"), ("unit", "col_unit", WIDE), ("since", "col_since")],
                lang, file_name="canh-bao-nguong-dang-mo.csv", page_size=10, compact=True)
