"""The API's serving shortcuts give the same answers: a match record written without
marshmallow's per-field dump is the schema's dump byte for byte (odd values still go through
the schema); matching looks at the taxonomy's files at most once a second, yet sees a change
made in this process at once, another folder at once, and another process's within the window."""

from __future__ import annotations

import contextlib
import time

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web.api import BatchOut, MatchRecord
from web.jsonio import PlainDump

PROFILES = [
    {"description": "拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件和模拟芯片代工", "name": "示例芯",
     "project_type": "manufacturing", "investment": "45亿元", "land": "150亩",
     "traits": ["high_tech"], "preferred_districts": ["浦东新区"]},
    {"description": "Bispecific antibodies and a biologics CDMO plant.", "origin": "foreign",
     "investment": "USD 30m", "land": "50,000 sqm"},
    {"description": "經營範圍：積體電路設計、軟體開發、技術服務", "investment": "3億元", "land": "40畝"},
    {"description": "新能源汽车动力电池", "investment": {"bad": 1}},  # an error record
    {"description": "芯片", "investment": "100万元"},
]


@pytest.fixture(scope="module")
def records():
    from web.services.matching import wait_until_current

    matcher = wait_until_current()
    return [matcher.match(p, row=i) for i, p in enumerate(PROFILES)]


def test_plain_dump_is_the_schema_dump(records, monkeypatch):
    schema = MatchRecord()
    expected = [schema.dump(r) for r in records]
    assert any("error" in r for r in records) and any(r.get("industries") for r in records)
    dump = PlainDump(MatchRecord())
    assert dump.plan is not None  # a full record takes the plain path ...
    monkeypatch.setattr(dump.schema, "dump", lambda *a, **k: pytest.fail("schema.dump used"))
    got = [dump(r) for r in records]
    assert [orjson.dumps(g) for g in got] == [orjson.dumps(e) for e in expected]
    assert [list(g) for g in got] == [list(e) for e in expected]


@pytest.mark.parametrize("change", [
    {"confidence": 1},            # an int for a Float: the schema writes 1.0
    {"row": True},                # a bool for an Integer: the schema writes 1
    {"needs_review": 1},          # an int for a Boolean: true
    {"warnings": ["ok", 7]},      # a non-string in a List(String): "7"
    {"parsed": None},             # None is None everywhere
    {"secret": "x", "row": 3},    # undeclared keys are left out
])
def test_odd_values_are_written_as_the_schema_writes_them(records, change):
    record = {**records[0], **change}
    assert orjson.dumps(PlainDump(MatchRecord())(record)) == orjson.dumps(MatchRecord().dump(record))
    missing = {k: v for k, v in records[0].items() if k not in ("row", "parsed")}
    assert PlainDump(MatchRecord())(missing) == MatchRecord().dump(missing)


def test_match_and_batch_responses_are_the_schema_dumps(client, records):
    for profile, record in zip(PROFILES, records, strict=True):
        r = client.post("/api/v1/match", json=profile)
        assert r.status_code == 200
        assert r.get_data() == orjson.dumps(MatchRecord().dump({**record, "row": 0})) + b"\n"
    r = client.post("/api/v1/match/batch", json={"profiles": PROFILES})
    assert r.status_code == 200
    assert r.get_data() == orjson.dumps(BatchOut().dump({"results": records})) + b"\n"


@pytest.fixture
def looks(monkeypatch):
    """How often the matching looked at the taxonomy's files."""
    from web.services import matching

    seen = []
    real = matching.get_taxonomy

    def counting(*args, **kwargs):
        seen.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(matching, "get_taxonomy", counting)
    return seen


def test_matching_looks_at_the_taxonomy_files_at_most_once_a_second(looks, monkeypatch):
    from web.services import matching

    monkeypatch.setattr(matching, "CHECK_SECONDS", 0.3)
    matching.current_matcher()
    before = len(looks)
    for _ in range(5):
        matching.match_profile(session=None, profile={"description": "芯片设计"})
    assert len(looks) == before
    time.sleep(0.35)
    matching.match_profile(session=None, profile={"description": "芯片设计"})
    assert len(looks) == before + 1
    matching.current_matcher()  # the explicit call (after a curator's change) always looks
    assert len(looks) == before + 2


def test_another_folder_is_looked_at_at_once(looks, taxonomy_copy, monkeypatch):
    from web.services import matching

    monkeypatch.setattr(matching, "CHECK_SECONDS", 60.0)
    monkeypatch.delenv("TAXONOMY_DIR")
    matching.current_matcher()
    matching.serving_matcher()
    assert len(looks) == 1
    monkeypatch.setenv("TAXONOMY_DIR", str(taxonomy_copy))
    matcher = matching.serving_matcher()  # another folder: no waiting for the window
    assert len(looks) == 2
    assert matching.serving_matcher() is matcher and len(looks) == 2


def test_a_change_by_another_process_is_matched_on_after_the_window(taxonomy_copy, monkeypatch):
    from taxonomy import get_taxonomy
    from taxonomy.plans import set_plan_status
    from web.services import matching

    monkeypatch.setattr(matching, "CHECK_SECONDS", 0.3)
    v0 = matching.wait_until_current().version
    profile = {"description": "集成电路设计与芯片制造"}
    assert matching.match_profile(session=None, profile=profile)["taxonomy_version"] == v0
    # as another process would: the files change, this process's matching is not told
    set_plan_status(plan_id="sh-future-industries", status="draft", data_dir=taxonomy_copy,
                    who="t")
    v1 = get_taxonomy().version
    assert v1 != v0
    assert matching.match_profile(session=None, profile=profile)["taxonomy_version"] == v0
    time.sleep(0.35)
    matching.serving_matcher()  # looks again: the refit starts
    deadline = time.monotonic() + 120
    while matching.match_profile(session=None, profile=profile)["taxonomy_version"] != v1:
        assert time.monotonic() < deadline, "the change was never matched on"
        time.sleep(0.1)


def test_the_session_serializer_is_made_once_per_key(app):
    si = app.session_interface
    first = si.get_signing_serializer(app)
    assert si.get_signing_serializer(app) is first
    cookie = first.dumps({"_flashes": [["message", "signed out"]]})
    app.secret_key = "another-secret-key"
    other = si.get_signing_serializer(app)
    assert other is not first
    with pytest.raises(Exception, match="does not match"):
        other.loads(cookie)  # a cookie signed with the old key is not accepted


def test_a_flash_message_still_reaches_the_next_page(auth_client, csrf):
    token = csrf(auth_client, "/leads/")
    r = auth_client.post("/auth/logout?lang=en", data={"csrf_token": token})
    assert r.status_code == 302
    page = auth_client.get(r.headers["Location"]).get_data(as_text=True)
    assert "You are signed out." in page


def test_ensure_sync_remembers_plain_functions_only(app):
    def plain():
        return 1

    async def coroutine():
        return 2

    assert app.ensure_sync(plain) is plain and plain in app._sync
    with contextlib.suppress(RuntimeError):  # Flask without its async extra refuses it
        assert app.ensure_sync(coroutine) is not coroutine  # else: wrapped to run to its end
    assert coroutine not in app._sync


_FIELDS = ["name", "description", "project_type", "investment", "land", "employees", "origin",
           "traits", "preferred_districts", "credit_code", "industry_label", "address",
           "lead_kind", "unknown_key"]
_VALUES = st.one_of(st.none(), st.just(""), st.just("  \t"), st.text(max_size=40),
                    st.text(min_size=250, max_size=600), st.integers(), st.floats(allow_nan=False),
                    st.booleans(), st.lists(st.text(max_size=5), max_size=3),
                    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _marshmallow_load(schema, data):
    from marshmallow import Schema, ValidationError

    try:
        return "ok", Schema.load(schema, data)
    except ValidationError as exc:
        return "error", exc.messages


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_FIELDS), _VALUES, max_size=8))
def test_profile_loading_is_marshmallows(data):
    """The plain load of ProfileIn gives marshmallow's result (the same keys, values and order)
    or marshmallow's own error, for any mix of fields and values."""
    from marshmallow import ValidationError

    from web.schemas import ProfileIn

    schema = ProfileIn()
    expected = _marshmallow_load(schema, data)
    try:
        got = "ok", schema.load(data)
    except ValidationError as exc:
        got = "error", exc.messages
    assert got == expected
    if got[0] == "ok":
        assert list(got[1]) == list(expected[1])


def test_profile_loading_takes_the_plain_path_and_subclasses_do_not(monkeypatch):
    from marshmallow import Schema

    from web.schemas import BatchMatchIn, LeadIn, ProfileIn, SubmitIn, _plain_plan

    monkeypatch.setattr(Schema, "_do_load", lambda *a, **k: pytest.fail("marshmallow used"))
    profile = {"description": " 芯片设计 ", "name": "", "investment": 5, "extra": 1}
    assert ProfileIn().load(profile) == {"name": None, "description": " 芯片设计 ",
                                          "investment": 5}
    monkeypatch.undo()
    lead, submit = LeadIn(), SubmitIn()
    assert lead.load({"description": "x"})["status"] == "new"  # its load_default, by marshmallow
    assert vars(lead)["_plain_plan"] is None and _plain_plan(submit) is None
    batch = BatchMatchIn().load({"profiles": [profile, {"description": "x", "land": "5亩"}]})
    assert batch["profiles"][1] == {"description": "x", "land": "5亩"}


def test_a_view_keeps_its_own_security_headers(app):
    from flask import make_response

    @app.route("/own-headers")
    def own_headers():
        response = make_response("ok")
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["cache-control"] = "max-age=60"
        return response

    r = app.test_client().get("/own-headers")
    assert r.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert r.headers.getlist("Cache-Control") == ["max-age=60"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Security-Policy"].startswith("default-src 'self'")
    api = app.test_client().post("/api/v1/match", json={"description": "芯片"})
    names = [key for key, _value in api.headers]
    assert names[-7:] == ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                          "X-Frame-Options", "Permissions-Policy",
                          "Cross-Origin-Opener-Policy", "Cache-Control"]
    assert api.headers["Cache-Control"] == "no-store"
