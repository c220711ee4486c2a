"""What officers expect of the pipeline (issue 10, 16): edit a lead's profile and contacts,
delete a lead (confirmed, audited), change status or owner of many leads at once, counts per
status, and the queue of unassigned self-submitted leads."""

from __future__ import annotations

import json
import re

from sqlmodel import select

from web.models import AuditEvent, Lead, LeadEvent, LeadMatch, LeadNote


def _lead(db, lead_id):
    with db() as s:
        return s.get(Lead, lead_id)


def _form_of(body: str) -> dict:
    """The edit form's fields as a browser would submit them (every field, empty ones too)."""
    form = re.search(r'data-testid="edit-form">(.*?)</form>', body, re.S).group(1)
    data = {m.group(1): m.group(2) for m in re.finditer(r'<input name="(\w+)" value="([^"]*)"', form)}
    data["description"] = re.search(r'<textarea name="description"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    for name in ("project_type", "origin"):
        sel = re.search(rf'<select name="{name}".*?</select>', form, re.S).group(0)
        chosen = re.search(r'<option value="([^"]*)" selected', sel)
        data[name] = chosen.group(1) if chosen else ""
    data["traits"] = re.findall(r'name="traits" value="(\w+)" checked', form)
    return data


def test_edit_profile_and_contacts(auth_client, screen_lead, csrf, db, samples):
    lead_id, _ = screen_lead(auth_client, name="编辑示例", description=samples.ev_zh)
    before = _lead(db, lead_id).top_industry_id
    page = auth_client.get(f"/leads/{lead_id}/edit")
    assert page.status_code == 200
    data = _form_of(page.get_data(as_text=True))
    assert data["name"] == "编辑示例" and data["contact_phone"] == ""
    data.update(csrf_token=csrf(auth_client, f"/leads/{lead_id}/edit"), name="编辑后的名字",
                address="上海市嘉定区安亭镇", contact_name="李四", contact_phone="021-12345678",
                contact_email="li@example.com", description=samples.chip_zh)
    r = auth_client.post(f"/leads/{lead_id}/edit", data=data)
    assert r.status_code in (302, 303) and r.headers["Location"].endswith(f"/leads/{lead_id}")
    lead = _lead(db, lead_id)
    assert lead.name == "编辑后的名字" and lead.contact_phone == "021-12345678"
    assert json.loads(lead.profile_json)["address"] == "上海市嘉定区安亭镇"
    assert lead.description == samples.chip_zh
    assert lead.top_industry_id and lead.top_industry_id != before  # scored again: chips now
    with db() as s:
        triggers = [m.trigger for m in s.exec(select(LeadMatch).where(LeadMatch.lead_id == lead_id))]
        kinds = [e.kind for e in s.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id))]
        audit = [a.action for a in s.exec(select(AuditEvent))]
    assert triggers == ["created", "edit"] and "edited" in kinds and "lead.edit" in audit
    detail = auth_client.get(f"/leads/{lead_id}").get_data(as_text=True)
    assert "企业资料或联系方式已修改" in detail and "地址" in detail
    assert "李四 li@example.com 021-12345678" in detail
    # contacts only: no re-scoring
    data.update(contact_phone="13800000000")
    auth_client.post(f"/leads/{lead_id}/edit", data=data)
    with db() as s:
        assert len(s.exec(select(LeadMatch).where(LeadMatch.lead_id == lead_id)).all()) == 2


def test_edit_errors_are_named_in_both_languages(auth_client, screen_lead, csrf, db):
    lead_id, _ = screen_lead(auth_client, name="编辑错误")
    body = auth_client.get(f"/leads/{lead_id}/edit").get_data(as_text=True)
    data = {**_form_of(body), "csrf_token": csrf(auth_client, f"/leads/{lead_id}/edit"),
            "description": "", "contact_email": "not-an-address"}
    for lang, words in (("zh", ("请描述企业或项目", "电子邮箱不是有效的电子邮箱地址")),
                        ("en", ("Please describe the company", "E-mail is not a valid e-mail address"))):
        r = auth_client.post(f"/leads/{lead_id}/edit?lang={lang}", data=data)
        assert r.status_code == 422
        errors = re.search(r'data-testid="form-errors">(.*?)</ul>', r.get_data(as_text=True), re.S).group(1)
        for w in words:
            assert w in errors, (w, errors)
    assert _lead(db, lead_id).name == "编辑错误"


def test_delete_asks_then_deletes_everything_and_audits(auth_client, screen_lead, csrf, db):
    lead_id, _ = screen_lead(auth_client, name="删除示例", note="一条备注")
    confirm = auth_client.get(f"/leads/{lead_id}/delete")
    assert confirm.status_code == 200 and "删除线索 #" in confirm.get_data(as_text=True)
    token = csrf(auth_client, f"/leads/{lead_id}/delete")
    auth_client.post(f"/leads/{lead_id}/delete", data={"csrf_token": token})  # no confirm
    assert _lead(db, lead_id) is not None
    r = auth_client.post(f"/leads/{lead_id}/delete", data={"csrf_token": token, "confirm": "yes"})
    assert r.status_code in (302, 303) and r.headers["Location"].endswith("/leads/")
    assert _lead(db, lead_id) is None
    with db() as s:
        for table in (LeadMatch, LeadNote, LeadEvent):
            assert s.exec(select(table).where(table.lead_id == lead_id)).all() == []
        audit = s.exec(select(AuditEvent).where(AuditEvent.action == "lead.delete")).one()
    assert audit.target == f"lead {lead_id}" and audit.detail == "删除示例"
    assert "删除示例" in auth_client.get("/leads/").get_data(as_text=True)  # the flash says so
    assert auth_client.get(f"/leads/{lead_id}").status_code == 404


def test_bulk_status_and_owner(auth_client, screen_lead, csrf, db, officer, make_user):
    other = make_user("officer2")
    ids = [screen_lead(auth_client, name=f"批量{i}")[0] for i in range(3)]
    token = csrf(auth_client, "/leads/")
    r = auth_client.post("/leads/bulk", data={"csrf_token": token, "lead_id": ids[:2],
                                              "status": "contacted", "owner": str(other.id),
                                              "back": "q=%E6%89%B9%E9%87%8F&status=&sort=name"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/leads/?q=%E6%89%B9%E9%87%8F&sort=name"  # same filters
    for i in ids[:2]:
        lead = _lead(db, i)
        assert (lead.status, lead.owner_id) == ("contacted", other.id)
    assert (_lead(db, ids[2]).status, _lead(db, ids[2]).owner_id) == ("new", officer.id)
    page = auth_client.get(r.headers["Location"]).get_data(as_text=True)
    assert "3 条线索中有 2 条已修改" not in page and "2 条线索中有 2 条已修改" in page
    with db() as s:
        kinds = sorted(e.kind for e in s.exec(select(LeadEvent).where(LeadEvent.lead_id == ids[0])))
    assert kinds == ["created", "owner", "status"]
    # unassign; a status-only change keeps owners
    auth_client.post("/leads/bulk", data={"csrf_token": token, "lead_id": ids, "owner": "none", "status": ""})
    assert all(_lead(db, i).owner_id is None for i in ids)
    # nothing chosen / nothing to set: said so, nothing changed
    for data, words in (({"status": "lost"}, "请至少勾选一条线索"), ({"lead_id": ids, "status": "", "owner": ""},
                                                         "请选择要设置的状态或负责人")):
        r = auth_client.post("/leads/bulk", data={"csrf_token": token, **data})
        assert words in auth_client.get(r.headers["Location"]).get_data(as_text=True)
    assert all(_lead(db, i).status != "lost" for i in ids)


def test_funnel_counts_per_status_under_the_filters(auth_client, screen_lead, csrf, db, samples):
    ids = [screen_lead(auth_client, name=f"漏斗{i}", description=samples.chip_zh)[0] for i in range(3)]
    screen_lead(auth_client, name="别的公司", description=samples.bio_en)
    token = csrf(auth_client, "/leads/")
    auth_client.post("/leads/bulk", data={"csrf_token": token, "lead_id": ids[:2], "status": "visit"})
    body = auth_client.get("/leads/?q=漏斗&status=&sort=updated").get_data(as_text=True)
    funnel = re.search(r'data-testid="funnel"(.*?)</ul>', body, re.S).group(1)
    assert re.search(r'data-testid="funnel-visit">已拜访 <b>2</b>', funnel)
    assert re.search(r'data-testid="funnel-new">新线索 <b>1</b>|data-testid="funnel-new">[^<]* <b>1</b>', funnel)
    assert re.search(r'data-testid="funnel-all">全部 3<', funnel)
    # a status chosen: the funnel still counts every status (of the other filters)
    body = auth_client.get("/leads/?q=漏斗&status=visit").get_data(as_text=True)
    assert re.search(r'data-testid="funnel-new">[^<]* <b>1</b>', body)
    link = re.search(r'href="([^"]*)"[^>]*data-testid="funnel-new"', body).group(1)
    assert "status=new" in link and "q=" in link


def test_queue_of_unassigned_self_submitted_leads(app, auth_client, csrf, db, samples, officer,
                                                  profile_json_of):
    public = app.test_client()
    token = csrf(public, "/assess")
    for name in ("自荐甲", "自荐乙"):
        page = public.post("/assess", data={"csrf_token": token, "name": name, "description": samples.ev_zh})
        public.post("/assess/submit", data={"csrf_token": token, "contact_name": "联系人",
                                            "contact_email": "a@example.com", "consent": "on",
                                            "profile_json": profile_json_of(page.get_data(as_text=True))})
    with db() as s:
        leads = s.exec(select(Lead).where(Lead.source == "public")).all()
        assert len(leads) == 2 and all(lead.owner_id is None for lead in leads)
        first = leads[0].id
    body = auth_client.get("/leads/").get_data(as_text=True)
    link = re.search(r'href="([^"]*)"[^>]*data-testid="queue">[^<]*\((\d+)\)', body)
    assert link.group(2) == "2"
    queue = auth_client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "自荐甲" in queue and "自荐乙" in queue
    token = csrf(auth_client, "/leads/")
    auth_client.post("/leads/bulk", data={"csrf_token": token, "lead_id": [first], "owner": str(officer.id)})
    body = auth_client.get("/leads/").get_data(as_text=True)
    assert re.search(r'data-testid="queue">[^<]*\(1\)', body)


def test_a_closed_lead_with_its_outcome_can_be_deleted(auth_client, client, bearer, screen_lead,
                                                       csrf, db):
    """Its recorded outcome goes with it (web and API alike), no foreign-key error."""
    from web.models import LeadOutcome
    from web.services.outcomes import record_outcome

    ids = [screen_lead(auth_client, name=f"已落地删除{i}")[0] for i in range(2)]
    with db() as s:
        for i in ids:
            record_outcome(session=s, lead=s.get(Lead, i), user=None,
                           data={"outcome": "landed", "district_code": "310115"})
    token = csrf(auth_client, f"/leads/{ids[0]}/delete")
    r = auth_client.post(f"/leads/{ids[0]}/delete", data={"csrf_token": token, "confirm": "yes"})
    assert r.status_code in (302, 303)
    assert client.delete(f"/api/v1/leads/{ids[1]}", headers=bearer).status_code == 204
    with db() as s:
        assert s.exec(select(LeadOutcome)).all() == [] and s.exec(select(Lead)).all() == []


def test_bulk_owner_only_among_active_users(auth_client, screen_lead, csrf, db, make_user):
    from web.models import User

    gone = make_user("departed")
    with db() as s:
        user = s.get(User, gone.id)
        user.is_active = False
        s.add(user)
        s.commit()
    lead_id, _ = screen_lead(auth_client, name="停用负责人")
    page = auth_client.get("/leads/").get_data(as_text=True)
    bulk = re.search(r'data-testid="bulk-owner">(.*?)</select>', page, re.S).group(1)
    assert "departed" not in bulk and "officer1" in bulk
    token = csrf(auth_client, "/leads/")
    r = auth_client.post("/leads/bulk", data={"csrf_token": token, "lead_id": [lead_id],
                                              "owner": str(gone.id)})
    assert "该负责人不存在或已停用" in auth_client.get(r.headers["Location"]).get_data(as_text=True)
    assert _lead(db, lead_id).owner_id != gone.id


def test_a_disabled_owner_is_kept_when_the_status_changes(auth_client, screen_lead, csrf, db,
                                                           make_user):
    from web.models import User

    gone = make_user("leaver")
    lead_id, _ = screen_lead(auth_client, name="负责人已停用")
    token = csrf(auth_client, f"/leads/{lead_id}")
    auth_client.post(f"/leads/{lead_id}/update", data={"csrf_token": token, "status": "new",
                                                       "owner_id": str(gone.id), "next_follow_up": ""})
    auth_client.post(f"/leads/{lead_id}/notes", data={"csrf_token": token, "body": "留言"})
    with db() as s:
        user = s.get(User, gone.id)
        user.is_active = False
        s.add(user)
        s.commit()
    page = auth_client.get(f"/leads/{lead_id}").get_data(as_text=True)
    owner_select = re.search(r'<select name="owner_id">(.*?)</select>', page, re.S).group(1)
    selected = re.search(r'<option value="(\d*)" selected', owner_select)
    assert selected and selected.group(1) == str(gone.id)  # a browser sends it back unchanged
    auth_client.post(f"/leads/{lead_id}/update", data={"csrf_token": token, "status": "visit",
                                                       "owner_id": selected.group(1), "next_follow_up": ""})
    lead = _lead(db, lead_id)
    assert (lead.status, lead.owner_id) == ("visit", gone.id)
