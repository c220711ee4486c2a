"""Policy matching with remembered parts (eligibility masks per project type, traits and places;
explained items per what their texts read) gives what a plain reading of the rules gives, and
what a fresh matcher gives: the memories are keyed on everything they read."""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np
import pytest

from matcher import get_matcher
from matcher.evaluate import DEFAULT_BENCHMARK, load_benchmark
from matcher.policy import CATEGORY_WEIGHT, PolicyMatcher

TRAITS = ["high_tech", "specialized_sme", "listed", "startup", "foreign", "little_giant",
          "state_owned", "sme"]
TYPES = [None, "manufacturing", "rd_center", "headquarters", "other"]


@pytest.fixture(scope="module")
def calls():
    """The policy matcher's arguments for benchmark leads, their project types, traits and
    preferred places varied (so every part of a key changes somewhere)."""
    m = get_matcher()
    rng = random.Random(11)
    codes = [d.code for d in m.taxonomy.districts]
    zones = [z.id for z in m.taxonomy.zones]
    seen = []
    original = m.policies.match

    def spy(**kwargs):
        seen.append(kwargs)
        return original(**kwargs)

    profiles = []
    for lead in load_benchmark(DEFAULT_BENCHMARK)[:80]:
        profile = dict(lead["profile"])
        profile["project_type"] = rng.choice(TYPES)
        profile["traits"] = rng.sample(TRAITS, rng.randint(0, 2))
        if rng.random() < 0.3:
            profile["preferred_districts"] = rng.choice(["浦东新区", "闵行", "Jiading", "临港"])
        profiles.append(profile)
    m.policies.match = spy
    try:
        m.match_many(profiles)
    finally:
        del m.policies.match
    out = []
    for kwargs in seen:  # places varied too: other districts and parks near
        out.append(kwargs)
        districts = [{"code": c} for c in rng.sample(codes, 3)]
        parks = [{"id": z} for z in rng.sample(zones, 5)]
        out.append({**kwargs, "districts": districts, "parks": parks})
    assert len(out) > 100
    return out


def plain_match(pm: PolicyMatcher, probs, profile, districts, parks, preferred_codes,
                preferred_zones) -> list[tuple[str, float]]:
    """(id, relevance) of the policies shown, every policy's rules read one by one."""
    s = pm.settings
    traits = set(profile.traits) | set(profile.traits_inferred)
    near_codes = {d["code"] for d in districts[:3]} | set(preferred_codes)
    near_zones = {p["id"] for p in parks[:5]} | set(preferred_zones)
    any_industry = float(probs.max()) if len(probs) else 0.0
    rows = []
    for k, p in enumerate(pm.policies):
        covered = pm.covers[p.id]
        if covered is None:
            strength, floor = float(np.float32(any_industry * 0.4)), any_industry
        else:
            strength = float(probs[covered].max()) if len(covered) else 0.0
            floor = strength
        rows.append((k, p, strength, floor))
    rows.sort(key=lambda r: -r[2])  # stable: the first of equals first
    candidates = []
    for k, p, strength, floor in rows:
        if len(candidates) >= s.top_policies + 4:
            break
        # compared in the probabilities' precision (float32), as an array of them is
        if floor < float(np.float32(s.policy_industry_threshold)) or (pm.dropped and p.id in pm.stale):
            continue
        relevance = strength
        if p.project_types and profile.project_type is not None:
            if profile.project_type not in p.project_types:
                continue
            relevance *= 1.1
        if p.traits and not traits & set(p.traits):
            continue
        if p.scope == "district" and not set(p.scope_districts) & near_codes:
            continue
        if p.scope == "zone" and not set(p.scope_zones) & near_zones:
            continue
        if profile.project_type in CATEGORY_WEIGHT.get(p.category, ()):
            relevance *= 1.15
        candidates.append((p.id in pm.stale, -round(min(1.0, relevance), 4), p.id, k))
    candidates.sort()
    return [(pid, -neg) for _s, neg, pid, _k in candidates[: s.top_policies]]


def test_policies_shown_are_those_the_rules_give(calls):
    pm = get_matcher().policies
    shown = 0
    for kwargs in calls:
        got = [(p["id"], p["relevance"]) for p in pm.match(**kwargs)]
        assert got == plain_match(pm, **kwargs)
        shown += len(got)
    assert shown > len(calls)  # policies are shown, not only empty lists compared


def test_a_warm_matcher_answers_as_a_fresh_one(calls):
    m = get_matcher()
    warm = PolicyMatcher(m.taxonomy, m.node_ids, m.settings, None, m.stale)
    for kwargs in calls:
        warm.match(**kwargs)
    rng = random.Random(2)
    for kwargs in rng.sample(calls, 60):
        fresh = PolicyMatcher(m.taxonomy, m.node_ids, m.settings, None, m.stale)
        assert warm.match(**kwargs) == fresh.match(**kwargs)


def test_an_answer_may_be_changed_without_changing_the_next(calls):
    m = get_matcher()
    pm = PolicyMatcher(m.taxonomy, m.node_ids, m.settings, None, m.stale)
    kwargs = next(k for k in calls if len(pm.match(**k)) >= 2)
    first = pm.match(**kwargs)
    expected = pm.match(**kwargs)
    for item in first:
        item["verify"].append("changed")
        item["sources"][0]["plan"] = "changed"
        item["why"] = "changed"
    assert pm.match(**kwargs) == expected


def test_unknown_traits_and_types_are_not_held_against_a_policy():
    m = get_matcher()
    pm = PolicyMatcher(m.taxonomy, m.node_ids, m.settings, None, m.stale)
    probs = np.zeros(len(m.node_ids), dtype=np.float32)
    probs[:] = 0.9
    base = dict(probs=probs, districts=[], parks=[], preferred_codes=[], preferred_zones=[])
    plain = SimpleNamespace(project_type=None, traits=[], traits_inferred=[])
    odd = SimpleNamespace(project_type=None, traits=["no-such-trait"], traits_inferred=[])
    assert pm.match(profile=odd, **base) == pm.match(profile=plain, **base)
    assert [p["id"] for p in pm.match(profile=plain, **base)] == \
        [pid for pid, _ in plain_match(pm, profile=plain, **base)]


def test_strengths_read_node_by_node_equal_the_product():
    """`_strengths` (few nodes: node by node; many: the product) gives each covering policy the
    strength and node `_best_nodes` gives it (ties: the first node), and no other policy."""
    pm = get_matcher().policies
    rng = np.random.default_rng(4)
    n = pm.cover.shape[1]
    for trial in range(300):
        probs = np.zeros(n, dtype=np.float32)
        k = [n, 40, 33, 32][trial % 4] if trial % 5 == 0 else int(rng.integers(0, 12))
        idx = rng.choice(n, size=k, replace=False)
        probs[idx] = rng.random(k).astype(np.float32)
        if trial % 3 == 0 and k:
            probs[idx[: max(1, k // 2)]] = probs[idx[0]]  # equal probabilities
        best, strength = pm._best_nodes(probs)
        want = {p: (float(strength[p]), int(best[p])) for p in range(len(pm.policies))
                if strength[p] > 0 and not pm.generic[p]}
        assert pm._strengths(probs) == want
