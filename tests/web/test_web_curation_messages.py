"""The taxonomy library's refusals on the curator's pages are shown in the interface language
only: applying a draft whose citation is not in the plan, editing a plan whose text is missing,
importing a plan already in the library, setting a successor the library does not hold."""

from __future__ import annotations

import html
import re

import pytest

FAKE = "规划里没有的这句原文"  # evidence that occurs nowhere in the plan
ENGLISH_WORDS = ("evidence", "is not in", "occurs", "not found", "check failed", "refused",
                 "already in the library", "not another plan")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def bad_citation_draft(folder) -> dict:
    """A draft with one accepted relation whose citation is not in its plan; what it names."""
    from taxonomy import load_taxonomy
    from taxonomy.drafts import write_draft

    tx = load_taxonomy(folder)
    rel = next(r for r in tx.relations if r.zone and r.sources)
    source = rel.sources[0]
    proposal = {"id": "p001", "kind": "relation", "decision": "accepted",
                "entry": {"industry": rel.industry, "zone": rel.zone, "role": rel.role},
                "citation": {"plan": source.plan, "section": source.section, "evidence": FAKE},
                "clause": "", "note": "", "needs": []}
    write_draft(data_dir=folder, plan_id=source.plan, proposals=[proposal],
                taxonomy_version=tx.version, source_file="test.txt")
    return {"plan": source.plan, "section": source.section, "industry": rel.industry,
            "zone": rel.zone}


def flashes(body: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip()
            for m in re.findall(r'class="flash[^"]*"[^>]*>(.*?)</', body, re.S)]


def _outside_names(message: str, names: dict) -> str:
    """The message without the ids, plan sections and phrases it names (language-neutral)."""
    for value in sorted([FAKE, *names.values()], key=len, reverse=True):
        message = message.replace(value, " ")
    return message


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_applying_a_citation_not_in_the_plan_is_refused_in_one_language(
        admin_client, csrf, taxonomy_copy, lang):
    names = bad_citation_draft(taxonomy_copy)
    plan = names["plan"]
    admin_client.get(f"/curate/drafts/{plan}?lang={lang}")
    token = csrf(admin_client, f"/curate/drafts/{plan}")
    r = admin_client.post(f"/curate/drafts/{plan}/apply", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/curate/drafts/{plan}")
    shown = [m for m in flashes(text(admin_client.get(r.headers["Location"]))) if FAKE in m]
    assert len(shown) == 1, flashes(text(admin_client.get(f"/curate/drafts/{plan}")))
    message = shown[0]
    assert plan in message and names["section"] in message
    rest = _outside_names(message, names)
    if lang == "zh":
        assert "校验未通过" in message and "原文依据" in message and "整个规划中都没有这段文字" in message
        assert not [w for w in ENGLISH_WORDS if w in message], message
        assert not re.search(r"[A-Za-z]{3,}", rest.replace("relations/", "").replace(
            ".yaml", "")), message
    else:
        assert message.startswith("check failed: relation ")
        assert f"evidence '{FAKE}' is not in {plan}" in message
        assert "(it occurs nowhere in the plan)" in message
        assert not CHINESE.search(rest), message
    from taxonomy.drafts import load_draft

    assert load_draft(plan)["proposals"][0]["decision"] == "accepted"  # nothing applied


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_editing_a_plan_whose_text_is_missing_is_refused_in_one_language(
        admin_client, csrf, taxonomy_copy, lang, plan_edit_form):
    plan = "sh-future-industries"
    (taxonomy_copy / "plans" / f"{plan}.txt").unlink()
    admin_client.get(f"/curate/plans/{plan}?lang={lang}")
    form = plan_edit_form(admin_client, plan, issuer="上海市人民政府办公厅")
    r = admin_client.post(f"/curate/plans/{plan}", data=form)
    assert r.status_code == 422
    errors = re.search(r'data-testid="plan-errors">(.*?)</ul>', text(r), re.S).group(1)
    if lang == "zh":
        assert f"校验未通过：规划 {plan}：未找到文件" in errors
        assert "not found" not in errors and "check failed" not in errors
    else:
        assert f"check failed: plan {plan}: file" in errors and "not found" in errors
        assert not CHINESE.search(errors)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_importing_a_plan_already_in_the_library_is_refused_in_one_language(
        admin_client, csrf, taxonomy_copy, lang):
    import io

    plan = "sh-future-industries"
    admin_client.get(f"/curate/drafts/?lang={lang}")
    data = {"csrf_token": csrf(admin_client, "/curate/drafts/"), "plan_id": plan,
            "title_zh": "重复导入的规划", "title_en": "", "issuer": "", "doc_number": "",
            "date": "", "horizon": "", "status": "draft", "scope": "",
            "file": (io.BytesIO("一、总体要求\n发展集成电路产业。\n".encode()), "plan.txt")}
    r = admin_client.post("/curate/drafts/import", data=data, content_type="multipart/form-data")
    assert r.status_code == 422
    body = text(r)
    if lang == "zh":
        assert f"规划库中已有 {plan}" in body and "already in the library" not in body
    else:
        assert f"{plan} is already in the library" in body and "规划库中已有" not in body


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_status_the_library_refuses_is_told_in_one_language(
        admin_client, csrf, taxonomy_copy, lang, monkeypatch):
    from taxonomy.messages import msg
    from taxonomy.plans import PlanStatusError

    def refuse(**kwargs):
        raise PlanStatusError(msg("plan.successor", field="superseded_by", plan="sh-gone"))

    monkeypatch.setattr("web.browse.set_plan_status", refuse)
    admin_client.get(f"/taxonomy/plans?lang={lang}")
    r = admin_client.post("/taxonomy/plans", data={
        "csrf_token": csrf(admin_client, "/taxonomy/plans"), "plan_id": "sh-future-industries",
        "status": "draft", "superseded_by": "", "note": ""})
    assert r.status_code == 303
    shown = " ".join(flashes(text(admin_client.get(r.headers["Location"]))))
    if lang == "zh":
        assert "替代规划（superseded_by）sh-gone 不是规划库中的另一个规划" in shown
        assert "not another plan" not in shown
    else:
        assert "superseded_by 'sh-gone' is not another plan in the library" in shown
        assert not CHINESE.search(shown)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_field_still_to_fill_is_named_in_one_language(admin_client, csrf, taxonomy_copy, lang):
    from taxonomy import load_taxonomy
    from taxonomy.drafts import write_draft

    tx = load_taxonomy(taxonomy_copy)
    source = next(r for r in tx.relations if r.sources).sources[0]
    proposal = {"id": "p001", "kind": "industry", "decision": "accepted",
                "entry": {"name_zh": "测试新产业", "name_en": "", "parent": "ic", "level": "industry"},
                "citation": {"plan": source.plan, "section": source.section,
                             "evidence": source.evidence},
                "clause": "", "note": "", "needs": ["name_en"]}
    write_draft(data_dir=taxonomy_copy, plan_id=source.plan, proposals=[proposal],
                taxonomy_version=tx.version, source_file="test.txt")
    admin_client.get(f"/curate/drafts/{source.plan}?lang={lang}")
    token = csrf(admin_client, f"/curate/drafts/{source.plan}")
    r = admin_client.post(f"/curate/drafts/{source.plan}/apply", data={"csrf_token": token})
    shown = [m for m in flashes(text(admin_client.get(r.headers["Location"]))) if "p001" in m]
    expected = {"zh": "提案 p001（产业）：请填写英文名称（name_en）",
                "en": "proposal p001 (industry): fill in the English name (name_en)"}[lang]
    assert shown == [expected]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_version_whose_predecessor_no_longer_loads_is_listed_in_one_language(
        auth_client, taxonomy_copy, lang):
    import json

    from taxonomy import get_taxonomy
    from taxonomy.versions import HISTORY, versions_dir

    tx = get_taxonomy()
    line = {"id": "tx-000000000000", "recorded_at": "2026-01-01T00:00:00+00:00",
            "note": "test", "who": "", "parent": tx.version,
            "changes": {"error": "industries/ic.yaml: not valid YAML: mapping values"}}
    with (versions_dir(taxonomy_copy) / HISTORY).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")
    r = auth_client.get(f"/curate/versions?lang={lang}")
    assert r.status_code == 200
    body = text(r)
    assert "not valid YAML" not in body and "mapping values" not in body
    assert {"zh": "其上一版本已无法加载", "en": "no longer loads"}[lang] in body
