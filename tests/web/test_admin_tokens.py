"""The API-token page follows POST-redirect-GET: creating a token redirects to the page, which
shows the new token once; reloading it (or coming back) creates no other token and shows the
token no more."""

from __future__ import annotations

import re

from sqlmodel import select

from web.models import ApiToken

TOKEN_RE = re.compile(r"(sim_[A-Za-z0-9_-]{20,})")


def _count(db) -> int:
    with db() as s:
        return len(s.exec(select(ApiToken)).all())


def test_creating_a_token_redirects_and_shows_it_once(auth_client, csrf, db):
    token = csrf(auth_client, "/account/tokens")
    response = auth_client.post("/account/tokens", data={"csrf_token": token, "name": ""})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account/tokens")
    assert not TOKEN_RE.search(response.get_data(as_text=True))
    assert _count(db) == 1
    page = auth_client.get("/account/tokens").get_data(as_text=True)
    raw = TOKEN_RE.search(page).group(1)
    assert 'data-testid="new-token"' in page
    assert auth_client.get("/api/v1/leads",
                           headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    with db() as s:
        assert s.exec(select(ApiToken)).one().name == "api"  # a blank name is "api"
    for _reload in range(2):
        again = auth_client.get("/account/tokens").get_data(as_text=True)
        assert raw not in again and 'data-testid="new-token"' not in again
        assert raw[:10] in again  # listed by its prefix
    assert _count(db) == 1


def test_a_token_name_is_cut_to_its_column(auth_client, csrf, db):
    token = csrf(auth_client, "/account/tokens")
    auth_client.post("/account/tokens", data={"csrf_token": token, "name": "x" * 300})
    with db() as s:
        assert s.exec(select(ApiToken)).one().name == "x" * 100
