"""An officer's pipeline in headless Chromium, in both languages: the filter form submitted as
a browser submits it (empty fields included), its exports, and (further down) editing, bulk
changes, deleting and duplicates. Offline: nothing may leave 127.0.0.1."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.test_web_browser import OFFICER, browser, live_server

__all__ = ["browser", "live_server"]  # fixtures shared with test_web_browser
pytestmark = [pytest.mark.browser]

CHIP_ZH = ("拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，"
           "配套建设封装测试中试线。")
BIO_EN = ("We develop bispecific antibodies and antibody-drug conjugates and run a biologics CDMO "
          "plant with 2000 L single-use bioreactors.")
EV_ZH = "新能源汽车动力电池研发与生产，建设电池包和电驱动系统生产线"


@pytest.fixture
def officer_page(browser, live_server):
    """officer_page(locale) -> a signed-in officer's page in a fresh context."""
    opened = []

    def _open(locale: str = "zh-CN"):
        context = browser.new_context(locale=locale, accept_downloads=True,
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.requests, page.errors = [], []
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("dialog", lambda d: d.accept())
        opened.append((context, page))
        page.goto(f"{live_server}/auth/login")
        page.fill("input[name=username]", OFFICER[0])
        page.fill("input[name=password]", OFFICER[1])
        page.click("[data-testid=login-submit]")
        page.wait_for_url(re.compile(r"/leads/$"))
        return page

    yield _open
    for context, page in opened:
        context.close()
        outside = [u for u in page.requests if urlsplit(u).scheme not in ("data", "blob")
                   and urlsplit(u).hostname != "127.0.0.1"]
        assert not outside, f"requests to other hosts: {outside}"
        assert not page.errors, f"JavaScript errors: {page.errors}"


def screen(page, live_server, name: str, description: str, **fields) -> None:
    """Screen a lead in the browser (its match shown, not saved)."""
    page.goto(f"{live_server}/leads/screen")
    page.fill("[data-testid=f-name]", name)
    page.fill("[data-testid=f-description]", description)
    for key, value in fields.items():
        page.fill(f"input[name={key}]", value)
    page.click("[data-testid=screen-submit]")
    page.wait_for_selector("[data-testid=save-lead]")


def screen_and_save(page, live_server, name: str, description: str, **fields) -> str:
    """Screen a lead in the browser and save it; returns the lead page's URL."""
    screen(page, live_server, name, description, **fields)
    page.click("[data-testid=save-lead]")
    page.wait_for_url(re.compile(r"/leads/\d+$"))
    return page.url


def table_names(page) -> list[str]:
    return [t.strip() for t in page.locator("[data-testid=lead-table] [data-testid=lead-link]").all_inner_texts()]


def _exported_names(page, testid: str) -> list[str]:
    with page.expect_download() as info:
        page.click(f"[data-testid={testid}]")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8-sig"))))
    col = next(i for i, h in enumerate(rows[0]) if h in ("企业名称", "Company name") or h.endswith(" name"))
    return [r[col] for r in rows[1:]]


@pytest.mark.parametrize(("locale", "search", "alert"), [
    ("zh-CN", "筛选晶圆", "状态须为以下之一"),
    ("en-GB", "Filter Biologics", "Status must be one of"),
])
def test_the_filter_form_filters_as_a_browser_submits_it(officer_page, live_server, locale,
                                                          search, alert):
    page = officer_page(locale)
    tag = locale[:2]
    screen_and_save(page, live_server, f"筛选晶圆公司{tag}", CHIP_ZH)
    screen_and_save(page, live_server, f"Filter Biologics {tag}", BIO_EN)
    page.goto(f"{live_server}/leads/")
    page.fill("[data-testid=search]", f"{search}")
    page.click("[data-testid=filter]")
    page.wait_for_load_state()
    sent = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    assert sent["status"] == [""] and sent["sector"] == [""]  # the form sent its empty fields
    names = table_names(page)
    assert names and all(search in n for n in names), names
    assert page.input_value("[data-testid=search]") == search
    exported = _exported_names(page, "export-csv")
    assert exported and all(search in n for n in exported), exported

    # an invalid value is named on the page, in the interface language, and lists nothing
    page.goto(page.url.replace("status=", "status=bogus"))
    assert alert in page.inner_text("[data-testid=filter-errors]")
    assert table_names(page) == []
    assert page.input_value("[data-testid=search]") == search


def test_a_note_keeps_its_line_breaks(officer_page, live_server):
    page = officer_page("zh-CN")
    screen_and_save(page, live_server, "换行浏览器示例", EV_ZH)
    page.fill("[data-testid=note-body]", "第一行\n第二行")
    page.click("[data-testid=add-note]")
    page.wait_for_selector("[data-testid=note-body-text]")
    assert page.locator("[data-testid=note-body-text]").first.inner_text() == "第一行\n第二行"


DUPLICATE_WORDS = {
    "zh-CN": ("线索库中已有这家企业？", "信用代码相同", "关联线索", "两条线索作为不同企业同时保留", "已合并到线索"),
    "en-GB": ("Already in the pipeline?", "same credit code", "Linked leads",
              "both leads are kept as different companies", "Merged into lead"),
}


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_a_duplicate_is_shown_and_merged_linked_or_kept(officer_page, live_server, locale):
    page = officer_page(locale)
    heading, reason, linked, kept, merged = DUPLICATE_WORDS[locale]
    code = "91310115MA1K4DUP" + ("01" if locale == "zh-CN" else "02")
    first = screen_and_save(page, live_server, f"重复示例晶圆公司{locale}", CHIP_ZH, credit_code=code)
    first_path = urlsplit(first).path

    # link: a second lead, linked both ways
    screen(page, live_server, "重复示例晶圆二厂", CHIP_ZH, credit_code=code)
    page.click("[data-testid=save-lead]")
    page.wait_for_selector("[data-testid=duplicates]")
    assert heading in page.inner_text("h1")
    item = page.locator("[data-testid=duplicate]").first
    assert reason in item.inner_text() and item.locator(f"a[href='{first_path}']").count() == 1
    item.locator("[data-testid=dup-link]").click()
    page.wait_for_url(re.compile(r"/leads/\d+$"))
    assert page.url != first
    assert linked in page.inner_text("[data-testid=linked-leads]")
    assert page.locator(f"[data-testid=linked-leads] a[href='{first_path}']").count() == 1

    # keep both
    screen(page, live_server, "重复示例晶圆三厂", CHIP_ZH, credit_code=code)
    page.click("[data-testid=save-lead]")
    page.click("[data-testid=dup-keep]")
    page.wait_for_url(re.compile(r"/leads/\d+$"))
    assert kept in page.inner_text(".flash")

    # merge: no new lead, the note lands on the first one
    screen(page, live_server, "重复示例晶圆", CHIP_ZH, credit_code=code)
    page.fill("textarea[name=note]", f"合并的备注 {locale}")
    page.click("[data-testid=save-lead]")
    page.locator("[data-testid=duplicate]", has=page.locator(f"a[href='{first_path}']")) \
        .locator("[data-testid=dup-merge]").click()
    page.wait_for_url(re.compile(r"/leads/\d+$"))
    assert urlsplit(page.url).path == first_path
    assert merged in page.inner_text(".flash")
    assert f"合并的备注 {locale}" in page.inner_text("[data-testid=notes]")


MANAGE_WORDS = {
    "zh-CN": ("线索已更新。", "已联系", "条已修改", "删除线索 #", "已删除"),
    "en-GB": ("Lead updated.", "contacted", "leads changed", "Delete lead #", "was deleted"),
}


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_edit_bulk_change_and_delete(officer_page, live_server, locale):
    page = officer_page(locale)
    updated, contacted, changed, confirm, deleted = MANAGE_WORDS[locale]
    tag = "甲" if locale == "zh-CN" else "乙"
    first = screen_and_save(page, live_server, f"批量浏览器{tag}一", CHIP_ZH)
    second = screen_and_save(page, live_server, f"批量浏览器{tag}二", EV_ZH)

    # edit the first lead's contacts and address
    page.goto(first)
    page.click("[data-testid=edit-lead]")
    page.fill("[data-testid=e-contact-name]", "赵六")
    page.fill("[data-testid=e-contact-phone]", "021-66668888")
    page.fill("[data-testid=f-address]", "上海市浦东新区张江路1号")
    page.click("[data-testid=save-edit]")
    page.wait_for_url(first)
    assert updated in page.inner_text(".flash")
    assert "021-66668888" in page.inner_text("[data-testid=lead-contact]")
    page.click("[data-testid=edit-lead]")
    assert page.input_value("[data-testid=f-address]") == "上海市浦东新区张江路1号"

    # both to "contacted" at once, from the filtered pipeline
    page.goto(f"{live_server}/leads/")
    page.fill("[data-testid=search]", f"批量浏览器{tag}")
    page.click("[data-testid=filter]")
    page.wait_for_load_state()
    assert len(table_names(page)) == 2
    page.check("[data-testid=select-all]")  # shown by leads.js
    assert all(box.is_checked() for box in page.locator("[data-testid=pick]").all())
    page.select_option("[data-testid=bulk-status]", "contacted")
    page.click("[data-testid=bulk-apply]")
    page.wait_for_selector(".flash")
    assert changed in page.inner_text(".flash")
    assert page.input_value("[data-testid=search]") == f"批量浏览器{tag}"  # the same filter
    rows = page.locator("[data-testid=lead-table] tbody tr").all_inner_texts()
    assert len(rows) == 2 and all(contacted in r for r in rows), rows
    assert f"{contacted}" in page.inner_text("[data-testid=funnel-contacted]")

    # delete the second one, after confirming
    page.goto(second)
    page.click("[data-testid=delete-lead]")
    assert confirm in page.inner_text("[data-testid=delete-text]")
    page.click("[data-testid=confirm-delete]")
    page.wait_for_url(re.compile(r"/leads/$"))
    assert deleted in page.inner_text(".flash")
    assert f"批量浏览器{tag}二" not in " ".join(table_names(page))
    assert page.goto(second).status == 404
