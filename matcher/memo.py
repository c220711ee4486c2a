"""Scorer results remembered within a batch run, so that repeated inputs are scored once.

`remembering(matcher)` returns a shallow copy of a `Matcher` whose scorers answer repeated calls
from bounded memories (least recently used out first). A remembered call is keyed on *all* of its
arguments, frozen (arrays by their bytes, lists and dicts as tuples; a few short texts and numbers
as themselves), so whatever a scorer reads from its arguments is part of the key, including
arguments added later: the memories sit around
the scorers' public calls, not inside them. A profile passed to the policy matcher is reduced to
the fields that matcher declares it reads (`PolicyMatcher.PROFILE_FIELDS`); reading another one
fails loudly instead of being answered from a wrong memory. Whole rows are remembered before
they are parsed (`RowMemory`, used by `matcher.batch.score_chunk`). Answers are copied out, so a caller
may change them. The records are the same as the matcher's own (tests/matcher/test_mt_chunks.py).
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections import OrderedDict
from types import SimpleNamespace

import numpy as np
import orjson

# Identity of a lead, never read by the scoring: rows that differ only here share one record.
IDENTITY_FIELDS = ("name", "credit_code")
PLAIN_KEY_CHARS = 1000  # longer texts are keyed by their digest (a memory holds 16 bytes)
ROW_CELLS = "__input__"  # matcher.io.reader.INPUT_KEY: the row's own cells, never scored


class LRU:
    """A bounded mapping; the least recently used entry goes first. With `may_idle`, a memory
    that answered fewer than one call in a hundred of its first IDLE_AFTER goes idle: its calls
    are then computed without it (the same answers; no key or copy to pay for)."""

    IDLE_AFTER = 512

    def __init__(self, size: int, may_idle: bool = False):
        self.size = max(1, int(size))
        self.data: OrderedDict = OrderedDict()
        self.hits = self.misses = 0
        self.may_idle = may_idle
        self.idle = False

    def _check_idle(self) -> None:
        if self.may_idle and self.hits + self.misses >= self.IDLE_AFTER \
                and self.hits * 100 < self.hits + self.misses:
            self.idle = True
            self.data.clear()

    def get(self, key, default=None):
        try:
            value = self.data[key]
        except KeyError:
            self.misses += 1
            if self.misses % 256 == 0:
                self._check_idle()
            return default
        self.data.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key, value) -> None:
        if self.idle:
            return
        self.data[key] = value
        if len(self.data) > self.size:
            self.data.popitem(last=False)


def _default(value):
    if isinstance(value, SimpleNamespace):
        return vars(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):  # a named tuple
        return list(value)
    raise TypeError(type(value).__name__)


def freeze(value) -> bytes:
    """A key for call arguments: the 128-bit BLAKE2 digest of their JSON (arrays by their
    values, dataclasses by their fields), so a memory holds 16 bytes per key, not the arguments
    (a probability vector, a profile, lists of places); TypeError for something that cannot be
    one."""
    return hashlib.blake2b(orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY,
                                        default=_default), digest_size=16).digest()


def plain_key(args: tuple):
    """The arguments themselves as the key when they are a few short texts and numbers (a
    text's hits, its focus: no JSON and no digest to pay for); None otherwise."""
    size = 0
    for a in args:
        kind = type(a)
        if kind is str:
            size += len(a)
        elif kind is not int:
            return None
    return args if size <= PLAIN_KEY_CHARS else None


class _Stored:
    """A remembered answer: JSON bytes (copied out by parsing them again: fast, and nothing is
    shared), or with `shallow` (a list of immutable items) the object itself, copied as a list."""

    __slots__ = ("copy", "data")

    def __init__(self, value, shallow: bool = False):
        if shallow:
            self.data, self.copy = value, (list if isinstance(value, list) else _same)
            return
        try:
            self.data = orjson.dumps(value)
            self.copy = _from_json(value)
        except TypeError:
            self.data = value
            self.copy = copy_out

    def get(self):
        return self.copy(self.data)


def _same(value):
    return value


def _from_json(value):
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return lambda data: tuple(orjson.loads(data))
    if isinstance(value, (dict, list, str, int, float, bool, type(None))):
        return orjson.loads
    raise TypeError(type(value).__name__)


def copy_out(value):
    """A copy deep enough that the caller may change it (dicts, lists, arrays)."""
    if isinstance(value, dict):
        return {k: copy_out(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_out(v) for v in value]
    if isinstance(value, tuple):
        items = [copy_out(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    return copy.deepcopy(value)


class _Remembering:
    """Forwards everything to `target`; the named methods answer repeated calls from memory
    (memories that rarely answer go idle, see `LRU`)."""

    def __init__(self, target, methods: tuple[str, ...], size: int, key_of=None,
                 shallow: bool = False, may_idle: bool = False):
        self._target = target
        self._memories = {}
        key_of = key_of or {}
        for name in methods:
            fn = getattr(target, name, None)
            if fn is None:
                continue
            memory = self._memories[name] = LRU(size, may_idle)
            setattr(self, name, _remember(fn, memory, key_of.get(name), shallow))

    def __getattr__(self, name):
        return getattr(self._target, name)


def _remember(fn, memory: LRU, adapt=None, shallow: bool = False):
    def call(*args, **kwargs):
        if memory.idle:
            return fn(*args, **kwargs)
        if adapt is not None:
            args, kwargs = adapt(args, kwargs)
        key = plain_key(args) if not kwargs else None
        if key is None:
            try:
                key = freeze([args, kwargs])
            except TypeError:
                return fn(*args, **kwargs)
        found = memory.get(key)
        if found is None:
            value = fn(*args, **kwargs)
            memory.put(key, _Stored(value, shallow))
            return value
        return found.get()

    call.memory = memory
    return call


class _RememberingScorer(_Remembering):
    """The industry scorer: per-text answers; a chunk's probabilities computed in one call for
    the texts not seen before (the rows of `predict_proba` do not depend on each other)."""

    def __init__(self, target, size: int):
        super().__init__(target, ("hits", "focus", "shared_words"), size, shallow=True)
        self._proba = self._memories["predict_proba"] = LRU(size)

    def predict_proba(self, texts, hits=None):
        keys = [(t if hits is None else (t, tuple(hits[i]))) if len(t) <= PLAIN_KEY_CHARS
                else freeze(t if hits is None else [t, hits[i]]) for i, t in enumerate(texts)]
        rows: list = [None] * len(texts)
        missing: dict = {}
        for i, key in enumerate(keys):
            row = self._proba.get(key)
            if row is None:
                missing.setdefault(key, []).append(i)
            else:
                rows[i] = row
        if missing:
            order = list(missing)
            first = [missing[k][0] for k in order]
            fresh = self._target.predict_proba([texts[i] for i in first],
                                               None if hits is None else [hits[i] for i in first])
            for key, row in zip(order, fresh, strict=True):
                row = row.copy()
                self._proba.put(key, row)
                for i in missing[key]:
                    rows[i] = row
        if not rows:
            return self._target.predict_proba(texts, hits)
        return np.stack(rows)


class _RememberingLocations(_Remembering):
    """The location scorer: `score_many` answers a chunk's requests from the memory of `score`
    (the same keys: its keyword arguments) and scores the requests not seen before in one call;
    a request repeated within the chunk is scored once and counts as a hit."""

    def __init__(self, target, size: int):
        super().__init__(target, ("score", "places_in_text", "resolve_places"), size,
                         may_idle=True)

    def score_many(self, requests: list[dict]) -> list:
        memory = self._memories["score"]
        if memory.idle:
            return self._target.score_many(requests)
        out: list = [None] * len(requests)
        missing: dict = {}  # key -> the indexes of its requests
        for i, req in enumerate(requests):
            try:
                key = freeze([(), req])
            except TypeError:  # not one to remember: scored on its own
                missing[("unkeyed", i)] = [i]
                continue
            if key in missing:
                memory.hits += 1
                missing[key].append(i)
                continue
            found = memory.get(key)
            if found is None:
                missing[key] = [i]
            else:
                out[i] = found.get()
        if missing:
            fresh = self._target.score_many([requests[ix[0]] for ix in missing.values()])
            for (key, ix), value in zip(missing.items(), fresh, strict=True):
                stored = _Stored(value)
                if not isinstance(key, tuple):
                    memory.put(key, stored)
                out[ix[0]] = value
                for i in ix[1:]:
                    out[i] = stored.get()
        return out


def _policy_view(args, kwargs):
    """The policy matcher's profile argument reduced to the fields it declares it reads."""
    profile = kwargs.get("profile")
    if profile is not None:
        from matcher.policy import PolicyMatcher

        kwargs = {**kwargs, "profile": SimpleNamespace(
            **{f: getattr(profile, f) for f in PolicyMatcher.PROFILE_FIELDS})}
    return args, kwargs


def remembering(matcher, size: int = 2048):
    """A copy of `matcher` whose scorers remember their answers (see the module's docstring)."""
    fast = copy.copy(matcher)
    fast.scorer = _RememberingScorer(matcher.scorer, 4 * size)
    fast.locations = _RememberingLocations(matcher.locations, size)
    fast.policies = _Remembering(matcher.policies, ("match",), size,
                                 key_of={"match": _policy_view}, may_idle=True)
    fast._select_industries = _remember(matcher._select_industries, LRU(4 * size, True))
    fast.rows = RowMemory(size // 2)  # whole rows, before parsing (matcher.batch.score_chunk)
    fast.remembered = {"texts": fast.scorer._proba, "locations": fast.locations._memories["score"],
                       "policies": fast.policies._memories["match"],
                       "profiles": fast.rows.memory}
    return fast


class RowMemory:
    """Whole rows scored once per run: a raw row's scoring inputs (every field but its identity
    and its own cells) as the key, the record's JSON as the answer; a copy gets the row's own
    number and name. Checking a row costs one small JSON dump, not a parse; remembering one
    costs the dump of its record, so on a list that hardly repeats a row the memory goes idle
    (`LRU`)."""

    def __init__(self, size: int):
        self.memory = LRU(size, may_idle=True)

    @property
    def idle(self) -> bool:
        return self.memory.idle

    @staticmethod
    def key(raw: dict) -> bytes | None:
        """The 128-bit digest of the row's scoring inputs as JSON, or None when the row is not one to remember (a
        name that is not text, a number JSON cannot hold exactly)."""
        name = raw.get("name")
        if name is not None and not isinstance(name, str):
            return None
        inputs = {}
        for k, v in raw.items():
            if k in IDENTITY_FIELDS or k == ROW_CELLS:
                continue
            if isinstance(v, float) and not math.isfinite(v):
                return None
            inputs[k] = v
        try:
            return hashlib.blake2b(orjson.dumps(inputs, option=orjson.OPT_SORT_KEYS),
                                   digest_size=16).digest()
        except TypeError:
            return None

    @staticmethod
    def name_of(raw: dict) -> str:
        """The record's name of a row (as `parse_profile` makes it)."""
        return (raw.get("name") or "").strip()

    def get(self, key: bytes | None) -> bytes | None:
        return None if key is None else self.memory.get(key)

    def put(self, key: bytes | None, data: bytes) -> None:
        if key is not None:
            self.memory.put(key, data)

    @staticmethod
    def copy_for(data: bytes, row: int, raw: dict) -> dict:
        out = orjson.loads(data)
        out["row"] = row
        if "error" not in out:
            out["name"] = RowMemory.name_of(raw)
        return out
