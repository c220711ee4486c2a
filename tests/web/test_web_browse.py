"""The taxonomy browser and the plan-status overrides (a plan marked superseded)."""

from __future__ import annotations

import json
import re

import pytest
from markupsafe import escape
from sqlmodel import select

from taxonomy import get_taxonomy
from web.models import Lead, LeadMatch

PLAN = "sh-advanced-manufacturing-14fyp"
WARNING = "所依据的规划已被标记为已替代"


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


def _mark(client, csrf, plan_id: str, status: str, note: str = ""):
    token = csrf(client, "/taxonomy/plans")
    return client.post("/taxonomy/plans", data={"csrf_token": token, "plan_id": plan_id,
                                                "status": status, "note": note})


def _chip_policies(record: dict) -> tuple[list, list]:
    from_plan = [p for p in record["policies"] if p["plan"] == PLAN]
    others = [p for p in record["policies"] if p["plan"] != PLAN]
    return from_plan, others


def test_superseded_plan_shows_and_warns_in_new_matches(app, auth_client, csrf, db,
                                                        screen_lead, samples):
    profile = {"description": samples.chip_zh, "project_type": "manufacturing"}
    r = _mark(auth_client, csrf, PLAN, "superseded", "由2026年新规划替代")
    assert r.status_code == 302
    plans = text(auth_client.get("/taxonomy/plans"))
    row = re.search(r"<tr><td>上海市先进制造业发展“十四五”规划.*?</tr>", plans, re.S).group(0)
    assert "已被替代" in row and "由2026年新规划替代" in row
    assert '<option value="superseded" selected>' in row
    assert "规划已被替代" in text(auth_client.get("/taxonomy/policies"))

    # a new match through the web applies it to that plan's policies only
    from web.db import get_session
    from web.services.matching import match_profile

    with app.test_request_context():
        record = match_profile(session=get_session(), profile=profile)
    from_plan, others = _chip_policies(record)
    assert from_plan and others
    assert all(WARNING in p["conditions"] and "由2026年新规划替代" in p["conditions"]
               and p.get("superseded") for p in from_plan)
    assert not any(WARNING in (p["conditions"] or "") for p in others)

    # the officer's screen page shows the warning, and a saved lead keeps it
    lead_id, page = screen_lead(auth_client, name="替代示例", **profile)
    assert "规划已被替代" in page and WARNING in page
    with db() as s:
        stored = json.loads(s.exec(select(LeadMatch).where(LeadMatch.lead_id == lead_id))
                            .one().result_json)
    assert all(WARNING in p["conditions"] for p in _chip_policies(stored)[0])

    # the public self-assessment shows it too
    public = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      text(public.get("/assess"))).group(1)
    body = text(public.post("/assess", data={"csrf_token": token, **profile}))
    assert WARNING in body

    # setting it back to issued removes the warning from new matches
    _mark(auth_client, csrf, PLAN, "issued")
    with app.test_request_context():
        record = match_profile(session=get_session(), profile=profile)
    assert not any(WARNING in (p["conditions"] or "") for p in record["policies"])
    with db() as s:
        assert s.exec(select(Lead)).one().name == "替代示例"


def test_superseded_plan_warns_in_api_matches(auth_client, csrf, samples):
    _mark(auth_client, csrf, PLAN, "superseded")
    record = auth_client.post("/api/v1/match", json={"description": samples.chip_zh,
                                                     "project_type": "manufacturing"}).get_json()
    from_plan, _others = _chip_policies(record)
    assert from_plan
    assert all(WARNING in p["conditions"] for p in from_plan)


def test_unknown_plan_or_status_is_400(auth_client, csrf):
    assert _mark(auth_client, csrf, "no-such-plan", "superseded").status_code == 400
    assert _mark(auth_client, csrf, PLAN, "abolished").status_code == 400
