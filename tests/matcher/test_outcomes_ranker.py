"""The ranker learned from outcomes: nothing changes without outcomes; on a synthetic history
(scripts/make_outcome_history.py) it beats the fixed weights on the most recent outcomes, is
saved with its taxonomy version, and reorders places without touching their reasons."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from matcher import ranker as ranker_store
from matcher.engine import Matcher
from matcher.evaluate import load_benchmark
from matcher.ranker import CandidateRanker, fit_ranker
from matcher.settings import MatcherSettings

ROOT = Path(__file__).resolve().parents[2]


def _history_module():
    spec = importlib.util.spec_from_file_location("make_outcome_history",
                                                  ROOT / "scripts" / "make_outcome_history.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fixed():
    return Matcher(ranker=None)


@pytest.fixture(scope="module")
def history(fixed):
    """Three years of closed leads from the labelled leads (each three times, drawn anew)."""
    return _history_module().make_history(seed=7, copies=3, matcher=fixed)


@pytest.fixture(scope="module")
def fitted(history, tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    return fit_ranker(history, model_dir=folder), folder


def test_without_outcomes_nothing_changes(fixed, tmp_path, monkeypatch):
    monkeypatch.setattr(ranker_store, "DEFAULT_MODEL_DIR", tmp_path)  # no ranker saved here
    cases = load_benchmark()[:40]
    default = Matcher()
    assert default.ranker is None
    ours = default.match_many([c["profile"] for c in cases])
    theirs = fixed.match_many([c["profile"] for c in cases])
    assert ours == theirs
    assert {r["ranker"] for r in ours} == {"fixed"}
    assert all("rank_score" not in d for r in ours for d in r["districts"])
    # too few outcomes: nothing is fitted, nothing saved
    few = fit_ranker([], model_dir=tmp_path)
    assert not few.switched_on and few.path is None and "fewer than the 100" in few.reason
    assert ranker_store.load(tmp_path, fixed.version) is None


def test_learned_beats_fixed_on_the_held_out_time_split(fitted):
    result, _folder = fitted
    assert result.n_train > 600 and result.n_test > 250
    assert result.switched_on, result.reason
    assert result.learned["mrr"] > result.fixed["mrr"]
    # districts and parks switch on alone, each only when it wins; else it keeps the fixed order
    for kind, est in (("district", result.ranker.districts), ("park", result.ranker.parks)):
        if est is not None:
            assert result.learned[f"{kind}_mrr"] >= result.fixed[f"{kind}_mrr"] + 0.01
            assert result.tried[f"{kind}_mrr"] == result.learned[f"{kind}_mrr"]
        else:
            assert result.learned[f"{kind}_mrr"] == result.fixed[f"{kind}_mrr"]
            assert result.tried[f"{kind}_mrr"] < result.fixed[f"{kind}_mrr"] + 0.01


def test_the_time_split_judges_only_later_outcomes(history, fitted):
    result, _folder = fitted
    landed = sorted(i["closed_on"] for i in history
                    if i["outcome"] != "lost" and i["district_code"])
    assert landed[0] <= result.train_until <= result.split_date <= landed[-1]
    # (leads the engine lists no district for are left out of both)
    assert sum(d >= result.split_date for d in landed) >= result.n_test
    assert sum(d <= result.train_until for d in landed) >= result.n_train


def test_saved_with_its_taxonomy_version_and_named_in_every_record(fitted, fixed):
    result, folder = fitted
    path = ranker_store.ranker_path(folder, fixed.version)
    assert result.path == path and path.is_file()
    saved = json.loads(path.read_text("utf-8"))
    assert saved["taxonomy_version"] == fixed.version
    assert ranker_store.load(folder, "tx-another") is None
    learned = Matcher(model_dir=None, ranker=ranker_store.load(folder, fixed.version))
    assert learned.ranker.name == result.ranker.name
    pool = Matcher(settings=ranker_store.pool_settings(MatcherSettings(), 16), ranker=None)
    profiles = [c["profile"] for c in load_benchmark()[:30]]
    moved = 0
    for rec, wide in zip(learned.match_many(profiles), pool.match_many(profiles), strict=True):
        assert rec["ranker"] == result.ranker.name
        assert len(rec["districts"]) <= 5 and len(rec["parks"]) <= 5
        engine = {d["code"]: d for d in wide["districts"]}
        for d in rec["districts"]:  # score, reasons and citations exactly as the engine made them
            assert {k: v for k, v in d.items() if k != "rank_score"} == engine[d["code"]]
        parks = {p["id"]: p for p in wide["parks"]}
        for p in rec["parks"]:
            assert {k: v for k, v in p.items() if k != "rank_score"} == parks[p["id"]]
        for kind, key, est in (("districts", "code", result.ranker.districts),
                               ("parks", "id", result.ranker.parks)):
            order = [x[key] for x in rec[kind]]
            if est is None:  # this list keeps the fixed order
                assert order == [x[key] for x in wide[kind][:5]]
                continue
            scores = [x["rank_score"] for x in rec[kind]]
            assert scores == sorted(scores, reverse=True)
            moved += order != [x[key] for x in wide[kind][:5]]
    assert moved > 0  # it does reorder


def test_a_ranker_that_no_longer_wins_is_switched_off(history, fitted, tmp_path):
    result, _folder = fitted
    ranker_store.save(result.ranker, tmp_path)
    strict = replace(MatcherSettings(), ranker_min_gain=1.0)  # no ranker can win by this much
    again = fit_ranker(history, model_dir=tmp_path, settings=strict)
    assert not again.switched_on
    assert not ranker_store.ranker_path(tmp_path, result.ranker.taxonomy_version).exists()


def test_candidate_ranker_is_an_estimator():
    est = CandidateRanker(C=0.5)
    assert est.get_params() == {"C": 0.5}
    X = np.array([[1.0, 0.0], [0.2, 1.0], [0.9, 0.1], [0.1, 0.8]])
    y, groups = np.array([1, 0, 1, 0]), np.array([0, 0, 1, 1])
    assert est.fit(X, y, groups) is est
    assert not hasattr(clone(est), "coef_")
    learned = [a for a in vars(est) if a not in est.get_params()]
    assert learned and all(a.endswith("_") for a in learned)
    s = est.decision_function(X)
    assert s[0] > s[1] and s[2] > s[3]
    again = CandidateRanker.from_dict(est.to_dict())
    assert np.allclose(again.decision_function(X), s)


def test_fit_ranker_command(history, tmp_path, capsys):
    from matcher.cli import main

    path = tmp_path / "history.jsonl"
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in history[:60]),
                    "utf-8")
    assert main(["fit-ranker", "--outcomes", str(path), "--dry-run"]) == 0
    assert "not switched on" in capsys.readouterr().out
