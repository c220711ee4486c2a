"""One duplicate check for every way a lead enters (issue 10, 4): saving a screened lead, the
public form, the API; the batch import's rule (web/services/dedup.py). The officer sees the
existing lead and merges, links or keeps both; the public never sees other leads."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from web.models import Lead, LeadEvent, LeadNote

CODE = "91310115MA1K4ABC12"


def _leads(db) -> list[Lead]:
    with db() as s:
        return list(s.exec(select(Lead).order_by(Lead.id)).all())


def _screen(client, csrf, profile_json_of, **fields) -> tuple[str, str]:
    token = csrf(client, "/leads/screen")
    page = client.post("/leads/screen", data={"csrf_token": token, **fields})
    assert page.status_code == 200
    return token, profile_json_of(page.get_data(as_text=True))


def _save(client, token, profile_json, **extra):
    return client.post("/leads/save", data={"csrf_token": token, "profile_json": profile_json,
                                            "note": extra.pop("note", ""), **extra})


@pytest.fixture
def existing(auth_client, screen_lead, samples):
    lead_id, _ = screen_lead(auth_client, name="上海临港晶圆制造有限公司", description=samples.chip_zh,
                             credit_code=CODE)
    return lead_id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_saving_the_same_credit_code_shows_the_existing_lead(auth_client, csrf, profile_json_of,
                                                             existing, db, samples, lang):
    token, pj = _screen(auth_client, csrf, profile_json_of, name="临港晶圆", credit_code=CODE,
                        description=samples.chip_zh)
    r = _save(auth_client, token, pj, note="第二次录入")
    assert r.status_code == 409
    r = auth_client.post(f"/leads/save?lang={lang}", data={"csrf_token": token, "profile_json": pj,
                                                           "note": "第二次录入"})
    body = r.get_data(as_text=True)
    assert f"/leads/{existing}" in body and "上海临港晶圆制造有限公司" in body
    assert ("信用代码相同" if lang == "zh" else "same credit code") in body
    for testid in ("dup-merge", "dup-link", "dup-keep"):
        assert f'data-testid="{testid}"' in body
    assert len(_leads(db)) == 1  # nothing saved before the officer chooses


def test_a_similar_name_is_a_duplicate_too(auth_client, csrf, profile_json_of, existing, samples):
    token, pj = _screen(auth_client, csrf, profile_json_of, name="上海临港晶圆制造股份有限公司",
                        description=samples.chip_zh)
    r = _save(auth_client, token, pj)
    assert r.status_code == 409 and "除企业类型或标点外名称相同" in r.get_data(as_text=True)
    token, pj = _screen(auth_client, csrf, profile_json_of, name="完全不同的生物医药公司",
                        description=samples.bio_en)
    assert _save(auth_client, token, pj).status_code == 302


def test_merge_fills_what_the_lead_lacked(auth_client, csrf, profile_json_of, existing, db, samples):
    token, pj = _screen(auth_client, csrf, profile_json_of, name="临港晶圆", credit_code=CODE,
                        description=samples.chip_zh, investment="20亿元")
    r = _save(auth_client, token, pj, note="展会上又遇到", on_duplicate="merge",
              duplicate_of=str(existing))
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/leads/{existing}")
    leads = _leads(db)
    assert [lead.id for lead in leads] == [existing]
    profile = json.loads(leads[0].profile_json)
    assert profile["investment"] == "20亿元" and profile["name"] == "上海临港晶圆制造有限公司"
    with db() as s:
        assert [n.body for n in s.exec(select(LeadNote).where(LeadNote.lead_id == existing))] == \
            ["展会上又遇到"]
    page = auth_client.get(f"/leads/{existing}").get_data(as_text=True)
    assert "一条新录入（研判录入）已合并到本线索" in page or "已合并到本线索" in page


def test_link_and_keep_save_a_second_lead(auth_client, csrf, profile_json_of, existing, db, samples):
    token, pj = _screen(auth_client, csrf, profile_json_of, name="临港晶圆二厂", credit_code=CODE,
                        description=samples.chip_zh)
    r = _save(auth_client, token, pj, on_duplicate="link", duplicate_of=str(existing))
    assert r.status_code == 302
    linked = _leads(db)[-1].id
    for a, b in ((existing, linked), (linked, existing)):
        page = auth_client.get(f"/leads/{a}").get_data(as_text=True)
        section = re.search(r'data-testid="linked-leads">(.*?)</section>', page, re.S).group(1)
        assert f"/leads/{b}" in section
        assert 'data-testid="possible-duplicates"' not in page  # linked: settled
    r = _save(auth_client, token, pj, on_duplicate="keep", duplicate_of=str(existing))
    assert r.status_code == 302 and len(_leads(db)) == 3
    kept = _leads(db)[-1].id
    page = auth_client.get(f"/leads/{kept}").get_data(as_text=True)
    assert 'data-testid="possible-duplicates"' not in page  # kept apart from both shown


def test_a_public_submission_is_flagged_never_revealed(app, auth_client, csrf, profile_json_of,
                                                       existing, db, samples):
    public = app.test_client()
    token = csrf(public, "/assess")
    page = public.post("/assess", data={"csrf_token": token, "name": "上海临港晶圆制造有限公司",
                                        "description": samples.chip_zh})
    r = public.post("/assess/submit", data={
        "csrf_token": token, "profile_json": profile_json_of(page.get_data(as_text=True)),
        "contact_name": "王经理", "contact_email": "wang@example.com", "contact_phone": "",
        "consent": "on"})
    assert r.status_code in (302, 303)
    thanks = public.get(r.headers["Location"]).get_data(as_text=True)
    assert f"/leads/{existing}" not in thanks and "重复" not in thanks
    assert "上海临港晶圆制造有限公司" not in thanks.replace(page.get_data(as_text=True), "")
    new = _leads(db)[-1]
    assert new.source == "public" and new.id != existing
    listing = auth_client.get("/leads/").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", listing, re.S) if f"/leads/{new.id}\"" in r)
    assert 'data-testid="flag-duplicate"' in row
    # the officer merges the public lead into the existing one: its contact comes along
    token = csrf(auth_client, f"/leads/{new.id}")
    page = auth_client.get(f"/leads/{new.id}").get_data(as_text=True)
    assert f"/leads/{existing}" in re.search(r'data-testid="possible-duplicates">(.*?)</section>',
                                             page, re.S).group(1)
    r = auth_client.post(f"/leads/{new.id}/duplicate", data={"csrf_token": token, "action": "merge",
                                                             "other_id": str(existing)})
    assert r.status_code in (302, 303) and r.headers["Location"].endswith(f"/leads/{existing}")
    leads = _leads(db)
    assert [lead.id for lead in leads] == [existing]
    assert leads[0].contact_name == "王经理" and leads[0].contact_email == "wang@example.com"
    assert leads[0].consent_at is not None
    with db() as s:
        kinds = [e.kind for e in s.exec(select(LeadEvent).where(LeadEvent.lead_id == existing))]
    assert "merged" in kinds
    page = auth_client.get(f"/leads/{existing}").get_data(as_text=True)
    assert f"线索 #{new.id}" in page


def test_keep_apart_from_the_lead_page_clears_the_flag(app, auth_client, csrf, existing, db):
    with db() as s:  # a public lead flagged on the way in, as the form does it
        from web.services.lead_duplicates import enter_lead

        lead, outcome = enter_lead(session=s, data={"name": "上海临港晶圆制造有限公司",
                                                    "description": "晶圆代工"}, user=None,
                                   source="public")
    assert outcome == "flagged"
    assert 'data-testid="flag-duplicate"' in auth_client.get("/leads/").get_data(as_text=True)
    token = csrf(auth_client, f"/leads/{lead.id}")
    r = auth_client.post(f"/leads/{lead.id}/duplicate?lang=en", data={
        "csrf_token": token, "action": "keep", "other_id": str(existing)})
    assert r.status_code in (302, 303)
    page = auth_client.get(f"/leads/{lead.id}?lang=en").get_data(as_text=True)
    assert "Both leads are kept as different companies." in page
    assert f"Kept apart from lead #{existing}" in page
    assert 'data-testid="flag-duplicate"' not in auth_client.get("/leads/").get_data(as_text=True)


def test_api_creation_checks_duplicates(client, bearer, existing, db, samples):
    r = client.post("/api/v1/leads", headers=bearer,
                    json={"name": "临港晶圆", "credit_code": CODE, "description": samples.chip_zh})
    assert r.status_code == 409
    body = r.get_json()
    assert [d["id"] for d in body["errors"]["duplicates"]] == [existing]
    assert body["errors"]["duplicates"][0]["reason"] == "code" and "message_zh" in body
    assert len(_leads(db)) == 1
    r = client.post("/api/v1/leads", headers=bearer, json={
        "name": "临港晶圆", "credit_code": CODE, "description": samples.chip_zh,
        "on_duplicate": "link", "duplicate_of": existing})
    assert r.status_code == 201 and len(_leads(db)) == 2
    r = client.post("/api/v1/leads", headers=bearer, json={
        "name": "临港晶圆", "credit_code": CODE, "description": samples.chip_zh,
        "on_duplicate": "merge", "duplicate_of": 99999})
    assert r.status_code == 400 and len(_leads(db)) == 2


def test_one_rule_with_batch_import():
    """The single-lead check and the batch import normalise names and codes the same way."""
    from web.services import dedup

    assert dedup.normalise_name("上海临港晶圆制造有限公司") == dedup.normalise_name("临港晶圆制造股份有限公司")
    assert dedup.normalise_code(" 91310115-MA1K4ABC12 ") == CODE
