"""Specificity of location evidence (issue 12, item 1): a clause that places an industry in one
district is stronger evidence than a list that spreads it over several."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from matcher import specificity
from matcher.location import LocationScorer
from matcher.settings import MatcherSettings
from taxonomy import load_taxonomy

PLAN = "sh-advanced-manufacturing-14fyp"
# 四、(二) of the plan: the 沿江 belt, "主要涉及浦东北部、宝山和崇明长兴岛 ... 布局芯片、大飞机、船舶海工".
RIVER_BELT = f"""
- industry: ic
  district: "310113"
  role: key_development
  sources: [{{plan: {PLAN}, section: "四、(二)", evidence: 布局芯片、大飞机、船舶海工等关键领域}}]
- industry: ic
  district: "310151"
  role: key_development
  sources: [{{plan: {PLAN}, section: "四、(二)", evidence: 布局芯片、大飞机、船舶海工等关键领域}}]
"""


def _scorer(tmp_path, mini_tax_dir, settings=None):
    folder = tmp_path / "taxonomy"
    shutil.copytree(mini_tax_dir, folder)
    with (folder / "relations" / "all.yaml").open("a", encoding="utf-8") as fh:
        fh.write(RIVER_BELT)
    tx = load_taxonomy(folder)
    node_ids = [n.id for n in tx.industries]
    return tx, node_ids, LocationScorer(tx, node_ids, settings or MatcherSettings())


def _ic_districts(scorer, ids) -> list[dict]:
    """The districts an IC lead (集成电路, share 0.9, nothing else asked) is given."""
    probs = np.zeros(len(ids))
    probs[ids.index("ic")] = 0.9
    return scorer.score(probs=probs, matched=[ids.index("ic")], text="集成电路", project_type=None,
                        land_mu=None, top_sector="ic", preferred_codes=[], preferred_zones=[])[0]


def _weight(scorer, tx, industry, code):
    rel = next(r for r in tx.relations if r.industry == industry and r.district == code)
    return next(w for is_park, key, w, *_ in scorer.targets[id(rel)] if not is_park and key == code)


def test_a_clause_spread_over_districts_weighs_less_than_one_naming_a_single_place(tmp_path, mini_tax_dir):
    tx, _ids, scorer = _scorer(tmp_path, mini_tax_dir)
    assert MatcherSettings().specificity_exponent > 0  # on by default
    # 四、(二) places ic in 松江, 宝山 and 崇明: three districts; 四、(一) in 临港 alone
    assert scorer.spread[("ic", PLAN, "四、(二)")] == 3
    assert scorer.spread[("ic", PLAN, "四、(一)")] == 1
    role = MatcherSettings().role_weights["key_development"]
    songjiang = _weight(scorer, tx, "ic", "310117")
    rel = next(r for r in tx.relations if r.industry == "ic" and r.district == "310117")
    k = specificity.breadth(tx)[(PLAN, "四、(二)", rel.sources[0].evidence, "310117")]
    s = MatcherSettings()
    assert songjiang == pytest.approx(role * 3 ** -s.specificity_exponent * k ** -s.breadth_exponent)
    lingang = next(r for r in tx.relations if r.industry == "ic" and r.zone == "lingang")
    k = specificity.breadth(tx)[(PLAN, "四、(一)", lingang.sources[0].evidence, "lingang")]
    assert max(w for is_park, _k, w, *_ in scorer.targets[id(lingang)] if is_park) == pytest.approx(
        role * k ** -s.breadth_exponent)


def test_a_clause_listing_many_sectors_for_a_place_weighs_less_for_each(tmp_path, mini_tax_dir):
    """浦东北部重点发展集成电路、生命健康、航空及高端装备、汽车等: four sectors for one place say less
    about each than a clause devoted to one; the reason says so in both languages."""
    tx, _ids, _unused = _scorer(tmp_path, mini_tax_dir)
    k_of = specificity.breadth(tx)
    wide = max(k_of, key=k_of.get)
    assert k_of[wide] >= 2
    flat = specificity.weights(tx, settings=MatcherSettings(breadth_exponent=0.0))
    on = specificity.weights(tx, settings=MatcherSettings(breadth_exponent=0.5))
    keys = [key for key in on if (key[1].plan, key[1].section, key[1].evidence,
                                  key[0].zone or key[0].district) == wide]
    assert keys and all(on[key] < flat[key] for key in keys)
    zh, en = specificity.note(2, 4)
    assert "4个产业门类" in zh and "4 sectors" in en


def test_specific_evidence_ranks_first_and_keeps_its_reason(tmp_path, mini_tax_dir):
    tx, ids, scorer = _scorer(tmp_path, mini_tax_dir)
    districts = _ic_districts(scorer, ids)
    codes = [d["code"] for d in districts]
    assert codes[0] == "310115"  # 临港, named alone in 四、(一)
    assert {"310117", "310113", "310151"} <= set(codes)
    for d in districts:
        assert d["reasons"] and d["reasons_en"] and d["sources"]
    flat = LocationScorer(tx, ids, MatcherSettings(specificity_exponent=0.0))
    flat_scores = {d["code"]: d["score"] for d in _ic_districts(flat, ids)}
    spread = {d["code"]: d["score"] for d in districts}
    assert spread["310117"] < flat_scores["310117"]
    assert spread["310115"] == flat_scores["310115"]


def test_one_clause_naming_several_zones_of_a_district_is_one_statement():
    from matcher.location import _Place, _prepared
    from taxonomy.model import Source

    clause = Source(plan=PLAN, section="五、(四)", evidence="涵盖松江工业区、康桥工业区、金桥、祝桥")
    other = Source(plan=PLAN, section="四、(二)", evidence="浦东北部重点发展集成电路、生命健康、航空及高端装备、汽车等")
    once, thrice, two = _Place(), _Place(), _Place()
    once.contributions = [(0.4, "", "", _prepared(clause, "materials"))]
    thrice.contributions = [(0.4, "", "", _prepared(clause, "materials"))] * 3  # 康桥, 金桥, 祝桥
    two.contributions = [(0.4, "", "", _prepared(clause, "materials")),
                         (0.4, "", "", _prepared(other, "materials"))]
    assert thrice.score(0.15, 0.25) == once.score(0.15, 0.25)
    assert two.score(0.15, 0.25) > once.score(0.15, 0.25)  # another clause still adds a little


def test_spatial_clauses_the_first_pass_missed_are_relations():
    """Lingang plan 二、(二)7: 嘉定 in fuel cells and new-energy drive systems; the
    strategic-emerging plan's 智能制造集聚区 list. 五、(四) places its industries in the belt
    as a whole: the places its axes list (松江G60, 康桥工业区, 金桥 …) are members, not targets."""
    from taxonomy import get_taxonomy

    tx = get_taxonomy()
    cited = {(r.industry, r.zone or r.district, s.plan, s.section) for r in tx.relations for s in r.sources}
    for industry in ("auto-fuel-cell-system", "auto-electric-drive", "auto-power-battery"):
        assert (industry, "310114", "lingang-power-city", "二、(二)7") in cited
    for code in ("310117", "310114", "310113", "310112"):
        assert ("equipment-intelligent-manufacturing", code, "sh-strategic-emerging-14fyp", "五、(五)") in cited
    assert ("ic", "suburban-ring-manufacturing-belt", "sh-strategic-emerging-14fyp", "五、(四)") in cited
    for zone in ("songjiang-g60", "kangqiao-industrial-zone", "jinqiao"):
        assert ("ic", zone, "sh-strategic-emerging-14fyp", "五、(四)") not in cited


def test_the_park_list_follows_the_district_ranking():
    """Pudong's many parks do not crowd out the best park of the second and third district."""
    from matcher import get_matcher
    from matcher.location import _Place

    loc = get_matcher().locations
    pudong = ["zhangjiang-science-city", "lingang", "dongfang-xingang", "zhangjiang-ic-base",
              "pudong-north", "jinqiao"]
    scored = [(0.9 - 0.05 * k, zid, _Place()) for k, zid in enumerate(pudong)]
    scored += [(0.3, "songjiang-g60", _Place()), (0.2, "international-auto-city", _Place())]
    top = loc._following_districts(scored, ["310115", "310117", "310114"])
    ids = [zid for _s, zid, _p in top]
    assert len(ids) == loc.settings.top_parks
    assert ids[:3] == ["zhangjiang-science-city", "lingang", "dongfang-xingang"]
    assert "songjiang-g60" in ids and "international-auto-city" in ids
    assert [s for s, *_ in top] == sorted((s for s, *_ in top), reverse=True)  # still by score


def test_reasons_say_how_specific_the_clause_is_in_both_languages(tmp_path, mini_tax_dir):
    _tx, ids, scorer = _scorer(tmp_path, mini_tax_dir)
    districts = _ic_districts(scorer, ids)
    by_code = {d["code"]: d for d in districts}
    assert any("只点名此地" in r for r in by_code["310115"]["reasons"])  # 四、(一): 临港 alone
    assert any("the only place that clause names" in r for r in by_code["310115"]["reasons_en"])
    assert any("列举3个区" in r for r in by_code["310117"]["reasons"])  # 四、(二): three districts
    assert any("one of 3 districts" in r for r in by_code["310117"]["reasons_en"])


def test_popularity_factor_damps_the_place_named_most_often(tmp_path, mini_tax_dir):
    tx, _ids, _unused = _scorer(tmp_path, mini_tax_dir)
    pop = specificity.popularity(tx)
    most = max(pop, key=pop.get)
    off = specificity.weights(tx, settings=MatcherSettings())
    on = specificity.weights(tx, settings=MatcherSettings(popularity_exponent=0.5))
    damped = [k for k in on if specificity._place(tx, k[0]) == most]
    assert damped and all(on[k] < off[k] for k in damped)


def test_a_robot_maker_sees_the_district_the_plans_name_for_robots():
    """sh-advanced-manufacturing-14fyp 四、(二): 宝山重点发展新材料、机器人及智能硬件…: a robot
    maker ranks 宝山 (310113) in its top three, with the clause's specificity in the reason."""
    from matcher import get_matcher

    rec = get_matcher().match({
        "description": "公司研发并制造六轴工业机器人、协作机器人及机器人控制器，新建整机装配工厂。",
        "project_type": "manufacturing"})
    codes = [d["code"] for d in rec["districts"][:3]]
    assert "310113" in codes, codes
    baoshan = rec["districts"][codes.index("310113")]
    assert any("只点名此地" in r for r in baoshan["reasons"])
    assert any("the only place that clause names" in r for r in baoshan["reasons_en"])
