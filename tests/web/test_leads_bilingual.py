"""Every page of the pipeline's own (filters and their errors, funnel, bulk form, duplicates,
edit, delete, re-score confirmation and report, a lead's history of merges, links and edits)
in Chinese and English with nothing left in the other language (issue 10: both languages)."""

from __future__ import annotations

import re

import pytest

from tests.web.test_web_leftovers import leftovers

CODE = "91310115MA1K4BIL01"


@pytest.fixture
def rendered(auth_client, screen_lead, csrf, profile_json_of, samples, officer, db):
    first, _ = screen_lead(auth_client, name="双语示例晶圆公司", description=samples.chip_zh,
                           credit_code=CODE)
    token = csrf(auth_client, "/leads/screen")
    page = auth_client.post("/leads/screen", data={"csrf_token": token, "name": "双语示例晶圆",
                                                   "description": samples.chip_zh, "credit_code": CODE})
    pj = profile_json_of(page.get_data(as_text=True))
    second = auth_client.post("/leads/save", data={"csrf_token": token, "profile_json": pj,
                                                   "on_duplicate": "link", "duplicate_of": str(first)})
    second_id = int(second.headers["Location"].rsplit("/", 1)[1])
    auth_client.post("/leads/save", data={"csrf_token": token, "profile_json": pj, "note": "再次",
                                          "on_duplicate": "merge", "duplicate_of": str(first)})
    auth_client.post(f"/leads/{first}/update", data={"csrf_token": token, "status": "contacted",
                                                     "owner_id": str(officer.id), "next_follow_up": ""})
    from web.services.lead_duplicates import enter_lead

    with db() as s:  # a public submission of the same company: flagged
        third = enter_lead(session=s, data={"name": "双语示例晶圆公司", "description": samples.chip_zh,
                                            "contact_name": "王", "consent": True},
                           user=None, source="public")[0].id
    rescore = auth_client.post("/leads/rescore-all", data={"csrf_token": token, "confirm": "yes"})
    auth_client.get("/leads/")  # the flashes of the set-up, shown in Chinese

    def get(url: str, lang: str, data: dict | None = None) -> str:
        sep = "&" if "?" in url else "?"
        r = auth_client.post(f"{url}{sep}lang={lang}", data=data) if data else \
            auth_client.get(f"{url}{sep}lang={lang}")
        return r.get_data(as_text=True)

    return {
        "pipeline": lambda lang: get("/leads/?q=双语&status=&sector=&sort=updated", lang),
        "pipeline error": lambda lang: get("/leads/?status=bogus&district=999999", lang),
        "queue": lambda lang: get("/leads/?source=public&owner=none", lang),
        "lead": lambda lang: get(f"/leads/{first}", lang),
        "linked lead": lambda lang: get(f"/leads/{second_id}", lang),
        "possible duplicates": lambda lang: get(f"/leads/{third}", lang),
        "duplicates on save": lambda lang: get("/leads/save", lang,
                                               {"csrf_token": token, "profile_json": pj}),
        "edit": lambda lang: get(f"/leads/{first}/edit", lang),
        "edit errors": lambda lang: get(f"/leads/{first}/edit", lang, {
            "csrf_token": token, "description": "", "contact_email": "x"}),
        "delete": lambda lang: get(f"/leads/{first}/delete", lang),
        "rescore confirm": lambda lang: get("/leads/rescore-all", lang),
        "rescored": lambda lang: get(rescore.headers["Location"], lang),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pipeline_pages_in_one_language(rendered, lang):
    for name, render in rendered.items():
        page = render(lang)
        assert re.search(rf'<html lang="{"zh-CN" if lang == "zh" else "en"}"', page), name
        found = leftovers(page, lang)
        assert not found, f"{name} ({lang}): {found}"
