"""Policy explanations are built once per policy and what they say (matcher.policy): a matcher
that has explained many profiles explains each one as a fresh matcher does."""

from __future__ import annotations

import copy

from matcher import get_matcher
from matcher.policy import PolicyMatcher
from tests.matcher.test_mt_chunks import generated_rows


def test_remembered_explanations_are_those_of_a_fresh_matcher():
    matcher = copy.copy(get_matcher())
    policies = matcher.policies
    seen = []

    class Recording:
        def __getattr__(self, name):
            return getattr(policies, name)

        def match(self, **kwargs):
            seen.append(kwargs)
            return policies.match(**kwargs)

    matcher.policies = Recording()
    matcher.match_many(generated_rows(160, seed=17))
    shown = [policies.match(**kwargs) for kwargs in seen]
    assert sum(len(x) for x in shown) > 300
    assert {p["verify"][0] for x in shown for p in x if p["verify"]} > set()
    assert len({p["why"] for x in shown for p in x}) > 10  # texts differ by profile
    fresh = PolicyMatcher(matcher.taxonomy, matcher.node_ids, matcher.settings, stale=matcher.stale)
    for kwargs, want in reversed(list(zip(seen, shown, strict=True))):  # another order
        assert fresh.match(**kwargs) == want
