"""In headless Chromium: an admin corrects a plan's facts from its reader page in Chinese (a bad
date is named in the interface language, what was typed is kept), saves, sees them on the
reader; then, in English, withdraws an imported plan after typing its id; both are audited.
(One path through both languages: the texts of each page in both are checked by
test_web_leftovers and test_web_plan_admin.)"""

from __future__ import annotations

import re

import pytest
from test_web_browser import ADMIN, browser, live_server, page  # noqa: F401  (shared fixtures)
from test_web_plan_admin import SMALL_PLAN, SMALL_TEXT

pytestmark = [pytest.mark.browser]
PLAN = "sh-future-industries"
OTHER = "sh-strategic-emerging-14fyp"
WORDS = {"zh": {"bad_date": "日期格式为 YYYY-MM-DD", "saved": "规划已保存", "status": "征求意见稿",
                "withdrawn": f"规划 {SMALL_PLAN} 已撤回", "wrong": "输入的编号与规划编号"},
         "en": {"bad_date": "the date is YYYY-MM-DD", "saved": "Plan saved", "status": "draft",
                "withdrawn": f"Plan {SMALL_PLAN} withdrawn", "wrong": "the id typed is not"}}


def test_admin_edits_a_plan_then_withdraws_an_imported_one(page, live_server,  # noqa: F811
                                                           taxonomy_copy):
    from taxonomy.importer import import_plan

    lang, words = "zh", WORDS["zh"]
    page.set_default_timeout(60_000)  # every save validates the whole taxonomy
    import_plan(source=SMALL_TEXT.encode("utf-8"), filename="small.txt", plan_id=SMALL_PLAN,
                title_zh="上海市测试产业发展行动方案", title_en="Shanghai test industry plan",
                date="2026-05-01", horizon="2026-2030", who="admin")
    page.goto(f"{live_server}/auth/login?lang={lang}")
    page.fill("input[name=username]", ADMIN[0])
    page.fill("input[name=password]", ADMIN[1])
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server}/plans/{PLAN}")
    page.click("[data-testid=plan-edit-link]")
    page.wait_for_url(re.compile(rf"/curate/plans/{PLAN}$"))
    page.fill("[data-testid=e-date]", "2022/9/22")
    page.fill("[data-testid=e-issuer]", "上海市人民政府")
    page.click("[data-testid=plan-save]")
    errors = page.inner_text("[data-testid=plan-errors]")
    assert words["bad_date"] in errors and "须为文字" not in errors and "must be text" not in errors
    assert page.input_value("[data-testid=e-date]") == "2022/9/22"
    assert page.input_value("[data-testid=e-issuer]") == "上海市人民政府"  # kept as typed

    page.fill("[data-testid=e-date]", "2022-09-22")
    page.fill("[data-testid=e-horizon]", "2022-2030")
    page.select_option("[data-testid=e-status]", "draft")
    page.select_option("[data-testid=e-supersedes]", [OTHER])
    page.click("[data-testid=plan-save]")
    page.wait_for_url(re.compile(rf"/plans/{PLAN}$"))
    assert words["saved"] in page.inner_text(".flash")
    meta = page.inner_text("[data-testid=plan-meta]")
    assert "上海市人民政府" in meta and "2022-09-22" in meta and "2030" in meta
    assert words["status"] in page.inner_text("[data-testid=plan-status]")
    assert page.locator("[data-testid=plan-supersedes] a").count() == 1

    words = WORDS["en"]  # the withdrawal in English
    page.goto(f"{live_server}/curate/plans/{SMALL_PLAN}?lang=en")
    assert "Withdraw this plan" in page.inner_text("[data-testid=withdraw]")
    page.fill("[data-testid=withdraw-confirm]", "wrong-id")
    page.click("[data-testid=withdraw-submit]")
    assert words["wrong"] in page.inner_text("[data-testid=plan-errors]")
    page.fill("[data-testid=withdraw-confirm]", SMALL_PLAN)
    page.click("[data-testid=withdraw-submit]")
    page.wait_for_url(re.compile(r"/plans/$"))
    assert words["withdrawn"] in page.inner_text(".flash")
    assert page.locator(f"a[href$='/plans/{SMALL_PLAN}']").count() == 0

    page.goto(f"{live_server}/account/audit")
    audit = page.inner_text("body")
    assert "plan.edit" in audit and "plan.withdraw" in audit and SMALL_PLAN in audit
