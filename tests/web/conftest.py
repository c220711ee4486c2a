"""Fixtures for the web tests: a signed-in client, lead helpers, an API token."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest

PROFILE_JSON_RE = re.compile(r'name="profile_json" value="([^"]*)"')

CHIP_ZH = ("拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，"
           "配套建设封装测试中试线。")
BIO_EN = ("We develop bispecific antibodies and antibody-drug conjugates and run a biologics CDMO "
          "plant with 2000 L single-use bioreactors.")
EV_ZH = "新能源汽车动力电池研发与生产，建设电池包和电驱动系统生产线"


def profile_json_of(page_html: str) -> str:
    found = PROFILE_JSON_RE.search(page_html)
    assert found, "no profile_json field on the page"
    return html.unescape(found.group(1))



@pytest.fixture
def samples() -> SimpleNamespace:
    """Realistic descriptions: Chinese chip fab, English biotech, Chinese EV batteries."""
    return SimpleNamespace(chip_zh=CHIP_ZH, bio_en=BIO_EN, ev_zh=EV_ZH)


@pytest.fixture(name="profile_json_of")
def _profile_json_of():
    return profile_json_of


@pytest.fixture
def auth_client(app, client, officer, login):
    response = login(client, officer.username, officer.password)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def screen_lead(csrf):
    """screen_lead(client, name=..., description=..., **fields) -> (lead_id, screen page html)."""

    def _screen(client, *, name: str = "", description: str = CHIP_ZH, note: str = "",
                **fields) -> tuple[int, str]:
        token = csrf(client, "/leads/screen")
        data = {"csrf_token": token, "name": name, "description": description, **fields}
        page = client.post("/leads/screen", data=data)
        assert page.status_code == 200, page.get_data(as_text=True)[:1000]
        body = page.get_data(as_text=True)
        saved = client.post("/leads/save", data={"csrf_token": token, "note": note,
                                                 "profile_json": profile_json_of(body)})
        assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
        found = re.search(r"/leads/(\d+)$", saved.headers["Location"])
        assert found, saved.headers["Location"]
        return int(found.group(1)), body

    return _screen



@pytest.fixture
def officer_token(officer, token_for) -> str:
    return token_for(officer)


@pytest.fixture
def bearer(officer_token) -> dict:
    return {"Authorization": f"Bearer {officer_token}"}


@pytest.fixture
def taxonomy_copy(tmp_path, monkeypatch):
    """A private copy of the packaged taxonomy (YAML and plan texts) as TAXONOMY_DIR, so a test
    may change plan status or apply drafts; the matcher serves it (same model while unchanged)."""
    import shutil

    from taxonomy import DATA_DIR

    folder = tmp_path / "taxonomy"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("versions", "drafts"))
    monkeypatch.setenv("TAXONOMY_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def withdrawn(tmp_path_factory):
    """The packaged taxonomy without the Lingang plan (its entries, citations and text taken
    out by the library), made once for the session: the curator tests re-import it."""
    import shutil

    from taxonomy import DATA_DIR
    from taxonomy.withdraw import remove_plan

    plan = "lingang-power-city"  # a plan whose entries the library can withdraw completely
    folder = tmp_path_factory.mktemp("withdrawn") / "taxonomy"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("versions", "drafts"))
    remove_plan(plan_id=plan, data_dir=folder, who="test")
    (folder / "plans" / f"{plan}.txt").unlink(missing_ok=True)
    return folder


@pytest.fixture
def admin_client(client, admin, login):
    """The test client signed in as an administrator."""
    assert login(client, admin.username, admin.password).status_code == 302
    return client


@pytest.fixture
def plan_edit_form(csrf):
    """The plan edit form as a browser submits it: every field, the unchanged ones as shown."""
    def build(client, plan: str, **changes) -> dict:
        page = client.get(f"/curate/plans/{plan}").get_data(as_text=True)
        form = {"csrf_token": csrf(client, f"/curate/plans/{plan}"), "note": ""}
        for name in ("title_zh", "title_en", "issuer", "doc_number", "date", "horizon"):
            found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
            form[name] = found.group(1) if found else ""
        form["status"] = re.search(r'name="status".*?<option value="(\w+)" selected', page,
                                   re.S).group(1)
        form["superseded_by"] = ""
        form.update(changes)
        return form
    return build
