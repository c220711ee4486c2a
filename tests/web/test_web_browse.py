"""The taxonomy browser and plan status (an admin marks a plan superseded in the taxonomy)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape
from sqlmodel import select

from taxonomy import get_taxonomy

PLAN = "sh-advanced-manufacturing-14fyp"


def text(response) -> str:
    return response.get_data(as_text=True)


def test_taxonomy_index_lists_industries_districts_zones(auth_client):
    r = auth_client.get("/taxonomy/")
    assert r.status_code == 200
    body = text(r)
    tx = get_taxonomy()
    assert 'data-testid="industry-tree"' in body
    assert tx.version in body
    assert "浦东新区" in body and "临港新片区" in body
    assert body.count('href="/taxonomy/industries/') == len(tx.industries)


@pytest.mark.parametrize("node_id", ["ic", "ic-manufacturing", "aerospace"])
def test_industry_page(auth_client, node_id):
    tx = get_taxonomy()
    node = tx.industry_by_id[node_id]
    r = auth_client.get(f"/taxonomy/industries/{node_id}")
    assert r.status_code == 200
    body = text(r)
    assert str(escape(node.name_zh)) in body
    en = text(auth_client.get(f"/taxonomy/industries/{node_id}?lang=en"))
    assert str(escape(node.name_en)) in en


def test_district_page(auth_client):
    r = auth_client.get("/taxonomy/districts/310115")
    assert r.status_code == 200
    body = text(r)
    assert "浦东新区" in body and "临港新片区" in body
    assert "Pudong New Area" in text(auth_client.get("/taxonomy/districts/310115?lang=en"))


def test_zone_page(auth_client):
    r = auth_client.get("/taxonomy/zones/lingang")
    assert r.status_code == 200
    body = text(r)
    assert "临港新片区" in body
    assert "东方芯港" in body  # a park inside the zone


@pytest.mark.parametrize("path", ["/taxonomy/industries/no-such-node", "/taxonomy/districts/999999",
                                  "/taxonomy/zones/atlantis"])
def test_unknown_taxonomy_entries_are_404(auth_client, path):
    assert auth_client.get(path).status_code == 404


def test_policies_page_lists_every_policy_with_citations(auth_client):
    tx = get_taxonomy()
    body = text(auth_client.get("/taxonomy/policies"))
    assert body.count('<article class="policy">') == len(tx.policies)
    first = tx.policies[0]
    assert str(escape(first.title_zh)) in body
    assert str(escape(first.sources[0].evidence)) in body
    # the Lingang plan is a draft for comment
    assert "征求意见稿" in body


def test_plans_page_lists_the_plans(auth_client):
    tx = get_taxonomy()
    body = text(auth_client.get("/taxonomy/plans"))
    for plan in tx.plans:
        assert str(escape(plan.title_zh)) in body


def _mark(client, csrf, plan_id: str, status: str, note: str = "", superseded_by: str = ""):
    token = csrf(client, "/taxonomy/plans")
    return client.post("/taxonomy/plans", data={"csrf_token": token, "plan_id": plan_id,
                                                "status": status, "note": note,
                                                "superseded_by": superseded_by})


def _chip_policies(record: dict) -> tuple[list, list]:
    from_plan = [p for p in record["policies"] if p["plan"] == PLAN]
    others = [p for p in record["policies"] if p["plan"] != PLAN]
    return from_plan, others


def _plan_entry(folder, plan_id: str) -> dict:
    import yaml

    plans = yaml.safe_load((folder / "plans.yaml").read_text(encoding="utf-8"))
    return next(p for p in plans if p["id"] == plan_id)


def test_an_officer_cannot_change_a_plan_status(app, auth_client, csrf, taxonomy_copy):
    body = text(auth_client.get("/taxonomy/plans"))
    assert 'name="status"' not in body and "只有管理员可以更改规划状态" in body
    token = csrf(auth_client, "/taxonomy/plans")
    r = auth_client.post("/taxonomy/plans", data={"csrf_token": token, "plan_id": PLAN,
                                                  "status": "superseded"})
    assert r.status_code == 403
    assert _plan_entry(taxonomy_copy, PLAN)["status"] == "issued"


def test_an_admin_supersedes_a_plan_in_the_taxonomy_and_every_match_flags_it(
        app, client, admin, login, csrf, db, taxonomy_copy, samples):
    from taxonomy import load_taxonomy
    from taxonomy.plans import plan_status
    from web.models import AuditEvent
    from web.services.matching import wait_until_current

    assert login(client, admin.username, admin.password).status_code == 302
    r = _mark(client, csrf, PLAN, "superseded", "由未来产业方案替代", "sh-future-industries")
    assert r.status_code == 303
    # the taxonomy is the truth: plans.yaml changed, so the CLI and batch see the same
    entry = _plan_entry(taxonomy_copy, PLAN)
    assert entry["status"] == "superseded" and entry["superseded_by"] == "sh-future-industries"
    assert plan_status(load_taxonomy(taxonomy_copy).plan_by_id[PLAN]) == "superseded"
    with db() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "plan.status")).one()
    assert event.username == admin.username and event.target == PLAN
    assert "issued -> superseded" in event.detail and "sh-future-industries" in event.detail
    page = text(client.get("/taxonomy/plans"))
    row = re.search(rf'<tr data-plan="{PLAN}">.*?</tr>', page, re.S).group(0)
    assert "已被替代" in row and "上海打造未来产业创新高地" in row
    reader = text(client.get(f"/plans/{PLAN}?lang=en"))
    assert "Superseded by" in reader
    assert "Supersedes" in text(client.get("/plans/sh-future-industries?lang=en"))

    wait_until_current()
    profile = {"description": samples.chip_zh, "project_type": "manufacturing"}
    with app.test_request_context():
        from web.services.matching import match_profile

        record = match_profile(session=None, profile=profile)
    from_plan, others = _chip_policies(record)
    assert from_plan and others
    assert all(p["stale"] and "已被《上海打造未来产业创新高地" in p["stale_note"]
               and "superseded by Shanghai Action Plan" in p["stale_note_en"] for p in from_plan)
    flags = [bool(p.get("stale")) for p in record["policies"]]
    assert flags == sorted(flags)  # current plans' measures first, flagged ones after them
    # the public self-assessment shows it, in Chinese and in English
    public = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', text(public.get("/assess"))).group(1)
    zh = text(public.post("/assess", data={"csrf_token": token, **profile}))
    assert 'data-testid="stale-summary"' in zh and "规划已不再现行" in zh
    en = text(public.post("/assess?lang=en", data={"csrf_token": token, **profile}))
    assert "plan no longer current" in en and "superseded by Shanghai Action Plan" in en


def test_invalid_plan_status_changes_are_refused_in_words(client, admin, login, csrf,
                                                         taxonomy_copy):
    assert login(client, admin.username, admin.password).status_code == 302
    for args, message in ((("no-such-plan", "superseded"), "规划库中没有该规划"),
                          ((PLAN, "abolished"), "status"),
                          ((PLAN, "issued", "", "sh-future-industries"), "只有在规划被替代时"),
                          ((PLAN, "superseded", "", PLAN), "必须是规划库中的另一个规划")):
        r = _mark(client, csrf, *args)
        assert r.status_code == 303
        assert message in text(client.get("/taxonomy/plans")), args
    assert _plan_entry(taxonomy_copy, PLAN)["status"] == "issued"


def test_migration_0004_moves_an_old_plan_status_override_into_the_taxonomy(tmp_path,
                                                                          taxonomy_copy):
    """An install that had an officer's override in the database keeps it, now in plans.yaml."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, inspect
    from sqlalchemy import text as sql

    import web.cli

    engine = create_engine(f"sqlite:///{tmp_path}/old.db")
    cfg = Config()
    cfg.set_main_option("script_location",
                        str(Path(web.cli.__file__).resolve().parent / "migrations"))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "0002")
    with engine.begin() as conn:
        conn.execute(sql("INSERT INTO planstatus (plan_id, status, note, updated_at) "
                         "VALUES (:p, 'superseded', '由新规划替代', '2026-11-01 00:00:00')"),
                     {"p": PLAN})
    command.upgrade(cfg, "head")
    assert "planstatus" not in inspect(engine).get_table_names()
    assert _plan_entry(taxonomy_copy, PLAN)["status"] == "superseded"
    engine.dispose()
