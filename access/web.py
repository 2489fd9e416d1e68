"""Log-in in front of every page, callback and API route of the web app (``/healthz`` and assets aside).

One guard runs before every request. It lets through the log-in page, the health check and
static assets. Everyone else must be signed in: a browser session (a signed, http-only,
same-site cookie with an idle timeout), a bearer token on ``/api/``, or a wall token in the
``/wall`` URL. Then it checks what the role may open. Dash serves every page through
one callback (the page router), so the guard reads the path that callback asks for. Which
*units* a caller sees is not decided here but in the query layer (``warehouse.scope``), which
``dashboards.data`` asks with :func:`current_principal`'s scope.
"""
from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import Blueprint, Flask, Response, current_app, jsonify, redirect, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from access.policy import WALL_PAGE, Principal
from access.store import AccessStore, User
from common.labels import UI, label
from common.settings import get_settings
from warehouse.scope import OutOfScope

CALLBACK = "/_dash-update-component"
PUBLIC_PATHS = frozenset({"/login", "/healthz"})
PUBLIC_PREFIXES = ("/assets/",)
# Dash's own plumbing: JavaScript bundles and the layout skeleton, no figures.
DASH_PLUMBING = ("/_dash-layout", "/_dash-dependencies", "/_dash-component-suites/", "/_favicon.ico",
                 "/_reload-hash")
ROUTER_KEY = ".._pages_content.children..._pages_store.data.."  # Dash's page-router callback
WALL_CALLBACK_PREFIXES = ("wall-", "shell-")

blueprint = Blueprint("access", __name__, template_folder="templates")


def install(server: Flask, db_path: Path) -> AccessStore:
    """Put log-in, the guard, the log-in routes and the security headers on ``server``."""
    settings = get_settings()
    store = AccessStore.beside(db_path)
    server.extensions["ioc_access"] = store
    server.secret_key = settings.secret_key or store.secret_key()
    server.config.update(
        SESSION_COOKIE_NAME="ioc_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.session_idle_minutes),
        SESSION_REFRESH_EACH_REQUEST=True)  # the cookie's signed time moves on each request: an idle timeout
    server.session_interface = _SessionInterface()
    if settings.proxy_count:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=settings.proxy_count, x_proto=settings.proxy_count,
                                   x_host=settings.proxy_count)
    manager = LoginManager()
    manager.init_app(server)
    manager.user_loader(_session_principal)
    manager.request_loader(_bearer_principal)
    server.before_request(_guard)
    server.register_blueprint(blueprint)
    server.register_error_handler(OutOfScope, _out_of_scope)
    return store


def access_store() -> AccessStore:
    return current_app.extensions["ioc_access"]


def current_principal() -> Principal:
    """The signed-in caller of this request; refuses when there is none (nothing is shown to nobody)."""
    user = current_user
    if not getattr(user, "is_authenticated", False):
        raise OutOfScope("no signed-in user")
    return user._get_current_object() if hasattr(user, "_get_current_object") else user


def admin_view() -> AccessStore:
    """The access store, for the administration page: admins only, whatever asks."""
    if current_principal().role != "admin":
        raise OutOfScope("administrators only")
    return access_store()


def require_export() -> Principal:
    """The caller, if their role may export; 403 otherwise."""
    principal = current_principal()
    if not principal.may_export:
        raise OutOfScope(f"role {principal.role!r} may not export")
    return principal


def record_export(what: str, rows: int | None = None) -> None:
    """Exports are allowed to some roles only, and each one is written to the audit log."""
    principal = require_export()
    detail = what if rows is None else f"{what} · {rows}"
    access_store().audit("export", principal.name, address=request.remote_addr, detail=detail)


def csrf_token() -> str:
    """The session's token for the log-in and log-out forms."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


# --- who is calling --------------------------------------------------------------------------------

def _principal(user: User | None, token_id: str | None = None, session_id: str | None = None) -> Principal | None:
    if user is None or user.disabled:
        return None
    return Principal(user.name, user.role, user.unit, user.epoch, token_id, session_id)


def _session_principal(cookie_id: str) -> Principal | None:
    """The cookie's user, unless disabled, given a new password, signed out (the server-side session is
    gone), past the session's absolute lifetime, or signed in by a token since revoked."""
    parts = cookie_id.split(":")
    if len(parts) != 4:
        return None
    name, epoch, token_id, session_id = parts
    store = access_store()
    principal = _principal(store.user(name), token_id or None, session_id)
    if principal is None or str(principal.epoch) != epoch:
        return None
    if not store.session_alive(session_id, name, timedelta(hours=get_settings().session_max_hours)):
        return None
    if token_id and not store.token_active(token_id):
        return None
    return principal


def _sign_in(user: User, token_id: str | None = None) -> Principal:
    """A new browser session (a new cookie, a new server-side record)."""
    session.clear()
    max_age = timedelta(hours=get_settings().session_max_hours)
    principal = _principal(user, token_id, access_store().open_session(user.name, token_id, max_age))
    login_user(principal)
    session.permanent = True  # the cookie's signed time then moves on each request: the idle timeout
    return principal


def _bearer_principal(req) -> Principal | None:
    """``Authorization: Bearer <token>``, on the API only."""
    if not req.path.startswith("/api/"):
        return None
    scheme, _, text = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not text:
        return None
    found = access_store().token_user(text)
    return _principal(*found) if found else None


# --- the guard ---------------------------------------------------------------------------------------

def _guard() -> Response | tuple | None:
    path = request.path
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return None
    if path == WALL_PAGE and request.args.get("token"):
        refused = _wall_token_login(request.args["token"])
        if refused is not None:
            return refused
    if not current_user.is_authenticated:
        return _unauthenticated(path)
    if not _allowed(current_user, path):
        _audit_refusal()
        return _refuse(403, path)
    return None


def _allowed(principal: Principal, path: str) -> bool:
    if path.startswith("/api/"):
        return principal.role != "wall"
    if path == CALLBACK:
        return _callback_allowed(principal, request.get_json(silent=True))
    if path.startswith(DASH_PLUMBING) or path == "/logout":
        return True
    return principal.may_open(path)


def _callback_allowed(principal: Principal, body) -> bool:
    """Dash picks the callback by the body's ``output`` key and passes the inputs *by position*, so both
    are read that way here. The page router renders whichever path is its first input: that path is
    checked. A wall account may run only the wall's own callbacks (and the frame's, which show no figures)."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return False
    inputs = body.get("inputs") if isinstance(body.get("inputs"), list) else []
    if body["output"] == ROUTER_KEY:
        first = inputs[0] if inputs and isinstance(inputs[0], dict) else {}
        if (first.get("id"), first.get("property")) != ("_pages_location", "pathname"):
            return False
        return isinstance(first.get("value"), str) and principal.may_open(first["value"])
    if principal.role == "wall":
        return all(i.startswith(WALL_CALLBACK_PREFIXES) for i in _output_ids(body["output"]))
    return True


def _output_ids(key: str) -> list[str]:
    """The component ids in Dash's callback key: ``id.prop`` or ``..id.prop...id2.prop2..``."""
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    return [part.rsplit(".", 1)[0] for part in parts]


def _wants_html(path: str) -> bool:
    return request.method == "GET" and not path.startswith(("/api/", "/_dash-"))


def _unauthenticated(path: str):
    if _wants_html(path):
        return redirect("/login?next=" + quote(request.full_path.rstrip("?"), safe="/?=&"))
    response = jsonify({"error": "login required"})
    response.status_code = 401
    if path.startswith("/api/"):
        response.headers["WWW-Authenticate"] = 'Bearer realm="ioc"'
    return response


def _out_of_scope(exc: OutOfScope):
    """The query layer refused (another unit, a province-wide list, an admin view): 403, and a line in the log."""
    _audit_refusal()
    return jsonify({"error": str(exc)}), 403


def _audit_refusal() -> None:
    """What was asked, as the request said it: the URL, or the callback's key and its inputs' values."""
    if not current_user.is_authenticated:
        return
    body = request.get_json(silent=True) if request.path == CALLBACK else None
    if isinstance(body, dict):
        values = [i.get("value") for i in (body.get("inputs") or []) + (body.get("state") or []) if isinstance(i, dict)]
        detail = f"{body.get('output')} {values}"
    else:
        detail = request.full_path.rstrip("?")
    access_store().audit("refused", current_user.name, address=request.remote_addr, detail=detail[:300])


def _refuse(status: int, path: str):
    if _wants_html(path):
        return render_template("refused.html", lang=_lang(), labels=_labels(), status=status), status
    return jsonify({"error": "forbidden"}), status


def _wall_token_login(text: str):
    """A wall display signs in with its long-lived token in the URL (role ``wall`` only)."""
    store = access_store()
    found = store.token_user(text)
    if found is None or found[0].role != "wall":
        store.audit("login_failed", None, address=request.remote_addr, detail="wall token")
        return _refuse(401, request.path)
    user, token_id = found
    if current_user.is_authenticated and (current_user.name, current_user.token_id) == (user.name, token_id):
        return None  # the same display reloading: no new session, no new audit line
    principal = _sign_in(user, token_id)
    store.audit("login_ok", principal.name, address=request.remote_addr, detail=f"token {principal.token_id}")
    return None


# --- log-in and log-out --------------------------------------------------------------------------------

def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "vi"


def _labels() -> dict[str, str]:
    lang = _lang()
    return {key: label(key, lang) for key in UI if key.startswith(("login_", "app_title", "refused_"))}


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//evil.example`` or ``https://...``)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login_form(error: str | None = None, status: int = 200):
    html = render_template("login.html", lang=_lang(), labels=_labels(), error=error, csrf=csrf_token(),
                           next=_safe_next(request.values.get("next")))
    return html, status


@blueprint.get("/login")
def login_page():
    return _login_form()


@blueprint.post("/login")
def login_submit():
    settings = get_settings()
    store = access_store()
    if not _csrf_ok():
        return _login_form("login_expired", 400)
    name = request.form.get("username", "").strip().lower()[:64]
    password = request.form.get("password", "")
    address = request.remote_addr
    attempt = store.open_attempt(name, address, timedelta(minutes=settings.login_window_minutes),
                                 settings.login_max_failures_user, settings.login_max_failures_address)
    if attempt is None:
        html, status = _login_form("login_throttled", 429)
        return html, status, {"Retry-After": str(round(settings.login_window_minutes * 60))}
    user = store.verify_password(name, password)
    if user is None:
        return _login_form("login_failed", 401)  # the attempt stays recorded as a failure
    store.attempt_succeeded(attempt)
    _sign_in(user)
    return redirect(_safe_next(request.form.get("next")))


@blueprint.post("/logout")
def logout():
    if current_user.is_authenticated and _csrf_ok():
        access_store().audit("logout", current_user.name, address=request.remote_addr)
        if current_user.session_id:
            access_store().close_session(current_user.session_id)
        logout_user()
        session.clear()
    return redirect("/login")


def _csrf_ok() -> bool:
    expected = session.get("csrf")
    return bool(expected) and hmac.compare_digest(request.form.get("csrf", ""), expected)


class _SessionInterface(SecureCookieSessionInterface):
    """Secure cookies when the setting says so, else whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        configured = get_settings().cookie_secure
        return request.is_secure if configured is None else configured
