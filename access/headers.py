"""Security headers on every response: a content security policy allowing only what Dash needs.

Scripts come only from this site, plus Dash's own inline scripts by their SHA-256 (``csp_hashes``),
so no injected script runs. Styles allow inline because Plotly and AG Grid set element styles.
Nothing may frame the app (clickjacking), and no referrer leaves it (a wall's URL holds its token).
"""
from __future__ import annotations

import dash
from flask import Response, request

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")


def install(app: dash.Dash) -> None:
    def policy() -> str:
        # Per response (a few hashes of short strings): Dash registers some inline scripts only when
        # it sets itself up, at the first request that reaches it.
        scripts = " ".join(["'self'", *app.csp_hashes()])
        return "; ".join([
            "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "worker-src 'self' blob:",
            "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
        ])

    @app.server.after_request
    def headers(response: Response) -> Response:
        h = response.headers
        h["Content-Security-Policy"] = policy()
        h["X-Frame-Options"] = "DENY"
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "no-referrer"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.is_secure:
            h["Strict-Transport-Security"] = "max-age=31536000"
        if not request.path.startswith(STATIC_PREFIXES):
            h["Cache-Control"] = "no-store"  # figures and dossiers never linger in a shared browser's cache
        return response
