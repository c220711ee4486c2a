"""In headless Chromium: a citation on a match result opens the plan reader at its clause."""

from __future__ import annotations

import pytest
from test_web_browser import browser, live_server, page  # noqa: F401  (shared fixtures)

pytestmark = [pytest.mark.browser]

EV_ZH = "新能源汽车动力电池研发与生产，建设电池包和电驱动系统生产线"
EV_EN = "We develop and manufacture power batteries and battery packs for new-energy vehicles."


def _in_viewport(tab, selector: str) -> bool:
    return tab.locator(selector).evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }")


def _assess_and_open_first_policy_citation(tab, base: str, lang: str, description: str):
    tab.goto(f"{base}/assess?lang={lang}")
    tab.fill("[data-testid=f-description]", description)
    tab.select_option("[data-testid=f-project-type]", "manufacturing")
    tab.click("[data-testid=assess-submit]")
    tab.wait_for_selector("[data-testid=policies] > li")
    link = tab.locator("[data-testid=policies] [data-testid=cite-link]").first
    quote = link.locator("xpath=following-sibling::q[1]").inner_text()
    gloss = link.inner_text()
    link.click()
    tab.wait_for_selector("[data-testid=cited]")
    return quote, gloss


def test_citation_opens_the_reader_at_the_highlighted_clause_zh(page, live_server):  # noqa: F811
    quote, _gloss = _assess_and_open_first_policy_citation(page, live_server, "zh", EV_ZH)
    assert "/plans/" in page.url and page.url.endswith("#cited")
    assert page.inner_text("[data-testid=cited]") == quote
    assert _in_viewport(page, "[data-testid=cited]")  # scrolled into view
    assert page.locator("mark").count() == 1
    assert "发布单位" in page.inner_text("[data-testid=plan-meta]")


def test_citation_opens_the_reader_at_the_highlighted_clause_en(page, live_server):  # noqa: F811
    quote, gloss = _assess_and_open_first_policy_citation(page, live_server, "en", EV_EN)
    assert ", chapter " in gloss and not any("\u4e00" <= c <= "\u9fff" for c in gloss)
    assert page.inner_text("[data-testid=cited]") == quote
    assert _in_viewport(page, "[data-testid=cited]")
    meta = page.inner_text("[data-testid=plan-meta]")
    assert "Issuer" in meta and "Horizon" in meta
    assert "highlighted below" in page.inner_text("[data-testid=cited-box]")
