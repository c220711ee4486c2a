"""Behaviour an officer notices on real leads (the packaged taxonomy): non-plan businesses routed
to review with a reason, business-scope boilerplate not deciding the industry, GB/T 4754 labels
and addresses from company-data exports used."""

from __future__ import annotations

import pytest

from matcher import get_matcher
from matcher.gbt import Crosswalk
from matcher.scope import BoilerplateModel, items, looks_like_scope
from taxonomy import get_taxonomy

BOILERPLATE = "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；货物进出口"


@pytest.fixture(scope="module")
def m():
    return get_matcher()


def _match(m, **profile):
    return m.match(profile)


@pytest.mark.parametrize("description", [
    "一般项目：餐饮管理；食品销售（仅销售预包装食品）；外卖递送服务。许可项目：餐饮服务；食品销售。",
    "We run a chain of Sichuan hotpot restaurants and a central kitchen in Shanghai.",
    "連鎖便利店及超市零售，門店遍佈華東",
    "一般项目：房地产经纪；住房租赁；非居住房地产租赁；物业管理。许可项目：房地产开发经营。",
    "劳务派遣和人力资源外包服务，为制造企业提供一线员工",
    "一般项目：货物进出口；进出口代理；五金产品批发；电子产品销售；机械设备销售；金属材料销售。",
])
def test_business_outside_the_plans_is_routed_to_review_with_a_reason(m, description):
    rec = _match(m, description=description)
    assert rec["needs_review"] is True
    assert rec["confidence"] <= 0.2
    assert rec["industries"] == [] and rec["districts"] == [] and rec["policies"] == []
    assert rec["outside"]["reason"] and rec["outside"]["reason_en"]
    assert "不属于规划鼓励的产业" in rec["outside"]["reason"] or "没有生产或研发" in rec["outside"]["reason"]
    assert any(w.startswith("no encouraged industry") for w in rec["warnings"])


def test_a_maker_that_also_sells_is_not_outside(m):
    rec = _match(m, description="许可项目：化妆品生产。一般项目：化妆品零售；化妆品批发；日用化学产品制造；"
                                "日用化学产品销售")
    assert rec["outside"] is None
    assert rec["industries"][0]["id"] == "consumer-cosmetics"


def test_boilerplate_is_learned_from_scope_strings():
    corpus = [f"一般项目：{product}；{BOILERPLATE}。" for product in
              ("集成电路设计", "医疗器械生产", "光伏设备及元器件制造", "餐饮管理", "汽车零部件及配件制造")]
    model = BoilerplateModel(min_share=0.5, min_docs=3).fit(corpus)
    assert model is not None and model.n_docs_ == 5
    assert {"技术服务", "技术推广", "货物进出口"} <= model.boilerplate_
    assert "集成电路设计" not in model.boilerplate_
    focused = model.focus(f"一般项目：{BOILERPLATE}；光伏设备及元器件制造")
    assert "技术服务" not in focused and "光伏设备及元器件制造" in focused


def test_scope_items_know_licensed_and_production_items():
    text = "一般项目：软件开发；电池销售。许可项目：第三类医疗器械生产"
    assert looks_like_scope(text)
    found = {i.text: i for i in items(text)}
    assert found["第三类医疗器械生产"].licensed and found["第三类医疗器械生产"].produces
    assert not found["电池销售"].licensed and not found["电池销售"].produces


@pytest.mark.parametrize(("product", "expected"), [
    ("光伏设备及元器件制造；储能技术服务", "energy"),
    ("医学影像设备制造；第三类医疗器械生产", "biomed"),
    ("风力发电机组及零部件销售；发电机及发电机组制造", "energy"),
])
def test_scope_products_beat_generic_phrases(m, product, expected):
    rec = _match(m, description=f"一般项目：{BOILERPLATE}；软件开发；合同能源管理；{product}。")
    top = rec["industries"][0]["id"]
    assert get_taxonomy().sector_of(top) == expected, top


@pytest.mark.parametrize(("label", "code"), [
    ("C3973", "3973"), ("集成电路制造", "3973"), ("医药制造业", "27"),
    ("制造业/计算机、通信和其他电子设备制造业", "39"), ("餐饮业", "62"), ("H6210 正餐服务", "62"),
])
def test_industry_labels_resolve_to_gbt_classes(label, code):
    assert Crosswalk(get_taxonomy()).resolve(label).code == code


def test_an_outside_industry_label_routes_to_review(m):
    rec = _match(m, description="公司经营多家门店，提供正餐和外卖", industry_label="餐饮业")
    assert rec["outside"]["gbt4754"] == "62" and rec["needs_review"]


def test_a_plan_industry_label_is_shown_and_lifts_its_node(m):
    text = "主营产品广泛应用于工业领域，客户覆盖国内外"
    plain = _match(m, description=text)
    labelled = _match(m, description=text, industry_label="C3491 工业机器人制造")
    assert labelled["industry_label"]["gbt4754"] == "3491"
    assert labelled["industry_label"]["mapping"] == "project"
    assert labelled["industries"][0]["id"] == "equipment-industrial-robots"
    assert plain["industries"][:1] != labelled["industries"][:1]


def test_the_current_district_is_shown_and_expansion_ranks_it_first(m):
    text = "汽车座椅和内饰总成生产，为整车厂配套"
    address = "上海市浦东新区金桥镇示例路8号"
    new = _match(m, description=text, address=address, lead_kind="new")
    grow = _match(m, description=text, address=address, lead_kind="扩产")
    assert new["current_district"]["code"] == grow["current_district"]["code"] == "310115"
    assert grow["current_district"]["lead_kind"] == "expansion"
    assert new["districts"][0]["code"] != "310115"  # new investment: where the plans point
    assert grow["districts"][0]["code"] == "310115"
    assert any("现址" in r for r in grow["districts"][0]["reasons"])


def test_a_robot_maker_sees_baoshan(m):
    rec = _match(m, description="我们生产六轴工业机器人和协作机器人，自研控制器和减速器")
    assert "310113" in [d["code"] for d in rec["districts"][:3]]


def test_calibration_lowers_an_overconfident_style_and_round_trips():
    from matcher.calibration import Calibrator

    conf = [0.99, 0.95, 0.9, 0.6] * 5 + [0.95, 0.9, 0.7, 0.5] * 5
    right = [True, False, False, False] * 5 + [True, True, True, False] * 5
    styles = ["scope"] * 20 + ["en"] * 20
    cal = Calibrator().fit(conf, right, styles)
    assert cal.maps_["scope"][2] == 20
    assert cal.transform(0.95, "scope") < 0.7 < cal.transform(0.9, "en")
    assert cal.transform(0.9, "en") > cal.transform(0.5, "en")  # still monotone
    again = Calibrator.from_dict(cal.to_dict())
    assert again.transform(0.95, "scope") == pytest.approx(cal.transform(0.95, "scope"))
    assert again.transform(0.95, "zh") == pytest.approx(cal.transform(0.95, "prose"))


@pytest.mark.parametrize(("text", "style"), [
    ("一般项目：集成电路设计；技术服务。许可项目：货物进出口", "scope"),
    ("We design analog chips", "en"),
    ("本公司從事積體電路設計", "zh-hant"),
    ("我们做芯片设计", "prose"),
])
def test_input_style_is_recognised(text, style):
    from matcher.calibration import input_style

    assert input_style(text) == style


def test_records_say_their_style_and_raw_confidence(m):
    rec = _match(m, description="本公司從事積體電路設計，產品包括處理器晶片")
    assert rec["parsed"]["style"] == "zh-hant"
    assert 0.0 <= rec["parsed"]["confidence_raw"] <= 1.0
    assert rec["needs_review"] == (rec["confidence"] < m.settings.review_threshold)


def test_evaluation_reports_outside_routing_and_reliability_per_style(m):
    from matcher.evaluate import evaluate, format_report

    cases = [
        {"id": "x1", "style": "prose", "profile": {"description": "我们生产六轴工业机器人"},
         "expect": {"districts": ["310113"], "industries": ["equipment-robots"]}},
        {"id": "x2", "style": "en", "profile": {"description": "A chain of noodle restaurants"},
         "expect": {"outside": True}},
    ]
    rep = evaluate(m, cases)
    assert rep.n == 1 and rep.outside_n == 1 and rep.outside_routed == 1.0
    assert set(rep.reliability) == {"prose", "en"}
    text = format_report(rep)
    assert "outside leads routed to review: 1.000" in text and "reliability" in text


def test_match_calibration_reads_the_first_districts_evidence_and_round_trips():
    from matcher.calibration import MatchCalibrator, match_features

    def places(first, third, backing):
        return [{"score": first, "sources": [{}] * backing}, {"score": (first + third) / 2},
                {"score": third}]
    strong, weak = places(0.9, 0.4, 4), places(0.6, 0.55, 1)
    feats = [match_features(0.9, strong)] * 10 + [match_features(0.9, weak)] * 10
    right = [True] * 9 + [False] + [False] * 8 + [True] * 2
    cal = MatchCalibrator().fit(feats, right, ["en"] * 10 + ["scope"] * 10)
    # the same raw industry confidence, told apart by the district evidence
    assert cal.score(confidence=0.9, style="en", districts=strong) > 0.6
    assert cal.score(confidence=0.9, style="en", districts=weak) < 0.5
    again = MatchCalibrator.from_dict(cal.to_dict())
    assert again.score(confidence=0.9, style="zh", districts=weak) == pytest.approx(
        cal.score(confidence=0.9, style="prose", districts=weak))


def test_calibrate_refuses_the_test_split(capsys):
    from matcher.cli import main

    assert main(["calibrate", "--split", "test", "-o", "/dev/null"]) == 2
    assert "test split" in capsys.readouterr().err
