"""A company's whole path in headless Chromium, in both languages: a foreign company from an
English browser, a Taiwanese company in traditional Chinese. Assess, switch language, print
view, send the profile to the agency. Offline: nothing may leave 127.0.0.1."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.test_web_browser import OFFICER, _ranked, _wait_for_map, browser, live_server

__all__ = ["browser", "live_server"]  # the module's fixtures, shared with test_web_browser
pytestmark = [pytest.mark.browser]

CJK = re.compile(r"[\u3400-\u9fff]")
BIO_EN = ("We develop bispecific antibodies and antibody-drug conjugates and plan a biologics "
          "CDMO plant with 2000 L single-use bioreactors.")
CHIP_TW = "本公司從事積體電路設計，產品包括處理器晶片與記憶體，擬在上海設立研發中心與測試線。"


@pytest.fixture
def open_page(browser, live_server):
    """open_page(locale) -> a page in a fresh context whose browser speaks `locale`."""
    opened = []

    def _open(locale: str):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.requests, page.errors = [], []
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        opened.append((context, page))
        return page

    yield _open
    for context, page in opened:
        context.close()
        outside = [u for u in page.requests if urlsplit(u).scheme not in ("data", "blob")
                   and urlsplit(u).hostname != "127.0.0.1"]
        assert not outside, f"requests to other hosts: {outside}"
        assert not page.errors, f"JavaScript errors: {page.errors}"


def _items(page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def _check_print_view(page) -> None:
    """The printout: no navigation or forms, the date and what was entered, every citation."""
    page.emulate_media(media="print")
    try:
        assert not page.locator("header.top").is_visible()
        assert not page.locator("#send").is_visible()
        assert page.locator("[data-testid=assessed-on]").is_visible()
        assert page.locator("[data-testid=entered]").is_visible()
        quotes = page.locator("[data-testid=industries] details .sources q")
        assert quotes.count() >= 1
        assert all(quotes.nth(k).is_visible() for k in range(quotes.count()))
        assert page.locator("[data-testid=districts] details .sources q").first.is_visible()
    finally:
        page.emulate_media(media="screen")
    # on screen, the citations of industries stay folded
    assert not page.locator("[data-testid=industries] details .sources q").first.is_visible()


def _send(page, name: str, email: str) -> None:
    page.fill("[data-testid=contact-name]", name)
    page.fill("[data-testid=contact-email]", email)
    page.check("[data-testid=consent]")
    page.click("[data-testid=send-profile]")
    page.wait_for_selector("[data-testid=thanks]")
    assert re.search(r"/assess/thanks/\d+$", page.url)


def test_a_foreign_company_in_english(open_page, live_server):
    page = open_page("en-US")
    page.goto(f"{live_server}/assess")
    assert page.locator("html").get_attribute("lang") == "en"  # from Accept-Language
    assert "How well does your project fit Shanghai?" in page.inner_text("h1")
    page.fill("[data-testid=f-name]", "Helix Biologics GmbH")
    page.fill("[data-testid=f-description]", BIO_EN)
    page.select_option("[data-testid=f-project-type]", "manufacturing")
    page.fill("input[name=investment]", "EUR 40m")
    page.fill("input[name=land]", "60 mu")
    page.select_option("select[name=origin]", "foreign")
    page.click("[data-testid=assess-submit]")  # the other fields go empty, as a browser sends them
    page.wait_for_selector("[data-testid=industries] > li")
    _wait_for_map(page)

    assert "Biomedicine" in _ranked(page, "industries")[0]
    assert page.inner_text("[data-testid=districts-heading]") == "Districts that fit your project"
    scores = _items(page, "[data-testid=industries] [data-testid=score]")
    assert scores and all(s in ("strong fit", "good fit", "possible fit", "weak fit") for s in scores)
    assert "tx-" not in page.inner_text("main")  # no taxonomy hash for a company
    notes = page.inner_text("[data-testid=notes-read]")
    assert "CNY/EUR" in notes and "60.0 mu = 40,000 m² = 4.00 ha" in notes
    verify = _items(page, "[data-testid=verify] > li")
    assert any("the plan period ended in 2025" in v for v in verify)
    for text in verify + _items(page, "ul.reasons > li") + _ranked(page, "districts"):
        assert not CJK.search(re.sub(r"'[^']*'|\([^)]*\)", "", text)), text
    assert "Helix Biologics GmbH" in page.inner_text("[data-testid=entered]")
    _check_print_view(page)

    # switch to Chinese and back: the same result each time
    page.click("[data-testid=lang-zh]")
    page.wait_for_selector("[data-testid=industries] > li")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "生物医药" in _ranked(page, "industries")[0]
    assert page.inner_text("[data-testid=districts-heading]") == "适合项目落户的区"
    assert any("所依据的规划期至2025年已结束" in v for v in _items(page, "[data-testid=verify] > li"))
    _wait_for_map(page)
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=industries] > li")
    assert "Biomedicine" in _ranked(page, "industries")[0]

    _send(page, "Anna Weber", "anna.weber@example.com")
    assert "Thank you. Your profile was sent." in page.inner_text("[data-testid=thanks]")


def test_a_taiwanese_company_in_traditional_chinese(open_page, live_server):
    page = open_page("zh-TW")
    page.goto(f"{live_server}/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.goto(f"{live_server}/assess")
    page.fill("[data-testid=f-name]", "臺灣晶創股份有限公司")
    page.fill("[data-testid=f-description]", CHIP_TW)
    page.select_option("[data-testid=f-project-type]", "rd_center")
    page.fill("input[name=investment]", "新台币5亿")
    page.select_option("select[name=origin]", "hk_mo_tw")
    page.fill("input[name=preferred_districts]", "張江")
    page.click("[data-testid=assess-submit]")
    page.wait_for_selector("[data-testid=industries] > li")
    _wait_for_map(page)

    assert "集成电路" in _ranked(page, "industries")[0]
    assert "浦东新区" in " ".join(_ranked(page, "districts")[:2])
    notes = page.inner_text("[data-testid=notes-read]")
    assert "按参考汇率 1 新台币 = 0.22 元折算" in notes and "CNY" not in notes
    scores = _items(page, "[data-testid=districts] [data-testid=score]")
    assert scores and all(s in ("高度契合", "较为契合", "有一定契合", "契合度低") for s in scores)
    for text in _items(page, "ul.reasons > li") + _items(page, "[data-testid=verify] > li"):
        assert CJK.search(text) and "是规划的" not in text, text
    assert "港澳台资" in page.inner_text("[data-testid=entered-origin]")
    _check_print_view(page)

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=industries] > li")
    assert "Integrated circuits" in _ranked(page, "industries")[0]
    assert "at 0.22 CNY/TWD" in page.inner_text("[data-testid=notes-read]")
    assert "Hong Kong, Macao or Taiwan" in page.inner_text("[data-testid=entered-origin]")
    _wait_for_map(page)
    page.click("[data-testid=lang-zh]")
    page.wait_for_selector("[data-testid=industries] > li")

    # "assess again" keeps the form filled
    page.click("[data-testid=assess-again]")
    page.wait_for_selector("[data-testid=f-description]")
    assert page.input_value("[data-testid=f-description]") == CHIP_TW
    assert page.input_value("select[name=origin]") == "hk_mo_tw"
    page.click("[data-testid=assess-submit]")
    page.wait_for_selector("[data-testid=industries] > li")

    _send(page, "陳美玲", "mei-ling@example.com.tw")
    assert "谢谢，您的资料已发送。" in page.inner_text("[data-testid=thanks]")


def test_switching_language_keeps_the_pipeline_filters(open_page, live_server):
    page = open_page("zh-CN")
    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=username]", OFFICER[0])
    page.fill("input[name=password]", OFFICER[1])
    page.click("[data-testid=login-submit]")
    page.goto(f"{live_server}/leads/?q=%E6%99%B6&status=new&sort=name")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["晶"] and query["status"] == ["new"] and query["sort"] == ["name"]
