"""The curator's path in the web app: import a real plan's text into a taxonomy copy that lacks
it, review its proposals beside their clauses, apply, see the diff; an officer's next match
cites the plan with its clause one click away."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

PLAN = "sh-future-industries"
META = {"plan_id": PLAN, "title_zh": "上海打造未来产业创新高地 发展壮大未来产业集群行动方案",
        "title_en": "Shanghai Action Plan for Building a Future-Industries Innovation Highland "
                    "and Growing Future-Industry Clusters",
        "issuer": "上海市人民政府", "doc_number": "沪府发〔2022〕11号", "date": "2022-09-24",
        "horizon": "2022-2030", "status": "issued", "scope": ""}
BCI = "我们研发非侵入式脑机接口设备和类脑芯片，用于肢体运动障碍康复。"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture(scope="module")
def withdrawn(tmp_path_factory) -> Path:
    """The packaged taxonomy without the future-industries plan (its entries, citations and
    text taken out by the library), made once for the module."""
    from taxonomy import DATA_DIR
    from taxonomy.withdraw import remove_plan

    folder = tmp_path_factory.mktemp("withdrawn") / "taxonomy"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("versions", "drafts"))
    remove_plan(plan_id=PLAN, data_dir=folder, who="test")
    (folder / "plans" / f"{PLAN}.txt").unlink(missing_ok=True)
    return folder


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
    assert "编号只能用小写字母" in body and "the id takes lowercase letters" in body
    assert "日期格式为 YYYY-MM-DD / the date is YYYY-MM-DD" in body
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
    bci = [p for p in relations if p["entry"]["industry"] == "biomed-bci"]
    assert bci, "the proposer finds the plan's BCI cluster districts"
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
    assert f'<mark id="cited" data-testid="cited">{cited[0]["evidence"]}' in reader
