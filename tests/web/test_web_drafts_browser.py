"""In headless Chromium, in Chinese and in English: an admin imports a real plan's text into a
taxonomy that lacks it, reviews and accepts proposals beside their clauses, applies them and sees
the diff; an officer's next screening cites the new plan, and one click opens the clause."""

from __future__ import annotations

import re
import shutil

import pytest
from test_web_browser import ADMIN, OFFICER, browser, live_server, page  # noqa: F401
from test_web_drafts import BCI, META, PLAN

pytestmark = [pytest.mark.browser]
WORDS = {"zh": {"applied": "已写入", "diff": "变化内容", "meta": "发布单位"},
         "en": {"applied": "proposals applied", "diff": "What changed", "meta": "Issuer"}}


@pytest.fixture
def library(withdrawn, tmp_path, monkeypatch):
    folder = tmp_path / "taxonomy"
    shutil.copytree(withdrawn, folder, ignore=shutil.ignore_patterns("versions", "drafts"))
    monkeypatch.setenv("TAXONOMY_DIR", str(folder))
    return folder


def _sign_in(tab, base: str, who: tuple[str, str], lang: str) -> None:
    tab.goto(f"{base}/auth/login?lang={lang}")
    tab.fill("input[name=username]", who[0])
    tab.fill("input[name=password]", who[1])
    tab.click("[data-testid=login-submit]")
    tab.wait_for_load_state()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_curator_path_then_officer_match_cites_the_new_plan(page, live_server, library,  # noqa: F811
                                                            tmp_path, lang):
    from web.services.matching import wait_until_current

    words = WORDS[lang]
    page.set_default_timeout(180_000)  # importing and applying validate the whole library
    text_file = tmp_path / f"{PLAN}.txt"
    from taxonomy import DATA_DIR

    text_file.write_bytes((DATA_DIR / "plans" / f"{PLAN}.txt").read_bytes())
    _sign_in(page, live_server, ADMIN, lang)
    page.goto(f"{live_server}/curate/drafts/")
    page.set_input_files("[data-testid=i-file]", str(text_file))
    page.fill("[data-testid=i-plan-id]", META["plan_id"])
    page.fill("[data-testid=i-title-zh]", META["title_zh"])
    page.fill("[data-testid=i-title-en]", META["title_en"])
    page.fill("[data-testid=i-issuer]", META["issuer"])
    page.fill("[data-testid=i-date]", META["date"])
    page.fill("[data-testid=i-horizon]", META["horizon"])
    page.select_option("[data-testid=i-status]", "issued")
    page.click("[data-testid=import-submit]")
    page.wait_for_url(re.compile(rf"/curate/drafts/{PLAN}$"), timeout=120_000)

    bci = page.locator("[data-kind=relation]:not(:has([data-testid=entry-zone][value^='@']))")
    assert bci.count() >= 1
    first = bci.first
    assert first.locator("[data-testid=clause] mark").count() == 1  # the clause beside it
    for k in range(min(bci.count(), 12)):
        bci.nth(k).locator("[data-testid=accepted]").check()
    page.click("[data-testid=apply]")
    page.wait_for_url(re.compile(r"/curate/diff\?"), timeout=120_000)
    assert words["applied"] in page.inner_text(".flash")
    assert words["diff"] in page.inner_text("h1")
    added = page.locator("[data-testid=diff-relations] li.diff-added, "
                         "[data-testid=diff-relations] li.diff-changed")
    assert added.count() >= bci.count() or added.count() >= 1
    page.click("[data-testid=logout]")

    wait_until_current()  # the refit runs in the background; the officer's match waits for it
    _sign_in(page, live_server, OFFICER, lang)
    page.goto(f"{live_server}/leads/screen")
    page.fill("[data-testid=f-description]", BCI)
    page.click("[data-testid=screen-submit]")
    page.wait_for_selector("[data-testid=districts] > li")
    link = page.locator(f"[data-testid=districts] a.cite[href*='/plans/{PLAN}?']").first
    link.evaluate("el => el.closest('details').open = true")
    if lang == "en":
        assert "Global Power City" in link.inner_text() and ", " in link.inner_text()
    link.click()
    page.wait_for_selector("[data-testid=cited]")
    assert f"/plans/{PLAN}" in page.url
    assert words["meta"] in page.inner_text("[data-testid=plan-meta]")
    assert page.locator("[data-testid=cited]").evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
