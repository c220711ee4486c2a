"""Parsers for the structured profile fields people type: money, land, headcount, categories.

Each parser returns a `Parsed` value: the number or code, a note saying how it was read, or a
warning when it could not be read. Nothing here raises on bad input. A negative amount, area or
headcount ('-5 USD', '负3亩', -10) is such a warning: it names the field and the value is
ignored, the rest of the profile is still matched (the same in the web form, the API, the
command line and batch files, whose check report lists it by row and field). The dash or slash
an export prints in an empty cell ('-', '--', '/') is no value, not a problem.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from matcher import labels
from matcher.company_type import is_placeholder, read_company_type
from matcher.text import normalize

# Reference exchange rates, CNY per unit; shown in every converted result. Override in settings.
DEFAULT_RATES = {"CNY": 1.0, "USD": 7.1, "EUR": 7.7, "GBP": 9.0, "HKD": 0.91, "JPY": 0.047,
                 "TWD": 0.22, "SGD": 5.3, "KRW": 0.0052, "CHF": 8.0}
_CURRENCY_WORDS = [
    ("USD", r"usd|us\$|\$|美元|美金|dollars?"),
    ("EUR", r"eur|euros?|€|欧元"),
    ("GBP", r"gbp|£|英镑|pounds?"),
    ("HKD", r"hkd|hk\$|港币|港元"),
    ("JPY", r"jpy|yen|日元|円"),
    ("TWD", r"twd|nt\$|新台币|台币"),
    ("SGD", r"sgd|新加坡元"),
    ("KRW", r"krw|韩元"),
    ("CHF", r"chf|瑞士法郎"),
    ("CNY", r"cny|rmb|人民币|元|yuan|¥"),
]
_SCALES = [
    (r"万亿", 1e12), (r"亿", 1e8), (r"千万", 1e7), (r"百万", 1e6), (r"万", 1e4), (r"千", 1e3),
    (r"trillion|tn", 1e12), (r"billion|bn|b", 1e9), (r"million|mn|mio|m", 1e6),
    (r"thousand|k", 1e3),
]
_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)")


MAX_CNY = 1e14          # 100 万亿元: anything larger is a typing error
MAX_MU = 1e6            # about 667 km², larger than Shanghai
MAX_EMPLOYEES = 5_000_000


def _finite(value: float, limit: float) -> bool:
    return math.isfinite(value) and 0 <= value <= limit


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed value; `note`/`warning` in English, `note_zh`/`warning_zh` in Chinese."""

    value: Any = None
    note: str = ""
    warning: str = ""
    note_zh: str = ""
    warning_zh: str = ""


def _warn(field: str, raw: Any, en: str, zh: str) -> Parsed:
    """A warning about one field's value, in both languages (the field named by its label)."""
    return Parsed(warning=f"{field} {raw!r} {en}",
                  warning_zh=f"{labels.zh(labels.FIELDS, field)}“{raw}”{zh}")


def _amount_zh(cny: float) -> str:
    """An amount in yuan as Chinese readers write it (万元 / 亿元)."""
    if cny >= 1e8:
        return f"{cny / 1e8:,.4g} 亿元"
    if cny >= 1e4:
        return f"{cny / 1e4:,.6g} 万元"
    return f"{cny:,.0f} 元"


def _area(mu: float) -> tuple[str, str]:
    """An area in mu, also in m² and hectares: (Chinese, English)."""
    m2, ha = mu * 2000 / 3, mu / 15
    return (f"{mu:,.1f} 亩（{m2:,.0f} 平方米，{ha:,.2f} 公顷）",
            f"{mu:,.1f} mu = {m2:,.0f} m² = {ha:,.2f} ha")


_MINUS = "-−–—﹣－负"


def _blank(raw: Any) -> bool:
    """No value: nothing, blank text, or the dash or slash of an empty export cell."""
    return raw is None or (isinstance(raw, str) and (not raw.strip() or is_placeholder(raw)))


def _minus_before(before: str) -> bool:
    """True when the text before a number ends with a minus sign (or 负): the number is negative."""
    before = before.rstrip()
    return bool(before) and before[-1] in _MINUS


def _negative(field: str, raw: Any, what_en: str, what_zh: str) -> Parsed:
    return _warn(field, raw, f"is negative: {what_en} cannot be below zero; ignored",
                 f"为负数：{what_zh}不能小于零，已忽略")


def _number_and_rest(text: str) -> tuple[float | None, str, str]:
    m = _NUMBER.search(text)
    if not m:
        return None, "", text
    return float(m.group(1).replace(",", "")), text[: m.start()], text[m.end():]


def parse_money(raw: Any, rates: dict[str, float] | None = None) -> Parsed:
    """'5000万元', '1.2亿', '3億元', 'USD 30m', 'EUR 1.2 billion', '30,000,000' -> CNY."""
    if _blank(raw):
        return Parsed()
    rates = rates or DEFAULT_RATES
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw < 0:
            return _negative("investment", raw, "an amount", "金额")
        if not _finite(float(raw), MAX_CNY):
            return _warn("investment", raw, "is not a plausible amount; ignored", "不是合理的金额，已忽略")
        return Parsed(float(raw), f"{raw:,.0f} read as CNY",
                      note_zh=f"{raw:,.0f} 按人民币元计（{_amount_zh(float(raw))}）")
    text = normalize(str(raw))
    number, before, after = _number_and_rest(text)
    if number is None:
        return _warn("investment", raw, "has no number; ignored", "中没有数字，已忽略")
    if _minus_before(before):
        return _negative("investment", raw, "an amount", "金额")
    rest = after.strip()
    scale = 1.0
    for pattern, factor in _SCALES:
        m = re.match(rf"\s*({pattern})(?![a-z])", rest)
        if m:
            scale = factor
            rest = rest[m.end():]
            break
    currency = "CNY"
    context = before + " " + rest
    for code, pattern in _CURRENCY_WORDS:
        if re.search(pattern, context):
            currency = code
            break
    cny = number * scale * rates.get(currency, 1.0)
    if not _finite(cny, MAX_CNY):
        return _warn("investment", raw, "is not a plausible amount; ignored", "不是合理的金额，已忽略")
    if currency == "CNY":
        return Parsed(cny, f"'{raw}' = {cny:,.0f} CNY", note_zh=f"{raw} = {_amount_zh(cny)}")
    rate, name_zh = rates[currency], labels.zh(labels.CURRENCIES, currency)
    return Parsed(cny, f"'{raw}' = {cny:,.0f} CNY at {rate} CNY/{currency} (reference rate)",
                  note_zh=f"{raw} = {_amount_zh(cny)}（按参考汇率 1 {name_zh} = {rate} 元折算）")


_LAND_UNITS = [  # unit pattern, factor to mu (亩)
    (r"平方公里|km2|km²|sq\.? ?km", 1500.0),
    (r"公顷|hectares?|ha\b", 15.0),
    (r"亩|mu\b", 1.0),
    (r"平方米|平米|m2|m²|sqm|sq\.? ?m|square met(?:er|re)s?", 3 / 2000),
    (r"acres?", 6.0703),
    (r"square feet|sq\.? ?ft|sqft", 0.0929 * 3 / 2000),
]


def parse_land(raw: Any) -> Parsed:
    """'100亩', '6.7公顷', '40畝', '50,000 sqm', '300 mu', '5万平方米' -> mu (亩)."""
    if _blank(raw):
        return Parsed()
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw < 0:
            return _negative("land", raw, "an area", "面积")
        if not _finite(float(raw), MAX_MU):
            return _warn("land", raw, "is not a plausible area; ignored", "不是合理的面积，已忽略")
        area_zh, area_en = _area(float(raw))
        return Parsed(float(raw), f"{raw} read as mu: {area_en}", note_zh=f"{raw} 按亩计：{area_zh}")
    text = normalize(str(raw))
    number, before, after = _number_and_rest(text)
    if number is None:
        return _warn("land", raw, "has no number; ignored", "中没有数字，已忽略")
    if _minus_before(before):
        return _negative("land", raw, "an area", "面积")
    rest = after.strip()
    if rest.startswith("万"):
        number, rest = number * 1e4, rest[1:].strip()
    for pattern, factor in _LAND_UNITS:
        if re.match(pattern, rest):
            mu = number * factor
            if not _finite(mu, MAX_MU):
                return _warn("land", raw, "is not a plausible area; ignored", "不是合理的面积，已忽略")
            area_zh, area_en = _area(mu)
            return Parsed(mu, f"'{raw}' = {area_en}", note_zh=f"{raw} = {area_zh}")
    return Parsed(warning=f"land {raw!r}: unit not recognised (use 亩, 公顷, sqm or acres); ignored",
                  warning_zh=f"用地需求“{raw}”的单位无法识别（请使用亩、公顷、平方米或英亩），已忽略")


def parse_employees(raw: Any) -> Parsed:
    """'200', '200人', '约300名员工', '1,200', '50-100', '500+' -> a headcount."""
    if _blank(raw):
        return Parsed()
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw < 0:
            return _negative("employees", raw, "a headcount", "人数")
        if not _finite(float(raw), MAX_EMPLOYEES):
            return _warn("employees", raw, "is not a plausible headcount; ignored",
                         "不是合理的人数，已忽略")
        return Parsed(int(raw))
    text = normalize(str(raw))
    numbers = [float(n.replace(",", "")) for n in _NUMBER.findall(text)]
    if not numbers:
        return _warn("employees", raw, "has no number; ignored", "中没有数字，已忽略")
    if _minus_before(_number_and_rest(text)[1]):
        return _negative("employees", raw, "a headcount", "人数")
    value = numbers[0]
    if "万" in text:
        value *= 1e4
    note = note_zh = ""
    if len(numbers) >= 2 and re.search(r"\d\s*(-|~|至|到|to)\s*\d", text):
        value = (numbers[0] + numbers[1]) / 2
        note = f"'{raw}': range, midpoint {int(value)} used"
        note_zh = f"{raw}：为区间，按中值 {int(value)} 人计"
    if not _finite(value, MAX_EMPLOYEES):
        return _warn("employees", raw, "is not a plausible headcount; ignored", "不是合理的人数，已忽略")
    return Parsed(int(value), note, note_zh=note_zh)


PROJECT_TYPE_WORDS = {
    "manufacturing": ["manufacturing", "manufacture", "factory", "plant", "production", "生产",
                      "制造", "工厂", "生产基地", "产线", "生产线"],
    "rd_center": ["rd_center", "r&d", "research", "研发", "研发中心", "实验室", "lab", "创新中心"],
    "headquarters": ["headquarters", "hq", "总部", "地区总部", "regional headquarters"],
    "sales_service": ["sales_service", "sales", "service", "trading", "销售", "贸易", "服务",
                      "营销", "distribution", "分销"],
    "other": ["other", "其他"],
}
ORIGIN_WORDS = {
    "hk_mo_tw": ["hk_mo_tw", "港澳台", "香港", "澳门", "台湾", "hong kong", "macau", "macao",
                 "taiwan"],
    "foreign": ["foreign", "外资", "外商", "外企", "境外", "overseas", "international", "合资",
                "joint venture"],
    "domestic": ["domestic", "内资", "国内", "民营", "国有", "china", "chinese", "本土"],
}
TRAIT_WORDS = {
    "little_giant": ["little_giant", "小巨人", "little giant"],
    "specialized_sme": ["specialized_sme", "专精特新", "specialized and sophisticated",
                        "specialised sme", "specialized sme"],
    "high_tech": ["high_tech", "高新技术企业", "高新企业", "高企", "high-tech enterprise",
                  "high tech enterprise", "hnte"],
    "ipo_planned": ["ipo_planned", "拟上市", "ipo", "计划上市", "筹备上市", "pre-ipo"],
    "listed": ["listed", "上市公司", "已上市", "a股上市", "科创板上市", "publicly listed",
               "listed company"],
    "startup": ["startup", "start-up", "初创", "创业企业", "孵化"],
    "sme": ["sme", "中小企业", "小微企业"],
    "large_enterprise": ["large_enterprise", "大型企业", "龙头企业", "世界500强", "fortune 500",
                         "multinational", "跨国公司"],
    "foreign": ["foreign", "外资企业", "外商投资企业"],
    "state_owned": ["state_owned", "国企", "国有企业", "央企", "state-owned", "soe"],
    "rd_platform": ["rd_platform", "研发平台", "创新中心", "重点实验室", "工程技术研究中心"],
    "talent": ["talent", "人才", "专家", "院士"],
}


def _match_vocab(text: str, vocab: dict[str, list[str]]) -> list[str]:
    found = []
    for code, words in vocab.items():
        if any(w in text for w in words):
            found.append(code)
    return found


def parse_choice(raw: Any, vocab: dict[str, list[str]], field: str,
                 names: dict[str, tuple[str, str]] | None = None) -> Parsed:
    """One code from a small vocabulary, by code or by any of its words (either language).
    `names` gives each code's (Chinese, English) label for the notes and warnings."""
    if _blank(raw):
        return Parsed()
    names = names or {code: (code, code) for code in vocab}
    text = normalize(str(raw)).replace("-", "_")
    if text in vocab:
        return Parsed(text)
    found = _match_vocab(text.replace("_", " "), vocab) or _match_vocab(text, vocab)
    field_zh = labels.zh(labels.FIELDS, field)
    if found:
        code = found[0]
        return Parsed(code, f"{field} {raw!r} read as {code}",
                      note_zh=f"{field_zh}“{raw}”识别为{labels.zh(names, code)}")
    return Parsed(warning=f"{field} {raw!r} not recognised (expected one of {', '.join(vocab)}); ignored",
                  warning_zh=f"{field_zh}“{raw}”无法识别（可选：{'、'.join(labels.zh(names, c) for c in vocab)}），已忽略")


LEAD_KIND_WORDS = {
    "expansion": ["expansion", "expand", "existing", "扩产", "扩建", "增资", "现有企业", "存量企业",
                  "存量", "本地企业", "增资扩产"],
    "new": ["new", "new investment", "greenfield", "新设", "新项目", "新投资", "新引进", "新落地",
            "增量"],
}


def parse_lead_kind(raw: Any) -> Parsed:
    """expansion (an existing company grows where it is) or new (a new investment)."""
    return parse_choice(raw, LEAD_KIND_WORDS, "lead_kind")


def parse_project_type(raw: Any) -> Parsed:
    return parse_choice(raw, PROJECT_TYPE_WORDS, "project_type", labels.PROJECT_TYPES)


def parse_origin(raw: Any) -> Parsed:
    """An origin code, or a 企业类型 as the registry prints it (有限责任公司(外国法人独资) ...)."""
    company_type = None if _blank(raw) or str(raw).strip() in ORIGIN_WORDS else \
        read_company_type(str(raw))
    if company_type is None:
        return parse_choice(raw, ORIGIN_WORDS, "origin", labels.ORIGINS)
    zh, en = company_type.describe()
    return Parsed(company_type.origin, f"company type {raw!r} read as {en}",
                  note_zh=f"企业类型“{raw}”识别为{zh}")


def origin_traits(raw: Any) -> list[str]:
    """The traits a 企业类型 states outright: listed (上市), state-owned (国有)."""
    company_type = None if _blank(raw) else read_company_type(str(raw))
    return list(company_type.traits) if company_type else []


def split_list(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        items = [str(x) for x in raw]
    else:
        items = re.split(r"[,;，；、|/]+", str(raw))
    return [i.strip() for i in items if i and i.strip()]


def parse_traits(raw: Any) -> tuple[list[str], list[Parsed]]:
    """Trait codes from a list or a delimited string; returns (codes, warnings), each warning a
    `Parsed` with its English `warning` and Chinese `warning_zh`."""
    codes, warnings = [], []
    for item in split_list(raw):
        text = normalize(item).replace("-", "_")
        found = [text] if text in TRAIT_WORDS else _match_vocab(text.replace("_", " "), TRAIT_WORDS)
        if found:
            codes.extend(c for c in found if c not in codes)
        else:
            warnings.append(Parsed(warning=f"trait {item!r} not recognised; ignored",
                                   warning_zh=f"企业资质“{item}”无法识别，已忽略"))
    return codes, warnings


# the words that state a trait outright: the longer words of all but the weak traits
STRONG_TRAIT_WORDS = {k: [w for w in v if len(w) >= 3] for k, v in TRAIT_WORDS.items()
                      if k not in ("talent", "rd_platform", "sme")}


def traits_in_text(text: str) -> list[str]:
    """Traits a description states outright (e.g. '国家级专精特新小巨人企业')."""
    return _match_vocab(text, STRONG_TRAIT_WORDS)
