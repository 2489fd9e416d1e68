"""The page for an address that does not exist, in the user's language (Dash's own is English)."""
from __future__ import annotations

import dash
from dash import dcc, html

from common.labels import label

dash.register_page(__name__, path="/404", name="404", title="404 – IOC", nav=False)


def layout(lang: str = "vi", **_query) -> html.Div:
    lang = "en" if lang == "en" else "vi"
    return html.Div([html.H1(label("not_found", lang), className="page-title"),
                     dcc.Link(label("back_home", lang), href="/")], className="not-found")
