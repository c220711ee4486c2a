"""The company-data fields of the profile form (issue 12, item 5) in headless Chromium, both
languages: address (企业地址), GB/T 4754 industry (所属行业) and kind of lead, on the public
self-assessment and on the officers' screening form. Offline: nothing may leave 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.web.test_web_browser import OFFICER, browser, live_server, page

__all__ = ["browser", "live_server", "page"]
pytestmark = [pytest.mark.browser]

SEATS = "汽车座椅和内饰总成生产，为整车厂配套"
ADDRESS = "上海市浦东新区金桥镇示例路8号"


def _districts(page) -> list[str]:
    return [t.strip() for t in page.locator("[data-testid=districts] > li .name").all_inner_texts()]


def test_public_form_reads_address_label_and_kind_of_lead(page, live_server):
    page.goto(f"{live_server}/assess")
    assert "企业地址" in page.inner_text("form")
    page.fill("[data-testid=f-description]", SEATS)
    page.fill("[data-testid=f-address]", ADDRESS)
    page.fill("[data-testid=f-industry-label]", "C3670")
    page.select_option("[data-testid=f-lead-kind]", "expansion")
    page.click("[data-testid=assess-submit]")  # the other fields go empty, as a browser sends them
    page.wait_for_selector("[data-testid=industries] > li")
    current = page.inner_text("[data-testid=current-district]")
    assert "企业现址所在区" in current and "浦东新区" in current and "现有企业扩产增资" in current
    assert "3670" in page.inner_text("[data-testid=industry-label]")
    assert "浦东新区" in _districts(page)[0]  # an expansion ranks where the company already is

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=industries] > li")
    current = page.inner_text("[data-testid=current-district]")
    assert "Where the company already is" in current and "Pudong" in current
    assert "Expansion of an existing company" in current


def test_screening_form_keeps_new_investment_apart(page, live_server):
    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=username]", OFFICER[0])
    page.fill("input[name=password]", OFFICER[1])
    page.click("[data-testid=login-submit]")
    page.wait_for_url(lambda url: "/auth/login" not in url)
    page.goto(f"{live_server}/leads/screen")
    page.fill("[data-testid=f-description]", SEATS)
    page.fill("[data-testid=f-address]", ADDRESS)
    page.select_option("[data-testid=f-lead-kind]", "new")
    page.click("[data-testid=screen-submit]")
    page.wait_for_selector("[data-testid=industries] > li")
    assert "新项目投资" in page.inner_text("[data-testid=current-district]")
    assert page.locator("[data-testid=f-lead-kind]").input_value() == "new"  # kept in the form
    assert page.locator("[data-testid=f-address]").input_value() == ADDRESS
