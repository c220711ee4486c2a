"""Property tests (hypothesis) beyond tests/matcher/test_mt_fuzz.py: every profile field
(including name, project type, employees, origin, credit code, industry label, address) with
any text, long CJK text, numbers with units and odd JSON values; lead-list files of arbitrary
bytes; the public match endpoint with arbitrary JSON; and the audit-log escaping and the
`next` redirect check for any string."""

from __future__ import annotations

import json
import math
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
CJK = st.text(alphabet=st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                                 st.sampled_from(list("，。；：、（）0123456789 abcIGBT亿万元亩"))),
              min_size=0, max_size=600)
AMOUNT = st.from_regex(r"\A[-+]?[0-9０-９一二三四五六七八九十百千万亿.,，]{0,12}\s?"
                       r"(万元|亿元|億|亿|万|元|USD|美元|US\$|m|million|bn|亩|畝|公顷|ha|sqm|平方米|㎡|人|)"
                       r"\s?[A-Za-z]{0,3}\Z", fullmatch=True)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                   st.floats(allow_nan=True, allow_infinity=True), ANY_TEXT, CJK, AMOUNT)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=4),
                  st.dictionaries(st.text(max_size=5), SCALAR, max_size=3))
FIELDS = ["name", "description", "project_type", "investment", "land", "employees", "origin",
          "traits", "preferred_districts", "credit_code", "industry_label", "address",
          "企业名称", "经营范围", "注册资本"]
PROFILE = st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=10)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


def check_record(record: dict, row: int) -> None:
    json.dumps(record, allow_nan=False)
    assert record["row"] == row
    if "error" in record:
        assert isinstance(record["error"], str) and record["error"]
        return
    assert 0.0 <= record["confidence"] <= 1.0
    for key in ("industries", "districts", "parks"):
        scores = [item["score"] for item in record[key]]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)


@FUZZ
@given(st.lists(PROFILE, min_size=1, max_size=3))
def test_the_matcher_answers_any_profile(profiles):
    from matcher import get_matcher

    records = get_matcher().match_many(profiles)
    assert len(records) == len(profiles)
    for i, record in enumerate(records):
        check_record(record, i)


@FUZZ
@given(CJK, AMOUNT, AMOUNT)
def test_long_chinese_text_with_amounts(description, investment, land):
    from matcher import get_matcher

    record = get_matcher().match({"description": description, "investment": investment,
                                  "land": land, "employees": investment})
    check_record(record, 0)


@FUZZ
@given(st.one_of(AMOUNT, VALUE))
def test_every_field_parser_answers_any_value(raw):
    from matcher import fields

    for parse in (fields.parse_money, fields.parse_land, fields.parse_employees,
                  fields.parse_project_type, fields.parse_origin):
        parsed = parse(raw)
        if isinstance(parsed.value, float):
            assert math.isfinite(parsed.value) and parsed.value >= 0
    fields.parse_traits(raw)
    fields.split_list(raw)


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=10))
def test_parse_profile_raises_only_profile_errors(raw):
    from matcher.errors import ProfileError
    from matcher.profile import parse_profile

    try:
        parse_profile(raw)
    except ProfileError as exc:
        assert exc.field


HEADS = st.sampled_from([b"", b"PK\x03\x04", b"{", b"\xef\xbb\xbf", b"\xff\xfe",
                         "企业名称,经营范围\n".encode("gbk"), b"name,description\n"])


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(HEADS, st.binary(max_size=3000), st.sampled_from(["x.csv", "x.xlsx", "x.jsonl", "x"]),
       st.sampled_from([None, "utf-8", "gbk", "gb18030"]))
def test_any_uploaded_bytes_give_rows_or_a_clear_error(tmp_path_factory, head, body, name,
                                                       encoding):
    from matcher.errors import InputFileError
    from matcher.io import open_leads

    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(head + body)
    try:
        lead = open_leads(path, encoding=encoding)
        for number, row in lead.rows():
            assert isinstance(number, int)
            assert isinstance(row, (dict, InputFileError))
    except InputFileError as exc:
        assert str(exc)


CONTROL = set(range(0x20)) | set(range(0x7F, 0xA0)) | {0x200B, 0x200E, 0x200F, 0x2028, 0x2029,
                                                       0x202A, 0x202E, 0x2066, 0x2069, 0xFEFF}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=400))
def test_audit_text_never_holds_control_characters(text, limit):
    from web.services.audit import clean

    out = clean(text, limit)
    assert len(out) <= limit
    assert not any(ord(c) in CONTROL or 0xD800 <= ord(c) <= 0xDFFF for c in out)
    if len(clean(text, 10_000)) <= limit:
        assert clean(out, limit) == out  # stable: escaping escaped text changes nothing


@pytest.fixture(scope="module")
def request_app():
    from web import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///:memory:"})
    yield app
    app.extensions["db_engine"].dispose()


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60),
                 st.from_regex(r"\A[ \t\r\n\x00]*[/\\]{1,3}[\t\r\n]*[/\\]?[a-z.:@%]{0,20}\Z",
                               fullmatch=True)))
def test_next_never_leaves_the_site(request_app, target):
    from web.auth import safe_next

    with request_app.test_request_context():
        out = safe_next(target)
    assert out in (target, "/leads/")
    # what a browser makes of it: it drops tabs and newlines, trims C0 and spaces at the ends
    seen = out.strip("".join(map(chr, range(0x21)))).replace("\t", "").replace("\n", "")
    seen = seen.replace("\r", "")
    assert seen.startswith("/") and not seen.startswith(("//", "/\\"))
    parts = urlsplit(seen.replace("\\", "/"))
    assert not parts.scheme and not parts.netloc


@pytest.fixture(scope="module")
def api_client(tmp_path_factory):
    from web import create_app
    from web.cli import migrate_database

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                      "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('api')}/fuzz.db",
                      "PUBLIC_RATE_LIMIT": "1000000/minute"})
    with app.app_context():
        migrate_database(app)
    yield app.test_client()
    app.extensions["db_engine"].dispose()


JSONISH = st.recursive(SCALAR.filter(lambda v: not (isinstance(v, float) and not
                                                    math.isfinite(v))),
                       lambda children: st.one_of(st.lists(children, max_size=3),
                                                  st.dictionaries(st.text(max_size=8), children,
                                                                  max_size=4)),
                       max_leaves=12)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(PROFILE.map(lambda p: {k: v for k, v in p.items() if not (
    isinstance(v, float) and not math.isfinite(v))}), JSONISH))
def test_the_public_match_api_never_fails_on_any_json(api_client, body):
    r = api_client.post("/api/v1/match", json=body)
    assert r.status_code in (200, 400, 422), (body, r.status_code, r.get_data()[:300])
    data = r.get_json()
    if r.status_code == 200:
        check_record(data, 0)
    else:
        assert data["code"] == r.status_code
