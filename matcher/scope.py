"""Business-scope (经营范围) strings: their items, and which items are boilerplate.

A scope lists standard items ("集成电路设计；技术服务、技术开发…；货物进出口"). Many items appear
in almost every company's scope whatever its trade; they say nothing about the industry. Which
ones they are is learned from a corpus of scope strings (document frequency), not listed by hand,
and saved with the model. Products and licensed activities (生产、制造 items, 许可项目) weigh most;
a licence to deal in goods (许可项目：危险化学品经营) does not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from matcher.text import normalize

CORPUS = Path(__file__).resolve().parent / "data" / "scope_corpus.txt"
_HEADER = re.compile(r"(一般项目|许可项目|经营范围)\s*[:：]?")
_NOTE = re.compile(r"[(（][^()（）]*(?:依法|批准|营业执照|许可证件|以相关部门|凭)[^()（）]*[)）]")
_QUALIFIER = re.compile(r"[(（][^()（）]*[)）]")
_SPLIT = re.compile(r"[；;。，,、\n]+")
_PRODUCES = re.compile(r"生产|制造|加工|研制|装配")
# a licensed item that only deals in goods (危险化学品经营, 药品批发, 食品销售) says what a company
# may sell, not what it makes: it weighs no more than any other item
_DEALS = re.compile(r"(经营|销售|批发|零售|进出口|代理|租赁|出租)$")


class Item(NamedTuple):
    text: str        # normalised item, qualifiers removed ("化工产品销售")
    licensed: bool   # listed under 许可项目
    produces: bool   # a production or manufacturing item

    @property
    def strong(self) -> bool:
        """A product, or a licensed activity other than dealing in goods."""
        return self.produces or (self.licensed and not _DEALS.search(self.text))


def looks_like_scope(text: str) -> bool:
    """True for a register's business-scope string rather than free prose."""
    if _HEADER.search(text):
        return True
    return text.count("；") + text.count(";") >= 3


def items(text: str) -> list[Item]:
    """The items of a scope string, in order, each once."""
    text = normalize(text)
    out, seen = [], set()
    licensed = False
    pos = 0
    parts = []
    for m in _HEADER.finditer(text):
        parts.append((text[pos:m.start()], licensed))
        licensed = m.group(1) == "许可项目"
        pos = m.end()
    parts.append((text[pos:], licensed))
    for chunk, lic in parts:
        chunk = _QUALIFIER.sub("", _NOTE.sub("", chunk))
        for raw in _SPLIT.split(chunk):
            item = raw.strip(" :：.")
            if len(item) < 2 or item in seen:
                continue
            seen.add(item)
            out.append(Item(item, lic, bool(_PRODUCES.search(item))))
    return out


def read_corpus(path: str | Path = CORPUS) -> list[str]:
    """Scope strings from a text file (one a line, `#` comments)."""
    with Path(path).open(encoding="utf-8") as fh:
        return [line.strip() for line in fh if line.strip() and not line.startswith("#")]


class BoilerplateModel:
    """Document frequency of scope items over a corpus; `fit` returns self.

    An item is boilerplate when it occurs in at least `min_share` of the scopes and in at least
    `min_docs` of them: such phrases are everywhere, whatever the company makes. Those in at
    least `ubiquitous_share` of them (技术服务、技术开发…) say nothing even about a company that
    only offers services; the merely common ones (合同能源管理, 软件开发) may be a service
    company's real business, so they give way only to products or licensed activities."""

    def __init__(self, min_share: float = 0.06, min_docs: int = 4, ubiquitous_share: float = 0.25):
        self.min_share = min_share
        self.min_docs = min_docs
        self.ubiquitous_share = ubiquitous_share

    def fit(self, scopes: Iterable[str]) -> BoilerplateModel:
        df: Counter = Counter()
        n = 0
        for scope in scopes:
            n += 1
            df.update({i.text for i in items(scope)})
        self.n_docs_ = n
        self.df_ = dict(df)
        floor = max(self.min_docs, self.min_share * n)
        self.boilerplate_ = frozenset(t for t, k in df.items() if k >= floor)
        self.ubiquitous_ = frozenset(t for t in self.boilerplate_
                                     if df[t] >= self.ubiquitous_share * n)
        return self

    def share(self, item: str) -> float:
        """Share of the corpus's scopes that carry this item."""
        return self.df_.get(item, 0) / max(self.n_docs_, 1)

    def focus(self, text: str) -> str:
        """The scope rewritten for matching: boilerplate items dropped (unless nothing else is
        left), products and licensed activities first and twice. Prose comes back unchanged."""
        if not looks_like_scope(text):
            return text
        found = items(text)
        has_strong = any(i.strong and i.text not in self.boilerplate_ for i in found)
        drop = self.boilerplate_ if has_strong else self.ubiquitous_
        kept = [i._replace(text=self._strip(i.text, drop)) for i in found if i.text not in drop]
        if not kept:
            return text
        strong = [i.text for i in kept if i.strong]
        return "；".join([*strong, *strong, *(i.text for i in kept)])

    @staticmethod
    def _strip(item: str, phrases) -> str:
        """An item without the boilerplate phrases inside it ("储能技术服务" -> "储能")."""
        for phrase in sorted(phrases, key=len, reverse=True):
            if phrase in item and len(item) - len(phrase) >= 2:
                item = item.replace(phrase, "")
        return item

    def boilerplate_in(self, text: str) -> list[str]:
        """The boilerplate items a scope carries (for explanations)."""
        if not looks_like_scope(text):
            return []
        return [i.text for i in items(text) if i.text in self.boilerplate_]
