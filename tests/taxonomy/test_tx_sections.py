"""The section tree parser: every numbering form, paths, anchors, spans, evidence offsets."""

from __future__ import annotations

import pytest

from taxonomy import load_taxonomy
from taxonomy.plans import plan_text
from taxonomy.sections import PlanText, cn_number, path_tokens

SAMPLE = """上海市某某规划
前言一段。
第一章 总则
一、总体要求
（一）指导思想
坚持创新。
（二）基本原则
1、坚持战略引领。重点发展集成电路。
2．坚持开放合作。
（1）第一小项。
（2）第二小项，推进生物医药。
①圆圈项。
１．全角数字项。
二、重点任务
(一)半角括号
1.航空动力。重点发展大飞机涡扇发动机。
第二章 保障
十一、加强组织
"""


@pytest.fixture(scope="module")
def sample():
    return PlanText(SAMPLE)


def test_every_numbering_form_becomes_a_section_with_its_path(sample):
    paths = [s.path for s in sample.sections]
    assert paths == [
        "序", "第一章", "第一章一、", "第一章一、(一)", "第一章一、(二)", "第一章一、(二)1",
        "第一章一、(二)2", "第一章一、(二)2(1)", "第一章一、(二)2(2)", "第一章一、(二)2(2)①",
        "第一章一、(二)1", "第一章二、", "第一章二、(一)", "第一章二、(一)1", "第二章",
        "第二章十一、",
    ]


def test_sections_have_titles_levels_parents_and_unique_anchors(sample):
    by_path = {}
    for s in sample.sections:
        by_path.setdefault(s.path, s)
    item = by_path["第一章一、(二)1"]
    assert item.title == "坚持战略引领" and item.level == 4 and item.kind == "item"
    assert sample.sections[item.parent].path == "第一章一、(二)"
    assert by_path["第一章一、(二)2(2)①"].kind == "circled"
    assert by_path["第二章十一、"].number == 11 and by_path["第二章十一、"].anchor == "s-p2-c11"
    anchors = [s.anchor for s in sample.sections]
    assert len(anchors) == len(set(anchors))
    # the full-width "１．" after the (1)/(2) items repeats item 1: it gets a distinct anchor
    assert [s.anchor for s in sample.sections if s.path == "第一章一、(二)1"] == [
        "s-p1-c1-s2-i1", "s-p1-c1-s2-i1-n2"]
    assert all(a.isascii() for a in anchors)
    assert sample.by_anchor("s-p1-c1-s2-i2-b2").path == "第一章一、(二)2(2)"


def test_span_nests_and_ends_at_the_next_heading_of_the_same_rank(sample):
    lo, hi = sample.span("第一章一、(二)2")
    body = SAMPLE[lo:hi]
    assert body.startswith("2．坚持开放合作") and "①圆圈项" in body and "１．全角" not in body
    lo, hi = sample.span("第一章")
    assert "十一、" not in SAMPLE[lo:hi] and "航空动力" in SAMPLE[lo:hi]
    assert sample.span("序") == (0, SAMPLE.index("第一章"))
    assert sample.span("第一章三、") is None and sample.span("nonsense") is None


def test_full_and_half_width_paths_resolve_alike(sample):
    assert sample.span("第一章一、（二）1") == sample.span("第一章一、(二)1")
    assert sample.section("第一章二、（一）1").title == "航空动力"


def test_find_gives_exact_offsets_of_an_evidence_phrase(sample):
    hits = sample.find("重点发展", "第一章二、(一)1")
    assert len(hits) == 1
    start, end = hits[0]
    assert SAMPLE[start:end] == "重点发展" and start > SAMPLE.index("航空动力")
    assert len(sample.find("重点发展")) == 2
    assert sample.find("重点发展", "第二章") == []
    assert sample.locate("推进生物医药") == "第一章一、(二)2(2)"


def test_chinese_numerals():
    assert [cn_number(x) for x in ("一", "十", "十一", "二十", "二十三", "一百零五")] == [
        1, 10, 11, 20, 23, 105]
    assert path_tokens("三、(二)3") == [("chapter", "三、"), ("sub", "(二)"), ("item", "3")]
    assert path_tokens("三、x") is None


def test_every_citation_of_the_packaged_taxonomy_resolves_and_is_found():
    tx = load_taxonomy()
    texts = {p.id: plan_text(p.id, taxonomy=tx) for p in tx.plans}
    from taxonomy.validate import _sourced

    checked = 0
    for where, s in _sourced(tx):
        text = texts[s.plan]
        assert text.section(s.section) is not None, (where, s)
        hits = text.find(s.evidence, s.section)
        assert hits, (where, s)
        start, end = hits[0]
        assert text.text[start:end] == s.evidence
        checked += 1
    assert checked > 500


def test_the_real_plans_parse_into_their_numbered_trees():
    tx = load_taxonomy()
    lingang = plan_text("lingang-power-city", taxonomy=tx)
    item = lingang.section("二、(一)1")
    assert item.title == "航空动力" and item.kind == "item"      # "1、" items
    strategic = plan_text("sh-strategic-emerging-14fyp", taxonomy=tx)
    assert strategic.section("三、(一)1").title == "集成电路设计"  # "1．" items
    assert strategic.section("六、(二)1").title.startswith("集成电路重大产线建设工程")  # "１．"
    assert strategic.section("四、(一)").title == "光子芯片与器件"  # （一） full-width
    advanced = plan_text("sh-advanced-manufacturing-14fyp", taxonomy=tx)
    assert advanced.section("六、(三)").title == "保障产业用地供给"  # (一) half-width
    assert [s.path for s in advanced.children(advanced.section("三、(一)"))] == [
        "三、(一)1", "三、(一)2", "三、(一)3"]
    outline = advanced.outline()
    assert outline[0]["path"] == "序" and outline[1]["parent"] is None
    assert {row["anchor"] for row in outline} == {s.anchor for s in advanced.sections}
