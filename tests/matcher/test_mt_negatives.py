"""A negative amount, area or headcount is a warning naming the field (both languages); the value
is ignored, the rest of the profile is matched. Ranges and empty export cells are not negatives."""

from __future__ import annotations

import pytest

from matcher.fields import parse_employees, parse_land, parse_money
from matcher.profile import parse_profile

CASES = [  # parser, field, raw
    (parse_money, "investment", "-5 USD"),
    (parse_money, "investment", "USD -5m"),
    (parse_money, "investment", "负5000万元"),
    (parse_money, "investment", "－300万元"),     # full-width minus
    (parse_money, "investment", "−2亿"),          # U+2212 minus sign
    (parse_money, "investment", -5_000_000),
    (parse_land, "land", "-3 mu"),
    (parse_land, "land", "-3亩"),
    (parse_land, "land", "负2公顷"),
    (parse_land, "land", -3.0),
    (parse_employees, "employees", "-10"),
    (parse_employees, "employees", "-10人"),
    (parse_employees, "employees", -10),
]


@pytest.mark.parametrize(("parse", "field", "raw"), CASES)
def test_a_negative_value_is_a_warning_naming_the_field(parse, field, raw):
    parsed = parse(raw)
    assert parsed.value is None
    assert parsed.warning.startswith(f"{field} ") and "is negative" in parsed.warning
    assert "为负数" in parsed.warning_zh
    label = {"investment": "投资额", "land": "用地需求", "employees": "员工人数"}[field]
    assert parsed.warning_zh.startswith(label)


def test_ranges_zero_and_empty_cells_are_not_negative():
    assert parse_employees("50-100").value == 75
    assert parse_employees("50 - 100人").value == 75
    assert parse_money("0").value == 0 and parse_land("0亩").value == 0
    for blank in ("-", "--", "/", "—"):
        for parse in (parse_money, parse_land, parse_employees):
            assert parse(blank).value is None and parse(blank).warning == ""


def test_the_profile_is_still_matched_without_the_value():
    profile = parse_profile({"description": "集成电路设计", "investment": "-5 USD",
                             "land": "-3 mu", "employees": -10})
    assert (profile.investment_cny, profile.land_mu, profile.employees) == (None, None, None)
    assert len(profile.warnings) == len(profile.warnings_zh) == 3
    assert all("is negative" in w for w in profile.warnings)
    assert all("为负数" in w for w in profile.warnings_zh)
