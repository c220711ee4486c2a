"""Spatial recall of the future-industries, Lingang and Minhang plans (issue 12, item 6).

What an officer would see: a place the plans tie to an industry is a relation, with its clause."""

from __future__ import annotations

import pytest

FUTURE, LINGANG, MINHANG = "sh-future-industries", "lingang-power-city", "minhang-manufacturing-2018-2020"




def test_the_future_materials_cluster_places_its_membranes_and_composites(cited):
    for industry in ("materials-membranes", "materials-composites"):
        for code in ("310115", "310113", "310116"):
            assert (industry, code, FUTURE, "二、(五)", "cluster_member") in cited


def test_zhangjiang_rd_serves_the_future_health_cluster(cited):
    """二、(一): 提升“张江研发+上海制造”承载能力,打造未来健康产业集群 (a weaker statement: mentioned)."""
    for industry in ("biomed-bci", "biomed-cell-gene"):
        assert (industry, "zhangjiang-science-city", FUTURE, "二、(一)", "mentioned") in cited


def test_lingang_is_the_main_base_of_high_end_equipment(cited):
    assert ("equipment", "lingang", LINGANG, "序", "main_carrier") in cited


@pytest.mark.parametrize("industry,section", [
    ("ai-biometrics", "三、(一)2"), ("equipment-service-robots", "三、(一)2"),
    ("aerospace-avionics", "三、(一)1"), ("energy-hydropower", "三、(一)1"),
    ("ic-packaging-testing", "三、(一)3"), ("biomed-implant-interventional", "三、(一)4"),
])
def test_the_minhang_plans_own_industries_point_to_minhang(industry, section, cited):
    """A district plan's industry clause without a place is about that district."""
    assert (industry, "310112", MINHANG, section, "key_development") in cited


def test_recalled_relations_are_not_duplicates(real):
    keys = [(r.industry, r.zone or r.district, s.plan, s.section) for r in real.relations
            for s in {(s.plan, s.section): s for s in r.sources}.values()
            if s.plan in (FUTURE, LINGANG, MINHANG)]
    assert len(keys) == len(set(keys))
