"""Curator pages: taxonomy versions and the diff between two of them."""

from __future__ import annotations

import re

PLAN = "sh-advanced-manufacturing-14fyp"


def text(response) -> str:
    return response.get_data(as_text=True)


def _supersede(client, csrf):
    token = csrf(client, "/taxonomy/plans")
    r = client.post("/taxonomy/plans", data={"csrf_token": token, "plan_id": PLAN,
                                             "status": "superseded", "note": "测试替代",
                                             "superseded_by": "sh-future-industries"})
    assert r.status_code == 303


def test_versions_list_and_diff_show_a_status_change(client, admin, login, csrf, taxonomy_copy):
    from taxonomy import get_taxonomy

    assert login(client, admin.username, admin.password).status_code == 302
    first = get_taxonomy().version
    _supersede(client, csrf)
    second = get_taxonomy().version
    assert second != first
    page = text(client.get("/curate/versions"))
    assert f'data-version="{second}"' in page and f'data-version="{first}"' in page
    assert "测试替代" in page and admin.username in page
    link = re.search(r'href="(/curate/diff\?[^"]+)" data-testid="diff-link"', page).group(1)
    diff = text(client.get(link.replace("&amp;", "&")))
    assert f"<code>{first}</code> → <code>{second}</code>" in diff
    block = re.search(r'data-testid="diff-plans">(.*?)</section>', diff, re.S).group(1)
    assert f'data-key="{PLAN}"' in block and "修改" in block
    assert "superseded" in block and "issued" in block
    en = text(client.get(link.replace("&amp;", "&") + "&lang=en"))
    assert "What changed" in en and "changed" in en


def test_diff_of_two_folders_lists_relations_with_citation_links(auth_client, taxonomy_copy):
    """Removing a relation file shows as removed relations, each with a reader link."""
    from taxonomy import get_taxonomy

    before = get_taxonomy().version
    (taxonomy_copy / "relations" / "marine.yaml").unlink()
    after = get_taxonomy().version
    body = text(auth_client.get(f"/curate/diff?a={before}&b={after}"))
    block = re.search(r'data-testid="diff-relations">(.*?)</section>', body, re.S).group(1)
    assert block.count('class="diff-removed"') >= 3
    assert 'href="/plans/' in block and "#cited" in block
    assert 'data-testid="diff-industries"' not in body


def test_unknown_version_is_404_and_officers_can_read_versions(auth_client):
    assert auth_client.get("/curate/versions").status_code == 200
    assert auth_client.get("/curate/diff?a=tx-000000000000&b=current").status_code == 404
