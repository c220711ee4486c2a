"""Audit (ASVS V7): sign-ins, failed sign-ins, lead changes, exports and token use are recorded
with UTC timestamps, the user and the address; no password, token, session id or CSRF token
is ever stored; control and bidirectional characters are escaped; only admins read it."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlmodel import select

from web.models import AuditEvent

CHIP = "拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件和模拟芯片代工。"
TOKEN_RE = re.compile(r"(sim_[A-Za-z0-9_-]{20,})")
PROFILE_RE = re.compile(r'name="profile_json" value="([^"]*)"')


def events(db, action: str | None = None) -> list[AuditEvent]:
    with db() as s:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        return list(s.exec(stmt).all())


def test_a_working_day_is_in_the_audit_log(app, client, officer, login, signed_in, csrf, db):
    assert login(app.test_client(), officer.username, "not-the-password-at-all").status_code \
        == 401
    browser = signed_in(officer)
    token = csrf(browser, "/leads/screen")
    page = browser.post("/leads/screen", data={"csrf_token": token, "description": CHIP,
                                               "name": "审计示例"}).get_data(as_text=True)
    profile = html.unescape(PROFILE_RE.search(page).group(1))
    saved = browser.post("/leads/save", data={"csrf_token": token, "profile_json": profile})
    lead_id = int(saved.headers["Location"].rsplit("/", 1)[1])
    browser.post(f"/leads/{lead_id}/update", data={"csrf_token": token, "status": "visit"})
    browser.post(f"/leads/{lead_id}/notes", data={"csrf_token": token, "body": "已约见"})
    browser.post(f"/leads/{lead_id}/rescore", data={"csrf_token": token})
    with browser.get("/leads/export.xlsx") as r:
        assert r.status_code == 200
    tokens_page = browser.post("/account/tokens", data={"csrf_token": token, "name": "cli"},
                               follow_redirects=True)
    raw = TOKEN_RE.search(tokens_page.get_data(as_text=True)).group(1)
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    assert client.delete(f"/api/v1/leads/{lead_id}", headers=bearer).status_code == 204
    browser.post("/auth/logout", data={"csrf_token": token})

    actions = [e.action for e in events(db)]
    for expected in ("login.failed", "login", "lead.create", "lead.update", "lead.note",
                     "lead.rescore", "lead.export", "token.create", "token.use", "lead.delete",
                     "logout"):
        assert expected in actions, (expected, actions)
    now = dt.datetime.now(dt.UTC)
    for e in events(db):
        at = e.at if e.at.tzinfo else e.at.replace(tzinfo=dt.UTC)
        assert at.utcoffset() == dt.timedelta(0)
        assert abs((now - at).total_seconds()) < 120, (e.action, e.at)
        assert e.ip == "127.0.0.1"
        if e.action != "login.failed":
            assert e.user_id == officer.id and e.username == officer.username
    export = events(db, "lead.export")[0]
    assert export.detail.split()[0] == "xlsx" and "1 leads" in export.target
    uses = events(db, "token.use")
    assert {u.detail.split()[-1] for u in uses} == {"GET", "DELETE"}
    assert all(re.fullmatch(r"token \d+ (GET|DELETE)", u.detail) for u in uses)


def test_token_reads_are_audited_once_a_minute_and_writes_always(client, bearer, db, lead_id):
    before = len(events(db, "token.use"))  # the lead_id fixture's POST
    for _ in range(5):
        assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    assert len(events(db, "token.use")) == before  # used within the last minute already
    for _ in range(3):
        client.post(f"/api/v1/leads/{lead_id}/notes", headers=bearer, json={"body": "跟进"})
    uses = events(db, "token.use")
    assert len(uses) == before + 3
    assert uses[-1].target == f"/api/v1/leads/{lead_id}/notes"


def test_token_matches_are_audited_like_reads(client, officer, token_for, db):
    """POST /api/v1/match changes nothing: a token's first call in a minute is recorded, not
    every call (a write per call would serialise an integration on the audit table)."""
    token_id, raw = token_for(officer)
    bearer = {"Authorization": f"Bearer {raw}"}
    for _ in range(4):
        assert client.post("/api/v1/match", headers=bearer,
                           json={"description": CHIP}).status_code == 200
    assert client.post("/api/v1/match/batch", headers=bearer,
                       json={"profiles": [{"description": CHIP}]}).status_code == 200
    (use,) = events(db, "token.use")
    assert use.detail == f"token {token_id} POST" and use.target == "/api/v1/match"


def test_a_token_first_read_is_audited(client, officer, token_for, db):
    token_id, raw = token_for(officer)
    client.get("/api/v1/leads", headers={"Authorization": f"Bearer {raw}"})
    (use,) = events(db, "token.use")
    assert use.detail == f"token {token_id} GET" and use.user_id == officer.id


def test_bad_tokens_are_audited_but_cannot_flood_the_log(client, db):
    for i in range(30):
        r = client.get("/api/v1/leads", headers={"Authorization": f"Bearer sim_guess{i}"})
        assert r.status_code == 401
    bad = events(db, "token.invalid")
    assert 1 <= len(bad) <= 10
    assert all("sim_guess" not in e.detail + e.target for e in bad)


def test_no_secret_reaches_the_audit_log(app, client, officer, login, signed_in, csrf, db):
    wrong = "Wr0ng-but-secret-Pa55"
    login(app.test_client(), officer.username, wrong)
    browser = signed_in(officer)
    sid = browser.get_cookie("sid").value
    token = csrf(browser, "/account/tokens")
    page = browser.post("/account/tokens", data={"csrf_token": token, "name": "robot"},
                        follow_redirects=True)
    raw = TOKEN_RE.search(page.get_data(as_text=True)).group(1)
    client.post("/api/v1/leads", headers={"Authorization": f"Bearer {raw}"},
                json={"description": CHIP})
    client.get("/api/v1/leads", headers={"Authorization": f"Bearer {raw}x"})  # a wrong one
    dump = "\n".join(f"{e.username}|{e.ip}|{e.action}|{e.target}|{e.detail}" for e in events(db))
    for secret in (officer.password, wrong, raw, raw[:10], raw[4:14], sid, token):
        assert secret not in dump, secret
    from web.models import ApiToken, UserSession

    with db() as s:  # and the tables hold only hashes
        assert all(raw not in t.token_hash for t in s.exec(select(ApiToken)).all())
        assert all(us.id != sid for us in s.exec(select(UserSession)).all())


@pytest.mark.parametrize("nasty", ["evil\r\n2026-01-01 admin login ok", "bell\x07\x1b[2Jclear",
                                   "rtl\u202egnp.exe", "nul\x00byte", "line\u2028sep",
                                   "c1\x85next", "zero\u200bwidth"])
def test_control_characters_are_escaped(app, login, db, nasty):
    login(app.test_client(), nasty, "whatever-password")
    (event,) = events(db, "login.failed")
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u200b\u2028\u202e]", event.username)
    assert "\\x" in event.username or "\\u" in event.username
    assert event.username.startswith(nasty[:2])


def test_the_audit_page_shows_escaped_entries_to_admins_only(app, admin, officer, signed_in,
                                                             login, db):
    login(app.test_client(), "<script>alert(1)</script>\nx", "x-password-x")
    page = signed_in(admin).get("/account/audit")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\\x0ax" in body
    assert "<script>alert" not in body
    assert "UTC" in body
    assert signed_in(officer).get("/account/audit").status_code == 403
    assert app.test_client().get("/account/audit").status_code == 302


def test_public_submissions_are_audited_without_contact_details(client, csrf, db):
    token = csrf(client, "/assess")
    page = client.post("/assess", data={"csrf_token": token, "description": CHIP})
    profile = html.unescape(PROFILE_RE.search(page.get_data(as_text=True)).group(1))
    r = client.post("/assess/submit", data={
        "csrf_token": token, "profile_json": profile,
        "contact_name": "张三", "contact_email": "zhang@example.com",
        "contact_phone": "13800000000", "consent": "on"})
    assert r.status_code == 303
    (event,) = events(db, "lead.public_submit")
    text = f"{event.target}|{event.detail}|{event.username}"
    assert "zhang@example.com" not in text and "13800000000" not in text
