"""A profile (DESIGN §4): only `description` is required; headers of Chinese exports are mapped."""

from __future__ import annotations

import pytest

from matcher import ProfileError, map_headers, parse_profile


@pytest.mark.parametrize("raw", [
    {},
    {"name": "甲公司"},
    {"description": None},
    {"description": ""},
    {"description": "   \n\t"},
])
def test_missing_or_empty_description_is_a_profile_error_naming_it(raw):
    with pytest.raises(ProfileError) as info:
        parse_profile(raw)
    assert info.value.field == "description"
    assert str(info.value).startswith("description: ")


def test_a_profile_that_is_not_an_object_is_refused():
    with pytest.raises(ProfileError, match="description"):
        parse_profile(["芯片设计"])


def test_an_over_long_description_is_refused():
    with pytest.raises(ProfileError) as info:
        parse_profile({"description": "芯" * 20_001})
    assert info.value.field == "description"


def test_a_field_of_the_wrong_type_is_named():
    with pytest.raises(ProfileError) as info:
        parse_profile({"description": "芯片设计", "investment": {"amount": 5}})
    assert info.value.field == "investment"


def test_unknown_fields_are_ignored():
    profile = parse_profile({"description": "芯片设计", "favourite_colour": "blue", "备注": "无"})
    assert profile.description == "芯片设计"
    assert profile.warnings == []


def test_profile_fields_are_parsed():
    profile = parse_profile({
        "name": " 甲公司 ", "description": "積體電路設計", "industry_label": "软件和信息技术服务业",
        "project_type": "研发中心", "investment": "1.2亿", "land": "40畝", "employees": "200人",
        "origin": "外资", "traits": "高新技术企业,专精特新", "preferred_districts": "浦东、松江",
        "credit_code": 913100001234567890,
    })
    assert profile.name == "甲公司"
    assert "集成电路设计" in profile.text and "软件和信息技术服务业" in profile.text
    assert profile.project_type == "rd_center"
    assert profile.investment_cny == pytest.approx(1.2e8)
    assert profile.land_mu == pytest.approx(40.0)
    assert profile.employees == 200
    assert profile.origin == "foreign"
    assert profile.traits == ["high_tech", "specialized_sme"]
    assert "foreign" in profile.traits_inferred
    assert profile.preferred_districts_raw == ["浦东", "松江"]
    assert profile.credit_code == "913100001234567890"


def test_spreadsheet_nan_is_treated_as_empty():
    profile = parse_profile({"description": "芯片设计", "employees": float("nan"),
                             "investment": float("nan")})
    assert profile.employees is None and profile.investment_cny is None
    assert profile.warnings == []


def test_chinese_export_headers_are_mapped():
    headers = ["企业名称", "统一社会信用代码", "经营范围", "注册资本", "所属行业", "企业地址", "成立日期"]
    assert map_headers(headers) == {
        "企业名称": "name", "统一社会信用代码": "credit_code", "经营范围": "description",
        "注册资本": "investment", "所属行业": "industry_label", "企业地址": "address",
    }


def test_header_mapping_tolerates_case_spaces_full_width_and_required_marks():
    mapping = map_headers(["Company Name", "*经营范围", "ＥＭＰＬＯＹＥＥＳ", " 意向区域 ", "公司類型"])
    assert mapping == {"Company Name": "name", "*经营范围": "description",
                       "ＥＭＰＬＯＹＥＥＳ": "employees", " 意向区域 ": "preferred_districts",
                       "公司類型": "origin"}


def test_the_first_column_for_a_field_wins():
    assert map_headers(["经营范围", "企业简介"]) == {"经营范围": "description"}


def test_text_rows_parse_the_same_without_the_schema_pass(monkeypatch):
    """Rows of text cells (as CSV and XLSX lists give them) skip marshmallow's per-call work:
    the same profiles, warnings and errors as through the schema."""
    import random

    from matcher import profile as profile_module
    from matcher.errors import ProfileError

    rng = random.Random(4)
    cells = {"name": ["", "  甲公司 ", None], "description": ["", "   ", " 集成电路设计 ", None,
                                                             "一般项目：电池制造；货物进出口"],
             "investment": ["", "5000万元", "不详", "USD 3 million", None],
             "land": ["20亩", "-3 mu", "", None], "employees": ["120人", "-10", "x", ""],
             "origin": ["有限责任公司(外国法人独资)", "", "国有企业"], "traits": ["high_tech", "foo", ""],
             "preferred_districts": ["浦东；闵行", "火星", ""], "address": ["上海市闵行区剑川路1号", ""],
             "industry_label": ["C3973", ""], "lead_kind": ["expansion", "maybe", ""],
             "project_type": ["manufacturing", "工厂", ""], "credit_code": ["91310115MA1H7ABC1X"]}

    def outcome(raw):
        try:
            return vars(parse_profile(raw))
        except ProfileError as exc:
            return (exc.field, str(exc), exc.message_zh)

    rows = [{k: rng.choice(v) for k, v in cells.items() if rng.random() < 0.7}
            for _ in range(300)]
    fast = [outcome(r) for r in rows]
    assert sum(profile_module._load_texts(r) is not None for r in rows) > 50
    monkeypatch.setattr(profile_module, "_load_texts", lambda raw: None)
    assert [outcome(r) for r in rows] == fast
