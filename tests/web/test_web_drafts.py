"""The curator's path in the web app: import a real plan's text into a taxonomy copy that lacks
it, review its proposals beside their clauses, apply, see the diff; an officer's next match
cites the plan with its clause one click away."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

PLAN = "lingang-power-city"  # a plan whose entries the library can withdraw completely
META = {"plan_id": PLAN,
        "title_zh": "聚焦临港核心区打造上海“全球动力之城”实施方案（征求意见稿）",
        "title_en": "Implementation Plan for Building Shanghai's 'Global Power City' with Lingang "
                    "as Core Area (draft for comment)",
        "issuer": "", "doc_number": "", "date": "", "horizon": "2025", "status": "draft",
        "scope": "zone"}
BCI = "新能源汽车电驱动系统和动力电池研发制造，计划在临港新片区建设生产基地。"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def library(withdrawn, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "taxonomy"
    shutil.copytree(withdrawn, folder, ignore=shutil.ignore_patterns("versions", "drafts"))
    monkeypatch.setenv("TAXONOMY_DIR", str(folder))
    return folder


def plan_text() -> bytes:
    from taxonomy import DATA_DIR

    return (DATA_DIR / "plans" / f"{PLAN}.txt").read_bytes()  # the real text, as published


def _import(client, csrf, **changes):
    import io

    token = csrf(client, "/curate/drafts/")
    data = {"csrf_token": token, **META, **changes}
    if "file" not in changes:
        data["file"] = (io.BytesIO(plan_text()), f"{PLAN}.txt")
    return client.post("/curate/drafts/import", data=data, content_type="multipart/form-data")


def test_only_admins_curate(auth_client):
    assert auth_client.get("/curate/drafts/").status_code == 403


def test_bad_metadata_and_files_are_named_in_both_languages(client, admin, login, csrf,
                                                            library):
    import io

    assert login(client, admin.username, admin.password).status_code == 302
    r = _import(client, csrf, plan_id="Bad Id", date="2022/09/24")
    body = text(r)
    assert r.status_code == 422
    assert "编号只能用小写字母" in body and "日期格式为 YYYY-MM-DD" in body
    assert "the id takes lowercase letters" not in body  # the interface language only
    client.get("/curate/drafts/?lang=en")
    body = text(_import(client, csrf, plan_id="Bad Id", date="2022/09/24"))
    assert "the id takes lowercase letters" in body and "the date is YYYY-MM-DD" in body
    assert "编号只能用小写字母" not in body
    client.get("/curate/drafts/?lang=zh")
    r = _import(client, csrf, file=(io.BytesIO(b"x"), "plan.xls"))
    assert r.status_code == 422 and ".txt" in text(r) and "文件须为" in text(r)
    assert not (library / "drafts").exists() or not any((library / "drafts").iterdir())


def test_curator_imports_reviews_applies_and_the_next_match_cites_the_plan(
        app, client, admin, login, csrf, library, db):
    from taxonomy import get_taxonomy
    from taxonomy.drafts import load_draft
    from web.services.matching import wait_until_current

    assert login(client, admin.username, admin.password).status_code == 302
    before = get_taxonomy().version
    r = _import(client, csrf)
    assert r.status_code == 303, text(r)[:2000]
    assert r.headers["Location"].endswith(f"/curate/drafts/{PLAN}")
    assert (library / "plans" / f"{PLAN}.txt").read_bytes() == plan_text().replace(b"\r\n", b"\n")

    page = text(client.get(f"/curate/drafts/{PLAN}?kind=relation"))
    draft = load_draft(PLAN)
    relations = [p for p in draft["proposals"] if p["kind"] == "relation"]
    assert relations and page.count('data-kind="relation"') == len(relations)
    first = relations[0]
    block = re.search(rf'data-proposal="{first["id"]}".*?</section>', page, re.S).group(0)
    assert f"<mark>{first['citation']['evidence']}</mark>" in block  # the clause beside it
    assert f'href="/plans/{PLAN}?section=' in block  # ... and the reader one click away

    # accept the relations about brain-computer interfaces and one policy (its id filled in),
    # reject one other proposal, and apply
    bci = [p for p in relations if not str(p["entry"].get("zone") or "").startswith("@")][:12]
    assert bci, "the proposer finds relations to places already in the gazetteer"
    policy = next(p for p in draft["proposals"] if p["kind"] == "policy")
    other = next(p for p in relations if p not in bci)
    token = csrf(client, f"/curate/drafts/{PLAN}")
    form = {"csrf_token": token, f"decision-{other['id']}": "rejected",
            f"decision-{policy['id']}": "accepted",
            f"entry-{policy['id']}-id": "sfi-test-organisation"}
    form.update({f"decision-{p['id']}": "accepted" for p in bci})
    r = client.post(f"/curate/drafts/{PLAN}", data=form)
    assert r.status_code == 303
    saved = {p["id"]: p for p in load_draft(PLAN)["proposals"]}
    assert saved[other["id"]]["decision"] == "rejected"
    assert saved[policy["id"]]["entry"]["id"] == "sfi-test-organisation"
    r = client.post(f"/curate/drafts/{PLAN}/apply", data={"csrf_token": token})
    assert r.status_code == 303
    after = get_taxonomy().version
    assert after != before and r.headers["Location"].startswith("/curate/diff?")
    diff = text(client.get(r.headers["Location"]))
    rel = re.search(r'data-testid="diff-relations">(.*?)</section>', diff, re.S).group(1)
    assert rel.count('class="diff-added"') + rel.count('class="diff-changed"') >= len(bci)
    assert f"/plans/{PLAN}?section=" in rel

    # an officer's next match cites the new plan, with the clause one click away
    wait_until_current()
    from web.services.matching import match_profile

    record = match_profile(session=None, profile={"description": BCI})
    cited = [s for d in record["districts"] for s in d["sources"] if s["plan"] == PLAN]
    assert cited, record["districts"]
    reader = text(client.get(f"/plans/{PLAN}", query_string={
        "section": cited[0]["section"], "q": cited[0]["evidence"]}))
    at = reader.find("<mark")
    assert f'<mark id="cited" data-testid="cited">{cited[0]["evidence"]}' in reader, (
        cited[0], reader[at - 200:at + 300] if at >= 0 else reader[reader.find("cited-box"):][:600])
