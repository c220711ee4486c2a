"""Sign-in and sign-out: server-side sessions, safe redirects, disabled accounts."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from web.models import AuditEvent, UserSession
from web.services.users import hash_token


def sid_of(client) -> str | None:
    cookie = client.get_cookie("sid")
    return cookie.value if cookie else None


def text(response) -> str:
    return response.get_data(as_text=True)


def test_login_page_renders_the_form(client):
    body = text(client.get("/auth/login"))
    for field in ('name="username"', 'name="password"', 'name="csrf_token"'):
        assert field in body


def test_wrong_password_and_unknown_user_look_the_same(client, officer, login, db):
    wrong = login(client, officer.username, "not-the-password-at-all")
    unknown = login(client, "nobody-here", "not-the-password-at-all")
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误。" in text(wrong)
    assert "用户名或密码错误。" in text(unknown)
    assert text(wrong) == text(unknown)
    assert sid_of(client) is None
    with db() as s:
        failed = s.exec(select(AuditEvent).where(AuditEvent.action == "login.failed")).all()
    assert {e.username for e in failed} == {officer.username, "nobody-here"}


def test_login_without_csrf_token_is_refused(client, officer):
    client.get("/auth/login")
    r = client.post("/auth/login", data={"username": officer.username,
                                         "password": officer.password})
    assert r.status_code == 400
    assert sid_of(client) is None


def test_login_sets_an_httponly_session_cookie_and_opens_officer_pages(client, officer, login):
    r = login(client, officer.username, officer.password)
    assert r.status_code == 302
    assert r.headers["Location"] == "/leads/"
    set_cookie = [h for h in r.headers.getlist("Set-Cookie") if h.startswith("sid=")]
    assert set_cookie and "HttpOnly" in set_cookie[0] and "SameSite=Lax" in set_cookie[0]
    page = client.get("/leads/")
    assert page.status_code == 200
    assert officer.username in text(page)


def test_each_login_gets_a_new_session_id_and_ends_the_old_one(client, officer, login, db):
    login(client, officer.username, officer.password)
    first = sid_of(client)
    login(client, officer.username, officer.password)
    second = sid_of(client)
    assert first and second and first != second
    with db() as s:
        ids = {us.id for us in s.exec(select(UserSession)).all()}
    assert hash_token(second) in ids
    assert hash_token(first) not in ids
    # only the hash is stored, never the cookie value
    assert first not in ids and second not in ids


def test_logout_ends_the_session_server_side(client, officer, login, csrf, db):
    login(client, officer.username, officer.password)
    old = sid_of(client)
    token = csrf(client, "/leads/")
    r = client.post("/auth/logout", data={"csrf_token": token})
    assert r.status_code == 302
    assert sid_of(client) is None
    with db() as s:
        assert s.exec(select(UserSession)).all() == []
    # replaying the old cookie does not work any more
    client.set_cookie("sid", old)
    replay = client.get("/leads/")
    assert replay.status_code == 302
    assert replay.headers["Location"].startswith("/auth/login")


def test_logout_needs_post_and_csrf(client, officer, login):
    login(client, officer.username, officer.password)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/leads/").status_code == 200


@pytest.mark.parametrize("target", ["http://evil.example", "https://evil.example/leads/",
                                    "//evil.example", "/\\evil", "\\\\evil.example",
                                    "javascript:alert(1)", "leads/", "/\t/evil.example",
                                    "/\r\n/evil.example", " //evil.example"])
def test_next_redirects_only_on_site(client, officer, login, target):
    r = login(client, officer.username, officer.password, next=target)
    assert r.status_code == 302
    assert r.headers["Location"] == "/leads/"


def test_next_on_site_path_is_followed(client, officer, login):
    r = login(client, officer.username, officer.password, next="/taxonomy/plans?lang=en")
    assert r.headers["Location"] == "/taxonomy/plans?lang=en"


@pytest.mark.parametrize("path", ["/leads/", "/leads/screen", "/leads/1", "/taxonomy/",
                                  "/taxonomy/plans", "/account/tokens", "/leads/export.csv"])
def test_officer_pages_redirect_anonymous_users_to_login(client, path):
    r = client.get(path)
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/auth/login?next=")


def test_redirect_to_login_then_back(client, officer):
    r = client.get("/taxonomy/plans")
    page = text(client.get(r.headers["Location"]))
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page).group(1))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    back = client.post(action, data={"username": officer.username, "password": officer.password,
                                     "csrf_token": token})
    assert back.status_code == 302
    assert back.headers["Location"] == "/taxonomy/plans"


def test_disabled_user_cannot_log_in_and_their_sessions_end(app, client, officer, login, db):
    from web.db import session_scope
    from web.models import User
    from web.services.users import set_active

    login(client, officer.username, officer.password)
    assert client.get("/leads/").status_code == 200
    with session_scope(app.extensions["db_engine"]) as s:
        set_active(session=s, user=s.get(User, officer.id), active=False)
    # the open session is over
    r = client.get("/leads/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/auth/login")
    # and signing in again fails with the same message as a wrong password
    other = app.test_client()
    again = login(other, officer.username, officer.password)
    assert again.status_code == 401
    assert "用户名或密码错误。" in text(again)
    assert sid_of(other) is None


def test_admin_disables_a_user_from_the_users_page(app, officer, admin, login):
    officer_client, admin_client = app.test_client(), app.test_client()
    login(officer_client, officer.username, officer.password)
    login(admin_client, admin.username, admin.password)
    # an officer may not manage users
    assert officer_client.get("/account/users").status_code == 403
    page = text(admin_client.get("/account/users"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = admin_client.post("/account/users", data={"csrf_token": token, "user_id": officer.id,
                                                  "active": "0"})
    assert r.status_code == 302
    assert officer_client.get("/leads/").status_code == 302
    assert login(app.test_client(), officer.username, officer.password).status_code == 401
    # an admin cannot lock themselves out
    r = admin_client.post("/account/users", data={"csrf_token": token, "user_id": admin.id,
                                                  "active": "0"})
    assert r.status_code == 400


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "3/minute"}])
def test_login_is_rate_limited(client, officer, login):
    for _ in range(3):
        assert login(client, officer.username, "wrong-password-xyz").status_code == 401
    r = login(client, officer.username, officer.password)
    assert r.status_code == 429
    assert sid_of(client) is None
