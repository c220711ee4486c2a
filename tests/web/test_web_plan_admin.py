"""An admin edits a plan's metadata (title, issuer, date, horizon, status, supersedes) and
withdraws an imported plan in the web UI: validated (messages in the interface language),
written to plans.yaml as a new taxonomy version, audited; a status change refits nothing."""

from __future__ import annotations

import re

import pytest
import yaml

PLAN = "sh-future-industries"
OTHER = "sh-strategic-emerging-14fyp"
SMALL_PLAN = "sh-test-small-2026"
SMALL_TEXT = ("上海市测试产业发展行动方案（2026—2030年）\n"
              "一、总体要求\n"
              "（一）发展目标\n"
              "到2030年，集成电路产业规模显著提升，张江科学城打造集成电路设计高地。\n"
              "二、保障措施\n"
              "（一）加大资金支持\n"
              "对符合条件的集成电路企业给予研发资金支持。\n")


def text(response) -> str:
    return response.get_data(as_text=True)


def _plans_yaml(folder) -> dict:
    return {p["id"]: p for p in yaml.safe_load((folder / "plans.yaml").read_text("utf-8"))}


def _audit(db, action: str) -> list:
    from sqlmodel import select

    from web.models import AuditEvent

    with db() as s:
        return s.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_only_admins_edit_or_withdraw(auth_client, taxonomy_copy, csrf):
    assert auth_client.get(f"/curate/plans/{PLAN}").status_code == 403
    token = csrf(auth_client, "/leads/")
    assert auth_client.post(f"/curate/plans/{PLAN}/withdraw",
                            data={"csrf_token": token, "confirm": PLAN}).status_code == 403
    assert "plan-edit-link" not in text(auth_client.get(f"/plans/{PLAN}"))


def test_admin_edits_a_plans_metadata(admin_client, csrf, taxonomy_copy, db, plan_edit_form):
    from taxonomy import get_taxonomy

    before = get_taxonomy().version
    assert "plan-edit-link" in text(admin_client.get(f"/plans/{PLAN}"))
    note_before = _plans_yaml(taxonomy_copy)[PLAN]["horizon_note"]
    r = admin_client.post(f"/curate/plans/{PLAN}", data=plan_edit_form(admin_client, PLAN, title_en="Shanghai Future Industries Action Plan (edited)",
        issuer="上海市人民政府", doc_number="沪府发〔2022〕11号", date="2022-09-22",
        status="draft", supersedes=[OTHER], note="checked against the published text"))
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/plans/{PLAN}")
    entry = _plans_yaml(taxonomy_copy)[PLAN]
    assert entry["title_en"] == "Shanghai Future Industries Action Plan (edited)"
    assert (entry["issuer"], entry["doc_number"], entry["date"]) == (
        "上海市人民政府", "沪府发〔2022〕11号", "2022-09-22")
    assert entry["status"] == "draft" and entry["supersedes"] == [OTHER]
    assert entry["horizon_note"] == note_before  # the horizon was not changed: its note stays
    tx = get_taxonomy()
    assert tx.version != before and tx.plan_by_id[PLAN].status == "draft"
    page = text(admin_client.get(f"/plans/{PLAN}?lang=en"))
    assert "Shanghai Future Industries Action Plan (edited)" in page
    assert "沪府发〔2022〕11号" in page and "2022-09-22" in page
    assert "规划已保存（知识库版本" in page  # flashed in the language of the POST
    events = _audit(db, "plan.edit")
    assert len(events) == 1 and events[0].target == PLAN
    assert "title_en" in events[0].detail and tx.version in events[0].detail

    # a new horizon replaces the years and the note
    r = admin_client.post(f"/curate/plans/{PLAN}", data=plan_edit_form(admin_client, PLAN,
                                                              horizon="2026-2030"))
    assert r.status_code == 303
    entry = _plans_yaml(taxonomy_copy)[PLAN]
    assert (entry["horizon_start"], entry["horizon_end"], entry["horizon_note"]) == (
        2026, 2030, "2026-2030")
    # the same form again changes nothing
    r = admin_client.post(f"/curate/plans/{PLAN}", data=plan_edit_form(admin_client, PLAN))
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/curate/plans/{PLAN}")
    assert len(_audit(db, "plan.edit")) == 2


@pytest.mark.parametrize("lang, expected, other", [
    ("zh", ["日期格式为 YYYY-MM-DD", "规划期格式为 YYYY-YYYY 或 YYYY", "请填写英文标题"],
     "the date is"),
    ("en", ["the date is YYYY-MM-DD", "the horizon is YYYY-YYYY or YYYY",
            "the English title is required"], "日期格式")])
def test_bad_metadata_is_named_in_the_interface_language(admin_client, csrf, taxonomy_copy,
                                                         lang, expected, other, plan_edit_form):
    admin_client.get(f"/curate/plans/{PLAN}?lang={lang}")
    before = (taxonomy_copy / "plans.yaml").read_bytes()
    r = admin_client.post(f"/curate/plans/{PLAN}", data=plan_edit_form(admin_client, PLAN, date="2022/9/22", horizon="soon", title_en=""))
    body = text(r)
    assert r.status_code == 422
    errors = re.search(r'data-testid="plan-errors">(.*?)</ul>', body, re.S).group(1)
    for message in expected:
        assert message in errors
    assert other not in errors and "须为文字" not in errors and "must be text" not in errors
    assert 'value="2022/9/22"' in body  # what the admin typed is kept
    assert (taxonomy_copy / "plans.yaml").read_bytes() == before


def test_a_successor_must_be_another_plan_in_the_library(admin_client, csrf, taxonomy_copy, plan_edit_form):
    r = admin_client.post(f"/curate/plans/{PLAN}?lang=en", data=plan_edit_form(admin_client, PLAN, status="issued", superseded_by=OTHER))
    assert r.status_code == 422
    assert "a successor is given only when the plan is superseded" in text(r)
    admin_client.get(f"/curate/plans/{PLAN}?lang=zh")
    r = admin_client.post(f"/curate/plans/{PLAN}", data=plan_edit_form(admin_client, PLAN, supersedes=[PLAN]))
    assert r.status_code == 422 and f"规划库中没有另一个编号为 {PLAN} 的规划" in text(r)


def test_a_status_change_refits_no_model(admin_client, csrf, taxonomy_copy, monkeypatch, plan_edit_form):
    from matcher.industry import IndustryScorer
    from web.services.matching import current_matcher, wait_until_current

    wait_until_current()
    fits = []
    monkeypatch.setattr(IndustryScorer, "fit", lambda self, *a, **k: fits.append(1) or self)
    r = admin_client.post(f"/curate/plans/{PLAN}", data=plan_edit_form(admin_client, PLAN,
                                                              status="draft"))
    assert r.status_code == 303
    matcher = wait_until_current()
    assert matcher.taxonomy.plan_by_id[PLAN].status == "draft"
    assert current_matcher() is matcher and fits == []  # the same model file was loaded


def test_admin_withdraws_an_imported_plan(admin_client, csrf, taxonomy_copy, db):
    from taxonomy import get_taxonomy
    from taxonomy.drafts import draft_path
    from taxonomy.importer import import_plan

    import_plan(source=SMALL_TEXT.encode("utf-8"), filename="small.txt", plan_id=SMALL_PLAN,
                title_zh="上海市测试产业发展行动方案", title_en="Shanghai test industry plan",
                issuer="上海市人民政府", date="2026-05-01", horizon="2026-2030", who="admin")
    assert draft_path(SMALL_PLAN).is_file()
    page = text(admin_client.get(f"/curate/plans/{SMALL_PLAN}?lang=en"))
    assert "Withdraw this plan" in page and "0 industries" in page

    token = csrf(admin_client, f"/curate/plans/{SMALL_PLAN}")
    r = admin_client.post(f"/curate/plans/{SMALL_PLAN}/withdraw",
                          data={"csrf_token": token, "confirm": "sh-test"})
    assert r.status_code == 422 and f"the id typed is not {SMALL_PLAN}" in text(r)
    r = admin_client.post(f"/curate/plans/{SMALL_PLAN}/withdraw",
                          data={"csrf_token": token, "confirm": ""})
    assert r.status_code == 422 and "type the plan id to confirm the withdrawal" in text(r)
    assert SMALL_PLAN in get_taxonomy().plan_by_id

    r = admin_client.post(f"/curate/plans/{SMALL_PLAN}/withdraw",
                          data={"csrf_token": token, "confirm": SMALL_PLAN})
    assert r.status_code == 303 and r.headers["Location"].endswith("/plans/")
    assert SMALL_PLAN not in get_taxonomy().plan_by_id
    assert not (taxonomy_copy / "plans" / f"{SMALL_PLAN}.txt").exists()
    assert not draft_path(SMALL_PLAN).exists()
    listing = text(admin_client.get("/plans/"))  # flashed in the language of the POST (en)
    assert f"Plan {SMALL_PLAN} withdrawn" in listing and "Shanghai test industry plan" not in listing
    events = _audit(db, "plan.withdraw")
    assert len(events) == 1 and events[0].target == SMALL_PLAN
    assert admin_client.get(f"/curate/plans/{SMALL_PLAN}").status_code == 404
