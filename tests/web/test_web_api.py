"""The JSON API: public matching, OpenAPI and docs, officer token auth, leads, taxonomy."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from web.models import Lead, LeadEvent, LeadMatch, LeadNote

RECORD_KEYS = {"row", "name", "taxonomy_version", "industries", "districts", "parks",
               "policies", "confidence", "warnings"}
ITEM_KEYS = {
    "industries": {"id", "name_zh", "name_en", "path_zh", "score", "evidence", "sources"},
    "districts": {"code", "name_zh", "name_en", "score", "reasons"},
    "parks": {"id", "name_zh", "name_en", "district_code", "score", "reasons"},
    "policies": {"id", "title_zh", "title_en", "scope", "why", "conditions", "sources"},
}
CHIP = ("拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，"
        "配套建设封装测试中试线。")


def check_record(record: dict, row: int = 0) -> None:
    assert set(record) >= RECORD_KEYS, RECORD_KEYS - set(record)
    assert record["row"] == row
    assert 0.0 <= record["confidence"] <= 1.0
    assert record["taxonomy_version"]
    for kind, keys in ITEM_KEYS.items():
        items = record[kind]
        assert isinstance(items, list)
        for item in items:
            assert keys <= set(item), (kind, keys - set(item))
        if kind != "policies":
            scores = [item["score"] for item in items]
            assert all(0.0 <= s <= 1.0 for s in scores), (kind, scores)
            # by score, those resting only on plans no longer current ("stale") after the others
            for stale in (False, True):
                group = [i["score"] for i in items if bool(i.get("stale")) == stale]
                assert group == sorted(group, reverse=True), (kind, scores)
    for source in record["industries"][0]["sources"]:
        assert {"plan", "section", "evidence"} <= set(source)


@pytest.mark.parametrize("profile", [
    {"description": CHIP, "name": "示例芯", "project_type": "manufacturing", "investment": "45亿元",
     "land": "150亩", "traits": ["high_tech"], "preferred_districts": ["浦东新区"]},
    {"description": "Contract development and manufacturing of biologics; antibody drugs.",
     "origin": "foreign", "investment": "USD 30m", "land": "50,000 sqm"},
    {"description": "經營範圍：積體電路設計、軟體開發、技術服務", "investment": "3億元", "land": "40畝"},
])
def test_match_returns_a_design_record(client, profile):
    r = client.post("/api/v1/match", json=profile)
    assert r.status_code == 200, r.get_json()
    assert r.mimetype == "application/json"
    record = r.get_json()
    check_record(record)
    assert record["industries"] and record["districts"]
    assert record["name"] == profile.get("name", record["name"])


def test_match_ranks_the_expected_place_first(client):
    record = client.post("/api/v1/match", json={"description": CHIP,
                                                "project_type": "manufacturing"}).get_json()
    assert record["industries"][0]["id"].startswith("ic")
    assert "310115" in [d["code"] for d in record["districts"][:3]]


@pytest.mark.parametrize("body,field", [
    ({"name": "no description"}, "description"),
    ({"description": "   "}, "description"),
    ({"description": "芯片", "name": "x" * 300}, "name"),
    ({"description": 12345}, "description"),
])
def test_match_422_names_the_field(client, body, field):
    r = client.post("/api/v1/match", json=body)
    assert r.status_code == 422
    data = r.get_json()
    assert data["code"] == 422
    assert field in data["errors"]["json"]


def test_match_with_a_broken_body(client):
    assert client.post("/api/v1/match", data="{not json",
                       content_type="application/json").status_code == 400
    assert client.post("/api/v1/match", json=[1, 2]).status_code == 422


def test_batch_keeps_input_order_and_reports_a_bad_row(client):
    profiles = [{"name": "first", "description": CHIP},
                {"name": "second", "description": "新能源汽车动力电池", "investment": {"bad": 1}},
                {"name": "third", "description": "antibody drugs CDMO"},
                {"name": "fourth", "description": "工业机器人减速器"}]
    r = client.post("/api/v1/match/batch", json={"profiles": profiles})
    assert r.status_code == 200
    results = r.get_json()["results"]
    assert [res["row"] for res in results] == [0, 1, 2, 3]
    assert "error" in results[1] and "investment" in results[1]["error"]
    for i in (0, 2, 3):
        check_record(results[i], row=i)
        assert results[i]["name"] == profiles[i]["name"]
        assert "error" not in results[i]


def test_batch_needs_profiles(client):
    r = client.post("/api/v1/match/batch", json={"profiles": []})
    assert r.status_code == 422 and "profiles" in r.get_json()["errors"]["json"]
    r = client.post("/api/v1/match/batch", json={"profiles": [{"description": "x"}, {"name": "y"}]})
    assert r.status_code == 422
    assert "description" in r.get_json()["errors"]["json"]["profiles"]["1"]


def test_openapi_document(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"]
    for path in ("/api/v1/match", "/api/v1/match/batch", "/api/v1/leads",
                 "/api/v1/leads/{lead_id}", "/api/v1/leads/{lead_id}/notes",
                 "/api/v1/taxonomy/{kind}"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/v1/match"]
    assert {"get", "post"} <= set(spec["paths"]["/api/v1/leads"])
    assert "bearer" in spec["components"]["securitySchemes"]


def test_api_docs_serve_local_assets_only(client):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    refs = re.findall(r'(?:src|href)="([^"]*)"', body)
    assert refs
    for ref in refs:
        assert not re.match(r"(?i)(https?:)?//", ref), ref
        with client.get(ref) as asset:
            assert asset.status_code == 200, ref
    assert not re.search(r"(?i)https?://", body)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)  # no inline script (CSP)
    assert re.search(r'data-spec="/api/v1/openapi.json"', body)


# --- officer endpoints --------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/leads", "/api/v1/leads/1"])
def test_officer_read_endpoints_need_a_token(client, path):
    r = client.get(path)
    assert r.status_code == 401
    assert r.get_json()["code"] == 401


@pytest.mark.parametrize("method,path", [("post", "/api/v1/leads"),
                                         ("patch", "/api/v1/leads/1"),
                                         ("delete", "/api/v1/leads/1"),
                                         ("post", "/api/v1/leads/1/notes"),
                                         ("post", "/api/v1/leads/1/rescore")])
def test_officer_write_endpoints_without_a_token_are_401(client, method, path):
    r = getattr(client, method)(path, json={"description": "x", "status": "lost", "body": "x"})
    assert r.status_code == 401


def test_a_bad_token_is_401(client):
    r = client.get("/api/v1/leads", headers={"Authorization": "Bearer sim_not-a-real-token"})
    assert r.status_code == 401


def test_token_from_the_cli_works_and_revoking_it_ends_it(app, client, officer, db):
    result = app.test_cli_runner().invoke(args=["create-token", officer.username])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("sim_")
    headers = {"Authorization": f"Bearer {token}"}
    r = client.get("/api/v1/leads", headers=headers)
    assert r.status_code == 200
    assert r.get_json() == {"total": 0, "page": 1, "per_page": 50, "items": []}
    from web.db import session_scope
    from web.models import ApiToken, User
    from web.services.users import hash_token, revoke_token

    with session_scope(app.extensions["db_engine"]) as s:
        tok = s.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).one()
        revoke_token(session=s, user=s.get(User, officer.id), token_id=tok.id)
    assert client.get("/api/v1/leads", headers=headers).status_code == 401


def test_revoke_a_token_from_the_tokens_page(auth_client, csrf, client):
    token_page = auth_client.post("/account/tokens", data={
        "csrf_token": csrf(auth_client, "/account/tokens"), "name": "integration"},
        follow_redirects=True)
    body = token_page.get_data(as_text=True)
    raw = re.search(r"(sim_[A-Za-z0-9_-]{20,})", body).group(1)
    headers = {"Authorization": f"Bearer {raw}"}
    assert auth_client.get("/api/v1/leads", headers=headers).status_code == 200
    token_id = re.search(r'/account/tokens/(\d+)/revoke', body).group(1)
    r = auth_client.post(f"/account/tokens/{token_id}/revoke",
                         data={"csrf_token": csrf(auth_client, "/account/tokens")})
    assert r.status_code == 302
    assert auth_client.get("/api/v1/leads", headers=headers).status_code == 401


def test_token_of_a_disabled_user_stops_working(app, client, officer, bearer):
    from web.db import session_scope
    from web.models import User
    from web.services.users import set_active

    assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    with session_scope(app.extensions["db_engine"]) as s:
        set_active(session=s, user=s.get(User, officer.id), active=False)
    assert client.get("/api/v1/leads", headers=bearer).status_code == 401


def test_token_requests_need_no_csrf_but_cookie_requests_do(auth_client, bearer):
    # a signed-in browser session without the CSRF header cannot use the write API
    r = auth_client.post("/api/v1/leads", json={"description": CHIP})
    assert r.status_code == 400
    r = auth_client.post("/api/v1/leads", json={"description": CHIP}, headers=bearer)
    assert r.status_code == 201


def test_leads_crud(client, bearer, officer, db):
    r = client.post("/api/v1/leads", headers=bearer, json={
        "name": "API示例晶圆", "description": CHIP, "project_type": "manufacturing",
        "investment": "45亿元", "status": "contacted", "next_follow_up": "2030-03-01",
        "note": "来自API"})
    assert r.status_code == 201, r.get_json()
    lead = r.get_json()
    lead_id = lead["id"]
    assert lead["source"] == "api" and lead["status"] == "contacted"
    assert lead["owner_id"] == officer.id
    assert lead["next_follow_up"] == "2030-03-01"
    assert lead["profile"]["investment"] == "45亿元"
    assert lead["top_industry_id"] and lead["top_district_code"]
    assert 0 <= lead["confidence"] <= 1

    listing = client.get("/api/v1/leads?q=API示例", headers=bearer).get_json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == lead_id
    assert client.get("/api/v1/leads?q=nothing-like-it", headers=bearer).get_json()["total"] == 0
    by_industry = client.get(f"/api/v1/leads?industry={lead['top_industry_id']}",
                             headers=bearer).get_json()
    assert [i["id"] for i in by_industry["items"]] == [lead_id]

    r = client.patch(f"/api/v1/leads/{lead_id}", headers=bearer, json={"status": "visit"})
    assert r.status_code == 200 and r.get_json()["status"] == "visit"
    r = client.patch(f"/api/v1/leads/{lead_id}", headers=bearer, json={"status": "bogus"})
    assert r.status_code == 422 and "status" in r.get_json()["errors"]["json"]

    r = client.post(f"/api/v1/leads/{lead_id}/notes", headers=bearer, json={"body": "约了参观"})
    assert r.status_code == 201
    assert r.get_json()["body"] == "约了参观" and r.get_json()["lead_id"] == lead_id
    r = client.post(f"/api/v1/leads/{lead_id}/notes", headers=bearer, json={"body": ""})
    assert r.status_code == 422 and "body" in r.get_json()["errors"]["json"]

    r = client.post(f"/api/v1/leads/{lead_id}/rescore", headers=bearer)
    assert r.status_code == 200
    check_record(r.get_json())

    with db() as s:
        events = s.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id)).all()
        assert "contacted -> visit" in [e.detail for e in events]
        assert len(s.exec(select(LeadNote).where(LeadNote.lead_id == lead_id)).all()) == 2
        assert len(s.exec(select(LeadMatch).where(LeadMatch.lead_id == lead_id)).all()) == 2

    r = client.delete(f"/api/v1/leads/{lead_id}", headers=bearer)
    assert r.status_code == 204
    with db() as s:
        assert s.get(Lead, lead_id) is None
        for table in (LeadMatch, LeadNote, LeadEvent):
            assert s.exec(select(table).where(table.lead_id == lead_id)).all() == []
    assert client.delete(f"/api/v1/leads/{lead_id}", headers=bearer).status_code == 404
    assert client.patch(f"/api/v1/leads/{lead_id}", headers=bearer,
                        json={"status": "lost"}).status_code == 404


def test_create_lead_validation_names_the_field(client, bearer):
    r = client.post("/api/v1/leads", headers=bearer, json={"name": "x"})
    assert r.status_code == 422 and "description" in r.get_json()["errors"]["json"]
    r = client.post("/api/v1/leads", headers=bearer, json={"description": "x", "status": "won"})
    assert r.status_code == 422 and "status" in r.get_json()["errors"]["json"]
    r = client.post("/api/v1/leads", headers=bearer,
                    json={"description": "x", "next_follow_up": "next week"})
    assert r.status_code == 422 and "next_follow_up" in r.get_json()["errors"]["json"]


def test_get_a_lead_with_its_match(client, bearer):
    lead_id = client.post("/api/v1/leads", headers=bearer,
                          json={"name": "读取示例", "description": CHIP}).get_json()["id"]
    r = client.get(f"/api/v1/leads/{lead_id}", headers=bearer)
    assert r.status_code == 200
    lead = r.get_json()
    assert lead["id"] == lead_id and lead["name"] == "读取示例"
    check_record(lead["match"])


def test_api_service_errors_keep_their_message_and_field(client, bearer):
    r = client.get("/api/v1/taxonomy/bogus")
    assert r.status_code == 404 and "bogus" in r.get_json()["message"]
    r = client.patch("/api/v1/leads/9999", headers=bearer, json={"status": "lost"})
    assert r.status_code == 404 and "9999" in r.get_json()["message"]
    r = client.post("/api/v1/leads", headers=bearer,
                    json={"description": "芯片", "investment": {"bad": 1}})
    assert r.status_code in (400, 422)
    body = r.get_json()
    assert "investment" in body["message"] or "investment" in str(body.get("errors"))


# --- taxonomy -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["plans", "industries", "districts", "zones", "relations",
                                  "policies"])
def test_taxonomy_read_endpoints(client, kind):
    from taxonomy import get_taxonomy

    tx = get_taxonomy()
    r = client.get(f"/api/v1/taxonomy/{kind}")
    assert r.status_code == 200
    body = r.get_json()
    assert body["taxonomy_version"] == tx.version
    assert len(body["items"]) == tx.counts()[kind] == body["counts"][kind]


def test_taxonomy_districts_are_the_sixteen(client):
    items = client.get("/api/v1/taxonomy/districts").get_json()["items"]
    codes = {d["code"] for d in items}
    assert len(codes) == 16
    assert {"310115", "310101", "310112", "310151"} <= codes
    assert next(d for d in items if d["code"] == "310115")["name_en"] == "Pudong New Area"


def test_taxonomy_unknown_kind_is_404(client):
    assert client.get("/api/v1/taxonomy/bogus").status_code == 404


def test_api_404_is_json(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.get_json()["code"] == 404


@pytest.mark.parametrize("app_config", [{"PUBLIC_RATE_LIMIT": "2/minute",
                                         "TOKEN_RATE_LIMIT": "4/minute"}])
def test_token_callers_have_their_own_limit(client, officer, token_for):
    """A valid token is counted per token against TOKEN_RATE_LIMIT, not the address's public
    quota; anonymous callers from the same address keep the public limit."""
    first = {"Authorization": f"Bearer {token_for(officer)}"}
    body = {"description": "芯片设计"}
    for _ in range(2):
        assert client.post("/api/v1/match", json=body).status_code == 200
    assert client.post("/api/v1/match", json=body).status_code == 429  # the public quota is used
    for _ in range(4):
        assert client.post("/api/v1/match", json=body, headers=first).status_code == 200
    over = client.post("/api/v1/match", json=body, headers=first)
    assert over.status_code == 429 and "retry" in over.get_json()["message"]
    # a second token has its own count, from the same address
    second = {"Authorization": f"Bearer {token_for(officer)}"}
    assert client.post("/api/v1/match/batch", json={"profiles": [body]},
                       headers=second).status_code == 200
