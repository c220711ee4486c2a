"""Responses (ASVS V14.4, V3.4): security headers on every kind of response, HSTS only over
HTTPS (directly or behind an opt-in trusted proxy), Secure/HttpOnly/SameSite cookies in
production, and generic error pages. (The CSP itself, inline-script checks and the 500 page
are in tests/web/test_web_security.py.)"""

from __future__ import annotations

import re
import secrets

import pytest

HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
           "X-Frame-Options")


def check_headers(r, *, https: bool = False) -> None:
    for name in HEADERS:
        assert r.headers.get(name), (r.request.path, name)
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    hsts = r.headers.get("Strict-Transport-Security")
    if https:
        assert hsts and int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 180 * 86400
    else:
        assert hsts is None, "HSTS over plain HTTP is ignored by browsers and misleading"


def responses(app, client, officer, signed_in, csrf):
    """One response of each kind: page, redirect, static file, JSON, download, 400, 401, 403,
    404, 405, 413, 429."""
    browser = signed_in(officer)
    out = {
        "page": client.get("/"), "redirect": client.get("/leads/"),
        "static": client.get("/static/app.css"), "json": client.get("/api/v1/openapi.json"),
        "download": browser.get("/leads/export.csv"),
        "400": client.post("/assess", data={"description": "x"}),
        "401": client.get("/api/v1/leads"), "403": browser.get("/account/audit"),
        "404": client.get("/nowhere"), "404-api": client.get("/api/v1/nowhere"),
        "405": client.get("/auth/logout"),
        "413": client.post("/api/v1/match", data=b"x" * (11 * 1024 * 1024),
                           content_type="application/json"),
        "422": client.post("/api/v1/match", json={}),
        "login-post": client.post("/auth/login", data={
            "csrf_token": csrf(client, "/auth/login"), "username": "nobody", "password": "x"}),
    }
    out["static"].close()  # headers only: do not hold the file open
    app.config["PUBLIC_RATE_LIMIT"] = "1/minute"
    app.extensions.pop("ratelimit_public", None)
    client.post("/api/v1/match", json={"description": "芯片"})
    out["429"] = client.post("/api/v1/match", json={"description": "芯片"})
    assert out["429"].status_code == 429
    return out


def test_security_headers_on_every_kind_of_response(app, client, officer, signed_in, csrf):
    for kind, r in responses(app, client, officer, signed_in, csrf).items():
        with r:
            check_headers(r)
            assert kind != "download" or r.headers["Content-Disposition"].startswith("attachment")


def test_hsts_only_over_https(app, officer, signed_in, csrf):
    plain = app.test_client()
    check_headers(plain.get("/"))
    secure = app.test_client()
    for path in ("/", "/api/v1/openapi.json", "/nowhere", "/leads/"):
        check_headers(secure.get(path, base_url="https://localhost"), https=True)


def test_forwarded_headers_are_ignored_without_trusted_proxies(app, client):
    assert app.config["TRUSTED_PROXIES"] == 0
    r = client.get("/", headers={"X-Forwarded-Proto": "https"})
    check_headers(r)  # no HSTS: a client cannot claim HTTPS


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "2/minute"}])
def test_a_client_cannot_dodge_the_login_limit_with_x_forwarded_for(app, login):
    client = app.test_client()
    for i in range(2):
        r = login(client, f"user{i}", "wrong-password-xyz")
        assert r.status_code == 401
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.99"
    assert login(client, "user3", "wrong-password-xyz").status_code == 429


@pytest.fixture
def proxied_app(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/proxied.db", TRUSTED_PROXIES=1,
                   LOGIN_RATE_LIMIT="2/minute")
    yield app
    app.extensions["db_engine"].dispose()


def test_behind_a_trusted_proxy_its_scheme_and_client_address_count(proxied_app, login):
    from sqlmodel import Session, select

    from web.models import AuditEvent

    client = proxied_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the proxy
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
    check_headers(client.get("/", headers=https), https=True)
    check_headers(client.get("/", headers={"X-Forwarded-Proto": "http"}))
    # per-address limits see the real client, not the proxy
    for ip in ("203.0.113.5", "203.0.113.5"):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = ip
        assert login(client, "nobody", "wrong-password-xyz").status_code == 401
    assert login(client, "nobody2", "wrong-password-xyz").status_code == 429
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
    assert login(client, "nobody3", "wrong-password-xyz").status_code == 401
    # only the proxy's own (last) entry is trusted: a client-supplied first hop is ignored
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "1.2.3.4, 198.51.100.8"
    assert login(client, "nobody4", "wrong-password-xyz").status_code == 401
    with Session(proxied_app.extensions["db_engine"]) as s:
        ips = {e.ip for e in s.exec(select(AuditEvent)).all()}
    assert ips >= {"203.0.113.5", "198.51.100.7", "198.51.100.8"}
    assert "10.0.0.2" not in ips and "1.2.3.4" not in ips


@pytest.fixture
def production_app(monkeypatch, tmp_path, make_app):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.delenv("ALLOW_HTTP", raising=False)
    app = make_app(f"sqlite:///{tmp_path}/prod.db", ENV="production",
                   SECRET_KEY=secrets.token_urlsafe(48))
    yield app
    app.extensions["db_engine"].dispose()


def _cookies(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def test_production_cookies_are_secure_httponly_and_samesite(production_app, login, csrf):
    from web.db import session_scope
    from web.services.users import create_user

    with session_scope(production_app.extensions["db_engine"]) as s:
        create_user(session=s, username="prod1", password="Tr0ub4dor&3-horse-staple")
    client = production_app.test_client()
    seen = {}
    seen.update(_cookies(client.get("/assess?lang=en")))          # anon_csrf, lang
    seen.update(_cookies(login(client, "prod1", "Tr0ub4dor&3-horse-staple")))  # sid
    r = client.post("/auth/logout", data={"csrf_token": csrf(client, "/leads/")})
    seen.update({k: v for k, v in _cookies(r).items() if k == "session"})  # the flash cookie
    assert {"anon_csrf", "lang", "sid", "session"} <= set(seen), set(seen)
    for name, header in seen.items():
        attrs = {a.strip().split("=")[0].lower() for a in header.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attrs, (name, header)
        assert "samesite=none" not in header.lower()


def test_development_cookies_work_over_plain_http(app, client, officer, login):
    r = login(client, officer.username, officer.password)
    sid = _cookies(r)["sid"]
    assert "Secure" not in sid and "HttpOnly" in sid


@pytest.mark.parametrize("kind", ["400", "401", "403", "404", "405", "413", "429"])
def test_error_responses_are_generic(app, client, officer, signed_in, csrf, kind):
    r = responses(app, client, officer, signed_in, csrf)[kind]
    body = r.get_data(as_text=True)
    assert r.status_code == int(kind)
    for leak in ("Traceback", "werkzeug", "site-packages", "sqlalchemy", "/work/"):
        assert leak not in body, (kind, leak)
