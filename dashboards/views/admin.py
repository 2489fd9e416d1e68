"""The administration page's content: the accounts and the audit log (from the access store, admins only)."""
from __future__ import annotations

from datetime import datetime

from access.web import admin_view
from common import formats
from common.labels import AUDIT_EVENTS, ROLE_LABELS, label
from dashboards import data
from dashboards.components.tables import WIDE, grid

AUDIT_SHOWN = 5_000


def _moment(text: str, lang: str) -> str:
    return formats.moment(datetime.fromisoformat(text), lang)


def users_table(lang: str):
    users = admin_view().users()
    names = {u.unit: data.unit_name(u.unit) for u in users if u.unit}
    rows = [{"name": u.name, "role": label(u.role, lang, ROLE_LABELS),
             "unit": (names.get(u.unit) or u.unit) if u.unit else "",
             "status": label("status_disabled" if u.disabled else "status_active", lang),
             "created": _moment(u.created_at, lang)} for u in users]
    columns = [("name", "col_user"), ("role", "col_role"), ("unit", "col_unit"),
               ("status", "col_status", {"minWidth": 130}), ("created", "col_created")]
    return grid("admin-users", rows, columns, lang, file_name="tai-khoan.csv", page_size=15)


def audit_table(lang: str):
    rows = [r | {"event": label(r["event"], lang, AUDIT_EVENTS), "at": _moment(r["at"], lang)}
            for r in admin_view().audit_log(limit=AUDIT_SHOWN)]
    columns = [("at", "col_at"), ("event", "col_event"), ("user_name", "col_user"), ("address", "col_address"),
               ("actor", "col_actor"), ("detail", "col_detail", WIDE)]
    return grid("admin-audit", rows, columns, lang, file_name="nhat-ky.csv", page_size=50, compact=True)
