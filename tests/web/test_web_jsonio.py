"""API responses written with orjson are the JSON Flask's own provider writes: the record's
field order, Chinese as text, dates as HTTP dates, decimals as strings, big integers too."""

from __future__ import annotations

import datetime as dt
import decimal
import json

from flask.json.provider import DefaultJSONProvider

from web.jsonio import OrjsonProvider


def _standard(app, obj) -> bytes:
    provider = DefaultJSONProvider(app)
    provider.ensure_ascii, provider.sort_keys = False, False
    return provider.dumps(obj, separators=(",", ":")).encode() + b"\n"


def test_responses_are_the_standard_json(app):
    assert isinstance(app.json, OrjsonProvider)
    value = {"z": 1, "a": [1.5, None, True], "名称": "浦东新区", "at": dt.datetime(2026, 12, 4, 8, 0),
             "day": dt.date(2026, 12, 4), "amount": decimal.Decimal("1.20"), "big": 2 ** 70,
             7: "a non-string key"}
    with app.test_request_context():
        body = app.json.response(value).get_data()
    assert body == _standard(app, value)
    assert list(json.loads(body)) == ["z", "a", "名称", "at", "day", "amount", "big", "7"]


def test_a_match_response_is_utf8_in_the_record_order(client):
    response = client.post("/api/v1/match", json={"description": "集成电路设计与芯片制造"})
    assert response.status_code == 200
    body = response.get_data()
    assert "集成电路".encode() in body or "芯片".encode() in body
    record = json.loads(body)
    assert list(record)[:3] == ["row", "name", "taxonomy_version"]
