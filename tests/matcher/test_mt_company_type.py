"""企业类型 values as the registry prints them (企查查/天眼查 exports): read as origin and traits;
only what names no owner or legal form is flagged."""

from __future__ import annotations

import pytest

from matcher.company_type import read_company_type
from matcher.fields import origin_traits, parse_origin
from matcher.profile import parse_profile

STANDARD = [  # the registry's company types (full-width brackets as the exports print them)
    ("有限责任公司（自然人投资或控股）", "domestic", ()),
    ("有限责任公司（自然人独资）", "domestic", ()),
    ("有限责任公司（自然人投资或控股的法人独资）", "domestic", ()),
    ("有限责任公司（非自然人投资或控股的法人独资）", "domestic", ()),
    ("有限责任公司（法人独资）", "domestic", ()),
    ("有限责任公司（国有独资）", "domestic", ("state_owned",)),
    ("有限责任公司（国有控股）", "domestic", ("state_owned",)),
    ("其他有限责任公司", "domestic", ()),
    ("股份有限公司（非上市、自然人投资或控股）", "domestic", ()),
    ("股份有限公司（上市、自然人投资或控股）", "domestic", ("listed",)),
    ("股份有限公司（上市、国有控股）", "domestic", ("state_owned", "listed")),
    ("股份有限公司（非上市、国有控股）", "domestic", ("state_owned",)),
    ("其他股份有限公司（上市）", "domestic", ("listed",)),
    ("其他股份有限公司（非上市）", "domestic", ()),
    ("有限责任公司分公司（自然人投资或控股）", "domestic", ()),
    ("全民所有制", "domestic", ("state_owned",)),
    ("集体所有制", "domestic", ()),
    ("股份合作制", "domestic", ()),
    ("个人独资企业", "domestic", ()),
    ("普通合伙企业", "domestic", ()),
    ("有限合伙企业", "domestic", ()),
    ("个体工商户", "domestic", ()),
    ("农民专业合作社", "domestic", ()),
    ("有限责任公司（外国法人独资）", "foreign", ()),
    ("有限责任公司（外国自然人独资）", "foreign", ()),
    ("有限责任公司（外商投资、非独资）", "foreign", ()),
    ("有限责任公司（中外合资）", "foreign", ()),
    ("有限责任公司（中外合作）", "foreign", ()),
    ("股份有限公司（中外合资、未上市）", "foreign", ()),
    ("股份有限公司（外商投资、上市）", "foreign", ("listed",)),
    ("外商投资企业分公司", "foreign", ()),
    ("外国（地区）企业常驻代表机构", "foreign", ()),
    ("外商投资企业", "foreign", ()),
    ("中外合资", "foreign", ()),
    ("外商投资合伙企业", "foreign", ()),
    ("有限责任公司（台港澳法人独资）", "hk_mo_tw", ()),
    ("有限责任公司（台港澳自然人独资）", "hk_mo_tw", ()),
    ("有限责任公司（台港澳与境内合资）", "hk_mo_tw", ()),
    ("有限责任公司（台港澳与外国投资者合资）", "hk_mo_tw", ()),
    ("股份有限公司（台港澳与境内合资、上市）", "hk_mo_tw", ("listed",)),
    ("有限責任公司（臺港澳法人獨資）", "hk_mo_tw", ()),   # traditional characters
    ("有限责任公司(外国法人独资)", "foreign", ()),          # half-width brackets
    ("Limited liability company (wholly foreign-owned)", "foreign", ()),
    ("Company limited by shares (listed, state-owned)", "domestic", ("state_owned", "listed")),
]


@pytest.mark.parametrize(("value", "origin", "traits"), STANDARD)
def test_standard_company_types_are_read(value, origin, traits):
    parsed = parse_origin(value)
    assert (parsed.value, parsed.warning) == (origin, "")
    assert tuple(origin_traits(value)) == traits
    assert parsed.note and parsed.note_zh.startswith("企业类型“")


@pytest.mark.parametrize("value", ["其他", "未知", "XYZ", "12345", "不详"])
def test_what_names_no_owner_or_form_is_flagged_in_both_languages(value):
    parsed = parse_origin(value)
    assert parsed.value is None and read_company_type(value) is None
    assert "not recognised" in parsed.warning and "无法识别" in parsed.warning_zh


@pytest.mark.parametrize("value", ["-", "--", "—", "/", " - "])
def test_an_empty_export_cell_is_no_value_not_a_problem(value):
    assert parse_origin(value) == parse_origin(None)


def test_the_origin_codes_still_work():
    for code in ("domestic", "foreign", "hk_mo_tw"):
        assert parse_origin(code).value == code


def test_stated_traits_join_the_profile_as_stated_not_inferred():
    profile = parse_profile({"description": "城市燃气供应与管网建设运营",
                             "origin": "股份有限公司（上市、国有控股）"})
    assert profile.origin == "domestic"
    assert profile.traits == ["state_owned", "listed"] and profile.traits_inferred == []
    assert not profile.warnings
    assert any("state-owned, listed" in n for n in profile.notes)
    assert any("国有企业、上市公司" in n for n in profile.notes_zh)
    foreign = parse_profile({"description": "汽车零部件制造", "origin": "有限责任公司（外国法人独资）",
                             "traits": "高新技术企业"})
    assert foreign.origin == "foreign" and foreign.traits == ["high_tech"]
    assert "foreign" in foreign.traits_inferred
