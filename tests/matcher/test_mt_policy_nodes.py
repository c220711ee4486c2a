"""The policy matcher's best covered node per policy, taken over the nodes that have a
probability, is exactly the argmax over all nodes (ties: the first; none: node 0)."""

from __future__ import annotations

import numpy as np

from matcher import get_matcher


def test_best_nodes_equal_the_full_argmax():
    policies = get_matcher().policies
    rng = np.random.default_rng(0)
    n = policies.cover.shape[1]
    for trial in range(400):
        probs = np.zeros(n, dtype=np.float32)
        k = n if trial % 10 == 0 else int(rng.integers(0, 20))
        idx = rng.choice(n, size=k, replace=False)
        probs[idx] = rng.random(k).astype(np.float32)
        if trial % 7 == 0 and k:
            probs[idx[: k // 2]] = probs[idx[0]]  # equal probabilities
        weighted = policies.cover * probs[None, :]
        want = weighted.argmax(axis=1)
        best, strength = policies._best_nodes(probs)
        assert (best == want).all()
        assert (strength == weighted[np.arange(len(want)), want]).all()
        assert strength.dtype == weighted.dtype
