"""In headless Chromium, in Chinese and in English: an admin applies a draft whose proposal cites a
phrase the plan does not contain and reads the library's refusal, naming the relation, the plan
and its section, in the interface language only."""

from __future__ import annotations

import re

import pytest
from test_web_browser import ADMIN, browser, live_server, page  # noqa: F401
from test_web_curation_messages import FAKE, bad_citation_draft

pytestmark = [pytest.mark.browser]
WORDS = {"zh": ("校验未通过", "原文依据", "整个规划中都没有这段文字"),
         "en": ("check failed: relation", f"evidence '{FAKE}' is not in",
                "(it occurs nowhere in the plan)")}
OTHER = {"zh": ("check failed", "evidence", "is not in", "occurs", "nowhere"),
         "en": ("校验未通过", "原文依据", "不在规划", "布局关系", "整个规划")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_citation_not_in_the_plan_is_refused_in_the_interface_language(
        page, live_server, taxonomy_copy, lang):  # noqa: F811
    names = bad_citation_draft(taxonomy_copy)
    page.set_default_timeout(120_000)  # applying validates the whole library
    page.goto(f"{live_server}/auth/login?lang={lang}")
    page.fill("input[name=username]", ADMIN[0])
    page.fill("input[name=password]", ADMIN[1])
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server}/curate/drafts/{names['plan']}")
    assert page.locator("[data-proposal=p001] [data-testid=accepted]").is_checked()
    page.click("[data-testid=apply]")
    page.wait_for_url(re.compile(rf"/curate/drafts/{names['plan']}$"))
    shown = [t for t in page.locator(".flash").all_inner_texts() if FAKE in t]
    assert len(shown) == 1, page.locator(".flash").all_inner_texts()
    message = shown[0]
    for words in WORDS[lang]:
        assert words in message, message
    for words in OTHER[lang]:
        assert words not in message, message
    assert names["plan"] in message and names["section"] in message
    assert f"{names['industry']}->{names['zone']}" in message
