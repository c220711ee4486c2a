"""The engine on the mini taxonomy: §5 records, ranking, cited reasons, preferences, plan rules."""

from __future__ import annotations

import pytest

from matcher import Matcher
from matcher.industry import IndustryScorer
from matcher.model_store import model_path
from taxonomy import load_taxonomy
from tests.matcher.conftest import MINI_TAX

IC_ZH = "公司专注于高端处理器芯片和存储器芯片的研发与销售"
IC_EN = "Fabless startup designing low-power processors and memory chips for data centers"
IC_TW = "本公司從事積體電路設計，產品包括處理器晶片與記憶體"
BIOMED = "研发和生产高端医疗器械，包括手术机器人和体外诊断设备"
DRUGS = "生物医药企业，从事创新药研发"

RECORD_KEYS = {"row", "name", "taxonomy_version", "industries", "districts", "parks", "policies",
               "confidence", "warnings"}
INDUSTRY_KEYS = {"id", "name_zh", "name_en", "path_zh", "score", "evidence", "sources"}
DISTRICT_KEYS = {"code", "name_zh", "name_en", "score", "reasons"}
PARK_KEYS = {"id", "name_zh", "name_en", "district_code", "score", "reasons"}
POLICY_KEYS = {"id", "title_zh", "title_en", "scope", "why", "conditions", "sources"}


def _ids(items, key="id"):
    return [item[key] for item in items]


def test_record_has_the_design_keys(matcher, mini_tx):
    record = matcher.match({"name": "甲公司", "description": IC_ZH})
    assert set(record) >= RECORD_KEYS
    assert record["row"] == 0 and record["name"] == "甲公司"
    assert record["taxonomy_version"] == mini_tx.version
    assert record["industries"] and record["districts"] and record["parks"] and record["policies"]
    for item in record["industries"]:
        assert set(item) >= INDUSTRY_KEYS
        assert item["sources"] and set(item["sources"][0]) == {"plan", "section", "evidence"}
    for item in record["districts"]:
        assert set(item) >= DISTRICT_KEYS
    for item in record["parks"]:
        assert set(item) >= PARK_KEYS
    for item in record["policies"]:
        assert set(item) >= POLICY_KEYS
    assert isinstance(record["warnings"], list)


@pytest.mark.parametrize("description", [IC_ZH, IC_EN, IC_TW, BIOMED, DRUGS])
def test_scores_in_unit_interval_and_lists_best_first(matcher, description):
    record = matcher.match({"description": description, "preferred_districts": "崇明"})
    assert 0.0 <= record["confidence"] <= 1.0
    for kind in ("industries", "districts", "parks"):
        scores = [item["score"] for item in record[kind]]
        assert scores, kind
        assert all(0.0 <= s <= 1.0 for s in scores), kind
        assert scores == sorted(scores, reverse=True), kind
    relevance = [p["relevance"] for p in record["policies"]]
    assert relevance == sorted(relevance, reverse=True)


@pytest.mark.parametrize("description", [IC_ZH, IC_EN, IC_TW],
                         ids=["chinese", "english", "traditional"])
def test_ic_descriptions_rank_an_ic_node_first(matcher, mini_tx, description):
    record = matcher.match({"description": description})
    top = record["industries"][0]
    assert mini_tx.sector_of(top["id"]) == "ic"
    assert top["path_zh"].startswith("集成电路")
    assert top["evidence"]  # the terms that matched are shown
    assert not any(mini_tx.sector_of(i["id"]) == "biomed" for i in record["industries"])


@pytest.mark.parametrize("description,expected", [(BIOMED, "biomed-devices"), (DRUGS, "biomed")])
def test_biomed_descriptions_rank_biomed_first(matcher, description, expected):
    assert matcher.match({"description": description})["industries"][0]["id"] == expected


def test_traditional_and_simplified_give_the_same_industry(matcher):
    simplified = matcher.match({"description": "本公司从事集成电路设计，产品包括处理器芯片与内存"})
    traditional = matcher.match({"description": IC_TW})
    assert _ids(simplified["industries"]) == _ids(traditional["industries"])
    assert _ids(simplified["districts"], "code") == _ids(traditional["districts"], "code")


def test_districts_follow_the_plan_relations(matcher):
    ic = matcher.match({"description": IC_ZH})
    assert {"310117", "310115"} <= set(_ids(ic["districts"][:2], "code"))   # 松江, 临港 (浦东)
    assert _ids(ic["parks"])[0] == "lingang"
    assert ic["parks"][0]["district_code"] == "310115"
    devices = matcher.match({"description": BIOMED})
    assert "310114" in _ids(devices["districts"], "code")                  # 嘉定: 医疗设备
    assert "310114" not in _ids(ic["districts"], "code")


@pytest.mark.parametrize("description", [IC_ZH, IC_EN, BIOMED, DRUGS])
def test_every_location_reason_is_cited_from_the_plan(matcher, plan_text, description):
    record = matcher.match({"description": description, "project_type": "manufacturing"})
    places = record["districts"] + record["parks"]
    assert places
    for place in places:
        assert place["reasons"], place
        assert len(place["reasons"]) == len(place["reasons_en"])
        for reason in place["reasons"]:   # plain words; the citation is in the sources
            assert "《" not in reason and "是规划的" not in reason, reason
        relations = [r for r in place["reasons"] if r.startswith("规划")]
        assert len(place["sources"]) >= len(relations) >= 1
        for src in place["sources"]:
            assert src["plan"] == "sh-advanced-manufacturing-14fyp"
            assert plan_text.contains(src["evidence"], src["section"]), src


def test_policy_sources_are_cited_from_the_plan(matcher, plan_text):
    for description in (IC_ZH, DRUGS):
        for policy in matcher.match({"description": description})["policies"]:
            for src in policy["sources"]:
                assert plan_text.contains(src["evidence"], src["section"]), src


@pytest.mark.parametrize("preferred", ["浦东", "Pudong", "浦东新区", "310115", "pudong new area"])
def test_preferred_district_lifts_it(matcher, preferred):
    plain = matcher.match({"description": BIOMED})
    preferring = matcher.match({"description": BIOMED, "preferred_districts": preferred})
    before = {d["code"]: d for d in plain["districts"]}
    after = {d["code"]: d for d in preferring["districts"]}
    assert _ids(plain["districts"], "code")[0] != "310115"      # not first on its own...
    assert _ids(preferring["districts"], "code")[0] == "310115"  # ...first when preferred
    assert after["310115"]["score"] > before["310115"]["score"]
    assert "您的意向区域" in after["310115"]["reasons"]
    assert preferring["parsed"]["preferred_districts"] == ["310115"]


def test_a_preferred_district_without_relations_is_listed_with_the_reason(matcher):
    record = matcher.match({"description": IC_ZH, "preferred_districts": "Chongming"})
    chongming = next(d for d in record["districts"] if d["code"] == "310151")
    assert chongming["reasons"] == ["您的意向区域"]


def test_an_unknown_preferred_district_is_a_warning(matcher):
    record = matcher.match({"description": IC_ZH, "preferred_districts": "火星区"})
    assert "error" not in record
    assert any("火星区" in w and "not recognised" in w for w in record["warnings"])


@pytest.fixture
def central_matcher(mini_copy, tmp_path):
    """The mini taxonomy plus one relation that places IC in a central district (徐汇)."""
    with (mini_copy / "relations" / "all.yaml").open("a", encoding="utf-8") as fh:
        fh.write('- industry: ic\n  district: "310104"\n  role: key_development\n'
                 '  sources: [{plan: sh-advanced-manufacturing-14fyp, section: "四、", '
                 'evidence: 中心城区重点发展高附加值都市型产业和生产性服务业}]\n')
    return Matcher(load_taxonomy(mini_copy), model_dir=tmp_path / "models")


def test_manufacturing_pushes_central_districts_down(central_matcher):
    def districts(project_type):
        record = central_matcher.match({"description": IC_ZH, "project_type": project_type})
        return {d["code"]: d for d in record["districts"]}, _ids(record["districts"], "code")

    rd, rd_order = districts("rd_center")
    mf, mf_order = districts("manufacturing")
    assert mf["310104"]["score"] < rd["310104"]["score"]
    assert mf_order.index("310104") > mf_order.index("310117")      # below suburban 松江
    assert rd_order.index("310104") < rd_order.index("310117")      # services: central first
    assert any("郊区重点发展先进制造业" in r for r in mf["310104"]["reasons"])


def test_manufacturing_words_in_the_description_count_as_manufacturing(central_matcher):
    record = central_matcher.match({"description": "建设12英寸晶圆生产线，芯片制造工厂"})
    order = _ids(record["districts"], "code")
    assert order.index("310104") > order.index("310117")


def test_services_lift_central_districts(matcher):
    plain = _ids(matcher.match({"description": DRUGS, "project_type": "manufacturing"})["districts"],
                 "code")
    hq = matcher.match({"description": DRUGS, "project_type": "headquarters"})
    central = {"310101", "310104", "310105", "310106", "310107", "310109", "310110"}
    assert not central & set(plain)
    listed = [d for d in hq["districts"] if d["code"] in central]
    assert listed
    assert all("中心城区重点发展高附加值都市型产业和生产性服务业" in d["reasons"][0] for d in listed)


def test_policy_for_rd_centers_only(matcher):
    def policy_ids(project_type):
        profile = {"description": DRUGS}
        if project_type:
            profile["project_type"] = project_type
        return _ids(matcher.match(profile)["policies"])

    assert "amp-biomed-rd-platform" not in policy_ids("manufacturing")
    assert "amp-biomed-rd-platform" in policy_ids("rd_center")
    assert "amp-biomed-rd-platform" in policy_ids("研发中心")


def test_policy_with_unknown_project_type_asks_to_verify_it(matcher):
    policy = next(p for p in matcher.match({"description": DRUGS})["policies"]
                  if p["id"] == "amp-biomed-rd-platform")
    assert "项目类型需为研发中心" in policy["conditions"]


def test_policies_follow_the_industry(matcher):
    ic = _ids(matcher.match({"description": IC_ZH})["policies"])
    drugs = _ids(matcher.match({"description": DRUGS, "project_type": "rd_center"})["policies"])
    assert "amp-ic-design-park" in ic and "amp-biomed-rd-platform" not in ic
    assert "amp-biomed-rd-platform" in drugs and "amp-ic-design-park" not in drugs


def test_match_many_keeps_order_and_reports_bad_rows(matcher):
    rows = [
        {"name": "A", "description": IC_ZH},
        {"name": "B", "description": ""},
        {"name": "C", "description": DRUGS},
        {"name": "D"},
        {"name": "E", "description": BIOMED},
    ]
    out = matcher.match_many(rows)
    assert [r["row"] for r in out] == [0, 1, 2, 3, 4]
    for bad in (out[1], out[3]):
        assert {"row", "error"} <= set(bad) and bad["field"] == "description"
        assert "description" in bad["error"]
    assert [out[i]["name"] for i in (0, 2, 4)] == ["A", "C", "E"]
    assert out[0]["industries"][0]["id"].startswith("ic")
    assert out[2]["industries"][0]["id"] == "biomed"
    assert out[4]["industries"][0]["id"] == "biomed-devices"
    # the same rows scored one by one give the same results
    assert out[2]["industries"] == matcher.match(rows[2])["industries"]


def test_match_many_numbers_rows_from_start_row(matcher):
    out = matcher.match_many([{"description": IC_ZH}, {"description": " "}], start_row=10)
    assert [r["row"] for r in out] == [10, 11]
    assert "error" in out[1]


def test_one_absurd_row_does_not_abort_the_batch(matcher):
    out = matcher.match_many([{"description": IC_ZH}, {"description": IC_ZH, "employees": "9" * 400}])
    assert len(out) == 2 and out[0]["industries"]


def test_garbage_fields_become_warnings_in_the_record(matcher):
    record = matcher.match({"description": IC_ZH, "investment": "a lot", "land": "huge",
                            "project_type": "spaceship"})
    assert "error" not in record
    joined = " ".join(record["warnings"])
    assert "investment" in joined and "land" in joined and "project_type" in joined


def test_parsed_values_are_reported(matcher):
    record = matcher.match({"description": IC_ZH, "investment": "USD 30m", "land": "6.7公顷"})
    parsed = record["parsed"]
    assert parsed["investment_cny"] == pytest.approx(213e6)
    assert parsed["land_mu"] == pytest.approx(100.5)
    assert any("CNY/USD" in note for note in parsed["notes"])


def test_an_unrelated_description_asks_for_review(matcher):
    record = matcher.match({"description": "我们经营一家连锁火锅餐厅和奶茶店"})
    assert record["industries"] == [] or record["confidence"] < 0.5
    assert record["needs_review"] is True
    assert record["warnings"]


# ---- model persistence -------------------------------------------------------------------------


def test_model_is_saved_and_reused_per_taxonomy_version(mini_copy, tmp_path, monkeypatch):
    models = tmp_path / "models"
    fits = []
    real_fit = IndustryScorer.fit

    def counting_fit(self, *args, **kwargs):
        fits.append(1)
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(IndustryScorer, "fit", counting_fit)
    tx = load_taxonomy(mini_copy)
    first = Matcher(tx, model_dir=models)
    assert len(fits) == 1
    assert model_path(models, tx).is_file()

    second = Matcher(load_taxonomy(mini_copy), model_dir=models)
    assert len(fits) == 1                                   # loaded, not refitted
    assert second.match({"description": IC_ZH})["industries"] == \
        first.match({"description": IC_ZH})["industries"]

    with (mini_copy / "industries" / "ic.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- id: ic-equipment\n  level: industry\n  parent: ic\n  name_zh: 集成电路装备材料\n"
                 "  name_en: IC equipment and materials\n  keywords_zh: [光刻胶, 刻蚀设备]\n"
                 "  keywords_en: [photoresist, etching equipment]\n"
                 "  sources: [{plan: sh-advanced-manufacturing-14fyp, section: \"三、(一)1\", "
                 "evidence: 装备材料}]\n")
    changed = load_taxonomy(mini_copy)
    assert changed.version != tx.version
    third = Matcher(changed, model_dir=models)
    assert len(fits) == 2                                   # new version: refitted and saved
    assert model_path(models, changed).is_file()
    assert model_path(models, tx).is_file()
    record = third.match({"description": "生产光刻胶和刻蚀设备"})
    assert record["taxonomy_version"] == changed.version
    assert record["industries"][0]["id"] == "ic-equipment"


def test_an_unreadable_model_file_is_rebuilt(mini_tx, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    model_path(models, mini_tx).write_bytes(b"not a pickle")
    m = Matcher(mini_tx, model_dir=models)
    assert m.match({"description": IC_ZH})["industries"][0]["id"].startswith("ic")
    assert model_path(models, mini_tx).read_bytes() != b"not a pickle"


def test_a_plan_status_change_keeps_the_model(mini_copy, tmp_path, monkeypatch):
    import shutil

    from taxonomy.plans import set_plan_status

    shutil.copytree(MINI_TAX.parent / "plans", mini_copy / "plans")  # the edit checks citations
    models = tmp_path / "models"
    fits = []
    real_fit = IndustryScorer.fit

    def counting_fit(self, *args, **kwargs):
        fits.append(1)
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(IndustryScorer, "fit", counting_fit)
    tx = load_taxonomy(mini_copy)
    Matcher(tx, model_dir=models)
    assert len(fits) == 1
    before = sorted(models.glob("*.pkl"))

    set_plan_status(plan_id="sh-advanced-manufacturing-14fyp", status="draft",
                    data_dir=mini_copy, who="test")
    changed = load_taxonomy(mini_copy)
    assert changed.version != tx.version
    assert changed.plan_by_id["sh-advanced-manufacturing-14fyp"].status == "draft"
    again = Matcher(changed, model_dir=models)
    assert len(fits) == 1                                   # same industry tree: no refit
    assert sorted(models.glob("*.pkl")) == before           # and the same model file
    assert model_path(models, changed) == model_path(models, tx)
    assert again.match({"description": IC_ZH})["taxonomy_version"] == changed.version
