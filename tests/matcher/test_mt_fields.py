"""Parsing what people type into the structured fields: money, land, headcount, categories."""

from __future__ import annotations

import json

import pytest

from matcher.fields import (
    DEFAULT_RATES,
    parse_employees,
    parse_land,
    parse_money,
    parse_origin,
    parse_project_type,
    parse_traits,
    traits_in_text,
)
from matcher.profile import parse_profile
from matcher.text import normalize

# ---- money -> CNY ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw,cny", [
    ("5000万元", 5e7),
    ("1.2亿", 1.2e8),
    ("3億元", 3e8),                 # traditional 億
    ("30,000,000", 3e7),
    ("８０００万元", 8e7),             # full-width digits
    ("人民币2亿元", 2e8),
    ("RMB 50 million", 5e7),
    (12_345_678, 12_345_678.0),      # a number from a spreadsheet cell
])
def test_money_in_cny(raw, cny):
    parsed = parse_money(raw)
    assert parsed.value == pytest.approx(cny)
    assert parsed.warning == ""
    assert "CNY" in parsed.note


@pytest.mark.parametrize("raw,currency,amount", [
    ("USD 30m", "USD", 30e6),
    ("EUR 1.2 billion", "EUR", 1.2e9),
    ("100万美元", "USD", 1e6),
    ("HKD 10 million", "HKD", 10e6),
    ("$2.5m", "USD", 2.5e6),
])
def test_foreign_money_is_converted_and_the_rate_is_shown(raw, currency, amount):
    parsed = parse_money(raw)
    rate = DEFAULT_RATES[currency]
    assert parsed.value == pytest.approx(amount * rate)
    assert f"{rate} CNY/{currency}" in parsed.note
    assert f"{amount * rate:,.0f} CNY" in parsed.note


def test_money_uses_the_rates_given():
    parsed = parse_money("USD 30m", {"CNY": 1.0, "USD": 7.0})
    assert parsed.value == pytest.approx(210e6)
    assert "7.0 CNY/USD" in parsed.note
    profile = parse_profile({"description": "芯片设计", "investment": "USD 30m"},
                            {"CNY": 1.0, "USD": 7.0})
    assert profile.investment_cny == pytest.approx(210e6)


def test_fullwidth_yuan_sign_means_rmb():
    assert parse_money("￥5000万").value == pytest.approx(5e7)


# ---- land -> mu -------------------------------------------------------------------------------


@pytest.mark.parametrize("raw,mu", [
    ("100亩", 100.0),
    ("6.7公顷", 100.5),
    ("40畝", 40.0),                  # traditional 畝
    ("50,000 sqm", 75.0),
    ("300 mu", 300.0),
    ("5万平方米", 75.0),
    ("2 hectares", 30.0),
    ("1平方公里", 1500.0),
])
def test_land_in_mu(raw, mu):
    parsed = parse_land(raw)
    assert parsed.value == pytest.approx(mu)
    assert parsed.warning == ""
    assert f"{mu:,.1f} mu" in parsed.note and "m²" in parsed.note and "ha" in parsed.note
    assert f"{mu:,.1f} 亩" in parsed.note_zh and "平方米" in parsed.note_zh and "公顷" in parsed.note_zh


# ---- employees -------------------------------------------------------------------------------


@pytest.mark.parametrize("raw,count", [
    ("200", 200), ("200人", 200), ("约300名员工", 300), ("1,200", 1200), ("500+", 500),
    ("1.5万人", 15000), (85, 85), ("50-100", 75), ("50至100人", 75),
])
def test_employees(raw, count):
    parsed = parse_employees(raw)
    assert parsed.value == count
    assert parsed.warning == ""


def test_employee_range_says_the_midpoint_was_used():
    assert "midpoint 75" in parse_employees("50-100").note


# ---- categories ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw,code", [
    ("manufacturing", "manufacturing"), ("制造", "manufacturing"), ("生产基地", "manufacturing"),
    ("Factory", "manufacturing"), ("研发中心", "rd_center"), ("R&D center", "rd_center"),
    ("rd-center", "rd_center"), ("地区总部", "headquarters"), ("Regional HQ", "headquarters"),
    ("销售", "sales_service"), ("trading", "sales_service"), ("其他", "other"),
])
def test_project_type(raw, code):
    assert parse_project_type(raw).value == code


@pytest.mark.parametrize("raw,code", [
    ("外资", "foreign"), ("Foreign", "foreign"), ("外商独资", "foreign"), ("joint venture", "foreign"),
    ("港澳台", "hk_mo_tw"), ("Hong Kong", "hk_mo_tw"), ("台湾", "hk_mo_tw"), ("臺灣", "hk_mo_tw"),
    ("内资", "domestic"), ("domestic", "domestic"), ("民营", "domestic"),
])
def test_origin(raw, code):
    assert parse_origin(raw).value == code


@pytest.mark.parametrize("raw,codes", [
    ("高新技术企业,专精特新;小巨人、拟上市", ["high_tech", "specialized_sme", "little_giant", "ipo_planned"]),
    (["high-tech enterprise", "listed company"], ["high_tech", "listed"]),
    ("high_tech|IPO", ["high_tech", "ipo_planned"]),
    ("國有企業", ["state_owned"]),
    ("Fortune 500", ["large_enterprise"]),
])
def test_traits(raw, codes):
    found, warnings = parse_traits(raw)
    assert found == codes
    assert warnings == []


def test_traits_stated_in_the_description_are_found():
    assert set(traits_in_text(normalize("公司是国家级专精特新小巨人企業、高新技術企業"))) >= {
        "little_giant", "specialized_sme", "high_tech"}


# ---- garbage: a warning, never an exception ---------------------------------------------------


@pytest.mark.parametrize("parser,raw,field", [
    (parse_money, "lots of money", "investment"),
    (parse_money, "不详", "investment"),   # ("--" is an empty export cell: no value)
    (parse_money, -5, "investment"),
    (parse_land, "a big plot", "land"),
    (parse_land, "100 furlongs", "land"),
    (parse_employees, "many", "employees"),
    (parse_employees, -3, "employees"),
    (parse_project_type, "xyz", "project_type"),
    (parse_project_type, 5, "project_type"),
    (parse_origin, "火星", "origin"),
])
def test_garbage_gives_a_warning_naming_the_field(parser, raw, field):
    parsed = parser(raw)
    assert parsed.value is None
    assert parsed.warning.startswith(field)
    assert str(raw) in parsed.warning


def test_unknown_traits_give_warnings_and_keep_the_known_ones():
    found, warnings = parse_traits("高新技术企业, wizardry")
    assert found == ["high_tech"]
    assert [w.warning for w in warnings] == ["trait 'wizardry' not recognised; ignored"]
    assert [w.warning_zh for w in warnings] == ["企业资质“wizardry”无法识别，已忽略"]


@pytest.mark.parametrize("parser", [parse_money, parse_land, parse_employees, parse_project_type,
                                    parse_origin])
@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_values_are_simply_absent(parser, raw):
    parsed = parser(raw)
    assert (parsed.value, parsed.warning) == (None, "")


def test_a_garbage_profile_is_scored_with_warnings():
    profile = parse_profile({
        "description": "芯片设计", "investment": "lots", "land": "big", "employees": "many",
        "project_type": "??", "origin": "Mars", "traits": "wizardry",
    })
    fields = sorted(w.split()[0] for w in profile.warnings)
    assert fields == ["employees", "investment", "land", "origin", "project_type", "trait"]
    assert profile.investment_cny is None and profile.employees is None


def test_absurd_headcount_gives_a_warning():
    parsed = parse_employees("9" * 400)
    assert parsed.value is None and parsed.warning


def test_absurd_money_gives_a_warning_and_stays_json():
    parsed = parse_money("9" * 400)
    assert parsed.value is None and parsed.warning
    profile = parse_profile({"description": "芯片设计", "investment": "9" * 400})
    json.dumps(profile.investment_cny, allow_nan=False)
