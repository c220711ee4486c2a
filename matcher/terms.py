"""Exact term lookup: finds the taxonomy's names, aliases and keywords inside a profile's text."""

from __future__ import annotations

import re
from typing import NamedTuple

from matcher.text import EN_STOPWORDS, english_phrase_key, has_chinese, normalize, stem

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_EN_RUN = re.compile(r"[a-z0-9][a-z0-9+]*")
NAME, KEYWORD = 0, 1


def _loses_a_word(term: str) -> bool:
    """True when a phrase of several words keys to one: the dropped words (IT, Other, 12-inch's
    number) carried its meaning, and text drops them too, so the word left matches too much
    ("IT services" and "Other services" are not "services")."""
    return len(re.findall(r"[A-Za-z0-9]+", term)) > 1


class Hit(NamedTuple):
    term: str        # the term as matched (normalised)
    node: int        # node index
    kind: int        # NAME (name or alias) or KEYWORD


class TermIndex:
    """Maps normalised Chinese terms and stemmed English phrases to (node, kind) postings."""

    def __init__(self):
        self.zh: dict[str, list[tuple[int, int]]] = {}
        self.en: dict[str, list[tuple[int, int]]] = {}
        self.zh_max = 2
        self.en_max = 1

    def add(self, term: str, node: int, kind: int) -> None:
        raw, term = term, normalize(term)
        if not term:
            return
        if has_chinese(term):
            if _EN_RUN.search(term) is None and "+" in term:
                return  # "人工智能+" is not "人工智能": the plus is the name, and text runs drop it
            key = "".join(_CJK_RUN.findall(term)) if _EN_RUN.search(term) is None else term
            if len(key) < 2:
                return
            table, self.zh_max = self.zh, max(self.zh_max, len(key))
        else:
            key = english_phrase_key(term)
            if " " not in key and _loses_a_word(raw):
                return  # "IT services" is not "services", "12-inch" not "inch"
            if not key or (len(key) < 3 and " " not in key and key not in ("ai", "5g", "6g", "xr", "ar", "vr", "ev")):
                return
            table, self.en_max = self.en, max(self.en_max, key.count(" ") + 1)
        postings = table.setdefault(key, [])
        if (node, kind) not in postings:
            # a name beats a keyword for the same node
            if kind == NAME and (node, KEYWORD) in postings:
                postings.remove((node, KEYWORD))
            if not (kind == KEYWORD and (node, NAME) in postings):
                postings.append((node, kind))

    def _zh_lengths(self) -> list[int]:
        lengths = self.__dict__.get("_lengths")
        if lengths is None or len(self.zh) != self.__dict__.get("_lengths_for"):
            lengths = sorted({len(k) for k in self.zh}, reverse=True)
            self.__dict__["_lengths"], self.__dict__["_lengths_for"] = lengths, len(self.zh)
        return lengths

    def find(self, text: str) -> list[Hit]:
        """Every term occurrence in normalised `text`, longest first; nested shorter ones dropped."""
        spans: list[tuple[int, int, str, list]] = []
        lengths = self._zh_lengths()
        for m in _CJK_RUN.finditer(text):
            run, base = m.group(), m.start()
            n = len(run)
            for i in range(n - 1):
                for length in lengths:
                    j = i + length
                    if j <= n:
                        postings = self.zh.get(run[i:j])
                        if postings:
                            spans.append((base + i, base + j, run[i:j], postings))
        words = [(m.start(), m.end(), m.group()) for m in _EN_RUN.finditer(text)]
        stems = [None if w in EN_STOPWORDS or w.isdigit() else stem(w) for _, _, w in words]
        for i in range(len(words)):
            if stems[i] is None:
                continue
            parts = []
            for j in range(i, min(len(words), i + self.en_max + 2)):
                if stems[j] is None:
                    continue
                parts.append(stems[j])
                postings = self.en.get(" ".join(parts))
                if postings:
                    spans.append((words[i][0], words[j][1], text[words[i][0]:words[j][1]], postings))
        spans.sort(key=lambda s: (s[0] - s[1], s[0]))
        # covered_to[p]: the furthest end of a kept span containing position p; a span is nested
        # in a longer kept one exactly when covered_to[start] >= end
        covered_to = [0] * (len(text) + 1)
        hits: list[Hit] = []
        for start, end, term, postings in spans:
            if covered_to[start] >= end:
                continue
            for p in range(start, end):
                if covered_to[p] < end:
                    covered_to[p] = end
            hits.extend(Hit(term, node, kind) for node, kind in postings)
        return hits
