"""In the browser: an officer closes a lead as landed (its district and park), then reads the
outcomes report, in Chinese and in English."""

from __future__ import annotations

import re

import pytest

from tests.web.test_web_browser import CHIP_ZH, OFFICER, browser, live_server, page  # noqa: F401

pytestmark = [pytest.mark.browser]


def test_officer_closes_a_lead_as_landed_and_reads_the_report(page, live_server):  # noqa: F811
    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=username]", OFFICER[0])
    page.fill("input[name=password]", OFFICER[1])
    page.click("[data-testid=login-submit]")
    page.goto(f"{live_server}/leads/screen")
    page.fill("[data-testid=f-name]", "落地示例晶圆公司")
    page.fill("[data-testid=f-description]", CHIP_ZH)
    page.click("[data-testid=screen-submit]")
    page.wait_for_selector("[data-testid=parks] > li")
    page.click("[data-testid=save-lead]")
    page.wait_for_url(re.compile(r"/leads/\d+$"))

    # the match's first park, and the district it lies in (its group in the park list)
    first_park = page.locator("[data-testid=parks] > li .name").first.inner_text().strip()
    page.select_option("[data-testid=outcome-park]", label=first_park)
    district = page.eval_on_selector("[data-testid=outcome-park]",
                                     "s => s.selectedOptions[0].parentElement.label")
    page.select_option("[data-testid=outcome-district]", label=district)
    page.select_option("[data-testid=outcome-select]", "landed")
    page.fill("[data-testid=outcome-date]", "2026-11-20")
    page.click("[data-testid=record-outcome]")
    page.wait_for_selector("[data-testid=outcome-recorded]")
    assert "结果已记录。" in page.inner_text(".flash")
    recorded = page.inner_text("[data-testid=outcome-recorded]")
    assert recorded.startswith("已落地") and district in recorded and first_park in recorded
    assert page.inner_text("[data-testid=lead-status]") == "已落地"

    page.click("[data-testid=nav-outcomes]")
    page.wait_for_selector("[data-testid=outcome-total]")
    assert page.inner_text("h1").startswith("落地结果报告")
    cells = page.locator("[data-testid=outcome-total] tbody td").all_inner_texts()
    assert cells[0] == "全部" and cells[1] == "1"
    assert cells[5:9] == ["1", "100%", "100%", "100%"]  # the landed park was the match's first
    assert "落地示例晶圆公司" in page.inner_text("[data-testid=outcome-table]")

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("h1").startswith("Outcomes report")
    head = page.inner_text("[data-testid=outcome-total] thead")
    assert "District in top 1" in head and "Park in top 5" in head
    assert page.locator("[data-testid=outcome-total] tbody td").all_inner_texts()[0] == "All"
    row = page.inner_text("[data-testid=outcome-table]")
    assert "Landed" in row or "landed" in row
    page.click("text=落地示例晶圆公司")
    page.wait_for_selector("[data-testid=outcome-recorded]")
    assert page.inner_text("[data-testid=outcome-recorded]").lower().startswith("landed")
