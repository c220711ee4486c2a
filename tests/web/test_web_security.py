"""Security headers, error pages without internals, cookie flags."""

from __future__ import annotations

import re

import pytest


def header_checks(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    script = directives.get("script-src") or directives["default-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "'unsafe-inline'" not in directives.get("default-src", "")
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert "http:" not in csp and "https:" not in csp and "*" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer",
                                                   "strict-origin-when-cross-origin")
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/assess", "/auth/login", "/api/v1/docs"])
def test_security_headers_on_pages(client, path):
    r = client.get(path)
    assert r.status_code == 200
    header_checks(r)
    assert r.headers["Cache-Control"] == "no-store"


def test_security_headers_on_api_responses(client):
    r = client.post("/api/v1/match", json={"description": "芯片设计"})
    assert r.status_code == 200
    header_checks(r)
    header_checks(client.get("/api/v1/openapi.json"))
    header_checks(client.post("/api/v1/match", json={}))


def test_security_headers_on_errors(client):
    header_checks(client.get("/no-such-page"))


def test_pages_have_no_inline_scripts_or_styles(auth_client, csrf):
    token = csrf(auth_client, "/assess")
    for body in (auth_client.get("/").get_data(as_text=True),
                 auth_client.post("/assess", data={"csrf_token": token,
                                                   "description": "芯片设计"}).get_data(as_text=True),
                 auth_client.get("/leads/").get_data(as_text=True)):
        for tag in re.findall(r"<script\b[^>]*>", body):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert " style=" not in body
        assert " onclick=" not in body.lower()
        assert not re.search(r'(?:src|href)="(?:https?:)?//', body)


@pytest.fixture
def failing_app(app):
    def boom():
        raise RuntimeError("secret-internal-detail /work/main/web/db.py line 42")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    return app


def test_500_page_shows_no_stack_trace(failing_app, caplog):
    client = failing_app.test_client()
    r = client.get("/boom")
    assert r.status_code == 500
    body = r.get_data(as_text=True)
    for leak in ("Traceback", "secret-internal-detail", "RuntimeError", "/work/main", ".py"):
        assert leak not in body
    assert "500" in body
    header_checks(r)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.get_json()["code"] == 500
    assert "secret-internal-detail" not in api.get_data(as_text=True)
    # the details go to the log instead
    assert "secret-internal-detail" in caplog.text


def test_404_page_is_friendly(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404
    assert "404" in r.get_data(as_text=True)


def test_anonymous_csrf_cookie_is_httponly(client):
    r = client.get("/assess")
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("anon_csrf="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_oversized_form_is_refused(client, csrf):
    token = csrf(client, "/assess")
    r = client.post("/assess", data={"csrf_token": token, "description": "芯" * 400_000})
    assert r.status_code in (413, 422)
    if r.status_code == 422:
        assert "description" in r.get_data(as_text=True)
