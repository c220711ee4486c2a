"""Places scored for a whole chunk at once (matcher.evidence) are the places scored row by row:
the same districts and parks, scores, reasons and sources, and every place's evidence score is
the per-place noisy-or of its statements to the last bit."""

from __future__ import annotations

import copy

import pytest

from matcher import get_matcher
from matcher.evaluate import DEFAULT_BENCHMARK, load_benchmark
from matcher.location import _Place
from tests.matcher.test_mt_chunks import generated_rows


@pytest.fixture(scope="module")
def requests():
    """The location requests the engine makes for benchmark profiles and a generated list."""
    matcher = copy.copy(get_matcher())
    scorer = matcher.locations
    seen, calls = [], []

    class Recording:
        def __getattr__(self, name):
            return getattr(scorer, name)

        def score_many(self, requests):  # the engine asks for a chunk's places at once
            seen.extend(requests)
            calls.append(len(requests))
            return scorer.score_many(requests)

    matcher.locations = Recording()
    rows = [case["profile"] for case in load_benchmark(DEFAULT_BENCHMARK)] + generated_rows(150)
    matcher.match_many(rows)
    assert len(seen) > 200 and calls == [len(seen)]  # one call for the whole chunk
    return scorer, seen


def test_a_chunk_ranks_places_as_each_row_alone(requests):
    scorer, seen = requests
    together = scorer.score_many(seen)
    alone = [scorer.score(**kwargs) for kwargs in seen]
    assert together == alone
    assert any(districts and parks for districts, parks in together)
    assert any(d.get("stale") for districts, parks in together for d in districts + parks)


def test_evidence_scores_are_the_noisy_or_of_each_places_statements(requests):
    scorer, seen = requests
    within, across = scorer._damping
    checked = 0
    for kwargs, found in zip(seen, scorer.evidence.bases(_shares(scorer, seen), within, across),
                             strict=True):
        nodes = list(dict.fromkeys(kwargs["matched"]))
        for p, base, current in found:
            lazy = _Place(base=base, lazy=(nodes, kwargs["probs"], scorer.evidence.places[p]))
            plain = _Place(contributions=scorer._contributions(lazy))
            assert plain.contributions
            assert plain._base(within, across) == base
            assert current == any(c[3].plan not in scorer.stale for c in plain.contributions)
            checked += 1
    assert checked > 1000


def _shares(scorer, seen):
    import numpy as np

    shares = np.zeros((len(seen), len(scorer.node_ids)))
    for i, kwargs in enumerate(seen):
        for m in dict.fromkeys(kwargs["matched"]):
            pm = float(kwargs["probs"][m])
            for r, broader, aff in scorer._shares_of[m]:
                share = (max(pm, float(kwargs["probs"][r])) if broader else pm) * aff
                shares[i, r] = max(shares[i, r], share)
    return shares


def test_a_remembering_matcher_scores_a_chunks_distinct_places_once():
    from matcher.memo import remembering

    fast = remembering(get_matcher())
    asked = []
    target = fast.locations._target

    class Counting:
        def __getattr__(self, name):
            return getattr(target, name)

        def score_many(self, requests):
            asked.append(len(requests))
            return target.score_many(requests)

    fast.locations._target = Counting()
    rows = generated_rows(40)
    twice = rows + rows
    assert fast.match_many(twice) == get_matcher().match_many(twice)
    assert len(asked) == 1 and asked[0] <= len(rows)
    assert fast.remembered["locations"].hits >= asked[0]
    assert fast.match_many(rows[:5]) == get_matcher().match_many(rows[:5]) and len(asked) == 1
