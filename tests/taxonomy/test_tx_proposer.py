"""The proposer's rules on small texts, against the packaged gazetteer and industry tree."""

from __future__ import annotations

import pytest

from taxonomy import load_taxonomy
from taxonomy.model import Plan
from taxonomy.proposer import propose
from taxonomy.sections import PlanText


@pytest.fixture(scope="module")
def tx():
    return load_taxonomy()


def _plan(scope="city", issuer="上海市人民政府"):
    return Plan(id="sh-test-2026", file="sh-test-2026.txt", title_zh="测试规划", title_en="Test",
                doc_number=None, issuer=issuer, scope=scope, date=None, horizon_start=None,
                horizon_end=2030, horizon_note="", status="draft")


def _relations(text, tx, **plan):
    props = propose(text=PlanText(text), plan=_plan(**plan), taxonomy=tx)
    for p in props:  # every proposal cites a verbatim phrase of its own section
        assert PlanText(text).contains(p["citation"]["evidence"], p["citation"]["section"]), p
    return {(p["entry"]["industry"], p["entry"].get("zone") or p["entry"].get("district"),
             p["entry"]["role"]) for p in props if p["kind"] == "relation"}, props


def test_a_cluster_intro_pairs_its_districts_with_the_items_below(tx):
    text = ("二、布局未来产业\n（一）打造未来健康产业集群\n在浦东、闵行等区域，打造未来健康产业集群。\n"
            "1.脑机接口。加速非侵入式脑机接口技术突破。\n2.合成生物。推动攻关关键技术。\n")
    rels, _ = _relations(text, tx)
    assert {(i, d) for i, d, _r in rels} >= {("biomed-bci", "310115"), ("biomed-bci", "310112"),
                                             ("biomed-synthetic-biology", "310112")}
    assert all(r == "cluster_member" for _i, _d, r in rels)
    assert not any(i == "biomed" for i, _d, _r in rels)  # the cluster's own name is not an item


def test_alternating_places_take_their_own_industries(tx):
    text = "四、空间布局\n推动长兴岛船舶和海洋装备、宝山精品钢材等产业基地向高端化提升。\n"
    rels, _ = _relations(text, tx)
    pairs = {(i, d) for i, d, _r in rels}
    assert ("marine", "changxing-island") in pairs or any(
        p == "changxing-island" and i.startswith("marine") for i, p in pairs)
    assert not any(p == "changxing-island" and i.startswith("materials") for i, p in pairs)


def test_lead_units_are_mentioned_districts_of_the_item(tx):
    text = ("二、主要任务\n（一）重点领域突破行动\n1、航空动力。重点发展大飞机涡扇发动机。"
            "（市经济信息化委、浦东新区政府、闵行区政府）\n")
    rels, _ = _relations(text, tx)
    assert ("aerospace-aero-engine", "310115", "mentioned") in rels
    assert ("aerospace-aero-engine", "310112", "mentioned") in rels


def test_a_district_plan_speaks_of_its_district(tx):
    text = "三、实施工程\n（一）产业集群培育工程\n1.打造全球领先的高端装备制造产业集群\n重点发展航空产业。\n"
    rels, _ = _relations(text, tx, scope="district", issuer="闵行区人民政府办公室")
    assert {d for _i, d, _r in rels} == {"310112"}
    assert any(i == "equipment" for i, _d, _r in rels)


def test_a_new_park_is_proposed_with_its_district_and_a_romanised_name(tx):
    text = "三、发展重点\n（一）低空经济\n在金山建设低空经济产业园，重点发展电动垂直起降飞行器。\n"
    rels, props = _relations(text, tx)
    zone = next(p for p in props if p["kind"] == "zone")
    assert zone["entry"]["name_zh"] == "低空经济产业园"
    assert zone["entry"]["district_codes"] == ["310116"] and zone["entry"]["kind"] == "park"
    assert ("aerospace-evtol", "@" + zone["id"], "key_development") in rels


def test_nothing_is_proposed_from_a_text_without_places_or_measures(tx):
    _rels, props = _relations("一、总体要求\n坚持创新驱动，坚持高质量发展。\n", tx)
    assert [p for p in props if p["kind"] in ("relation", "zone", "policy")] == []


def _zones(props):
    return {p["entry"]["name_zh"]: p for p in props if p["kind"] == "zone"}


def test_a_name_with_a_space_inside_still_names_its_industry(tx):
    text = "三、空间布局\n在徐汇等区域，构建通用 AI 模型。\n"
    rels, props = _relations(text, tx)
    assert ("ai-foundation-models", "310104") in {(i, d) for i, d, _r in rels}
    rel = next(p for p in props if p["kind"] == "relation")
    assert "通用 AI" in rel["citation"]["evidence"]  # cited as written, space included


def test_the_central_city_stands_for_the_central_districts(tx):
    text = "四、空间布局\n中心城区重点发展高附加值都市型产业和生产性服务业。\n"
    rels, _ = _relations(text, tx)
    central = {d.code for d in tx.districts if d.character == "central"}
    assert {d for i, d, _r in rels if i == "services"} == central
    text = "四、空间布局\n区域范围主要涉及中心城区外圈，重点发展生产性服务业。\n"
    rels, _ = _relations(text, tx)
    assert not rels  # the ring around the central city is not the central city


def test_a_district_before_a_place_kind_is_part_of_a_new_name(tx):
    text = ("四、空间布局\n以松江大学城、虹口音乐谷等为核心区域，重点发展人工智能。\n"
            "以金山基地为主要载体，打造精品钢材产业集群。\n")
    rels, props = _relations(text, tx)
    zones = _zones(props)
    assert {"松江大学城", "虹口音乐谷", "金山基地"} <= set(zones)
    assert zones["松江大学城"]["entry"]["district_codes"] == ["310117"]
    assert zones["虹口音乐谷"]["entry"]["district_codes"] == ["310109"]
    assert ("ai", "@" + zones["松江大学城"]["id"]) in {(i, d) for i, d, _r in rels}
    assert not any(d in ("310117", "310109", "310116") for _i, d, _r in rels)


def test_kinds_of_places_and_what_a_place_becomes_are_not_new_places(tx):
    text = ("三、重点任务\n（一）生物医药\n建设若干产医融合创新示范基地。\n"
            "为国际消费城市建设提供优质产品。\n建立市-区-园区对接制度。\n"
            "将长兴岛打造成为具备国际竞争力的专业化船舶和海洋工程装备总装制造基地。\n"
            "人工智能入选国家创新发展试验区。\n")
    _rels, props = _relations(text, tx)
    assert _zones(props) == {}


def test_a_place_takes_the_industries_of_its_own_comma_segment_the_heading_place_the_rest(tx):
    text = ("三、空间优化\n（一）园区\n1.推动紫竹高新区打造“东方硅谷”\n"
            "大力培育生物医药等产业，加快推动漕河泾建设，打造人工智能产业总部集聚中心。\n")
    rels, _ = _relations(text, tx)
    pairs = {(i, d) for i, d, _r in rels}
    assert {("biomed", "zizhu-hitech-park"), ("ai", "caohejing")} <= pairs
    assert ("biomed", "caohejing") not in pairs


def test_the_places_a_belt_covers_are_its_members_not_the_industries_places(tx):
    text = ("四、空间布局\n沿江高端产业集群发展带，主要涉及宝山和金山，积极承担国家战略任务，"
            "布局集成电路等关键领域。\n")
    rels, _ = _relations(text, tx)
    assert {(i, d) for i, d, _r in rels} == {("ic", "yanjiang-belt")}


def test_a_list_of_a_nodes_own_keywords_names_that_node(tx):
    text = "五、空间布局\n以徐汇漕河泾等为核心区域，重点发展大数据、云计算、工业互联网等高技术服务业。\n"
    rels, _ = _relations(text, tx)
    assert ("elec-digital-applications", "caohejing") in {(i, d) for i, d, _r in rels}


def test_a_cluster_named_by_a_node_stands_for_its_items_below_it(tx):
    text = ("二、布局未来产业\n（五）打造未来材料产业集群\n在浦东、金山等区域，打造未来材料产业集群。\n"
            "1.高端膜材料。提升膜材料基础结构设计能力。\n2.非硅基芯材料。推动碳化硅、氮化镓等发展。\n")
    rels, _ = _relations(text, tx)
    pairs = {(i, d) for i, d, _r in rels}
    assert {("materials-future", "310115"), ("materials-future", "310116")} <= pairs
    assert ("materials-membranes", "310115") not in pairs  # an item below the cluster's node
    assert ("ic-compound-semiconductors", "310115") in pairs  # an item outside it


def test_a_district_plan_relates_what_a_development_verb_takes_not_every_name(tx):
    text = ("三、实施工程\n（一）产业集群培育工程\n1.打造全球领先的高端装备制造产业集群\n"
            "大力发展航天产业，带动新材料、新能源等发展。支持人工智能核心算法研发。\n")
    rels, _ = _relations(text, tx, scope="district", issuer="闵行区人民政府办公室")
    inds = {i for i, _d, _r in rels}
    assert "aerospace-space" in inds
    assert not inds & {"materials", "energy", "ai-algorithms"}


def test_nicknames_institutions_and_stations_are_no_place_or_industry_facts(tx):
    text = ("三、空间优化\n（三）园区\n1.推动闵行开发区打造“智能制造新城”\n"
            "（四）创新\n发挥张江实验室的引领作用，加强集成电路研发。\n"
            "（五）交通\n配合轨道交通15号线“紫竹高新区”站的建设。\n")
    rels, _ = _relations(text, tx)
    assert rels == set()


def test_a_place_leading_a_clause_takes_the_clause_and_a_coined_name_is_a_place(tx):
    text = ("五、空间布局\n浦东张江，建设具有国际领先水准的机器人岛，"
            "打造全国领先的人工智能芯片产业集群。\n")
    rels, props = _relations(text, tx)
    zones = _zones(props)
    assert "机器人岛" in zones
    pairs = {(i, d) for i, d, _r in rels}
    assert ("ai-chips", "zhangjiang-science-city") in pairs
    assert ("equipment-robots", "@" + zones["机器人岛"]["id"]) in pairs


def test_the_members_of_a_group_take_the_groups_industry(tx):
    text = "四、空间布局\n高起点规划打造生物医药特色产业集聚区，包括松江大学城和金山基地。\n"
    rels, props = _relations(text, tx)
    zones = _zones(props)
    pairs = {(i, d) for i, d, _r in rels}
    assert {("biomed", "@" + zones["松江大学城"]["id"]),
            ("biomed", "@" + zones["金山基地"]["id"])} <= pairs


def test_industries_before_a_list_of_places_are_its_theme_not_each_places(tx):
    text = ("一、发展基础\n围绕集成电路、生物医药、航空航天等新兴产业，"
            "加速建设“东方芯港”“生命蓝湾”等特色产业园。\n")
    rels, _ = _relations(text, tx)
    assert not {d for _i, d, _r in rels} & {"dongfang-xingang", "shengming-lanwan"}


def test_a_single_park_after_an_industry_takes_it(tx):
    text = "三、发展重点\n（一）低空经济\n重点发展电动垂直起降飞行器，在金山建设低空经济产业园。\n"
    rels, props = _relations(text, tx)
    zone = _zones(props)["低空经济产业园"]
    assert ("aerospace-evtol", "@" + zone["id"]) in {(i, d) for i, d, _r in rels}
