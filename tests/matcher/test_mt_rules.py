"""The location fit rules quote their plans faithfully and move scores the way they say."""

from pathlib import Path

import pytest

from matcher import rules
from taxonomy import get_taxonomy
from taxonomy.plantext import PlanText

PLANS = Path(__file__).resolve().parents[3] / "shared" / "plans"


@pytest.mark.skipif(not PLANS.is_dir(), reason="the plans folder is not beside the repository")
@pytest.mark.parametrize("rule", rules.ALL_RULES, ids=lambda r: r.id)
def test_every_rule_quotes_its_plan_section(rule):
    plan = get_taxonomy().plan_by_id[rule.source.plan]
    text = PlanText((PLANS / plan.file).read_text(encoding="utf-8"))
    assert text.contains(rule.source.evidence, rule.source.section)


def test_hazardous_chemicals_go_to_the_chemical_park():
    from matcher import get_matcher

    record = get_matcher().match({"description": "危险化学品生产项目，主要产品为电子级溶剂和精细化工中间体",
                                  "project_type": "manufacturing"})
    assert record["parks"][0]["name_zh"] == "上海化工区"
    assert any("上海化工区为主要载体" in r for r in record["parks"][0]["reasons"])


def test_a_place_named_in_the_text_is_treated_as_the_companys_wish():
    from matcher import get_matcher

    text = "生物医药产业化项目：无菌注射剂生产，松江有现成的标准厂房，希望就在那边落地"
    record = get_matcher().match({"description": text})
    assert record["districts"][0]["code"] == "310117"
    assert "描述中提到该区域" in record["districts"][0]["reasons"]
