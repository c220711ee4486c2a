"""Follow-ups (issue 10, 14): closed leads are never overdue, a past date is refused naming the
field, "re-score all" asks first, and every form post in the pipeline redirects (PRG)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlmodel import select

from web.models import Lead, LeadMatch
from web.services.leads import shanghai_today


def _set(db, lead_id: int, **values) -> None:
    with db() as s:
        lead = s.get(Lead, lead_id)
        for k, v in values.items():
            setattr(lead, k, v)
        s.add(lead)
        s.commit()


def _row(body: str, name: str) -> str:
    return next(r for r in re.findall(r"<tr>(.*?)</tr>", body, re.S) if name in r)


def test_closed_leads_are_never_overdue(auth_client, screen_lead, db):
    past = shanghai_today() - dt.timedelta(days=3)
    for name, status in (("逾期开放", "contacted"), ("已签约不逾期", "signed"),
                         ("已落地不逾期", "landed"), ("已流失不逾期", "lost")):
        lead_id, _ = screen_lead(auth_client, name=name)
        _set(db, lead_id, status=status, next_follow_up=past)
    body = auth_client.get("/leads/").get_data(as_text=True)
    assert 'data-testid="overdue"' in _row(body, "逾期开放")
    for name in ("已签约不逾期", "已落地不逾期", "已流失不逾期"):
        assert 'data-testid="overdue"' not in _row(body, name), name


def test_overdue_rule():
    """Overdue: an open lead whose date is before today; a closed one never."""
    from web.services.leads import is_overdue

    lead = Lead(name="x", description="x", profile_json="{}", status="new",
                next_follow_up=dt.date(2026, 5, 1))
    assert is_overdue(lead, today=dt.date(2026, 5, 2))
    assert not is_overdue(lead, today=dt.date(2026, 5, 1))
    lead.status = "landed"
    assert not is_overdue(lead, today=dt.date(2027, 1, 1))


@pytest.mark.parametrize(("lang", "message"), [
    ("zh", "下次跟进日期 {d} 已经过去"), ("en", "The next follow-up date {d} is in the past")])
def test_a_past_follow_up_date_is_refused_naming_the_field(auth_client, screen_lead, csrf, db,
                                                           lang, message):
    lead_id, _ = screen_lead(auth_client, name="过去日期")
    past = (shanghai_today() - dt.timedelta(days=1)).isoformat()
    token = csrf(auth_client, f"/leads/{lead_id}")
    r = auth_client.post(f"/leads/{lead_id}/update?lang={lang}", data={
        "csrf_token": token, "status": "contacted", "owner_id": "", "next_follow_up": past})
    assert r.status_code == 302
    page = auth_client.get(r.headers["Location"]).get_data(as_text=True)
    assert message.format(d=past) in page
    with db() as s:
        lead = s.get(Lead, lead_id)
        assert lead.next_follow_up is None and lead.status == "new"  # nothing half-saved
    today = shanghai_today().isoformat()
    r = auth_client.post(f"/leads/{lead_id}/update", data={
        "csrf_token": token, "status": "new", "owner_id": "", "next_follow_up": today})
    with db() as s:
        assert s.get(Lead, lead_id).next_follow_up.isoformat() == today


def test_an_overdue_lead_can_still_change_status(auth_client, screen_lead, csrf, db):
    """The date already stored is not re-checked when it is sent back unchanged."""
    lead_id, _ = screen_lead(auth_client, name="逾期改状态")
    past = shanghai_today() - dt.timedelta(days=5)
    _set(db, lead_id, next_follow_up=past)
    token = csrf(auth_client, f"/leads/{lead_id}")
    auth_client.post(f"/leads/{lead_id}/update", data={
        "csrf_token": token, "status": "lost", "owner_id": "", "next_follow_up": past.isoformat()})
    with db() as s:
        assert s.get(Lead, lead_id).status == "lost"


def test_api_refuses_a_past_follow_up(client, bearer, db):
    past = (shanghai_today() - dt.timedelta(days=1)).isoformat()
    r = client.post("/api/v1/leads", headers=bearer,
                    json={"description": "新能源汽车动力电池研发与生产", "next_follow_up": past})
    assert r.status_code in (400, 422), r.get_json()
    assert "next_follow_up" in str(r.get_json())
    r = client.post("/api/v1/leads", headers=bearer,
                    json={"description": "新能源汽车动力电池研发与生产"})
    lead_id = r.get_json()["id"]
    r = client.patch(f"/api/v1/leads/{lead_id}", headers=bearer, json={"next_follow_up": past})
    assert r.status_code in (400, 422) and "next_follow_up" in str(r.get_json())


def test_rescore_all_asks_first_and_redirects(auth_client, screen_lead, csrf, db):
    screen_lead(auth_client, name="重评确认")
    page = auth_client.get("/leads/rescore-all")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "重新评分全部 1 条线索" in body and 'data-testid="confirm-rescore-all"' in body
    token = csrf(auth_client, "/leads/rescore-all")
    auth_client.post("/leads/rescore-all", data={"csrf_token": token})  # no confirm: asks again
    with db() as s:
        assert [m.trigger for m in s.exec(select(LeadMatch)).all()] == ["created"]
    r = auth_client.post("/leads/rescore-all", data={"csrf_token": token, "confirm": "yes"})
    assert r.status_code == 303
    report = auth_client.get(r.headers["Location"])
    assert report.status_code == 200 and "已重新评分 1 条线索" in report.get_data(as_text=True)
    with db() as s:
        assert sorted(m.trigger for m in s.exec(select(LeadMatch)).all()) == ["created", "rescore"]
    # reloading the report re-scores nothing
    auth_client.get(r.headers["Location"])
    with db() as s:
        assert len(s.exec(select(LeadMatch)).all()) == 2


def test_every_pipeline_form_post_redirects(auth_client, screen_lead, csrf):
    lead_id, _ = screen_lead(auth_client, name="重定向")
    token = csrf(auth_client, f"/leads/{lead_id}")
    posts = [(f"/leads/{lead_id}/update", {"status": "contacted", "owner_id": "", "next_follow_up": ""}),
             (f"/leads/{lead_id}/notes", {"body": "一条备注"}),
             (f"/leads/{lead_id}/notes", {"body": ""}),  # refused: still a redirect
             (f"/leads/{lead_id}/rescore", {}),
             ("/leads/rescore-all", {"confirm": "yes"})]
    for url, data in posts:
        r = auth_client.post(url, data={"csrf_token": token, **data})
        assert r.status_code in (302, 303), (url, r.status_code)


def test_the_rescore_report_names_what_moved_in_the_interface_language(auth_client, screen_lead,
                                                                        csrf, db, samples):
    from tests.web.test_web_leftovers import leftovers

    lead_id, _ = screen_lead(auth_client, name="重评报告", description=samples.ev_zh)
    with db() as s:  # the earlier scoring had another top district (as after a taxonomy change)
        m = s.exec(select(LeadMatch).where(LeadMatch.lead_id == lead_id)).one()
        record = json.loads(m.result_json)
        record["districts"].insert(0, {"code": "310151", "name_zh": "崇明区", "name_en": "Chongming District", "score": 0.9})
        m.result_json = json.dumps(record, ensure_ascii=False)
        s.add(m)
        s.commit()
    token = csrf(auth_client, "/leads/rescore-all")
    r = auth_client.post("/leads/rescore-all", data={"csrf_token": token, "confirm": "yes"})
    en = auth_client.get(r.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "1 leads changed" in en and "Chongming" in en and not leftovers(en, "en")
    zh = auth_client.get(r.headers["Location"] + "&lang=zh").get_data(as_text=True)
    assert "崇明区" in zh and not leftovers(zh, "zh")
