"""Plans no longer current (superseded or past their horizon): results resting only on them are
flagged and ranked below current ones, or dropped (MatcherSettings.stale_plans)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from matcher import Matcher, MatcherError, MatcherSettings
from matcher.currency import stale_plans
from taxonomy import get_taxonomy

DEC_2026 = dt.date(2026, 12, 1)
MID_2024 = dt.date(2024, 6, 1)
EV = {"description": "新能源汽车动力电池研发与生产，建设电池包和电驱动系统生产线",
      "project_type": "manufacturing"}
BIO = {"description": "We develop bispecific antibodies and antibody-drug conjugates and run a "
                      "biologics CDMO plant with 2000 L single-use bioreactors."}


@pytest.fixture(scope="module")
def tx():
    return get_taxonomy()


def _with_plan(tx, plan_id: str, **changes):
    plans = tuple(dataclasses.replace(p, **changes) if p.id == plan_id else p for p in tx.plans)
    return dataclasses.replace(tx, plans=plans)


def test_expired_plans_follow_the_date(tx):
    assert set(stale_plans(tx, MID_2024)) == {"minhang-manufacturing-2018-2020"}
    late = stale_plans(tx, DEC_2026)
    assert set(late) == {"minhang-manufacturing-2018-2020", "sh-advanced-manufacturing-14fyp",
                         "sh-strategic-emerging-14fyp", "lingang-power-city"}
    assert late["sh-advanced-manufacturing-14fyp"].kind == "expired"
    assert "2025" in late["sh-advanced-manufacturing-14fyp"].note_zh
    assert "2025" in late["sh-advanced-manufacturing-14fyp"].note_en


def test_a_superseded_plan_is_stale_and_names_its_successor(tx):
    marked = _with_plan(tx, "sh-future-industries", status="superseded")
    note = stale_plans(marked, MID_2024)["sh-future-industries"]
    assert note.kind == "superseded" and "新规划" in note.note_zh
    replaced = _with_plan(tx, "sh-strategic-emerging-14fyp", status="superseded",
                          superseded_by="sh-future-industries")
    note = stale_plans(replaced, MID_2024)["sh-strategic-emerging-14fyp"]
    assert note.kind == "superseded" and "上海打造未来产业创新高地" in note.note_zh
    assert "Shanghai Action Plan for Building a Future-Industries" in note.note_en


def _stale_first_index(rows: list[dict]) -> int:
    flags = [bool(r.get("stale")) for r in rows]
    return flags.index(True) if True in flags else len(flags)


@pytest.mark.parametrize("profile", [EV, BIO], ids=["ev", "bio"])
def test_flag_mode_marks_stale_results_in_both_languages_and_ranks_them_last(tx, profile):
    record = Matcher(tx, today=DEC_2026).match(profile)
    stale = stale_plans(tx, DEC_2026)
    policies = record["policies"]
    assert policies
    for p in policies:
        rests_on_stale = all(s["plan"] in stale for s in p["sources"])
        assert bool(p.get("stale")) == rests_on_stale, p["id"]
        if rests_on_stale:
            assert p["stale_note"].startswith("仅依据不再现行的规划")
            assert p["stale_note_en"].startswith("rests only on plans no longer current")
    for rows in (policies, record["districts"], record["parks"]):
        first = _stale_first_index(rows)
        assert all(r.get("stale") for r in rows[first:])  # nothing current after a stale one
    for place in record["districts"] + record["parks"]:
        if place.get("stale"):
            assert all(s["plan"] in stale for s in place["sources"][:1])
            assert place["stale_note_en"] and place["stale_note"]


def test_flag_mode_changes_nothing_while_every_plan_is_current(tx):
    current = Matcher(tx, today=dt.date(2019, 1, 1)).match(EV)
    assert not any(r.get("stale") for k in ("districts", "parks", "policies")
                   for r in current[k])


def test_drop_mode_leaves_out_what_rests_only_on_stale_plans(tx):
    settings = MatcherSettings(stale_plans="drop")
    record = Matcher(tx, settings, today=DEC_2026).match(EV)
    stale = stale_plans(tx, DEC_2026)
    assert record["policies"], "the future-industries plan's measures stay"
    for p in record["policies"]:
        assert not p.get("stale") and any(s["plan"] not in stale for s in p["sources"])
    for place in record["districts"] + record["parks"]:
        assert not place.get("stale")
    flagged = Matcher(tx, today=DEC_2026).match(EV)
    assert any(p.get("stale") for p in flagged["policies"])  # what drop mode left out


def test_superseding_a_plan_moves_its_measures_below_the_others(tx):
    plan = "sh-advanced-manufacturing-14fyp"
    before = Matcher(tx, today=MID_2024).match(BIO)
    assert before["policies"][0]["plan"] == plan and not before["policies"][0].get("stale")
    marked = _with_plan(tx, plan, status="superseded", superseded_by="sh-future-industries")
    after = Matcher(marked, today=MID_2024).match(BIO)
    flagged = [p for p in after["policies"] if p["plan"] == plan]
    assert flagged and all(p.get("stale") for p in flagged)
    flags = [bool(p.get("stale")) for p in after["policies"]]
    assert flags == sorted(flags) and not flags[0]  # current ones first
    assert all("已被《上海打造未来产业创新高地" in p["stale_note"] for p in flagged)
    assert all("superseded by Shanghai Action Plan" in p["stale_note_en"] for p in flagged)


def test_setting_round_trips_and_rejects_unknown_modes():
    s = MatcherSettings(stale_plans="drop")
    assert MatcherSettings.from_json(s.to_json()) == s
    assert MatcherSettings().stale_plans == "flag"
    with pytest.raises(MatcherError, match="stale_plans"):
        MatcherSettings(stale_plans="ignore")
    with pytest.raises(MatcherError):
        MatcherSettings.from_dict({"stale_plans": "hide"})
