"""`flask --app web ...` commands: create-user, reset-password, create-token, disable-user, seed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlmodel import select

from web.cli import SEEDS
from web.models import Lead, LeadNote, User


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_create_user_prints_a_random_password_that_works(app, client, login, db):
    result = run(app, "create-user", "alice")
    assert result.exit_code == 0, result.output
    password = re.search(r"with password: (\S+)", result.output).group(1)
    assert len(password) >= 12
    other = run(app, "create-user", "bob")
    assert re.search(r"with password: (\S+)", other.output).group(1) != password
    with db() as s:
        alice = s.exec(select(User).where(User.username == "alice")).one()
        assert alice.role == "officer" and alice.is_active
        assert password not in alice.password_hash
    assert login(client, "alice", password).status_code == 302


def test_create_user_with_role_and_given_password(app, client, login, db):
    result = run(app, "create-user", "chief", "--role", "admin", "--password", "Lo0ng-and-Strong!")
    assert result.exit_code == 0
    assert "Lo0ng-and-Strong!" not in result.output
    with db() as s:
        assert s.exec(select(User).where(User.username == "chief")).one().role == "admin"
    assert login(client, "chief", "Lo0ng-and-Strong!").status_code == 302


def test_create_user_refuses_duplicates_and_weak_passwords(app, officer):
    dup = run(app, "create-user", officer.username)
    assert dup.exit_code != 0 and "already exists" in dup.output
    weak = run(app, "create-user", "carol", "--password", "password123")
    assert weak.exit_code != 0 and "password" in weak.output
    short = run(app, "create-user", "dave", "--password", "short")
    assert short.exit_code != 0


def test_reset_password(app, officer, login):
    browser = app.test_client()
    assert login(browser, officer.username, officer.password).status_code == 302
    result = run(app, "reset-password", officer.username)
    assert result.exit_code == 0, result.output
    new = re.search(r"reset: (\S+)", result.output).group(1)
    # the old sessions end, the old password fails, the new one works
    assert browser.get("/leads/").status_code == 302
    assert login(app.test_client(), officer.username, officer.password).status_code == 401
    assert login(app.test_client(), officer.username, new).status_code == 302


def test_reset_password_of_an_unknown_user_fails(app):
    result = run(app, "reset-password", "ghost")
    assert result.exit_code != 0 and "not found" in result.output


def test_create_token_prints_a_token_that_authenticates(app, client, officer):
    result = run(app, "create-token", officer.username, "--name", "crm-sync")
    assert result.exit_code == 0
    token = result.output.strip()
    assert re.fullmatch(r"sim_[A-Za-z0-9_-]{40,}", token)
    r = client.get("/api/v1/leads", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert run(app, "create-token", "ghost").exit_code != 0


def test_disable_user_command(app, officer, login):
    browser = app.test_client()
    login(browser, officer.username, officer.password)
    token = run(app, "create-token", officer.username).output.strip()
    assert run(app, "disable-user", officer.username).exit_code == 0
    assert browser.get("/leads/").status_code == 302
    assert app.test_client().get("/api/v1/leads", headers={
        "Authorization": f"Bearer {token}"}).status_code == 401


def test_seed_loads_the_sample_leads_once(app, officer, db, auth_client):
    samples = json.loads(Path(SEEDS, "sample_leads.json").read_text(encoding="utf-8"))
    assert samples
    result = run(app, "seed", "--owner", officer.username)
    assert result.exit_code == 0
    assert f"added {len(samples)} sample leads" in result.output
    with db() as s:
        leads = s.exec(select(Lead)).all()
        assert len(leads) == len(samples)
        assert {lead.name for lead in leads} == {item["name"] for item in samples}
        assert all(lead.source == "import" and lead.owner_id == officer.id for lead in leads)
        assert all(lead.top_industry_id and lead.top_district_code for lead in leads)
        first = next(lead for lead in leads if lead.name == samples[0]["name"])
        assert first.status == samples[0].get("status", "new")
        notes = s.exec(select(LeadNote).where(LeadNote.lead_id == first.id)).all()
        assert [n.body for n in notes] == [samples[0]["owner_note"]]
    # idempotent
    again = run(app, "seed")
    assert again.exit_code == 0 and "nothing added" in again.output
    with db() as s:
        assert len(s.exec(select(Lead)).all()) == len(samples)
    # and the officer sees them in the pipeline
    assert samples[0]["name"] in auth_client.get("/leads/").get_data(as_text=True)


def test_init_db_is_idempotent(app):
    result = run(app, "init-db")
    assert result.exit_code == 0 and "latest schema" in result.output
