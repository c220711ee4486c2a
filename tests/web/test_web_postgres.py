"""The same app on PostgreSQL (skipped when no server answers; each test in its own schema)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from web.models import Lead, LeadMatch

pytestmark = pytest.mark.postgres

CHIP = ("拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，"
        "配套建设封装测试中试线。")
NAME = "上海示例芯科技有限公司（测试）"


@pytest.fixture
def pg_app(pg_url, make_app):
    app = make_app(pg_url)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def pg_user(pg_app):
    """pg_user(username) -> (id, username, password) of an officer in the PostgreSQL app."""
    from web.db import session_scope
    from web.services.users import create_user

    def _make(username: str):
        password = "Pg-officer-Pa55word"
        with session_scope(pg_app.extensions["db_engine"]) as s:
            user = create_user(session=s, username=username, password=password)
            return user.id, username, password

    return _make


def test_migrations_run_on_postgresql(pg_app, pg_url):
    engine = pg_app.extensions["db_engine"]
    assert engine.dialect.name == "postgresql"
    schema = re.search(r"search_path%3D(t_[0-9a-f]+)|search_path=(t_[0-9a-f]+)", pg_url)
    schema = next(g for g in schema.groups() if g)
    tables = set(inspect(engine).get_table_names(schema=schema))
    assert {"user", "usersession", "apitoken", "lead", "leadmatch", "leadnote", "leadevent",
            "auditevent", "alembic_version"} <= tables
    with engine.connect() as conn:
        assert conn.execute(text("select current_schema()")).scalar() == schema
        head = conn.execute(text("select version_num from alembic_version")).scalar()
    assert head
    # running them again is a no-op
    from web.cli import migrate_database

    with pg_app.app_context():
        migrate_database(pg_app)
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == head


def test_chinese_lead_round_trip(pg_app):
    from web.services.leads import create_lead, latest_match

    engine = pg_app.extensions["db_engine"]
    with Session(engine, expire_on_commit=False) as s:
        lead = create_lead(session=s, data={"name": NAME, "description": CHIP,
                                            "note": "企业关注临港的用地指标"})
        lead_id = lead.id
    with Session(engine) as s:
        back = s.get(Lead, lead_id)
        assert back.name == NAME and back.description == CHIP
        assert json.loads(back.profile_json)["description"] == CHIP
        assert back.top_industry_name and back.top_district_name
        assert back.created_at.tzinfo is not None
        record = latest_match(session=s, lead=back)
        assert record["industries"][0]["name_zh"] == back.top_industry_name
        found = s.exec(select(Lead).where(Lead.description.ilike("%晶圆产线%"))).all()
        assert [x.id for x in found] == [lead_id]


def test_request_flow_on_postgresql(pg_app, pg_user, login, csrf, profile_json_of):
    _uid, username, password = pg_user("pgofficer")
    client = pg_app.test_client()
    assert login(client, username, password).status_code == 302
    token = csrf(client, "/leads/screen")
    page = client.post("/leads/screen", data={"csrf_token": token, "name": NAME,
                                              "description": CHIP})
    assert page.status_code == 200
    saved = client.post("/leads/save", data={"csrf_token": token, "note": "首次接触",
                                             "profile_json": profile_json_of(
                                                 page.get_data(as_text=True))})
    assert saved.status_code == 302
    lead_id = int(saved.headers["Location"].rsplit("/", 1)[1])
    listing = client.get("/leads/?q=晶圆").get_data(as_text=True)
    assert NAME in listing
    detail = client.get(f"/leads/{lead_id}").get_data(as_text=True)
    assert "首次接触" in detail
    r = client.post(f"/leads/{lead_id}/update", data={"csrf_token": token, "status": "contacted"})
    assert r.status_code == 302
    csv_body = client.get("/leads/export.csv").data.decode("utf-8-sig")
    assert NAME in csv_body
    with Session(pg_app.extensions["db_engine"]) as s:
        assert s.get(Lead, lead_id).status == "contacted"
        assert len(s.exec(select(LeadMatch)).all()) == 1
    # logout ends the session on PostgreSQL too
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/leads/").status_code == 302


def test_api_on_postgresql(pg_app, pg_user):
    from web.db import session_scope
    from web.models import User
    from web.services.users import create_token

    uid, _name, _password = pg_user("pgapi")
    with session_scope(pg_app.extensions["db_engine"]) as s:
        _tok, raw = create_token(session=s, user=s.get(User, uid))
    client = pg_app.test_client()
    headers = {"Authorization": f"Bearer {raw}"}
    r = client.post("/api/v1/leads", headers=headers, json={"name": NAME, "description": CHIP})
    assert r.status_code == 201
    listing = client.get("/api/v1/leads?q=示例芯", headers=headers).get_json()
    assert listing["total"] == 1 and listing["items"][0]["name"] == NAME
