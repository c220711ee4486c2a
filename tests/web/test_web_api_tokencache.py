"""API tokens verified moments ago are trusted for reads without the database; revoking still
ends them: at once in this process, within TOKEN_CACHE_SECONDS when done by another process."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text

CHIP = "集成电路设计与晶圆制造，建设12英寸晶圆产线"


@pytest.fixture
def clock(monkeypatch):
    """The token memory's clock, moved by hand."""
    import web.api_tokencache as tc

    now = [1000.0]
    monkeypatch.setattr(tc, "_now", lambda: now[0])
    return now


def _statements(app):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(app.extensions["db_engine"], "before_cursor_execute", count)
    return seen


def test_a_recently_verified_token_matches_without_touching_the_database(app, client, bearer,
                                                                         clock):
    assert client.post("/api/v1/match", json={"description": CHIP}, headers=bearer).status_code == 200
    seen = _statements(app)
    r = client.post("/api/v1/match", json={"description": CHIP + "，二期"}, headers=bearer)
    assert r.status_code == 200 and r.get_json()["industries"]
    assert seen == []


def test_revoking_in_this_process_ends_the_token_at_once(app, client, officer, bearer, clock):
    from sqlmodel import select

    from web.db import session_scope
    from web.models import ApiToken, User
    from web.services.users import revoke_token

    assert client.post("/api/v1/match", json={"description": CHIP}, headers=bearer).status_code == 200
    with session_scope(app.extensions["db_engine"]) as s:
        tok = s.exec(select(ApiToken).where(ApiToken.user_id == officer.id)).one()
        revoke_token(session=s, user=s.get(User, officer.id), token_id=tok.id)
    r = client.post("/api/v1/match", json={"description": CHIP}, headers=bearer)
    assert r.status_code == 401


def test_revoking_in_another_process_ends_the_token_within_the_cache_time(app, client, bearer,
                                                                          clock):
    assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    # another process (a second worker, the CLI) revokes: no ORM event reaches this one
    other = create_engine(app.config["DATABASE_URL"])
    with other.begin() as conn:
        conn.execute(text("UPDATE apitoken SET revoked_at = CURRENT_TIMESTAMP"))
    other.dispose()
    seconds = app.config["TOKEN_CACHE_SECONDS"]
    clock[0] += seconds / 2
    assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    clock[0] += seconds / 2 + 0.01
    assert client.get("/api/v1/leads", headers=bearer).status_code == 401
    assert client.post("/api/v1/match", json={"description": CHIP},
                       headers=bearer).status_code == 401


def test_state_changing_calls_always_check_the_database(app, client, bearer, clock):
    assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    other = create_engine(app.config["DATABASE_URL"])
    with other.begin() as conn:
        conn.execute(text("UPDATE apitoken SET revoked_at = CURRENT_TIMESTAMP"))
    other.dispose()
    r = client.post("/api/v1/leads", json={"description": CHIP}, headers=bearer)
    assert r.status_code == 401


def test_a_bulk_update_of_users_in_this_process_forgets_the_tokens(app, client, officer, bearer,
                                                                   clock):
    from sqlmodel import update

    from web.db import session_scope
    from web.models import User

    assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    with session_scope(app.extensions["db_engine"]) as s:
        s.exec(update(User).where(User.id == officer.id).values(is_active=False))
    assert client.get("/api/v1/leads", headers=bearer).status_code == 401


def test_cache_off_checks_every_call(app, client, bearer, clock):
    app.config["TOKEN_CACHE_SECONDS"] = 0
    app.extensions.pop("api_token_cache", None)
    assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    seen = _statements(app)
    assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    assert any("apitoken" in s.lower() for s in seen)
