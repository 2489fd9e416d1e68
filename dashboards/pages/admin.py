"""Quản trị (admins only): the accounts and the audit log of log-ins, exports and account changes.

Accounts are managed from the command line (``python app.py user ...``); this page shows them.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from common.labels import label
from dashboards.views import admin as view

dash.register_page(__name__, path="/quan-tri", name="Quản trị", title_en="Administration",
                   title="Quản trị – IOC", order=95)


def layout(lang: str = "vi", **_query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    return html.Div([
        html.Div(html.H1(label("admin_page", lang), className="page-title"), className="page-header"),
        dbc.Alert(label("admin_note", lang), color="light", className="admin-note"),
        dbc.Card([dbc.CardHeader(label("admin_users", lang)), dbc.CardBody(view.users_table(lang))], className="mb-3"),
        dbc.Card([dbc.CardHeader(label("admin_audit", lang)), dbc.CardBody(view.audit_table(lang))], className="mb-3"),
    ])
