"""Authorisation (ASVS V4). The model (SECURITY.md): one shared agency pipeline — every officer
may read and work on every lead; admins additionally manage users and read the audit log; API
tokens and batch jobs belong to their owner (another officer gets 404, as if they did not
exist; an admin may see and revoke them). A public visitor reaches only the public pages and
the rate-limited public API."""

from __future__ import annotations

import io

import pytest

# endpoint -> why anonymous visitors may reach it
PUBLIC = {
    "static": "stylesheets, scripts, fonts, map",
    "home.index": "home page", "home.healthz": "health check for the load balancer",
    "home.favicon": "the icon every browser asks for",
    "assess.form": "public self-assessment", "assess.submit": "opt-in submission",
    "assess.edit": "the self-assessment form filled again (nothing stored)",
    "assess.thanks": "the thank-you page after a submission (shows only its number)",
    "auth.login": "sign-in", "auth.logout": "sign-out (harmless when signed out)",
    "api.match": "public match (rate-limited)", "api.match_batch": "public batch match (rate-limited)",
    "api.taxonomy_read": "the published plans' taxonomy",
    "api-docs.openapi_json": "OpenAPI document", "api_docs": "API documentation page",
    "plans.index": "the plan library (public government texts)",
    "plans.read": "a plan's text, where public citations link",
    "api.plans_list": "the plan library's metadata", "api.plans_get": "one plan's text and sections",
}
ADMIN_ONLY = {"account.users", "account.audit_log", "account.create_user", "account.reset_password"}
def test_every_route_is_classified(app, routes):
    """A new route must be added here knowingly: public, officer or admin."""
    endpoints = {e for e, _m, _u in routes(app)}
    assert set(PUBLIC) <= endpoints, set(PUBLIC) - endpoints
    assert endpoints >= ADMIN_ONLY


def test_a_public_visitor_reaches_only_the_public_pages(app, client, lead_id, snapshot,
                                                       routes):
    client.get("/assess")
    anon_csrf = client.get_cookie("anon_csrf").value
    before = snapshot()
    checked = 0
    for endpoint, method, url in routes(app):
        if endpoint in PUBLIC:
            continue
        kwargs = {}
        if method != "GET":  # a valid anonymous CSRF token: what is tested is the authorisation
            kwargs = ({"json": {"description": "x"}, "headers": {"X-CSRF-Token": anon_csrf}}
                      if url.startswith("/api/") else {"data": {"csrf_token": anon_csrf}})
        r = client.open(url, method=method, **kwargs)
        if url.startswith("/api/"):
            assert r.status_code == 401, (method, url, r.status_code)
            assert r.get_json()["code"] == 401
        else:
            assert r.status_code == 302, (method, url, r.status_code)
            assert r.headers["Location"].startswith("/auth/login"), (method, url)
        checked += 1
    assert checked >= 35
    assert snapshot() == before


@pytest.mark.parametrize("path", ["/", "/assess", "/auth/login", "/healthz",
                                  "/api/v1/openapi.json", "/api/v1/docs",
                                  "/api/v1/taxonomy/districts", "/static/app.css",
                                  "/plans/", "/plans/sh-future-industries",
                                  "/api/v1/plans", "/api/v1/plans/sh-future-industries"])
def test_the_public_pages_answer_anonymous_visitors(client, path):
    with client.get(path) as r:
        assert r.status_code == 200


def test_the_public_api_is_rate_limited(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/rl.db", PUBLIC_RATE_LIMIT="3/minute")
    try:
        client = app.test_client()
        codes = [client.post("/api/v1/match", json={"description": "芯片设计"}).status_code
                 for _ in range(3)]
        assert codes == [200, 200, 200]
        r = client.post("/api/v1/match/batch", json={"profiles": [{"description": "芯片"}]})
        assert r.status_code == 429 and r.get_json()["code"] == 429
    finally:
        app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("endpoint_path", ["/account/users", "/account/audit"])
def test_only_admins_reach_user_management_and_the_audit_log(officer, admin, signed_in,
                                                             endpoint_path, csrf):
    officer_client, admin_client = signed_in(officer), signed_in(admin)
    assert officer_client.get(endpoint_path).status_code == 403
    token = csrf(officer_client, "/leads/")
    r = officer_client.post(endpoint_path, data={"csrf_token": token, "user_id": admin.id,
                                                 "active": "0"})
    assert r.status_code in (403, 405)
    assert admin_client.get(endpoint_path).status_code == 200


def test_officers_share_the_pipeline(make_user, signed_in, client, lead_id, csrf, token_for):
    """Documented decision: leads are the agency's, not one officer's."""
    other = make_user("officer2")
    browser = signed_in(other)  # not the lead's owner
    assert browser.get(f"/leads/{lead_id}").status_code == 200
    r = browser.post(f"/leads/{lead_id}/notes",
                     data={"csrf_token": csrf(browser, "/leads/"), "body": "接手跟进"})
    assert r.status_code == 302
    headers = {"Authorization": f"Bearer {token_for(other)[1]}"}
    assert client.patch(f"/api/v1/leads/{lead_id}", headers=headers,
                        json={"status": "contacted"}).status_code == 200


def test_another_officer_cannot_revoke_or_see_my_token(app, officer, make_user, admin,
                                                       signed_in, csrf, client):
    mine = signed_in(officer)
    page = mine.post("/account/tokens", data={"csrf_token": csrf(mine, "/account/tokens"),
                                              "name": "mine"},
                     follow_redirects=True).get_data(as_text=True)
    import re

    raw = re.search(r"(sim_[A-Za-z0-9_-]{20,})", page).group(1)
    token_id = int(re.search(r"/account/tokens/(\d+)/revoke", page).group(1))
    headers = {"Authorization": f"Bearer {raw}"}

    intruder = signed_in(make_user("officer2"))
    listing = intruder.get("/account/tokens").get_data(as_text=True)
    assert f"/account/tokens/{token_id}/revoke" not in listing and raw[:10] not in listing
    r = intruder.post(f"/account/tokens/{token_id}/revoke",
                      data={"csrf_token": csrf(intruder, "/account/tokens")})
    assert r.status_code == 404
    assert client.get("/api/v1/leads", headers=headers).status_code == 200  # still works

    # an admin may revoke anyone's token (e.g. a leaked one)
    boss = signed_in(admin)
    r = boss.post(f"/account/tokens/{token_id}/revoke",
                  data={"csrf_token": csrf(boss, "/account/tokens")})
    assert r.status_code == 302
    assert client.get("/api/v1/leads", headers=headers).status_code == 401


def test_a_token_acts_only_as_its_owner(app, officer, make_user, token_for, client, db):
    from sqlmodel import select

    from web.models import AuditEvent

    other = make_user("officer2")
    headers = {"Authorization": f"Bearer {token_for(other)[1]}"}
    r = client.post("/api/v1/leads", headers=headers, json={"description": "芯片设计"})
    assert r.status_code == 201 and r.get_json()["owner_id"] == other.id
    with db() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "lead.create")).one()
    assert event.user_id == other.id


@pytest.fixture
def job_config(tmp_path, app):
    app.config["JOBS_DIR"] = str(tmp_path / "jobs")
    return app


def test_batch_jobs_belong_to_their_owner(job_config, officer, make_user, admin, token_for,
                                          client, signed_in):
    owner = {"Authorization": f"Bearer {token_for(officer)[1]}"}
    csv = "企业名称,经营范围\n甲,集成电路设计\n乙,生物医药研发\n".encode()
    r = client.post("/api/v1/jobs", headers=owner,
                    data={"file": (io.BytesIO(csv), "名单.csv")}, content_type="multipart/form-data")
    assert r.status_code == 202, r.get_json()
    job_id = r.get_json()["id"]
    assert client.get(f"/api/v1/jobs/{job_id}", headers=owner).status_code == 200

    other_user = make_user("officer2")
    other = {"Authorization": f"Bearer {token_for(other_user)[1]}"}
    for method, path in (("get", f"/api/v1/jobs/{job_id}"),
                         ("get", f"/api/v1/jobs/{job_id}/result?format=csv"),
                         ("post", f"/api/v1/jobs/{job_id}/cancel")):
        r = getattr(client, method)(path, headers=other)
        assert r.status_code == 404, (method, path, r.status_code)
    listed = client.get("/api/v1/jobs", headers=other).get_json()["items"]
    assert job_id not in [j["id"] for j in listed]
    browser = signed_in(other_user)
    for path in (f"/batch/{job_id}", f"/batch/{job_id}/download/csv",
                 f"/batch/{job_id}/import", f"/batch/{job_id}/mapping"):
        assert browser.get(path).status_code == 404, path
    # the job is untouched and still the owner's; an admin can see it
    assert client.get(f"/api/v1/jobs/{job_id}", headers=owner).get_json()["cancel_requested"] \
        is False
    boss = {"Authorization": f"Bearer {token_for(admin)[1]}"}
    assert client.get(f"/api/v1/jobs/{job_id}", headers=boss).status_code == 200
