"""企业类型 (company type) as the market-regulation registry prints it, read as origin and traits.

Company-data exports (企查查, 天眼查) carry the registered type, e.g. 有限责任公司(外国法人独资),
有限责任公司(台港澳法人独资), 有限责任公司(自然人投资或控股), 股份有限公司(上市、国有控股),
外商投资企业分公司, 个人独资企业. The qualifier in brackets says who owns the company: foreign
investors, investors from Hong Kong, Macao or Taiwan, or domestic ones (natural persons, legal
persons, the state, collectives); 上市 / 国有 say that it is listed or state-owned. A value that
names neither a legal form nor an owner is not read (the caller flags it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.text import normalize

# Owners, most specific first: a 台港澳与外国投资者合资 company is read as HK/Macao/Taiwan.
_HK_MO_TW = re.compile(r"台港澳|港澳台|港澳|台资|港资|澳资|香港|澳门|台湾|台胞"
                       r"|hong kong|macao|macau|taiwan")
_FOREIGN = re.compile(r"外国|外商|外资|外籍|中外合资|中外合作|境外|\(地区\)企业"
                      r"|wfoe|wholly[ -]foreign|foreign|sino[ -]|joint venture")
_DOMESTIC = re.compile(
    r"有限责任公司|股份有限公司|有限公司|股份合作|全民所有制|集体所有制|联营|个人独资|合伙"
    r"|个体工商户|个体户|专业合作社|国有|自然人|法人独资|法人投资|内资|民营|私营|非公司企业法人"
    r"|事业单位|社会团体|民办非企业|基金会|机关|分公司|分支机构"
    r"|limited liability|company limited|joint[ -]stock|sole proprietor|partnership"
    r"|state[ -]owned|privately[ -]owned|private enterprise|collective")
_STATE_OWNED = re.compile(r"国有|全民所有制|国资|state[ -]owned")
_LISTED = re.compile(r"(?<![非未拟])上市|(?<![a-z-])listed")
_PLACEHOLDER = re.compile(r"[-－—–_/\\.·\s]*")

ORIGIN_NAMES = {"foreign": ("外资", "foreign"), "hk_mo_tw": ("港澳台资", "Hong Kong, Macao or Taiwan"),
                "domestic": ("内资", "domestic")}
TRAIT_NAMES = {"state_owned": ("国有企业", "state-owned"), "listed": ("上市公司", "listed")}


@dataclass(frozen=True, slots=True)
class CompanyType:
    """What a company-type value says: the origin code and the traits it states outright."""

    origin: str
    traits: tuple[str, ...] = ()

    def describe(self) -> tuple[str, str]:
        """(Chinese, English) reading, e.g. ("内资，国有企业、上市公司", "domestic; state-owned, listed")."""
        zh, en = ORIGIN_NAMES[self.origin]
        if self.traits:
            zh += "，" + "、".join(TRAIT_NAMES[t][0] for t in self.traits)
            en += "; " + ", ".join(TRAIT_NAMES[t][1] for t in self.traits)
        return zh, en


def is_placeholder(raw) -> bool:
    """True for the dashes and slashes exports print in an empty cell ('-', '--', '/')."""
    return isinstance(raw, str) and _PLACEHOLDER.fullmatch(raw) is not None


def read_company_type(raw) -> CompanyType | None:
    """The origin and traits a 企业类型 value states, or None when it names no owner or form."""
    if raw is None or not isinstance(raw, str):
        return None
    text = normalize(raw)
    if not text:
        return None
    if _HK_MO_TW.search(text):
        origin = "hk_mo_tw"
    elif _FOREIGN.search(text):
        origin = "foreign"
    elif _DOMESTIC.search(text):
        origin = "domestic"
    else:
        return None
    traits = tuple(t for t, pattern in (("state_owned", _STATE_OWNED), ("listed", _LISTED))
                   if pattern.search(text))
    return CompanyType(origin, traits)
