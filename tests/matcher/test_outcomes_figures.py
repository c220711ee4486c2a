"""The outcomes report's figures on a fixture small enough to count by hand."""

from __future__ import annotations

import json

import pytest

from matcher.errors import InputFileError
from matcher.outcomes import load_outcomes, report, rows, to_csv


def _record(districts, parks, confidence, industry="ic-design", version="tx-a"):
    return {"taxonomy_version": version, "confidence": confidence,
            "industries": [{"id": industry}],
            "districts": [{"code": c} for c in districts], "parks": [{"id": p} for p in parks]}


ITEMS = [
    # 1: district first, park first
    {"lead_id": 1, "name": "甲", "source": "officer", "outcome": "landed", "district_code": "310115",
     "zone_id": "A", "industry_id": "ic", "closed_on": "2026-01-01",
     "record": _record(["310115", "310112"], ["A", "B"], 0.9)},
    # 2: district second, park fourth
    {"lead_id": 2, "name": "乙", "source": "public", "outcome": "landed", "district_code": "310112",
     "zone_id": "B", "industry_id": "bio", "closed_on": "2026-02-01",
     "record": _record(["310115", "310112", "310104"], ["A", "C", "D", "B"], 0.55)},
    # 3: signed where the match did not list the district at all; no park
    {"lead_id": 3, "name": "丙", "source": "officer", "outcome": "signed", "district_code": "310120",
     "zone_id": "", "industry_id": "", "closed_on": "2026-03-01",
     "record": _record(["310115", "310112", "310104", "310105", "310106"], ["A"], 0.3,
                       industry="ic", version="tx-b")},
    # 4: lost to another city: counted, not judged
    {"lead_id": 4, "source": "officer", "outcome": "lost", "lost_to": "other_city",
     "district_code": "", "closed_on": "2026-03-02", "record": _record(["310115"], [], 0.8)},
    # 5: landed, but no stored match
    {"lead_id": 5, "source": "import", "outcome": "landed", "district_code": "310115",
     "closed_on": "2026-03-03", "record": None},
]


def test_hit_rates_by_hand():
    rep = report(ITEMS)
    total = rep.total.rates()
    assert (total["n"], total["park_n"]) == (3, 2)
    assert (total["district_top1"], total["district_top3"], total["district_top5"]) == \
        pytest.approx((1 / 3, 2 / 3, 2 / 3))
    assert (total["park_top1"], total["park_top3"], total["park_top5"]) == \
        pytest.approx((1 / 2, 1 / 2, 1.0))
    assert rep.counts == {"landed": 3, "signed": 1, "lost:other_city": 1}
    assert rep.unscored == 1


def test_groups_by_industry_source_and_version():
    rep = report(ITEMS)
    # the real industry when recorded, else the matched one
    assert {k: t.n for k, t in rep.by_industry.items()} == {"ic": 2, "bio": 1}
    officer, public = rep.by_source["officer"].rates(), rep.by_source["public"].rates()
    assert (officer["n"], officer["district_top1"], officer["district_top3"]) == (2, 0.5, 0.5)
    assert (public["n"], public["district_top1"], public["district_top3"]) == (1, 0.0, 1.0)
    assert {k: t.n for k, t in rep.by_version.items()} == {"tx-a": 2, "tx-b": 1}
    # records before rankers count as fixed
    assert {k: t.n for k, t in rep.by_ranker.items()} == {"fixed": 3}
    learned = [dict(i, record={**i["record"], "ranker": "learned:abc"}) if i["lead_id"] == 2
               else i for i in ITEMS]
    by = {k: t.rates() for k, t in report(learned).by_ranker.items()}
    assert (by["learned:abc"]["n"], by["learned:abc"]["district_top3"]) == (1, 1.0)
    assert (by["fixed"]["n"], by["fixed"]["district_top1"]) == (2, 0.5)


def test_calibration_bins_confidence_against_hits():
    table = {b: t.rates() for b, t in report(ITEMS).calibration.items()}
    assert sorted(table) == [1, 2, 4]  # 0.3, 0.55, 0.9 in bins of 0.2
    assert (table[4]["district_top1"], table[4]["mean_confidence"]) == (1.0, 0.9)
    assert (table[2]["district_top1"], table[2]["district_top3"]) == (0.0, 1.0)
    assert (table[1]["n"], table[1]["district_top5"]) == (1, 0.0)


def test_off_plan_lists_only_places_the_match_did_not_list():
    off = report(ITEMS).off_plan
    assert [o["lead_id"] for o in off] == [3]
    assert off[0]["district_listed"] is False
    assert off[0]["matched_districts"] == ["310115", "310112", "310104"]


def test_csv_holds_the_figures_and_the_off_plan_leads():
    text = to_csv(report(ITEMS))
    first = text.splitlines()[1].split(",")
    assert first[:6] == ["all", "", "3", "0.333", "0.667", "0.667"]
    assert "off_plan,3,丙" in text
    assert [r["group"] for r in rows(report(ITEMS))].count("confidence") == 3


def test_evaluate_outcomes_on_an_export(tmp_path, capsys):
    from matcher.cli import main

    path = tmp_path / "outcomes.jsonl"
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in ITEMS), "utf-8")
    assert main(["evaluate", "--outcomes", str(path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["total"]["district_top3"] == pytest.approx(2 / 3)
    assert [o["lead_id"] for o in figures["off_plan"]] == [3]
    assert main(["evaluate", "--outcomes", str(path)]) == 0
    assert "landed where the match did not send them (1)" in capsys.readouterr().out


def test_a_broken_export_line_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ITEMS[0]) + "\n{not json\n", "utf-8")
    with pytest.raises(InputFileError, match="line 2"):
        load_outcomes(path)
