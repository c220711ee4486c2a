"""Property tests: whatever people type, the parsers and the matcher answer without an exception,
and every score stays in [0, 1] with its lists ranked."""

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import fields
from matcher.profile import parse_profile

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
VALUE = st.one_of(st.none(), TEXT, st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                  st.lists(TEXT, max_size=3), st.booleans())
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(VALUE)
def test_field_parsers_never_raise(raw):
    for parse in (fields.parse_money, fields.parse_land, fields.parse_employees,
                  fields.parse_project_type, fields.parse_origin):
        parsed = parse(raw)
        if isinstance(parsed.value, float):
            assert math.isfinite(parsed.value) and parsed.value >= 0
    codes, _warnings = fields.parse_traits(raw)
    assert all(c in fields.TRAIT_WORDS for c in codes)


@FUZZ
@given(st.dictionaries(st.sampled_from(["name", "description", "project_type", "investment",
                                        "land", "employees", "origin", "traits",
                                        "preferred_districts", "unknown"]), VALUE, max_size=8))
def test_parse_profile_raises_only_profile_errors(raw):
    from matcher.errors import ProfileError

    try:
        parse_profile(raw)
    except ProfileError as exc:
        assert exc.field


def _check_record(record):
    json.dumps(record, allow_nan=False)  # valid JSON, no NaN or Infinity
    if "error" in record:
        return
    for key in ("industries", "districts", "parks"):
        scores = [item["score"] for item in record[key]]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
    assert 0.0 <= record["confidence"] <= 1.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(["description", "investment", "land",
                                                 "preferred_districts", "traits"]), VALUE,
                                max_size=5), min_size=1, max_size=4))
def test_matcher_answers_every_row(rows):
    from matcher import get_matcher

    records = get_matcher().match_many(rows)
    assert [r["row"] for r in records] == list(range(len(rows)))
    for record in records:
        _check_record(record)
