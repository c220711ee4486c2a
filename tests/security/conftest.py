"""Fixtures for the security tests (issue 6): users of both roles, signed-in clients, tokens,
a lead, and a snapshot of the database to prove that a request changed nothing.

The shared `app`, `client`, `make_user`, `officer`, `admin`, `login`, `csrf`, `db` and `pg_url`
fixtures come from tests/conftest.py."""

from __future__ import annotations

import pytest

CHIP = ("拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，"
        "配套建设封装测试中试线。")
# columns that reading may touch by design: the session's idle clock and a token's last use
VOLATILE = {"last_seen_at", "last_used_at"}



@pytest.fixture
def signed_in(app, login):
    """signed_in(user) -> a new test client with that user's browser session."""

    def _client(user):
        client = app.test_client()
        response = login(client, user.username, user.password)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return client

    return _client


@pytest.fixture
def token_for(app):
    """token_for(user) -> (token id, raw API token)."""
    from web.db import session_scope
    from web.models import User
    from web.services.users import create_token

    def _make(user) -> tuple[int, str]:
        with session_scope(app.extensions["db_engine"]) as session:
            tok, raw = create_token(session=session, user=session.get(User, user.id), name="t")
            return tok.id, raw

    return _make


@pytest.fixture
def bearer(officer, token_for) -> dict:
    return {"Authorization": f"Bearer {token_for(officer)[1]}"}


@pytest.fixture
def lead_id(client, bearer) -> int:
    r = client.post("/api/v1/leads", headers=bearer, json={"name": "安全测试", "description": CHIP})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def snapshot(engine) -> dict:
    """Every row of every table except the append-only audit log, without VOLATILE columns."""
    from sqlalchemy import select
    from sqlmodel import SQLModel

    import web.models  # noqa: F401  (registers the tables)

    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "auditevent":
                continue
            cols = [c for c in table.columns if c.name not in VOLATILE]
            out[table.name] = sorted(tuple(map(repr, row))
                                     for row in conn.execute(select(*cols)).all())
    return out


@pytest.fixture(name="snapshot")
def _snapshot(app):
    return lambda: snapshot(app.extensions["db_engine"])


SAMPLE_ARGS = {"lead_id": 1, "job_id": 1, "token_id": 1, "fmt": "csv", "kind": "plans",
               "node_id": "ic", "code": "310115", "zone_id": "lingang", "filename": "app.css",
               "plan_id": "sh-future-industries", "row": 2, "user_id": 1}


def all_routes(app, **args):
    """(endpoint, method, url) for every route of the app, with sample path arguments."""
    from flask import url_for

    values = {**SAMPLE_ARGS, **args}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            url = url_for(rule.endpoint, **{a: values[a] for a in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url


@pytest.fixture
def routes():
    """routes(app, **path_args) -> [(endpoint, method, url)] of every route."""
    return lambda app, **args: list(all_routes(app, **args))
