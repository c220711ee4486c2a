"""Requests (ASVS V4.2.2, V12, V13): CSRF on every state-changing route, no state change by
GET, and size limits that answer 413 with a clean page (JSON under /api/), never a crash."""

from __future__ import annotations

import io
import re

import pytest

CSRF_EXEMPT = {"api.match", "api.match_batch"}  # change nothing; serve anonymous API clients


def multipart(fields: dict) -> dict:
    """A multipart body built in memory (the test client spools big ones to a temporary file
    that it never closes when the app refuses the body unread)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    values = {k: FileStorage(io.BytesIO(v[0]), filename=v[1]) if isinstance(v, tuple) else v
              for k, v in fields.items()}
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture
def done_job(app, tmp_path, client, bearer):
    """A finished batch job of the officer: its id."""
    from web.worker import run_pending_jobs

    app.config["JOBS_DIR"] = str(tmp_path / "jobs")
    csv = "企业名称,经营范围\n甲,集成电路设计\n乙,生物医药研发\n".encode()
    r = client.post("/api/v1/jobs", headers=bearer,
                    data={"file": (io.BytesIO(csv), "名单.csv")}, content_type="multipart/form-data")
    assert r.status_code == 202, r.get_json()
    run_pending_jobs(app, processes=1)
    job_id = r.get_json()["id"]
    assert client.get(f"/api/v1/jobs/{job_id}", headers=bearer).get_json()["status"] == "done"
    return job_id


def test_every_state_changing_route_needs_the_csrf_token(app, admin, signed_in, lead_id, routes,
                                                         snapshot):
    browser = signed_in(admin)  # an admin reaches every route
    before = snapshot()
    checked = []
    for endpoint, method, url in routes(app, lead_id=lead_id):
        if method == "GET" or endpoint in CSRF_EXEMPT:
            continue
        if url.startswith("/api/"):  # the browser session's cookie, JSON, no X-CSRF-Token
            r = browser.open(url, method=method, json={"description": "x", "status": "lost",
                                                        "body": "x"})
        else:
            r = browser.open(url, method=method, data={"body": "x", "status": "lost",
                                                       "user_id": "1", "active": "0"})
        assert r.status_code == 400, (method, url, r.status_code)
        checked.append(endpoint)
        # a wrong token is as good as none
        r = browser.open(url, method=method, data={"csrf_token": "forged-token"},
                         headers={"X-CSRF-Token": "forged-token"})
        assert r.status_code == 400, (method, url, r.status_code)
    assert len(checked) >= 25
    assert snapshot() == before


def test_the_csrf_token_is_per_session(app, officer, signed_in, csrf):
    a, b = signed_in(officer), signed_in(officer)
    token_a = csrf(a, "/leads/")
    assert token_a != csrf(b, "/leads/")
    r = b.post("/account/tokens", data={"csrf_token": token_a, "name": "x"})
    assert r.status_code == 400


def test_no_get_changes_state(app, admin, officer, signed_in, lead_id, done_job, routes,
                              snapshot, token_for):
    """Every GET route, with real ids and provocative query strings, as a signed-in admin and
    with a token: nothing in the database changes (only the append-only audit log grows)."""
    _tid, raw = token_for(admin)
    browser = signed_in(admin)
    api = app.test_client()
    headers = {"Authorization": f"Bearer {raw}"}
    before = snapshot()
    seen = 0
    for _endpoint, method, url in routes(app, lead_id=lead_id, job_id=done_job):
        if method != "GET":
            continue
        for query in ("", "?status=lost&active=0&user_id=1&revoke=1&delete=1&format=xlsx"):
            client, extra = (api, {"headers": headers}) if url.startswith("/api/") else \
                (browser, {})
            with client.get(url + query, **extra) as r:
                assert r.status_code < 500, (url + query, r.status_code)
            seen += 1
    assert seen >= 50
    assert snapshot() == before


def test_logout_and_revoking_are_not_reachable_by_get(officer, signed_in, token_for):
    browser = signed_in(officer)
    token_id, _raw = token_for(officer)
    assert browser.get("/auth/logout").status_code == 405
    assert browser.get(f"/account/tokens/{token_id}/revoke").status_code == 405
    assert browser.get("/leads/").status_code == 200


# --- size limits ------------------------------------------------------------------------------

def _clean_413(r, *, api: bool) -> None:
    assert r.status_code == 413
    body = r.get_data(as_text=True)
    for leak in ("Traceback", "werkzeug", ".py", "RequestEntityTooLarge"):
        assert leak not in body
    assert "too large" in body or "请求过大" in body
    if api:
        assert r.get_json()["code"] == 413
    else:
        assert r.mimetype == "text/html" and "413" in body
        assert r.headers["Content-Security-Policy"]


@pytest.mark.parametrize("app_config", [{"MAX_BODY_LENGTH": 64 * 1024}])
def test_oversized_json_to_the_api_is_a_json_413(client, bearer):
    big = {"description": "芯" * 30_000}  # ~90 KB
    _clean_413(client.post("/api/v1/match", json=big), api=True)
    _clean_413(client.post("/api/v1/leads", json=big, headers=bearer), api=True)
    _clean_413(client.post("/api/v1/match/batch", json={"profiles": [big]}), api=True)
    # under the limit it is an ordinary request
    assert client.post("/api/v1/match", json={"description": "芯" * 1000}).status_code == 200


@pytest.mark.parametrize("app_config", [{"MAX_BODY_LENGTH": 64 * 1024}])
def test_oversized_forms_are_a_clean_413_page(client, officer, signed_in, csrf):
    token = csrf(client, "/assess")
    _clean_413(client.post("/assess", data={"csrf_token": token, "description": "芯" * 30_000}),
               api=False)
    browser = signed_in(officer)
    token = csrf(browser, "/leads/screen")
    _clean_413(browser.post("/leads/screen", data={"csrf_token": token,
                                                   "description": "x" * 100_000}), api=False)
    # a file smuggled into a form that takes none counts against the same limit
    _clean_413(client.post("/assess", content_type="multipart/form-data",
                           data={"csrf_token": token,
                                 "file": (io.BytesIO(b"x" * 100_000), "a.csv")}), api=False)


def test_one_form_field_is_limited_even_under_the_body_limit(client, csrf):
    token = csrf(client, "/assess")
    r = client.post("/assess", **multipart({"csrf_token": token,
                                            "description": "a" * (600 * 1024)}))
    _clean_413(r, api=False)


def test_too_many_form_parts_is_a_413(client, csrf):
    token = csrf(client, "/assess")
    data = {"csrf_token": token, "description": "芯片"}
    data.update({f"f{i}": "x" for i in range(1200)})
    _clean_413(client.post("/assess", data=data, content_type="multipart/form-data"),
               api=False)


@pytest.mark.parametrize("app_config", [{"MAX_BODY_LENGTH": 64 * 1024,
                                         "MAX_CONTENT_LENGTH": 512 * 1024}])
def test_uploads_have_their_own_larger_limit(app, tmp_path, client, bearer, officer, signed_in,
                                             csrf):
    app.config["JOBS_DIR"] = str(tmp_path / "jobs")
    rows = "".join(f"企业{i},集成电路设计与制造{i}\n" for i in range(4000))
    medium = ("企业名称,经营范围\n" + rows).encode()  # ~150 KB: over the body limit only
    assert 64 * 1024 < len(medium) < 512 * 1024
    r = client.post("/api/v1/jobs", headers=bearer, content_type="multipart/form-data",
                    data={"file": (io.BytesIO(medium), "list.csv")})
    assert r.status_code == 202, r.get_json()
    huge = medium * 4
    r = client.post("/api/v1/jobs", headers=bearer, **multipart({"file": (huge, "list.csv")}))
    _clean_413(r, api=True)
    browser = signed_in(officer)
    r = browser.post("/batch/new", **multipart({"csrf_token": csrf(browser, "/batch/new"),
                                                "file": (huge, "list.csv")}))
    _clean_413(r, api=False)


def test_the_limits_are_on_by_default(app):
    assert app.config["MAX_CONTENT_LENGTH"] <= 100 * 1024 * 1024
    assert app.config["MAX_BODY_LENGTH"] <= app.config["MAX_CONTENT_LENGTH"]
    assert app.config["MAX_FORM_MEMORY_SIZE"] <= 1024 * 1024
    assert app.config["MAX_FORM_PARTS"] <= 1000


def test_413_pages_name_the_limit(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/l.db", MAX_BODY_LENGTH=2 * 1024 * 1024)
    try:
        r = app.test_client().post("/api/v1/match", data=b"x" * (3 * 1024 * 1024),
                                   content_type="application/json")
        assert r.status_code == 413
        assert re.search(r"limit 2 MB", r.get_json()["message"])
    finally:
        app.extensions["db_engine"].dispose()
