"""Leads after a taxonomy change: which would match differently, re-scoring with confirmation."""

from __future__ import annotations

import json
import re

from sqlmodel import select

from web.models import Lead, LeadMatch


def text(response) -> str:
    return response.get_data(as_text=True)


def test_changed_leads_are_shown_and_rescored_after_confirmation(
        auth_client, csrf, db, screen_lead, samples, taxonomy_copy):
    from taxonomy import get_taxonomy
    from web.services.matching import wait_until_current

    before = get_taxonomy().version
    chip_id, _ = screen_lead(auth_client, name="芯片示例", description=samples.chip_zh)
    ev_id, _ = screen_lead(auth_client, name="电池示例", description=samples.ev_zh)
    assert 'data-testid="outdated-leads"' not in text(auth_client.get("/leads/"))

    (taxonomy_copy / "relations" / "ic.yaml").unlink()  # a curator removed the IC relations
    wait_until_current()
    after = get_taxonomy().version
    assert after != before
    assert "2" in re.search(r'data-testid="outdated-leads">(.*?)</p>',
                            text(auth_client.get("/leads/")), re.S).group(1)

    page = text(auth_client.get("/leads/taxonomy-changes/"))
    rows = re.findall(r'<tr data-lead="(\d+)">(.*?)</tr>', page, re.S)
    assert [int(i) for i, _ in rows] == [chip_id]  # the EV lead would match the same
    assert before in rows[0][1] and "→" in rows[0][1]
    with db() as s:
        assert len(s.exec(select(LeadMatch).where(LeadMatch.lead_id == chip_id)).all()) == 1

    token = csrf(auth_client, "/leads/taxonomy-changes/")
    confirm = auth_client.post("/leads/taxonomy-changes/rescore",
                               data={"csrf_token": token, "scope": "changed"})
    assert confirm.status_code == 200 and 'data-testid="confirm-text"' in text(confirm)
    assert f'name="lead_id" value="{chip_id}"' in text(confirm)
    with db() as s:  # nothing happened before the confirmation
        assert s.get(Lead, chip_id).taxonomy_version == before
    done = auth_client.post("/leads/taxonomy-changes/rescore",
                            data={"csrf_token": token, "lead_id": str(chip_id), "confirm": "yes"})
    assert done.status_code == 303
    with db() as s:
        history = s.exec(select(LeadMatch).where(LeadMatch.lead_id == chip_id)
                         .order_by(LeadMatch.id)).all()
        assert [h.taxonomy_version for h in history] == [before, after]
        assert json.loads(history[0].result_json)["taxonomy_version"] == before
        assert s.get(Lead, chip_id).taxonomy_version == after
        assert s.get(Lead, ev_id).taxonomy_version == before
    assert "重新评分1条线索" in text(auth_client.get("/leads/taxonomy-changes/"))


def test_nothing_chosen_is_said_and_nothing_changes(auth_client, csrf, db):
    token = csrf(auth_client, "/leads/taxonomy-changes/")
    r = auth_client.post("/leads/taxonomy-changes/rescore",
                         data={"csrf_token": token, "scope": "selected"})
    assert r.status_code == 303
    assert "未选择任何线索" in text(auth_client.get("/leads/taxonomy-changes/"))
