"""The same through the API with a bearer token: POST /api/v1/jobs (multipart), GET status,
GET result?format=csv|xlsx|jsonl, cancel; errors as JSON."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook


def _post(client, headers, path, encoding=None, name=None):
    data = {"file": (path.open("rb"), name or path.name)}
    if encoding:
        data["encoding"] = encoding
    response = client.post("/api/v1/jobs", data=data, headers=headers,
                           content_type="multipart/form-data")
    data["file"][0].close()
    return response


def test_upload_status_and_results(app, client, bearer, data, run_jobs, fetch):
    response = _post(client, bearer, data / "gbk_comma_zh.csv")
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    job_id = body["id"]
    assert body["status"] == "queued" and body["mapping"]["经营范围"] == "description"

    status = client.get(f"/api/v1/jobs/{job_id}", headers=bearer).get_json()
    assert (status["status"], status["rows_done"]) == ("queued", 0)
    code, early, _h = fetch(client, f"/api/v1/jobs/{job_id}/result?format=csv", headers=bearer)
    assert code == 409 and json.loads(early)["message"]

    run_jobs()
    status = client.get(f"/api/v1/jobs/{job_id}", headers=bearer).get_json()
    assert (status["status"], status["rows_done"], status["rows_total"]) == ("done", 5, 5)
    assert status["rows_failed"] == 1 and status["rate"] > 0
    assert status["links"]["jsonl"] == f"/api/v1/jobs/{job_id}/result?format=jsonl"

    code, body, headers = fetch(client, f"/api/v1/jobs/{job_id}/result?format=jsonl",
                                headers=bearer)
    assert code == 200 and "attachment" in headers["Content-Disposition"]
    records = [json.loads(line) for line in body.decode().splitlines()]
    assert [r["row"] for r in records] == [2, 3, 4, 5, 6]  # the file's own rows
    assert records[0]["name"] == "上海示例芯微电子有限公司"
    code, body, _h = fetch(client, f"/api/v1/jobs/{job_id}/result?format=csv", headers=bearer)
    assert code == 200 and body.startswith("\ufeffrow,name,credit_code".encode())
    code, body, _h = fetch(client, f"/api/v1/jobs/{job_id}/result", headers=bearer)
    assert code == 200 and body.startswith("\ufeffrow,".encode())  # csv by default
    code, body, _h = fetch(client, f"/api/v1/jobs/{job_id}/result?format=xlsx", headers=bearer)
    ws = load_workbook(io.BytesIO(body)).active
    assert ws.max_row == 6
    code, body, _h = fetch(client, f"/api/v1/jobs/{job_id}/result?format=pdf", headers=bearer)
    assert code == 422

    # list records: their ids resolve with the job's catalogue, or one row at a time in full
    assert records[0]["detail"] == "list" and records[0]["input"]["联系电话"] == "02165326411"
    code, body, _h = fetch(client, f"/api/v1/jobs/{job_id}/result?format=catalogue",
                           headers=bearer)
    catalogue = json.loads(body)
    assert code == 200 and catalogue["taxonomy_version"] == records[0]["taxonomy_version"]
    assert records[0]["details"]["districts"] in catalogue["details"]
    full = client.get(f"/api/v1/jobs/{job_id}/records/2", headers=bearer).get_json()
    assert full["industries"][0]["id"] == records[0]["industries"][0]["id"]
    assert full["industries"][0]["sources"][0]["evidence"]
    assert full["districts"][0]["reasons"] and "detail" not in full
    same = client.get(f"/api/v1/jobs/{job_id}/records/2?detail=list", headers=bearer)
    assert same.get_json() == records[0]
    assert client.get(f"/api/v1/jobs/{job_id}/records/99", headers=bearer).status_code == 404
    assert client.get(f"/api/v1/jobs/{job_id}/records/2").status_code == 401

    listing = client.get("/api/v1/jobs", headers=bearer).get_json()
    assert [j["id"] for j in listing["items"]] == [job_id]


def test_encoding_parameter_and_unreadable_files(client, bearer, data, tmp_path):
    response = _post(client, bearer, data / "gbk_comma_zh.csv", encoding="utf-8")
    assert response.status_code == 422
    assert "cannot be read as utf-8" in response.get_json()["message"]
    response = _post(client, bearer, data / "gb18030_semicolon_zh.csv", encoding="gb18030")
    assert response.status_code == 202 and response.get_json()["encoding"] == "gb18030"
    response = _post(client, bearer, data / "utf8_comma_zh.csv", encoding="latin-1")
    assert response.status_code == 422  # not an offered encoding
    no_desc = tmp_path / "nodesc.csv"
    no_desc.write_text("企业名称,注册资本\n甲公司,100万元\n", encoding="utf-8")
    response = _post(client, bearer, no_desc)
    assert response.status_code == 422 and "description" in response.get_json()["message"]
    response = client.post("/api/v1/jobs", data={}, headers=bearer,
                           content_type="multipart/form-data")
    assert response.status_code == 422


def test_cancel_and_ownership(app, client, bearer, data, make_user, token_for):
    job_id = _post(client, bearer, data / "utf8_comma_zh.csv").get_json()["id"]
    stranger = {"Authorization": f"Bearer {token_for(make_user('officer9'))}"}
    assert client.get(f"/api/v1/jobs/{job_id}", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/jobs/{job_id}/cancel", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/jobs/{job_id}/result", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 401
    assert client.get("/api/v1/jobs/999999", headers=bearer).status_code == 404
    response = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=bearer)
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"


def test_openapi_documents_the_job_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/jobs", "/api/v1/jobs/{job_id}", "/api/v1/jobs/{job_id}/result"} <= set(
        spec["paths"])
    post = spec["paths"]["/api/v1/jobs"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]


def test_result_downloads_through_the_api_are_audited(app, client, bearer, data, run_jobs, fetch):
    from sqlmodel import select

    from web.db import session_scope
    from web.models import AuditEvent

    job_id = _post(client, bearer, data / "gbk_comma_zh.csv").get_json()["id"]
    run_jobs()
    code, _body, _h = fetch(client, f"/api/v1/jobs/{job_id}/result?format=xlsx", headers=bearer)
    assert code == 200
    with session_scope(app.extensions["db_engine"]) as session:
        downloads = session.exec(select(AuditEvent).where(AuditEvent.action == "job.download")).all()
    assert [(e.target, e.detail) for e in downloads] == [(f"job {job_id}", "xlsx")]


def test_utf16_declared_without_bom_is_a_clear_error(client, bearer, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes("企业名称,经营范围\n示例,芯片设计\n".encode())
    response = _post(client, bearer, path, encoding="utf-16")
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert response.get_json()["message"]
