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


def _parks(scorer, ids, node, sector):
    import numpy as np

    probs = np.zeros(len(ids))
    probs[ids.index(node)] = 0.9
    return scorer.score(probs=probs, matched=[ids.index(node)], text="", project_type=None,
                        land_mu=None, top_sector=sector, preferred_codes=[], preferred_zones=[])


def test_brand_parks_join_the_park_list_where_their_district_is_in_play():
    """sh-advanced-manufacturing-14fyp 五、(八): 推进临港、张江、金桥、漕河泾等园区可持续发展 …
    打造先进制造业集群. 金桥 has no industry of its own in the plans; for a manufacturing-sector
    lead whose districts include Pudong it is a candidate park, with the clause as its reason;
    for a producer-services lead, or where Pudong is not in play, it is not."""
    from matcher.location import LocationScorer
    from matcher.settings import MatcherSettings

    tx = get_taxonomy()
    ids = [n.id for n in tx.industries]
    scorer = LocationScorer(tx, ids, MatcherSettings(top_parks=60, top_districts=16))
    districts, parks = _parks(scorer, ids, "ic", "ic")
    assert "310115" in [d["code"] for d in districts]
    jinqiao = next(p for p in parks if p["id"] == "jinqiao")
    assert jinqiao["score"] == pytest.approx(MatcherSettings().pole_lift)
    assert any("金桥" in r and "品牌园区" in r for r in jinqiao["reasons"])
    assert any("brand parks" in r for r in jinqiao["reasons_en"])
    assert {"plan": rules.BRAND_PARKS.source.plan, "section": "五、(八)",
            "evidence": rules.BRAND_PARKS.source.evidence} in jinqiao["sources"]
    _districts, service_parks = _parks(scorer, ids, "services-logistics", "services")
    assert "jinqiao" not in [p["id"] for p in service_parks]
    elsewhere, parks = _parks(scorer, ids, "consumer-cosmetics", "consumer")  # 奉贤, the central city
    assert "310115" not in [d["code"] for d in elsewhere]
    assert "jinqiao" not in [p["id"] for p in parks]
