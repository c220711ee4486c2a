"""Defects the fuzzers (hypothesis, schemathesis) found, pinned as plain examples so that the
default, fast test run keeps them fixed."""

from __future__ import annotations

import pytest

CHIP = "拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件和模拟芯片代工。"


@pytest.mark.parametrize("target", ["/\r/", "/\n", "/\r\n", "/leads/\x00", "/\x7f/"])
def test_a_control_character_in_next_is_not_a_500(client, officer, login, target):
    r = login(client, officer.username, officer.password, next=target)
    assert r.status_code == 302 and r.headers["Location"] == "/leads/"


@pytest.mark.parametrize("path", ["/api/v1/leads/312449585351462879232",
                                  "/api/v1/leads/2147483648", "/api/v1/jobs/99999999999999999999",
                                  "/leads/99999999999999999999"])
def test_an_id_beyond_the_column_range_is_a_404(client, bearer, officer, signed_in, path):
    if path.startswith("/api/"):
        r = client.get(path, headers=bearer)
        assert r.status_code == 404 and r.get_json()["code"] == 404
    else:
        assert signed_in(officer).get(path).status_code == 404


@pytest.mark.parametrize("owner_id", [38141, 2**40, -1, 0])
def test_a_lead_for_an_unknown_owner_is_refused(client, bearer, owner_id, lead_id):
    r = client.post("/api/v1/leads", headers=bearer, json={"description": CHIP,
                                                           "owner_id": owner_id})
    assert r.status_code in (400, 422), r.get_json()
    assert "owner_id" in str(r.get_json()["errors"])
    r = client.patch(f"/api/v1/leads/{lead_id}", headers=bearer, json={"owner_id": owner_id})
    assert r.status_code in (400, 422), r.get_json()


def test_api_errors_match_their_documented_schema(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = set(spec["components"]["schemas"]["Error"]["properties"])
    for r in (client.get("/api/v1/leads"), client.post("/api/v1/match", json={}),
              client.get("/api/v1/nowhere"), client.post("/api/v1/match", data="{",
                                                         content_type="application/json")):
        body = r.get_json()
        assert set(body) <= documented, (r.status_code, set(body) - documented)
        assert body["code"] == r.status_code


def test_a_jsonl_file_that_mixes_encodings_is_a_clear_error(tmp_path):
    from matcher.errors import InputFileError
    from matcher.io import open_leads

    path = tmp_path / "mixed.jsonl"
    good = '{"description": "芯片设计"}\n'.encode() * 200_000  # beyond the detection sample
    path.write_bytes(good + b'{"description": "\x80\xff"}\n')
    lead = open_leads(path)
    with pytest.raises(InputFileError, match=r"after row \d+: bytes not valid in utf-8"):
        list(lead.rows())

