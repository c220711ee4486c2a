"""Location evidence as arrays, built once per taxonomy: a chunk's place scores in a few products.

An *entry* is one clause's statement about one place for one industry node: a relation's targets
(matcher.location) with the same place and clause are one entry, of their largest weight. For a
row, an entry's value is the share of its node (the row's probability times the affinity, the
largest over the listed nodes) times the entry's weight; values of at most 0.01 say nothing. A
place's score is the damped noisy-or of its entries per plan, then across plans, the largest
first (the same floating-point operations in the same order as `_Place.score`, so the same
numbers to the last bit).
"""

from __future__ import annotations

import numpy as np

FLOOR = 0.01  # a contribution of at most this says nothing
SMALL = 2  # up to this many rows, plain Python is faster than array calls


class Evidence:
    """Entries of a location scorer's relation targets: node, weight, (place, plan) group."""

    def __init__(self, targets_of_node: dict[int, list], stale: dict, n_nodes: int):
        """`targets_of_node`: node index -> its relations' targets in order,
        (is_park, key, weight, reason_zh, reason_en, prepared source)."""
        self.places: list[tuple[bool, str]] = []  # place index -> (is_park, key)
        place_of: dict[tuple, int] = {}
        group_of: dict[tuple, int] = {}
        entry_of: dict[tuple, int] = {}
        nodes, weights, groups = [], [], []
        group_place, group_stale = [], []
        # node -> {(is_park, key): [(weight, zh, en, source)]}: a place's reasons, in order
        self.by_place: dict[int, dict[tuple, list]] = {}
        for r, targets in targets_of_node.items():
            mine = self.by_place.setdefault(r, {})
            for is_park, key, weight, zh, en, source in targets:
                where = (is_park, key)
                p = place_of.get(where)
                if p is None:
                    p = place_of[where] = len(self.places)
                    self.places.append(where)
                g = group_of.get((p, source.plan))
                if g is None:
                    g = group_of[(p, source.plan)] = len(group_place)
                    group_place.append(p)
                    group_stale.append(source.plan in stale)
                e = entry_of.get((r, p, source.clause))
                if e is None:
                    entry_of[(r, p, source.clause)] = len(weights)
                    nodes.append(r)
                    weights.append(weight)
                    groups.append(g)
                else:
                    weights[e] = max(weights[e], weight)
                mine.setdefault(where, []).append((weight, zh, en, source))
        self.n_nodes = n_nodes
        self.entry_node = np.array(nodes, dtype=np.intp)
        self.entry_weight = np.array(weights, dtype=np.float64)
        self.entry_group = np.array(groups, dtype=np.intp)
        self.group_place = np.array(group_place, dtype=np.intp)
        self.group_current = ~np.array(group_stale, dtype=bool)
        # the same as lists, for a row or two (where array calls cost more than they save)
        self.node_entries: dict[int, list[tuple[int, float]]] = {}
        for r, g, w in zip(nodes, groups, weights, strict=True):
            self.node_entries.setdefault(r, []).append((g, w))
        self._group_place, self._group_current = group_place, [not x for x in group_stale]
        # place index -> its key's position among all place keys (ties in score go by key)
        self.key_rank = [0] * len(self.places)
        for k, q in enumerate(sorted(range(len(self.places)), key=lambda q: self.places[q][1])):
            self.key_rank[q] = k
        self._key_rank = np.array(self.key_rank, dtype=np.intp)

    def bases(self, shares: np.ndarray, within: float, across: float) -> list[list[tuple]]:
        """Per row of `shares` (rows x nodes): (place index, base score, rests on a current
        plan) for every place with evidence, in the order places rank (matcher.location):
        current first, then by base score (largest first), then by key."""
        if len(shares) <= SMALL:
            return [self._row_bases(row, within, across) for row in shares]
        out: list[list[tuple]] = [[] for _ in range(len(shares))]
        if not len(self.entry_node):
            return out
        values = shares[:, self.entry_node] * self.entry_weight
        rows, cols = np.nonzero(values > FLOOR)
        if not len(rows):
            return out
        group = self.entry_group[cols]
        plan_value, order, starts = _noisy_or(rows, group, values[rows, cols], within)
        rows, group = rows[order][starts], group[order][starts]
        place = self.group_place[group]
        base, order, starts = _noisy_or(rows, place, plan_value, across)
        current = np.logical_or.reduceat(self.group_current[group][order], starts)
        rows, place = rows[order][starts], place[order][starts]
        rank = np.lexsort((self._key_rank[place], -base, ~current, rows))
        for row, p, b, c in zip(rows[rank].tolist(), place[rank].tolist(), base[rank].tolist(),
                                current[rank].tolist(), strict=True):
            out[row].append((p, b, c))
        return out


    def _row_bases(self, shares: np.ndarray, within: float, across: float) -> list[tuple]:
        """`bases` of one row in plain Python (the same operations)."""
        groups: dict[int, list[float]] = {}
        for r in np.flatnonzero(shares).tolist():
            share = float(shares[r])
            for g, weight in self.node_entries.get(r, ()):
                value = share * weight
                if value > FLOOR:
                    groups.setdefault(g, []).append(value)
        places: dict[int, list] = {}
        for g, values in groups.items():
            places.setdefault(self._group_place[g], []).append(
                (_damped(values, within), self._group_current[g]))
        out = []
        for p in sorted(places):
            plans = places[p]
            out.append((p, _damped([v for v, _c in plans], across), any(c for _v, c in plans)))
        key_rank = self.key_rank
        out.sort(key=lambda t: (not t[2], -t[1], key_rank[t[0]]))
        return out


def _damped(values: list[float], later: float) -> float:
    """Noisy-or of values, largest first, later ones times `later` (as `_noisy_or`)."""
    values.sort(reverse=True)
    miss = 1.0
    for k, value in enumerate(values):
        miss *= 1.0 - min(value, 0.99) * (1.0 if k == 0 else later)
    return 1.0 - miss


def _noisy_or(major: np.ndarray, minor: np.ndarray, values: np.ndarray, later: float):
    """Per (major, minor) segment, the damped noisy-or of its values, largest first: the first
    counts fully, later ones times `later` (exactly `location._damped` on the sorted values).
    Returns the segment values, the sorting order and the segments' starts in that order."""
    order = np.lexsort((-values, minor, major))
    major, minor, values = major[order], minor[order], values[order]
    new = np.empty(len(values), dtype=bool)
    new[0] = True
    new[1:] = (major[1:] != major[:-1]) | (minor[1:] != minor[:-1])
    starts = np.flatnonzero(new)
    segment = np.cumsum(new) - 1
    rank = np.arange(len(values)) - starts[segment]
    dense = np.zeros((len(starts), int(rank.max()) + 1))
    dense[segment, rank] = values
    miss = np.ones(len(starts))
    for k in range(dense.shape[1]):
        miss *= 1.0 - np.minimum(dense[:, k], 0.99) * (1.0 if k == 0 else later)
    return 1.0 - miss, order, starts
