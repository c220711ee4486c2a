"""Field values parsed once per text (matcher.profile._parsed) give the profiles that parsing
every value afresh gives, per exchange rates too."""

from __future__ import annotations

import dataclasses

from matcher import profile as profile_module
from matcher.profile import parse_profile

ROWS = [
    {"description": "集成电路设计", "investment": "5000万元", "land": "20亩", "employees": "50-100",
     "origin": "有限责任公司(外国法人独资)", "project_type": "研发中心", "lead_kind": "扩产"},
    {"description": "抗体药物", "investment": "USD 30m", "land": "3公顷", "employees": "约300名员工",
     "origin": "股份有限公司(上市、国有控股)", "project_type": "manufacturing", "lead_kind": "new"},
    {"description": "储能电池", "investment": "-5亿", "land": "五十亩", "employees": "很多",
     "origin": "外资", "project_type": "不知道", "lead_kind": "?"},
    {"description": "AI", "investment": 12_000_000, "land": 15, "employees": 40, "origin": None},
]


def _as_dict(p) -> dict:
    return dataclasses.asdict(p)


def test_remembered_fields_give_the_same_profiles():
    profile_module._parse_text.cache_clear()
    cold = [_as_dict(parse_profile(dict(r))) for r in ROWS]
    assert profile_module._parse_text.cache_info().currsize  # text values were remembered
    warm = [_as_dict(parse_profile(dict(r))) for r in ROWS * 2]
    assert warm == cold * 2
    first = parse_profile(dict(ROWS[0]))
    first.traits.append("changed")
    first.notes.append("changed")
    assert _as_dict(parse_profile(dict(ROWS[0]))) == cold[0]


def test_an_amount_is_remembered_per_exchange_rates():
    row = {"description": "抗体药物", "investment": "USD 30m"}
    low = parse_profile(dict(row), {"USD": 7.0})
    high = parse_profile(dict(row), {"USD": 8.0})
    assert low.investment_cny == 30e6 * 7.0 and high.investment_cny == 30e6 * 8.0
    assert parse_profile(dict(row), {"USD": 7.0}).investment_cny == low.investment_cny
