"""Industry recognition on company-style wording (issue 12, patterns 2, 3, 5), with the packaged
taxonomy: scope boilerplate and trading licences do not decide the industry, an online platform
that books hotels is not a hotel, the market's own names for industries are understood."""

from __future__ import annotations

import pytest

from matcher import get_matcher
from matcher.profile import map_headers
from matcher.scope import BoilerplateModel, items, read_corpus
from matcher.terms import TermIndex
from matcher.training import pseudo_profiles
from taxonomy import get_taxonomy

BOILERPLATE = "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；货物进出口；技术进出口"


@pytest.fixture(scope="module")
def m():
    return get_matcher()


def _sector(rec) -> str | None:
    return get_taxonomy().sector_of(rec["industries"][0]["id"]) if rec["industries"] else None


def test_pv_equipment_scope_ranks_the_pv_industry_first_despite_boilerplate(m):
    rec = m.match({"description": f"一般项目：{BOILERPLATE}；软件开发；光伏设备及元器件制造；"
                                  "光伏设备及元器件销售。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"})
    assert rec["outside"] is None
    assert rec["industries"][0]["id"] == "energy-solar"


def test_a_licence_to_deal_in_goods_weighs_less_than_what_the_company_makes():
    found = {i.text: i for i in items("许可项目：危险化学品经营；药品批发；第二类增值电信业务。"
                                      "一般项目：电子专用材料制造；化工产品销售")}
    assert not found["危险化学品经营"].strong and not found["药品批发"].strong
    assert found["第二类增值电信业务"].strong and found["电子专用材料制造"].strong
    assert not found["化工产品销售"].strong
    focused = BoilerplateModel().fit(read_corpus()).focus(
        "许可项目：危险化学品经营。一般项目：电子专用材料制造；技术服务")
    assert focused.startswith("电子专用材料制造") and focused.count("危险化学品经营") == 1


def test_a_chip_chemicals_maker_with_a_hazardous_chemicals_licence_is_a_chip_materials_maker(m):
    rec = m.match({"description": "许可项目：危险化学品经营。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
                                  f"一般项目：电子专用材料制造；电子专用材料销售；{BOILERPLATE}。"})
    assert _sector(rec) == "ic", [i["id"] for i in rec["industries"]]


@pytest.mark.parametrize("description", [
    "在线旅游预订平台，用户通过我们的App预订酒店、机票和景点门票",
    "We run an online travel platform where travellers book hotels, flights and rail tickets.",
])
def test_an_online_travel_platform_is_not_outside_the_plans(m, description):
    rec = m.match({"description": description})
    assert rec["outside"] is None
    assert rec["industries"] and rec["industries"][0]["id"] == "elec-online-new-economy"


def test_a_hotel_is_still_outside_the_plans(m):
    rec = m.match({"description": "公司经营两家精品酒店和一处民宿，提供住宿服务和会议接待"})
    assert rec["outside"] is not None and rec["outside"]["gbt4754"] == "61"
    assert rec["needs_review"] and rec["industries"] == []


@pytest.mark.parametrize("description", [
    "A specialty café chain: we want to open a flagship café with seating for 80.",
    "本公司經營美容護膚中心，提供面部護理、美甲與身體按摩服務",
])
def test_a_cafe_or_beauty_salon_gets_no_encouraged_industry_with_a_reason(m, description):
    rec = m.match({"description": description})
    assert rec["outside"] is not None
    assert rec["outside"]["reason"] and rec["outside"]["reason_en"]
    assert rec["confidence"] <= 0.2 and rec["needs_review"]
    assert any(w.startswith("no encouraged industry") for w in rec["warnings"])
    assert any(w.startswith("没有规划鼓励的产业") for w in rec["warnings_zh"])


@pytest.mark.parametrize(("description", "sector"), [
    ("公司研发L4级智能驾驶域控制器和无人驾驶算法", "auto"),
    ("我们是船舶产业的配套企业，生产船用甲板机械", "marine"),
    ("公司为航天领域提供结构件和热控产品", "aerospace"),
    ("公司在上海的工厂生产中大型液压挖掘机和起重机械", "equipment"),
    ("我们经营集装箱班轮航线和码头网络，总部负责航运物流业务", "services"),
    ("Our fulfilment centre stores and ships online orders for retailers.", "services"),
])
def test_the_markets_names_for_industries_are_understood(m, description, sector):
    rec = m.match({"description": description})
    assert _sector(rec) == sector, [i["id"] for i in rec["industries"]]


def test_a_name_ending_in_a_plus_is_not_the_bare_word():
    index = TermIndex()
    index.add("人工智能+", 0, 0)
    index.add("人工智能", 1, 0)
    assert {h.node for h in index.find("人工智能芯片")} == {1}


def test_training_writes_company_style_scopes_read_as_the_engine_reads_them():
    tx = get_taxonomy()
    scope_model = BoilerplateModel().fit(read_corpus())
    texts, labels = pseudo_profiles(tx, 6, 0, scope_model=scope_model)
    plain, _ = pseudo_profiles(tx, 6, 0)
    assert len(texts) > len(plain)
    scopes = [t for t, ls in zip(texts, labels, strict=True) if ls and "；" in t]
    assert scopes and not any(t.startswith(("一般项目", "许可项目")) for t in scopes)  # focused
    empty = [t for t, ls in zip(texts, labels, strict=True) if not ls and "；" in t]
    assert empty  # boilerplate alone names no industry


def test_an_exports_industry_column_reaches_the_crosswalk(m):
    row = {"企业名称": "示例科技", "经营范围": "主营产品广泛应用于工业领域，客户覆盖国内外",
           "所属行业": "C3491 工业机器人制造"}
    mapping = map_headers(list(row))
    assert mapping["所属行业"] == "industry_label"
    rec = m.match({mapping[h]: v for h, v in row.items()})
    assert rec["industry_label"]["gbt4754"] == "3491"
    assert rec["industries"][0]["id"] == "equipment-industrial-robots"


def test_a_phrase_is_not_reduced_to_its_generic_word():
    index = TermIndex()
    for term in ("IT services", "Other services", "12-inch"):
        index.add(term, 0, 0)
    assert index.find("we offer services for 12 inch wafers") == []


def test_a_cloud_services_provider_is_not_other_services(m):
    rec = m.match({"description": "We provide hybrid cloud and managed services to manufacturers "
                                  "from our new regional headquarters."})
    assert rec["outside"] is None
