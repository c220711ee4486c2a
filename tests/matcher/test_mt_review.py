"""Routing to review (issue 12, item 3): calibration fitted on the leads the scorer answers for,
no confidence without an industry, and a maker that also transports or trades is not outside."""

from __future__ import annotations

import json

import pytest

from matcher import get_matcher
from matcher.calibration import Calibrator
from matcher.engine import Matcher


@pytest.fixture(scope="module")
def m():
    return get_matcher()


def test_a_lead_without_any_industry_is_routed_even_when_calibration_lifts_confidence(m):
    lifting = Calibrator()
    lifting.maps_ = {"all": (0.1, 2.0, 50)}  # maps any raw confidence to about 0.88
    lifted = Matcher(m.taxonomy, calibration=lifting)
    rec = lifted.match({"description": "本公司成立于2010年，总部位于上海，员工约五十人"})
    assert rec["industries"] == [] and rec["outside"] is None
    assert rec["needs_review"] is True
    assert rec["confidence"] < 0.5
    assert any("no industry of the plans" in w for w in rec["warnings"])
    assert any("复核" in w for w in rec["warnings_zh"])


def test_a_maker_whose_scope_also_transports_is_not_outside(m):
    rec = m.match({"description": "许可项目：食品生产；乳制品生产；道路货物运输（不含危险货物）。"
                                  "一般项目：食用农产品批发；技术服务、技术开发"})
    assert rec["outside"] is None
    assert rec["industries"][0]["id"] == "consumer-food"


def test_a_scope_that_only_transports_is_still_outside(m):
    rec = m.match({"description": "许可项目：道路货物运输（不含危险货物）。一般项目：普通货物仓储服务；"
                                  "道路货物运输站经营；汽车租赁"})
    assert rec["outside"] is not None and rec["needs_review"] is True


def test_calibrate_fits_on_the_leads_inside_the_plans_only(tmp_path, capsys):
    from matcher.cli import main

    cases = [{"id": f"c{i}", "style": "prose", "split": "dev",
              "profile": {"description": "我们生产六轴工业机器人和协作机器人"},
              "expect": {"districts": ["310113"], "industries": ["equipment-robots"]}} for i in range(3)]
    cases += [{"id": f"o{i}", "style": "prose", "split": "dev",
               "profile": {"description": "连锁火锅餐厅，门店二十家"}, "expect": {"outside": True}}
              for i in range(2)]
    data = tmp_path / "cases.jsonl"
    data.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    out = tmp_path / "cal.json"
    assert main(["calibrate", "--data", str(data), "-o", str(out)]) == 0
    assert "calibration written" in capsys.readouterr().out
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["leads"] == 3


def test_match_command_reads_address_industry_label_and_kind_of_lead(capsys):
    from matcher.cli import main

    assert main(["match", "汽车座椅和内饰总成生产，为整车厂配套", "--address", "上海市浦东新区金桥镇示例路8号",
                 "--industry-label", "C3670", "--lead-kind", "扩产", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "where the company already is: Pudong New Area (expansion of an existing company)" in out
    assert "industry (GB/T 4754): 3670" in out
    assert main(["match", "汽车座椅和内饰总成生产", "--address", "上海市浦东新区金桥镇示例路8号",
                 "--lead-kind", "new", "--lang", "zh"]) == 0
    assert "企业现址所在区: 浦东新区 (新项目投资)" in capsys.readouterr().out


def test_evaluate_measures_real_companies_against_the_issue_targets(capsys):
    from matcher.cli import main

    assert main(["evaluate", "--no-misses"]) == 0
    out = capsys.readouterr().out
    plan, dev, test = out.split("\n\n== ")
    assert "(bar 0.90)" in plan.split("district hit@3")[1].splitlines()[0]
    for part in (dev, test):
        assert "(bar 0.92)" in part.split("district hit@3")[1].splitlines()[0]
        assert "(bar 0.80;" in part.split("park hit@5")[1].splitlines()[0]


def test_a_description_of_a_word_or_two_asks_for_review(m):
    rec = m.match({"description": "芯片"})
    assert rec["needs_review"] is True
    assert any("very short" in w for w in rec["warnings"])
    assert any("描述过短" in w for w in rec["warnings_zh"])
