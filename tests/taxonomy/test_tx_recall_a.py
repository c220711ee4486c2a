"""Spatial recall of the advanced-manufacturing and strategic-emerging plans (issue 12, item 6).

What an officer would see: a place these plans tie to an industry is a relation with its clause,
and a place is never tied to an industry its clause does not name for it."""

from __future__ import annotations

AM, SE = "sh-advanced-manufacturing-14fyp", "sh-strategic-emerging-14fyp"
CENTRAL = ("310101", "310104", "310105", "310106", "310107", "310109", "310110")




def test_the_new_digital_industries_rest_on_the_central_city_too(cited):
    """依托中心城区及浦东、闵行、青浦、静安等重点区域，发展5G、工业互联网、云计算、大数据、区块链…"""
    for industry in ("elec-5g", "elec-cloud-computing", "elec-big-data", "elec-blockchain"):
        for code in (*CENTRAL, "310115", "310112", "310118"):
            assert (industry, code, SE, "五、(五)", "key_development") in cited


def test_jinshan_display_base_carries_amoled_and_the_central_city_urban_industry(cited):
    assert ("elec-amoled-flexible", "jinshan-new-display-base", SE, "三、(七)3", "main_carrier") in cited
    for code in CENTRAL:
        assert ("consumer", code, AM, "四、", "key_development") in cited


def test_the_belt_members_and_other_plans_places_take_no_industry_from_a_clause_about_others(real):
    """五、(四) names its industries for the whole H belt, not for each axis member; 六、(二)3's
    配套产业集聚区 is in 长三角, not the 一谷一园."""
    members = {"songjiang-g60", "songjiang-industrial-zone", "kangqiao-industrial-zone", "jinqiao", "zhuqiao"}
    for r in real.relations:
        for s in r.sources:
            if (s.plan, s.section) == (SE, "五、(四)"):
                assert r.zone == "suburban-ring-manufacturing-belt", (r.industry, r.zone)
            if r.zone == "big-aircraft-one-valley-one-park":
                assert "长三角" not in s.evidence
    assert not any(r.zone in members and s.section == "五、(四)" for r in real.relations for s in r.sources)


def test_no_recalled_statement_is_duplicated(real):
    seen = {}
    for r in real.relations:
        if r.file != "relations/spatial-recall-a.yaml":
            continue
        key = (r.industry, r.zone or r.district, r.role)
        assert key not in seen, key
        seen[key] = r
    assert len(seen) >= 80
