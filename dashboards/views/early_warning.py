"""Cảnh báo sớm: the dossiers overdue now and those due within the window (KPI.md "Early warning")."""
from __future__ import annotations

from common import formats
from common.settings import get_settings
from dashboards import data
from dashboards.components.tables import NARROW, WIDE, grid, number_column
from warehouse.slice import Slice

LIMIT = 5_000


def _rows(rows: list[dict], lang: str) -> list[dict]:
    return [{"dossier_id": r["dossier_id"], "procedure": r["procedure_name"], "field": r["field"],
             "agency": r["agency"], "unit": r["unit_name"] or r["unit_code"],
             "received": formats.moment(r["received_at"], lang), "due": formats.moment(r["due_at"], lang),
             "days_overdue": r["days_overdue"], "hours_left": round(r["hours_left"], 1)} for r in rows]


def overdue_table(s: Slice, lang: str):
    columns = [("dossier_id", "col_dossier", {"minWidth": 200}), ("procedure", "col_procedure", WIDE),
               ("field", "col_field"), ("agency", "col_agency"), ("unit", "col_unit"), ("received", "col_received"),
               ("due", "col_due"),
               ("days_overdue", "col_days_overdue", NARROW | number_column(lang) | {"sort": "desc", "width": 160})]
    rows = data.overdue(s, LIMIT)
    return len(rows), grid("cb-overdue", _rows(rows, lang), columns, lang, file_name="ho-so-qua-han.csv", compact=True)


def due_soon_table(s: Slice, lang: str):
    columns = [("dossier_id", "col_dossier"), ("procedure", "col_procedure", WIDE), ("field", "col_field"),
               ("agency", "col_agency"), ("unit", "col_unit"), ("due", "col_due"),
               ("hours_left", "col_hours_left", NARROW | number_column(lang, 1) | {"width": 110})]
    rows = data.due_soon(s, get_settings().due_soon_hours, LIMIT)
    return len(rows), grid("cb-due-soon", _rows(rows, lang), columns, lang, file_name="ho-so-sap-den-han.csv",
                            compact=True)
