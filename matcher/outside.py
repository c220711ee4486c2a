"""Businesses outside the plans (restaurants, retail, trading, property, staffing …).

The GB/T 4754 crosswalk marks the classes no plan encourages (`mapping: outside`) and lists the
words such businesses describe themselves with. A lead is outside the plans when its industry
label is such a class, when its words of such classes outweigh its words of the plans'
industries, or when its business scope only sells, trades or rents (no product, no research).
A maker or an online platform that also names such words (a travel platform's 酒店) needs them
to outweigh its plan words twice over.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from matcher.gbt import LabelMatch
from matcher.scope import items, looks_like_scope
from matcher.terms import KEYWORD, NAME, Hit, TermIndex
from taxonomy import Taxonomy

_TRADE_ITEM = re.compile(r"(销售|批发|零售|代理|经纪|租赁|出租|进出口)$")
_MAKES_OR_RESEARCHES = re.compile(r"生产|制造|加工|研发|研究|开发|设计|试验|检测")
# an online platform names what it lists or books (酒店、机票; restaurants, rooms): those words are
# its wares, not its trade, so they must outweigh its plan words as clearly as a maker's must
_PLATFORM = re.compile(r"平台|在线|线上|网上|互联网|电商|\b(?:online|platform|app|marketplace|e-commerce)s?\b")
TRADE_SHARE = 0.6  # a scope whose items are at least this share selling or trading


def _weight(terms, text: str) -> int:
    """Characters of the terms, each counted as often as prose repeats it (at most 3 times): a
    café chain that says café twice is a café, whatever one word (seating) of a plan industry
    says. A scope string lists each item once (and is rewritten with its products repeated), so
    there each term counts once."""
    if looks_like_scope(text):
        return sum(len(t) for t in terms)
    return sum(len(t) * min(3, max(1, text.count(t))) for t in terms)


class Outside(NamedTuple):
    code: str
    name_zh: str
    name_en: str
    terms: tuple[str, ...]
    reason_zh: str
    reason_en: str


class OutsideDetector:
    """Finds leads whose business is not an industry the plans encourage."""

    def __init__(self, taxonomy: Taxonomy):
        self.classes = [c for c in taxonomy.industry_classes if c.mapping == "outside"]
        self.by_code = {c.code: c for c in self.classes}
        self.index = TermIndex()
        for i, c in enumerate(self.classes):
            self.index.add(c.name_zh, i, NAME)
            self.index.add(c.name_en, i, NAME)
            for term in (*c.keywords_zh, *c.keywords_en):
                self.index.add(term, i, KEYWORD)

    def _verdict(self, code: str, terms, zh: str, en: str) -> Outside:
        c = self.by_code[code]
        return Outside(c.code, c.name_zh, c.name_en, tuple(terms), zh, en)

    def check(self, text: str, plan_hits: list[Hit], label: LabelMatch | None) -> Outside | None:
        """The outside class this lead belongs to, or None when it may fit the plans.

        `text` is the normalised text as scored (scope boilerplate removed), `plan_hits` the
        taxonomy terms found in it, `label` its resolved 所属行业 (or None)."""
        plan_terms = {h.term for h in plan_hits}
        plan_chars = sum(len(t) for t in plan_terms)
        label_outside = label is not None and label.mapping == "outside" and label.code in self.by_code
        if label_outside and not (plan_chars >= 6 and _MAKES_OR_RESEARCHES.search(text)):
            return self._verdict(
                label.code, (),
                f"所属行业为“{label.name_zh}”（GB/T 4754-2017 {label.code}），不属于规划鼓励的产业",
                f"its industry label is {label.name_en} (GB/T 4754-2017 {label.code}), "
                "not an industry the plans encourage")
        searched = text
        if looks_like_scope(text):
            made = [i.text for i in items(text) if i.produces]
            if made:  # a maker whose scope also trades, transports or rents is a maker: only
                searched = "；".join(made)  # its production items can say its trade is outside
        found = [h for h in self.index.find(searched)
                 if not any(h.term in t and h.term != t for t in plan_terms)]
        by_class: dict[int, set] = {}
        for h in found:
            by_class.setdefault(h.node, set()).add(h.term)
        if by_class:
            best = max(by_class, key=lambda k: (sum(len(t) for t in by_class[k]), -k))
            terms = sorted(by_class[best], key=lambda t: (-len(t), t))
            out_terms = {t for ts in by_class.values() for t in ts}
            out_chars, plan_weight = _weight(out_terms, text), _weight(plan_terms, text)
            makes = bool(_MAKES_OR_RESEARCHES.search(text) or _PLATFORM.search(text))
            if out_chars >= 2 and out_chars > (2 * max(plan_weight, 2) if makes else plan_weight):
                c = self.classes[best]
                shown = "、".join(terms[:3])
                return self._verdict(
                    c.code, terms,
                    f"描述的主业（{shown}）属于“{c.name_zh}”，不属于规划鼓励的产业",
                    f"its business ({', '.join(terms[:3])}) is {c.name_en.lower()}, "
                    "not an industry the plans encourage")
        if looks_like_scope(text):
            found_items = items(text)
            trade = [i.text for i in found_items if _TRADE_ITEM.search(i.text)]
            makes = [i for i in found_items if i.produces or _MAKES_OR_RESEARCHES.search(i.text)]
            if found_items and not makes and len(trade) >= TRADE_SHARE * len(found_items):
                code = "52" if sum("零售" in t for t in trade) * 2 > len(trade) else "51"
                return self._verdict(
                    code, tuple(trade[:3]),
                    f"经营范围只有销售、贸易类项目（{'、'.join(trade[:3])}），没有生产或研发",
                    "its business scope only sells or trades "
                    f"({', '.join(trade[:3])}), with no production or research")
        return None
