"""Users in the web interface: an admin creates users and resets passwords (a generated one is
shown once), every user changes their own password with the current one; refusals named in
Chinese and English; all of it in the audit log, no password in it."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.web.test_web_leftovers import leftovers
from web.models import AuditEvent, User, UserSession

NEW_PASSWORD = "Quiet-Harbour-7361"
SHOWN_RE = re.compile(r'data-testid="shown-password">.*?<code translate="no">([^<]+)</code>', re.S)


@pytest.fixture
def admin_client(app, admin, login):
    client = app.test_client()
    assert login(client, admin.username, admin.password).status_code == 302
    return client


def _post(client, url: str, csrf, lang: str = "zh", **data):
    token = csrf(client, "/account/users" if "users" in url else "/account/password")
    return client.post(f"{url}?lang={lang}", data={"csrf_token": token, **data})


def _audit(db) -> list[AuditEvent]:
    with db() as s:
        return list(s.exec(select(AuditEvent).order_by(AuditEvent.id)).all())


def test_admin_creates_a_user_with_a_password(app, admin_client, csrf, login, db, admin):
    r = _post(admin_client, "/account/users/new", csrf, username="wang.officer",
              display_name="王示例", role="officer", password=NEW_PASSWORD)
    assert r.status_code == 303 and r.headers["Location"].endswith("/account/users")
    page = admin_client.get("/account/users").get_data(as_text=True)
    assert "用户 wang.officer 已创建。" in page
    assert 'data-testid="shown-password"' not in page  # the admin chose it: nothing to show
    assert login(app.test_client(), "wang.officer", NEW_PASSWORD).status_code == 302
    with db() as s:
        user = s.exec(select(User).where(User.username == "wang.officer")).one()
        assert (user.role, user.display_name) == ("officer", "王示例")
    event = [e for e in _audit(db) if e.action == "user.create"][-1]
    assert (event.username, event.target, event.detail) == (admin.username, "wang.officer",
                                                           "role officer")
    assert all(NEW_PASSWORD not in f"{e.target}{e.detail}" for e in _audit(db))


def test_an_empty_password_is_generated_and_shown_once(app, admin_client, csrf, login, db):
    r = _post(admin_client, "/account/users/new", csrf, lang="en", username="li", display_name="",
              role="admin", password="")
    assert r.status_code == 303
    page = admin_client.get("/account/users?lang=en").get_data(as_text=True)
    shown = SHOWN_RE.search(page).group(1)
    assert "The password of li (shown once" in page
    assert login(app.test_client(), "li", shown).status_code == 302
    again = admin_client.get("/account/users?lang=en").get_data(as_text=True)
    assert shown not in again and 'data-testid="shown-password"' not in again
    assert all(shown not in f"{e.target}{e.detail}" for e in _audit(db))
    with db() as s:
        assert s.exec(select(User).where(User.username == "li")).one().role == "admin"


@pytest.mark.parametrize(("lang", "form", "field", "message"), [
    ("zh", {"username": "", "password": NEW_PASSWORD}, "username", "请填写用户名。"),
    ("en", {"username": "", "password": NEW_PASSWORD}, "username", "Username is required."),
    ("zh", {"username": "zhao", "password": "short"}, "password", "密码至少须有 10 个字符"),
    ("en", {"username": "zhao", "password": "short"}, "password",
     "The password must have at least 10 characters."),
    ("zh", {"username": "zhao", "password": "Password2024!"}, "password", "密码太常见"),
    ("zh", {"username": "admin1", "password": NEW_PASSWORD}, "username", "用户“admin1”已存在"),
    ("en", {"username": "admin1", "password": NEW_PASSWORD}, "username",
     "A user named admin1 already exists."),
    ("zh", {"username": "zhao", "password": NEW_PASSWORD, "role": "root"}, "role", "角色须为以下之一"),
])
def test_refusals_name_the_field_in_the_interface_language(admin_client, csrf, db, lang, form,
                                                            field, message):
    r = _post(admin_client, "/account/users/new", csrf, lang=lang,
              **{"display_name": "", "role": "officer", **form})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    errors = re.findall(r'<p class="error"[^>]*>([^<]+)</p>', page)
    assert any(message in e for e in errors), errors
    assert f'value="{form["username"]}"' in page  # what was typed comes back
    assert not leftovers(page, lang)
    with db() as s:
        assert s.exec(select(User).where(User.username == "zhao")).first() is None


def test_admin_resets_a_password_and_ends_the_users_sessions(app, admin_client, officer, csrf,
                                                             login, db):
    officer_client = app.test_client()
    login(officer_client, officer.username, officer.password)
    assert officer_client.get("/leads/").status_code == 200
    r = _post(admin_client, f"/account/users/{officer.id}/password", csrf, password="")
    assert r.status_code == 303
    page = admin_client.get("/account/users").get_data(as_text=True)
    assert f"{officer.username} 的密码已重置" in page
    shown = SHOWN_RE.search(page).group(1)
    assert officer_client.get("/leads/").status_code == 302  # signed out
    assert login(app.test_client(), officer.username, officer.password).status_code == 401
    assert login(app.test_client(), officer.username, shown).status_code == 302
    assert [e.target for e in _audit(db) if e.action == "user.password_reset"] == [officer.username]
    # a weak chosen password is refused, in English too
    r = _post(admin_client, f"/account/users/{officer.id}/password", csrf, lang="en",
              password="aaaaaaaaaaaa")
    assert r.status_code == 422
    assert "The password is too simple" in r.get_data(as_text=True)


def test_officers_cannot_create_users_or_reset_passwords(app, officer, admin, login, csrf, db):
    client = app.test_client()
    login(client, officer.username, officer.password)
    token = csrf(client, "/leads/")
    assert client.post("/account/users/new", data={"csrf_token": token, "username": "x",
                                                    "password": NEW_PASSWORD}).status_code == 403
    assert client.post(f"/account/users/{admin.id}/password",
                       data={"csrf_token": token, "password": NEW_PASSWORD}).status_code == 403
    assert login(app.test_client(), admin.username, admin.password).status_code == 302


def test_a_user_changes_their_own_password(app, officer, login, csrf, db):
    here, elsewhere = app.test_client(), app.test_client()
    login(here, officer.username, officer.password)
    login(elsewhere, officer.username, officer.password)
    page = here.get("/account/password").get_data(as_text=True)
    assert 'name="current_password"' in page and "我的密码" in page
    r = _post(here, "/account/password", csrf, current_password=officer.password,
              new_password=NEW_PASSWORD, new_password_again=NEW_PASSWORD)
    assert r.status_code == 303
    assert "密码已修改" in here.get("/account/password").get_data(as_text=True)
    assert here.get("/leads/").status_code == 200          # this session stays
    assert elsewhere.get("/leads/").status_code == 302     # the others end
    assert login(app.test_client(), officer.username, officer.password).status_code == 401
    assert login(app.test_client(), officer.username, NEW_PASSWORD).status_code == 302
    assert [e.action for e in _audit(db) if e.action.startswith("user.password")] == [
        "user.password_change"]
    with db() as s:
        assert len(s.exec(select(UserSession).where(UserSession.user_id == officer.id)).all()) == 2


@pytest.mark.parametrize(("lang", "form", "field", "message"), [
    ("zh", {"current_password": "wrong-password-1", "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD}, "current_password", "当前密码不正确"),
    ("en", {"current_password": "wrong-password-1", "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD}, "current_password", "The current password is wrong."),
    ("zh", {"current_password": None, "new_password": NEW_PASSWORD,
            "new_password_again": "Other-Harbour-7361"}, "new_password_again", "两次输入的新密码不一致"),
    ("en", {"current_password": None, "new_password": NEW_PASSWORD,
            "new_password_again": "Other-Harbour-7361"}, "new_password_again",
     "The two new passwords differ"),
    ("zh", {"current_password": "", "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD}, "current_password", "请填写当前密码。"),
    ("en", {"current_password": None, "new_password": "12345678",
            "new_password_again": "12345678"}, "new_password", "at least 10 characters"),
    ("zh", {"current_password": None, "new_password": None, "new_password_again": None},
     "new_password", "新密码不能与当前密码相同"),
])
def test_own_password_refusals(app, officer, login, csrf, db, lang, form, field, message):
    client = app.test_client()
    login(client, officer.username, officer.password)
    data = {k: (officer.password if v is None else v) for k, v in form.items()}
    r = _post(client, "/account/password", csrf, lang=lang, **data)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    found = re.findall(rf'data-testid="error-{field}">([^<]+)<', page)
    assert any(message in m for m in found), (found, page[-3000:])
    assert not leftovers(page, lang)
    assert login(app.test_client(), officer.username, officer.password).status_code == 302


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_account_pages_have_nothing_of_the_other_language(admin_client, officer, lang):
    for url in ("/account/users", "/account/password"):
        page = admin_client.get(f"{url}?lang={lang}").get_data(as_text=True)
        assert not leftovers(page, lang), (url, leftovers(page, lang))


@pytest.mark.parametrize(("lang", "words"), [("zh", ("新建用户", "登录")),
                                             ("en", ("user created", "signed in"))])
def test_the_audit_log_says_actions_in_words_and_shanghai_time(admin_client, csrf, db, lang,
                                                               words):
    import datetime as dt

    _post(admin_client, "/account/users/new", csrf, lang=lang, username="sun", display_name="",
          role="officer", password=NEW_PASSWORD)
    page = admin_client.get(f"/account/audit?lang={lang}").get_data(as_text=True)
    created = re.search(r'data-action="user.create">([^<]+)<code', page).group(1).strip()
    signed = re.search(r'data-action="login">([^<]+)<code', page).group(1).strip()
    assert (created, signed) == words
    event = [e for e in _audit(db) if e.action == "user.create"][-1]
    local = (event.at.replace(tzinfo=dt.UTC) if event.at.tzinfo is None else event.at) \
        .astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert local.strftime("%Y-%m-%d %H:%M") in page
    assert not leftovers(page, lang)


def test_users_page_shows_the_last_sign_in_in_shanghai_time(admin_client, db, admin):
    import datetime as dt

    with db() as s:
        at = s.get(User, admin.id).last_login_at
    local = (at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at).astimezone(
        dt.timezone(dt.timedelta(hours=8)))
    page = admin_client.get("/account/users").get_data(as_text=True)
    row = re.search(rf'<tr data-user="{admin.username}">(.*?)</tr>', page, re.S).group(1)
    assert local.strftime("%Y-%m-%d %H:%M") in row
