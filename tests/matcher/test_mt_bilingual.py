"""Every user-facing text of a match record exists in Chinese and in English (the real taxonomy).

Pairs are compared field by field: a list has as many English items as Chinese ones, a text is
present in both languages or in neither, and the English never carries Chinese outside quoted
input, names in parentheses or the plans' own terms.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from matcher import Matcher
from taxonomy import get_taxonomy

CJK = re.compile(r"[\u3400-\u9fff]")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\([^)]*\)|（[^）]*）")
# (Chinese key, English key) of every text pair a record may carry, at any depth
PAIRS = [("warnings_zh", "warnings"), ("notes_zh", "notes"), ("reasons", "reasons_en"),
         ("verify", "verify_en"), ("why", "why_en"), ("conditions", "conditions_en"),
         ("name_zh", "name_en"), ("title_zh", "title_en"), ("offers", "offers_en"),
         ("path_zh", "path_en"), ("scope_zh", "scope_en"), ("category_zh", "category_en"),
         ("error_zh", "error_en")]
PROFILES = [
    # the draft Lingang plan, a preferred park, "must be located in"
    {"description": "新能源汽车动力电池研发与生产，建设电池包和电驱动系统生产线", "preferred_districts": "临港"},
    # a foreign biotech in English: money and land conversions, policies of plans past their horizon
    {"description": "We develop bispecific antibodies and antibody-drug conjugates and plan a "
                     "biologics CDMO plant", "origin": "foreign", "investment": "USD 30m",
     "land": "50 mu", "employees": "50-100"},
    # a Taiwanese chip designer in traditional Chinese: a trait read from the text (to verify)
    {"description": "本公司從事積體電路設計，產品包括處理器晶片與記憶體，為國家級專精特新小巨人企業",
     "origin": "台湾", "investment": "新台币5亿"},
    # the 2018-2020 Minhang plan, an unknown preferred district, project type stated
    {"description": "闵行 智能制造装备 工业机器人 生产", "project_type": "manufacturing",
     "preferred_districts": "闵行, 火星区"},
    # every field unreadable, a very short description
    {"description": "芯片", "investment": "很多", "land": "300 parsecs", "traits": "wizardry",
     "project_type": "spaceport", "employees": "lots", "origin": "Atlantis"},
    # nothing fits: no industry, low confidence
    {"description": "我们经营一家街角咖啡馆和花店"},
    # implausible numbers, hectares, a headquarters without land
    {"description": "跨国公司地区总部，负责亚太区人工智能软件销售与服务", "project_type": "总部",
     "investment": 1e20, "land": "2 hectares", "employees": -5},
    # trait policies: high-tech stated, chemical park rule
    {"description": "高端精细化学品和电子化学品生产，涉及危险化学品", "traits": "high_tech, 专精特新",
     "project_type": "manufacturing", "land": "120亩"},
]


@pytest.fixture(scope="module")
def real_matcher():
    return Matcher(get_taxonomy(), today=dt.date(2026, 6, 1))


@pytest.fixture(scope="module")
def records(real_matcher):
    return real_matcher.match_many([*PROFILES, {"description": "   "}, {"name": "no text"}])


def _pairs(node, where="record"):
    """(where, Chinese value, English value) for every pair in a record, recursively."""
    if isinstance(node, dict):
        for zh_key, en_key in PAIRS:
            if zh_key in node or en_key in node:
                yield f"{where}.{zh_key}", node.get(zh_key), node.get(en_key)
        for key, value in node.items():
            yield from _pairs(value, f"{where}.{key}")
    elif isinstance(node, list):
        for k, item in enumerate(node):
            yield from _pairs(item, f"{where}[{k}]")


def _english_ok(text: str) -> bool:
    return not CJK.search(QUOTED.sub("", text))


def test_every_text_has_both_languages_field_by_field(records):
    checked = 0
    for record in records:
        for where, zh, en in _pairs(record):
            assert zh is not None and en is not None, f"{where}: one language missing"
            assert type(zh) is type(en), where
            zh_items = zh if isinstance(zh, list) else [zh]
            en_items = en if isinstance(en, list) else [en]
            assert len(zh_items) == len(en_items), f"{where}: {zh_items} vs {en_items}"
            for z, e in zip(zh_items, en_items, strict=True):
                assert bool(z.strip()) == bool(e.strip()), f"{where}: {z!r} vs {e!r}"
                if z.strip():
                    assert CJK.search(z), f"{where}: Chinese text without Chinese: {z!r}"
                    assert _english_ok(e), f"{where}: English text in Chinese: {e!r}"
                checked += 1
    assert checked > 500


def test_the_english_says_what_the_chinese_says(records):
    """The verification notes the Chinese result gives are in the English one too."""
    everything_zh = " ".join(str(zh) for r in records for _w, zh, _e in _pairs(r))
    everything_en = " ".join(str(en) for r in records for _w, _z, en in _pairs(r))
    for zh, en in [("所依据的规划期至2020年已结束", "the plan period ended in 2020"),
                   ("所依据的规划期至2025年已结束", "the plan period ended in 2025"),
                   ("所依据的方案为征求意见稿", "the plan is a draft for comment"),
                   ("项目需落户闵行区", "the project must be located in Minhang District"),
                   ("项目需落户临港新片区", "the project must be located in Lingang"),
                   ("资质系从描述推断", "inferred from the description"),
                   ("意向区域“火星区”无法识别", "preferred district '火星区' not recognised"),
                   ("没有规划鼓励的产业", "no encouraged industry"),
                   ("描述过短", "the description is very short"),
                   ("按参考汇率 1 新台币 = 0.22 元折算", "at 0.22 CNY/TWD"),
                   ("公顷", "ha"),
                   ("企业或项目描述为空", "Description is empty")]:
        assert zh in everything_zh, zh
        assert en in everything_en, en


def test_warnings_and_notes_are_parallel(records):
    for record in records:
        if "error" in record:
            continue
        assert len(record["warnings"]) == len(record["warnings_zh"])
        assert len(record["parsed"]["notes"]) == len(record["parsed"]["notes_zh"])
        for policy in record["policies"]:
            assert len(policy["verify"]) == len(policy["verify_en"])
            assert policy["conditions"] == "；".join(policy["verify"])
            assert policy["conditions_en"] == "; ".join(policy["verify_en"])
    unreadable = records[4]
    # six fields, the short description and (calibrated confidence) the low-confidence warning
    assert len(unreadable["warnings_zh"]) == 8


def test_a_chinese_reason_reads_as_a_sentence(records):
    reasons = [r for rec in records if "error" not in rec
               for place in rec["districts"] + rec["parks"] for r in place["reasons"]]
    assert reasons
    for reason in reasons:
        assert "是规划的" not in reason and "规划提及" not in reason and "《" not in reason, reason
