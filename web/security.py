"""Security headers, CSRF protection, request size limits and (opt-in) trusted proxies."""

from __future__ import annotations

import hmac

from flask import Flask, abort, g, request
from werkzeug.routing import IntegerConverter

SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
# the only endpoints whose bodies may reach MAX_CONTENT_LENGTH (lead-list uploads); every other
# request is held to MAX_BODY_LENGTH before any of its body is read
UPLOAD_ENDPOINTS = frozenset(("batch.upload", "api.jobs_create"))
HSTS = "max-age=31536000; includeSubDomains"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
# on every response unless the view set its own
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


def csrf_token() -> str:
    """The CSRF token of the current session (signed-in) or of the anonymous form cookie."""
    us = g.get("user_session")
    if us is not None:
        return us.csrf_token
    return g.setdefault("anon_csrf", request.cookies.get("anon_csrf") or _new_anon())


def _new_anon() -> str:
    import secrets

    g.set_anon_csrf = True
    return secrets.token_urlsafe(24)


def check_csrf() -> None:
    """Every state-changing request from a browser session must carry the session's token."""
    if request.method in SAFE_METHODS or g.get("api_token_auth"):
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = csrf_token()
    if not sent or not hmac.compare_digest(sent, expected):
        abort(400, description="CSRF token missing or invalid; reload the page and try again")


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client address and scheme from their
    X-Forwarded-For / X-Forwarded-Proto (never from a client talking to the app directly)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0,
                                x_prefix=0)


class BoundedInt(IntegerConverter):
    """`<int:...>` in URLs only up to the id columns' range: a bigger number is a 404, not an
    overflow in the database driver."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedInt  # before any blueprint adds its routes
    trust_proxies(app)

    @app.before_request
    def _body_limit():
        limit = app.config.get("MAX_BODY_LENGTH")
        if limit and request.endpoint not in UPLOAD_ENDPOINTS:
            cap = app.config.get("MAX_CONTENT_LENGTH")
            request.max_content_length = min(limit, cap) if cap else limit

    @app.after_request
    def _headers(response):
        # as h.setdefault for each, in this order: one pass over the headers instead of a
        # failed look-up (a KeyError built each time) per header, ~0.2 ms on every response
        h = response.headers
        present = {key.lower() for key, _value in h}
        for key, value in SECURITY_HEADERS:
            if key.lower() not in present:
                h.add(key, value)
        if request.is_secure and "strict-transport-security" not in present:
            h.add("Strict-Transport-Security", HSTS)
        if g.get("set_anon_csrf") and g.get("user_session") is None:
            response.set_cookie("anon_csrf", g.anon_csrf, httponly=True, samesite="Lax",
                                secure=app.config["SESSION_COOKIE_SECURE"])
        if request.endpoint and not request.endpoint.startswith("static") \
                and "cache-control" not in present:
            h.add("Cache-Control", "no-store")
        return response

    app.jinja_env.globals["csrf_token"] = csrf_token
