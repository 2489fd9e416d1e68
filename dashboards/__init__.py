"""The Dash web app: pages, the wall, the API, all asking ``dashboards.data``."""
from __future__ import annotations

from pathlib import Path

import dash
from flask import Flask

import access.headers
import access.web
from common.labels import label
from dashboards import api, data

HERE = Path(__file__).parent


def create_app(db_path: Path | str) -> dash.Dash:
    """The web app on the warehouse at ``db_path`` (opened lazily, read-only, per request)."""
    server = Flask(__name__)
    server.json.ensure_ascii = False
    server.json.sort_keys = False
    data.init(server, db_path)
    access.web.install(server, Path(db_path))  # log-in before every page, callback and API route
    api.register(server)
    app = dash.Dash(
        __name__, server=server, use_pages=True, pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"), title=label("app_title"), update_title=None,
        suppress_callback_exceptions=True,
    )
    from dashboards.components import shell  # registers the shell's callbacks after the app exists
    app.layout = shell.layout
    access.headers.install(app)
    return app
