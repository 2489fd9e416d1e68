"""Quản trị (admins only): the accounts and the audit log of log-ins, exports and account changes.

Accounts are managed from the command line (``python app.py user ...``); this page shows them.
"""
from __future__ import annotations

from datetime import datetime

import dash
import dash_bootstrap_components as dbc
from dash import html

from access.web import admin_view
from common import formats
from common.labels import AUDIT_EVENTS, ROLE_LABELS, label
from dashboards.components.tables import NARROW, WIDE, grid

dash.register_page(__name__, path="/quan-tri", name="Quản trị", title_en="Administration",
                   title="Quản trị – IOC", order=95)


def users_table(lang: str):
    rows = [{"name": u.name, "role": label(u.role, lang, ROLE_LABELS), "unit": u.unit or "",
             "status": label("status_disabled" if u.disabled else "status_active", lang),
             "created": formats.moment(datetime.fromisoformat(u.created_at), lang)} for u in admin_view().users()]
    columns = [("name", "col_user"), ("role", "col_role"), ("unit", "col_unit", NARROW),
               ("status", "col_status", {"minWidth": 130}), ("created", "col_created")]
    return grid("admin-users", rows, columns, lang, file_name="tai-khoan.csv", page_size=15)


def audit_table(lang: str):
    rows = [r | {"event": label(r["event"], lang, AUDIT_EVENTS), "at": formats.moment(datetime.fromisoformat(r["at"]), lang)}
            for r in admin_view().audit_log(limit=5_000)]
    columns = [("at", "col_at"), ("event", "col_event"), ("user_name", "col_user"), ("address", "col_address"),
               ("actor", "col_actor"), ("detail", "col_detail", WIDE)]
    return grid("admin-audit", rows, columns, lang, file_name="nhat-ky.csv", page_size=50, compact=True)


def layout(lang: str = "vi", **_query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    return html.Div([
        html.Div(html.H1(label("admin_page", lang), className="page-title"), className="page-header"),
        dbc.Alert(label("admin_note", lang), color="light", className="admin-note"),
        dbc.Card([dbc.CardHeader(label("admin_users", lang)), dbc.CardBody(users_table(lang))], className="mb-3"),
        dbc.Card([dbc.CardHeader(label("admin_audit", lang)), dbc.CardBody(audit_table(lang))], className="mb-3"),
    ])
