"""The term scan (TermIndex.find) against a brute-force reading of the same index: every key at
every position, longest kept, nested shorter ones dropped. The scan stops extending a span when
what it read starts no key and keeps only the longest key per position; this checks that it
finds exactly the same hits, in the same order, on the shipped taxonomy's terms."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from matcher.industry import node_terms
from matcher.outside import OutsideDetector
from matcher.terms import _CJK_RUN, _EN_RUN, KEYWORD, NAME, Hit, TermIndex
from matcher.text import EN_STOPWORDS, normalize, stem
from taxonomy import get_taxonomy

DATA = Path(__file__).resolve().parents[1] / "data"


def reference_find(index: TermIndex, text: str) -> list[Hit]:
    """Every key occurrence (every substring of a Chinese run, every window of English words),
    longest first, a span nested in a longer kept one dropped."""
    spans = []
    for m in _CJK_RUN.finditer(text):
        run, base = m.group(), m.start()
        for i in range(len(run)):
            for j in range(i + 2, len(run) + 1):
                postings = index.zh.get(run[i:j])
                if postings:
                    spans.append((base + i, base + j, run[i:j], postings))
    words = [(m.start(), m.end(), m.group()) for m in _EN_RUN.finditer(text)]
    stems = [None if w in EN_STOPWORDS or w.isdigit() else stem(w) for _, _, w in words]
    for i in range(len(words)):
        if stems[i] is None:
            continue
        parts = []
        for j in range(i, min(len(words), i + index.en_max + 2)):
            if stems[j] is None:
                continue
            parts.append(stems[j])
            postings = index.en.get(" ".join(parts))
            if postings:
                spans.append((words[i][0], words[j][1], text[words[i][0]:words[j][1]], postings))
    spans.sort(key=lambda s: (s[0] - s[1], s[0]))
    kept, hits = [], []
    for start, end, term, postings in spans:
        if any(s <= start and end <= e for s, e in kept):
            continue
        kept.append((start, end))
        hits.extend(Hit(term, node, kind) for node, kind in postings)
    return hits


@pytest.fixture(scope="module")
def indexes():
    tx = get_taxonomy()
    plan = TermIndex()
    for i, node in enumerate(tx.industries):
        names, keywords = node_terms(node)
        for t in names:
            plan.add(t, i, NAME)
        for t in keywords:
            plan.add(t, i, KEYWORD)
    return {"plan": plan, "outside": OutsideDetector(tx).index}


def _texts(index: TermIndex) -> list[str]:
    texts = []
    for name in ("benchmark.jsonl", "real_companies.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            texts.append(normalize(json.loads(line)["profile"].get("description", "")))
    # keys run together, overlapping and cut: nested, overlapping and prefix-only spans
    rng = random.Random(5)
    zh = sorted(k for k in index.zh if re.fullmatch(r"[\u3400-\u9fff]+", k))
    en = sorted(index.en)
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 6)):
            key = rng.choice(zh)
            cut = rng.random()
            parts.append(key[: max(1, len(key) - 1)] if cut < 0.2 else
                         key[1:] if cut < 0.3 else key)
        texts.append("".join(parts))
        words = " ".join(rng.choice(en) for _ in range(rng.randint(1, 4))).split(" ")
        if len(words) > 1 and rng.random() < 0.3:
            words.pop(rng.randrange(len(words)))  # a phrase with a word missing
        texts.append(" and ".join([" ".join(words), rng.choice(zh)]))
    # keys holding Latin letters or digits (ai芯片) are never met whole: text is read in Chinese
    # runs and English words
    texts += [f"{k}和{k}" for k in sorted(index.zh) if not re.fullmatch(r"[\u3400-\u9fff]+", k)]
    return texts


@pytest.mark.parametrize("which", ["plan", "outside"])
def test_scan_finds_what_every_key_at_every_position_finds(indexes, which):
    index = indexes[which]
    texts = _texts(index)
    found = 0
    for text in texts:
        hits = index.find(text)
        assert hits == reference_find(index, text), text
        found += len(hits)
    assert found > len(texts)  # the texts do hit keys


def test_scan_sees_keys_added_after_a_scan():
    index = TermIndex()
    index.add("集成电路", 0, NAME)
    assert [h.term for h in index.find("集成电路设计服务")] == ["集成电路"]
    index.add("集成电路设计", 1, KEYWORD)
    index.add("chip design house", 2, NAME)
    assert index.find("集成电路设计服务 and chip design houses") == [  # longest first
        Hit("chip design houses", 2, NAME), Hit("集成电路设计", 1, KEYWORD)]
