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


def create_app(db_path: Path | str, lake: Path | str | None = None) -> dash.Dash:
    """The web app on the warehouse at ``db_path`` (opened lazily, read-only, per request); with ``lake``, a
    national view over the Parquet lake's provinces, read-only (accounts still live beside ``db_path``)."""
    server = Flask(__name__)
    server.json.ensure_ascii = False
    server.json.sort_keys = False
    data.init(server, db_path, lake)
    if lake is not None:
        _province_per_request(server)
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


PROVINCE_COOKIE = "ioc_province"


def _province_per_request(server: Flask) -> None:
    """A national view shows one province at a time: ``?province=CODE`` on a page chooses it, and a cookie
    carries the choice to that page's callbacks (which do not see the URL)."""
    from flask import g, request

    @server.before_request
    def choose():
        asked = request.args.get("province")
        g.province_asked = asked if data.choose_province(asked) else None
        if g.province_asked is None and not data.choose_province(request.cookies.get(PROVINCE_COOKIE)):
            data.choose_province(data.reader().default)  # never the previous request's, in a reused thread

    @server.after_request
    def remember(response):
        if getattr(g, "province_asked", None):
            response.set_cookie(PROVINCE_COOKIE, g.province_asked, samesite="Lax", httponly=True)
        return response
