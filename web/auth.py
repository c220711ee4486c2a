"""Sign-in, sign-out, server-side sessions, API tokens, and the login/role decorators."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from web.api_tokencache import TokenCache
from web.db import get_session
from web.i18n import gettext as _
from web.ratelimit import RateLimiter
from web.security import check_csrf
from web.services import audit
from web.services import users as user_service

bp = Blueprint("auth", __name__, url_prefix="/auth")
COOKIE = "sid"
_CSRF_EXEMPT: set[str] = set()


def csrf_exempt(view):
    """For endpoints that change no state and serve anonymous API clients (public match)."""
    _CSRF_EXEMPT.add(f"{view.__module__}.{view.__name__}")
    view._csrf_exempt = True
    return view


def client_ip() -> str:
    return request.remote_addr or ""


def login_required(view):
    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.get("user") is None:
            if request.path.startswith("/api/"):
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


def admin_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(**kwargs):
        if g.user.role != "admin":
            abort(403)
        return view(**kwargs)

    return wrapped


def safe_next(target: str | None) -> str:
    """Only on-site paths: no scheme, no host, no '//' or backslash tricks, no control
    characters (a browser drops tabs and newlines; a CR or LF would also break the header)."""
    if not target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return url_for("leads.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return url_for("leads.index")
    return target


@bp.before_app_request
def load_user():
    g.user = None
    g.user_session = None
    header = request.headers.get("Authorization", "")
    view = current_app.view_functions.get(request.endpoint or "")
    if header.startswith("Bearer "):
        # reads (the CSRF-exempt POSTs, public matching, change nothing) by a token verified
        # moments ago need no database at all (web.api_tokencache: revocation still counts)
        reads = request.method in ("GET", "HEAD") or getattr(view, "_csrf_exempt", False)
        raw = header[7:].strip()
        digest = user_service.hash_token(raw)
        cache = _token_cache()
        remembered = cache.get(digest) if reads else None
        if remembered is not None:
            g.api_token_id, g.user = remembered
            g.api_token_auth = True
            return  # a token call: no CSRF check, no cookie session
        session = get_session()
        found = user_service.authenticate_token(session=session, raw=raw)
        if found is None:
            if not _limiter("bad_token_audit").hit(client_ip()):  # bounded: no log flooding
                audit.record(session=session, action="token.invalid", ip=client_ip(),
                             target=request.path)
            abort(401, description="invalid or revoked API token")
        token, user, fresh = found
        g.user = user
        g.api_token_auth = True
        g.api_token_id = token.id
        # every state-changing call, and a token's first call in each minute (reads: a
        # database write on each of them would serialise an integration's calls on the
        # audit table)
        if not reads or fresh:
            audit.record(session=session, action="token.use", user=user, ip=client_ip(),
                         target=request.path, detail=f"token {token.id} {request.method}")
        cache.put(digest, token, user)
    else:
        session = get_session()
        cfg = current_app.config
        loaded = user_service.load_session(
            session=session, raw=request.cookies.get(COOKIE, ""),
            idle_minutes=cfg["SESSION_IDLE_MINUTES"], absolute_hours=cfg["SESSION_ABSOLUTE_HOURS"])
        if loaded is not None:
            g.user_session, g.user = loaded
    if g.user is None and request.path.startswith("/api/"):
        return  # anonymous API call: public endpoints change nothing, others answer 401
    if not getattr(view, "_csrf_exempt", False):
        check_csrf()


def _token_cache() -> TokenCache:
    cache = current_app.extensions.get("api_token_cache")
    if cache is None:
        cache = current_app.extensions["api_token_cache"] = TokenCache(
            current_app.config["TOKEN_CACHE_SECONDS"])
    return cache


def _limiter(name: str) -> RateLimiter:
    key = f"ratelimit_{name}"
    if key not in current_app.extensions:
        current_app.extensions[key] = RateLimiter(current_app.config["LOGIN_RATE_LIMIT"])
    return current_app.extensions[key]


@bp.route("/login", methods=("GET", "POST"))
def login():
    error = None
    status = 200
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()[:64]
        password = request.form.get("password") or ""
        wait = max(_limiter("login_ip").hit(client_ip()), _limiter("login_user").hit(username.lower()))
        session = get_session()
        if wait:
            error, status = _("Too many sign-in attempts. Try again in a minute."), 429
            audit.record(session=session, action="login.throttled", username=username, ip=client_ip())
        else:
            user = user_service.authenticate(session=session, username=username, password=password)
            if user is None:
                error, status = _("Wrong username or password."), 401
                audit.record(session=session, action="login.failed", username=username, ip=client_ip())
            else:
                old = request.cookies.get(COOKIE)
                if old:
                    user_service.end_session(session=session, raw=old)
                raw = user_service.start_session(session=session, user=user)
                audit.record(session=session, action="login", user=user, ip=client_ip())
                response = redirect(safe_next(request.args.get("next") or request.form.get("next")))
                response.set_cookie(COOKIE, raw, httponly=True, samesite="Lax",
                                    secure=current_app.config["SESSION_COOKIE_SECURE"])
                return response
    return render_template("auth/login.html", error=error, next=request.args.get("next", "")), status


@bp.route("/logout", methods=("POST",))
def logout():
    session = get_session()
    if g.user is not None:
        audit.record(session=session, action="logout", user=g.user, ip=client_ip())
    user_service.end_session(session=session, raw=request.cookies.get(COOKIE, ""))
    response = redirect(url_for("home.index"))
    response.delete_cookie(COOKIE)
    flash(_("You are signed out."))
    return response
