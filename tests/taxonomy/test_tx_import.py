"""Importing a plan: conversion of .txt/.docx/.pdf, metadata checks, the draft and its review."""

from __future__ import annotations

import pytest

from taxonomy import load_taxonomy
from taxonomy.convert import ConversionError, read_plan_file, to_text
from taxonomy.diff import diff
from taxonomy.drafts import DraftError, apply_draft, decide, load_draft, proposals
from taxonomy.errors import TaxonomyValidationError
from taxonomy.importer import PlanImportError, import_plan
from taxonomy.sections import PlanText
from tests.taxonomy.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "plans" / "sample-plan.pdf"
TEXT = """上海市测试产业规划（示例）
一、总体要求
（一）重点领域
1、航空动力。重点发展大飞机涡扇发动机、通航飞机涡轴发动机，支持闵行建设航空发动机研发制造基地，推动莘庄工业区集聚航空产业。
2、低空飞行器。重点发展电动垂直起降飞行器，在金山建设低空经济产业园。
二、保障措施
（一）加强政策支持
优先保障航空动力企业的研发和制造用地，对经认定的重点项目给予专项资金支持。
"""
META = {"plan_id": "sh-test-aviation-2026", "title_zh": "上海市测试产业规划（示例）",
        "title_en": "Shanghai test industry plan (sample)", "issuer": "上海市人民政府办公厅",
        "date": "2026-03-01", "horizon": "2026-2030"}


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_files_in_common_encodings_become_the_same_utf8_text(codec):
    assert to_text(TEXT.replace("\n", "\r\n").encode(codec), "plan.txt") == TEXT


def test_docx_paragraphs_and_tables_are_read_in_order(tmp_path):
    from docx import Document

    doc = Document()
    for line in TEXT.splitlines()[:4]:
        doc.add_paragraph(line)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "指标"
    table.rows[0].cells[1].text = "2030年"
    doc.add_paragraph("二、保障措施")
    doc.save(tmp_path / "plan.docx")
    text = read_plan_file(tmp_path / "plan.docx")
    assert text.splitlines() == [*TEXT.splitlines()[:4], "指标\t2030年", "二、保障措施"]


def test_pdf_text_is_extracted_and_broken_lines_joined():
    text = read_plan_file(SAMPLE)
    lines = text.splitlines()
    assert "一、总体要求" in lines and "（一）加强政策支持" in lines
    item = next(x for x in lines if x.startswith("1、航空动力"))
    assert item.endswith("推动莘庄工业区集聚航空产业。")  # one line again, as in the plan
    parsed = PlanText(text)
    assert parsed.section("一、(一)1").title == "航空动力"


@pytest.mark.parametrize("name,data,message", [
    ("plan.doc", b"x", "must be .txt, .docx or .pdf"),
    ("plan.txt", b"", "the file is empty"),
    ("plan.docx", b"not a zip", "not a readable .docx"),
    ("plan.pdf", b"%PDF-1.4 broken", "not a readable PDF"),
])
def test_unreadable_documents_are_clear_errors(name, data, message):
    with pytest.raises(ConversionError, match=message):
        to_text(data, name)


def _import(folder, **extra):
    return import_plan(source=TEXT.encode("gb18030"), filename="plan.txt", data_dir=folder,
                       who="curator", **{**META, **extra})


def test_import_stores_the_text_adds_the_plan_and_writes_a_cited_draft(real_copy):
    result = _import(real_copy)
    assert result.text_path == real_copy / "plans" / "sh-test-aviation-2026.txt"
    assert result.text_path.read_text(encoding="utf-8") == TEXT
    tx = load_taxonomy(real_copy)
    plan = tx.plan_by_id["sh-test-aviation-2026"]
    assert (plan.status, plan.horizon_start, plan.horizon_end, plan.scope) == (
        "draft", 2026, 2030, "city")
    assert result.version == tx.version and result.sections == 6
    draft = load_draft("sh-test-aviation-2026", data_dir=real_copy)
    assert draft == result.draft and result.draft_path.parent == real_copy / "drafts"
    text = PlanText(TEXT)
    kinds = {p["kind"] for p in draft["proposals"]}
    assert {"industry_source", "relation", "policy", "zone"} <= kinds
    for p in draft["proposals"]:  # every proposal rests on a verbatim clause of its section
        c = p["citation"]
        assert c["plan"] == "sh-test-aviation-2026" and len(c["evidence"]) <= 40
        assert text.contains(c["evidence"], c["section"]), p
        assert c["evidence"] in p["clause"]
    relations = {(p["entry"]["industry"], p["entry"].get("zone") or p["entry"].get("district"))
                 for p in draft["proposals"] if p["kind"] == "relation"}
    assert ("aerospace-aero-engine", "310112") in relations
    assert ("aerospace-civil-aviation", "xinzhuang-industrial-zone") in relations
    zones = [p for p in draft["proposals"] if p["kind"] == "zone"]
    assert [(z["entry"]["name_zh"], z["entry"]["district_codes"]) for z in zones] == [
        ("低空经济产业园", ["310116"])]
    assert zones[0]["entry"]["name_en"] == "Dikongjingji Industrial Park"
    land = [p for p in draft["proposals"] if p["kind"] == "policy"]
    assert land and land[0]["entry"]["category"] == "land"
    assert "专项资金" in land[0]["entry"]["offers_zh"] and "万元" not in land[0]["entry"]["offers_en"]


@pytest.mark.parametrize("extra,message", [
    ({"plan_id": "sh-advanced-manufacturing-14fyp"}, "plan_id: sh-advanced-manufacturing-14fyp is already"),
    ({"date": "2026/03/01"}, "date: must be YYYY-MM-DD"),
    ({"horizon": "soon"}, "horizon: write the horizon as YYYY-YYYY"),
    ({"horizon": "2030-2026"}, "horizon: the horizon ends before"),
    ({"supersedes": ["nope"]}, "supersedes: nope is not a plan"),
    ({"plan_id": "Not A Slug"}, "plan_id: must be a lowercase slug"),
    ({"status": "superseded"}, "status: Must be one of"),
])
def test_bad_metadata_is_refused_and_nothing_changes(real_copy, extra, message):
    before = {p: p.read_bytes() for p in real_copy.rglob("*") if p.is_file()}
    with pytest.raises(PlanImportError, match=message):
        _import(real_copy, **extra)
    after = {p: p.read_bytes() for p in real_copy.rglob("*") if p.is_file()
             and "versions" not in p.parts}
    assert after == {p: b for p, b in before.items() if "versions" not in p.parts}


def test_an_issued_plan_supersedes_an_old_one_a_draft_only_announces_it(real_copy):
    _import(real_copy, supersedes=["sh-advanced-manufacturing-14fyp"])
    tx = load_taxonomy(real_copy)
    assert tx.plan_by_id["sh-test-aviation-2026"].supersedes == ("sh-advanced-manufacturing-14fyp",)
    assert tx.plan_by_id["sh-advanced-manufacturing-14fyp"].status == "issued"
    _import(real_copy, plan_id="sh-test-issued-2026", status="issued",
            supersedes=["sh-strategic-emerging-14fyp"])
    old = load_taxonomy(real_copy).plan_by_id["sh-strategic-emerging-14fyp"]
    assert (old.status, old.superseded_by) == ("superseded", "sh-test-issued-2026")


def _find(props, kind, **entry):
    return next(p for p in props if p["kind"] == kind
                and all(p["entry"].get(k) == v for k, v in entry.items()))


def test_review_accept_edit_reject_and_apply_write_cited_yaml(real_copy):
    result = _import(real_copy)
    plan_id = result.plan_id
    props = result.draft["proposals"]
    rel = _find(props, "relation", industry="aerospace-aero-engine", district="310112")
    zone = _find(props, "zone", name_zh="低空经济产业园")
    on_zone = next(p for p in props if p["kind"] == "relation"
                   and p["entry"].get("zone") == "@" + zone["id"])
    policy = next(p for p in props if p["kind"] == "policy")
    source = next(p for p in props if p["kind"] == "industry_source")
    others = [p["id"] for p in props if p["id"] not in {rel["id"], zone["id"], on_zone["id"],
                                                        policy["id"], source["id"]}]
    decide(plan_id=plan_id, data_dir=real_copy, decisions=[
        {"proposal": rel["id"], "decision": "accepted"},
        {"proposal": on_zone["id"], "decision": "accepted"},
        {"proposal": source["id"], "decision": "accepted"},
        {"proposal": policy["id"], "decision": "accepted",
         "entry": {"id": "test-aviation-land", "title_en": "Priority land for aero-engine firms"}},
        *({"proposal": i, "decision": "rejected"} for i in others)])
    # the relation on the new park needs the park itself
    before = {p: p.read_bytes() for p in real_copy.rglob("*.yaml") if "drafts" not in p.parts}
    with pytest.raises(DraftError, match=f"needs proposal {zone['id']}"):
        apply_draft(plan_id=plan_id, data_dir=real_copy)
    assert {p: p.read_bytes() for p in before} == before
    decide(plan_id=plan_id, data_dir=real_copy, decisions=[
        {"proposal": zone["id"], "decision": "accepted",
         "entry": {"id": "jinshan-low-altitude-park", "name_en": "Jinshan Low-Altitude Economy Park"}}])
    old_version = load_taxonomy(real_copy).version
    applied = apply_draft(plan_id=plan_id, data_dir=real_copy, who="curator", note="first review")
    tx = load_taxonomy(real_copy)
    assert applied["version"] == tx.version != old_version
    assert sorted(applied["applied"]) == sorted([rel["id"], on_zone["id"], policy["id"],
                                                 zone["id"], source["id"]])
    node = tx.industry_by_id[source["entry"]["industry"]]  # the industry gains the citation
    assert any(s.plan == plan_id and s.evidence == source["citation"]["evidence"]
               for s in node.sources)
    assert tx.zone_by_id["jinshan-low-altitude-park"].district_codes == ("310116",)
    assert tx.policy_by_id["test-aviation-land"].sources[0].plan == plan_id
    assert (real_copy / "policies" / f"{plan_id}.yaml").is_file()
    cited = [r for r in tx.relations if any(s.plan == plan_id for s in r.sources)]
    assert {(r.industry, r.zone or r.district) for r in cited} >= {
        ("aerospace-aero-engine", "310112"), (on_zone["entry"]["industry"], "jinshan-low-altitude-park")}
    assert "# Relations: aerospace (航空航天) industries -> places" in (
        real_copy / "relations" / "aerospace.yaml").read_text(encoding="utf-8")  # comments kept
    d = diff(old_version, applied["version"], data_dir=real_copy)
    assert [i["key"] for i in d["kinds"]["zones"]] == ["jinshan-low-altitude-park"]
    assert d["kinds"]["relations"]
    for item in d["kinds"]["relations"]:  # added, or an existing pair that gained the citation
        new = item["sources"] if item["change"] == "added" else item["sources_added"]
        assert [s["plan"] for s in new] == [plan_id], item
    assert {p["decision"] for p in proposals(plan_id, data_dir=real_copy)} == {"applied", "rejected"}


def test_apply_refuses_a_citation_that_does_not_check_and_changes_nothing(real_copy):
    result = _import(real_copy)
    rel = _find(result.draft["proposals"], "relation", industry="aerospace-aero-engine",
                district="310112")
    decide(plan_id=result.plan_id, data_dir=real_copy, decisions=[
        {"proposal": rel["id"], "decision": "accepted",
         "citation": {"plan": result.plan_id, "section": "二、(一)", "evidence": "支持闵行建设"}}])
    before = {p: p.read_bytes() for p in real_copy.rglob("*.yaml") if "drafts" not in p.parts}
    with pytest.raises(TaxonomyValidationError, match="evidence '支持闵行建设' is not in"):
        apply_draft(plan_id=result.plan_id, data_dir=real_copy)
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize("decision,message", [
    ({"proposal": "p999", "decision": "accepted"}, "p999 is not in the draft"),
    ({"proposal": "p001", "decision": "maybe"}, "decisions"),
    ({"proposal": "p001", "decision": "accepted", "entry": {"sources": []}}, "cannot edit sources"),
    ({"proposal": "p001", "decision": "accepted",
      "citation": {"plan": "sh-test-aviation-2026", "section": "一、", "evidence": "x" * 41}},
     "decisions"),
])
def test_bad_decisions_are_refused(real_copy, decision, message):
    result = _import(real_copy)
    with pytest.raises(DraftError, match=message):
        decide(plan_id=result.plan_id, data_dir=real_copy, decisions=[decision])
    with pytest.raises(DraftError, match="no accepted proposals"):
        apply_draft(plan_id=result.plan_id, data_dir=real_copy)
