"""Exact term lookup: finds the taxonomy's names, aliases and keywords inside a profile's text."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from matcher.text import EN_STOPWORDS, english_phrase_key, has_chinese, normalize, stem

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_EN_RUN = re.compile(r"[a-z0-9][a-z0-9+]*")
NAME, KEYWORD = 0, 1
_stem = lru_cache(maxsize=100_000)(stem)  # stem() of the words seen, once per process


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

    def _scan_tables(self) -> tuple[dict, dict]:
        """(Chinese, English) tables for `find`: every key and every proper prefix of a key
        (by characters; by words for English) -> (the key's postings or None, whether a longer
        key starts with it). Built once per process (and again after `add`), so a scan stops
        extending a span as soon as what it has read starts no key."""
        cached = self.__dict__.get("_scan")
        size = (len(self.zh), len(self.en))
        if cached is None or cached[0] != size:
            tables = []
            # (a Chinese key holding Latin letters or digits is never met: text is scanned in
            # Chinese runs and English words)
            chinese = {k: v for k, v in self.zh.items() if _CJK_RUN.fullmatch(k)}
            for source, cut in ((chinese, list), (self.en, lambda k: k.split(" "))):
                table: dict[str, tuple] = {}
                sep = "" if source is chinese else " "
                for key in source:
                    parts = cut(key)
                    for j in range(1, len(parts)):
                        prefix = sep.join(parts[:j])
                        table[prefix] = (table.get(prefix, (None,))[0], True)
                for key, postings in source.items():
                    table[key] = (postings or None, table.get(key, (None, False))[1])
                tables.append(table)
            cached = self.__dict__["_scan"] = (size, *tables)
        return cached[1], cached[2]

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_scan", None)  # rebuilt on first use
        return state

    def find(self, text: str) -> list[Hit]:
        """Every term occurrence in normalised `text`, longest first; nested shorter ones dropped.

        Only the longest key starting at a position can be kept (a shorter one from there is
        nested in it, or in whatever longer span covers it), so the scan reads each position's
        keys, shortest first, and keeps the last one found."""
        spans: list[tuple[int, int, str, list]] = []
        zh, en = self._scan_tables()
        # the Chinese table holds only Chinese keys, so a span it finds lies in a Chinese run
        for i in [i for i in range(len(text) - 1) if text[i:i + 2] in zh]:
            found = None
            for j in range(i + 2, len(text) + 1):
                entry = zh.get(text[i:j])
                if entry is None:
                    break
                if entry[0] is not None:
                    found = (i, j, text[i:j], entry[0])
                if not entry[1]:
                    break
            if found is not None:
                spans.append(found)
        words = [(m.start(), m.end(), m.group()) for m in _EN_RUN.finditer(text)]
        if words:
            stems = [None if w in EN_STOPWORDS or w.isdigit() else _stem(w) for _, _, w in words]
            for i in range(len(words)):
                if stems[i] is None:
                    continue
                parts, found = [], None
                for j in range(i, min(len(words), i + self.en_max + 2)):
                    if stems[j] is None:
                        continue
                    parts.append(stems[j])
                    entry = en.get(" ".join(parts))
                    if entry is None:
                        break
                    if entry[0] is not None:
                        found = (words[i][0], words[j][1], text[words[i][0]:words[j][1]],
                                 entry[0])
                    if not entry[1]:
                        break
                if found is not None:
                    spans.append(found)
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
