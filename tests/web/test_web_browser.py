"""End to end in headless Chromium (Playwright): the app served for real on 127.0.0.1.

Skipped when /usr/bin/chromium or playwright is missing. Every page must work offline: the tests
fail if the browser asks any host other than 127.0.0.1 for anything.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = Path(os.environ.get("WEB_SCREENSHOT", "/tmp/web_assess_result_zh.png"))
CHIP_ZH = ("拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，"
           "配套建设封装测试中试线，主要客户为国内新能源汽车厂商。")
BIO_EN = ("We develop bispecific antibodies and antibody-drug conjugates and plan a biologics "
          "CDMO plant with 2000 L single-use bioreactors and an R&D centre.")
OFFICER = ("browser-officer", "Kestrel-Lantern-4417")
ADMIN = ("browser-admin", "Heron-Quartz-8812")


def _requirements():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        if os.environ.get("CI"):  # CI installs it: a missing browser there is a failure
            pytest.fail(f"{CHROMIUM} is not installed on CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app on a free port of 127.0.0.1 in a background thread, on a temp SQLite DB."""
    _requirements()
    from werkzeug.serving import WSGIRequestHandler, make_server

    from web import create_app
    from web.cli import migrate_database
    from web.db import session_scope
    from web.services.users import create_user

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    db_file = tmp_path_factory.mktemp("live") / "app.db"
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{db_file}",
                      "SECRET_KEY": "browser-test-secret-" + "x" * 20})
    with app.app_context():
        migrate_database(app)
    with session_scope(app.extensions["db_engine"]) as s:
        create_user(session=s, username=OFFICER[0], password=OFFICER[1])
        create_user(session=s, username=ADMIN[0], password=ADMIN[1], role="admin")
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def browser():
    sync_api = _requirements()
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context; after the test, no request may have left 127.0.0.1."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900},
                                  locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.requests = requests
    yield page
    context.close()
    outside = [u for u in requests
               if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, f"requests to other hosts: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


def _ranked(page, testid: str) -> list[str]:
    return [t.strip() for t in page.locator(f"[data-testid={testid}] > li .name").all_inner_texts()]


def _wait_for_map(page) -> None:
    page.wait_for_selector("#district-map[data-rendered=yes]", state="attached", timeout=20_000)
    assert page.locator("#district-map canvas").count() >= 1
    box = page.locator("#district-map").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200


def test_company_assesses_itself_in_chinese_then_english(page, live_server):
    page.goto(f"{live_server}/assess")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "您的项目与上海产业规划的契合度如何" in page.inner_text("h1")
    page.fill("[data-testid=f-name]", "上海示例芯科技有限公司")
    page.fill("[data-testid=f-description]", CHIP_ZH)
    page.select_option("[data-testid=f-project-type]", "manufacturing")
    page.click("[data-testid=assess-submit]")
    page.wait_for_selector("[data-testid=industries] > li")

    industries = _ranked(page, "industries")
    districts = _ranked(page, "districts")
    assert industries and "集成电路" in industries[0]
    assert len(districts) >= 3 and "浦东新区" in " ".join(districts[:3])
    assert page.locator("[data-testid=policies] > li").count() >= 1
    assert page.locator("[data-testid=policies] .sources q").count() >= 1  # cited clauses
    # bars are sized by app.js (no inline styles in the HTML)
    first_bar = page.locator("[data-testid=industries] .bar > span").first
    assert re.fullmatch(r"\d+(\.\d+)?%", first_bar.evaluate("el => el.style.width"))
    _wait_for_map(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000

    # the language switch shows the same result in English
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Your assessment" in page.inner_text("h1")
    assert "Integrated circuits" in _ranked(page, "industries")[0]
    _wait_for_map(page)
    # "assess again" brings back the filled form; the same journey with another description
    page.click("[data-testid=assess-again]")
    page.wait_for_selector("[data-testid=f-description]")
    assert "How well does your project fit Shanghai?" in page.inner_text("h1")
    assert page.input_value("[data-testid=f-name]") == "上海示例芯科技有限公司"
    assert page.input_value("[data-testid=f-project-type]") == "manufacturing"
    page.fill("[data-testid=f-description]", BIO_EN)
    page.click("[data-testid=assess-submit]")
    page.wait_for_selector("[data-testid=industries] > li")
    assert page.locator("h2", has_text="Industries").count() == 1
    assert re.search(r"[A-Za-z]", _ranked(page, "industries")[0])
    assert not re.search(r"[\u4e00-\u9fff]", _ranked(page, "districts")[0].split()[0])
    _wait_for_map(page)

    # the company sends its profile with consent
    page.fill("[data-testid=contact-name]", "Jane Doe")
    page.fill("[data-testid=contact-email]", "jane@example.com")
    page.check("[data-testid=consent]")
    page.click("[data-testid=send-profile]")
    assert "Thank you" in page.inner_text("[data-testid=thanks]")
    assert any(u.endswith("/static/vendor/echarts/echarts.min.js") for u in page.requests)


def test_officer_screens_saves_follows_up_and_exports(page, live_server):
    page.goto(f"{live_server}/leads/")
    assert "/auth/login" in page.url  # officer pages need a sign-in
    page.fill("input[name=username]", OFFICER[0])
    page.fill("input[name=password]", OFFICER[1])
    page.click("[data-testid=login-submit]")
    page.wait_for_url(re.compile(r"/leads/$"))

    page.goto(f"{live_server}/leads/screen")
    page.fill("[data-testid=f-name]", "浏览器示例晶圆公司")
    page.fill("[data-testid=f-description]", CHIP_ZH)
    page.click("[data-testid=screen-submit]")
    page.wait_for_selector("[data-testid=industries] > li")
    _wait_for_map(page)
    page.fill("textarea[name=note]", "展会上认识")
    page.click("[data-testid=save-lead]")
    page.wait_for_url(re.compile(r"/leads/\d+$"))
    lead_url = page.url
    assert "线索已保存。" in page.inner_text(".flash")
    assert page.inner_text("[data-testid=lead-name]").startswith("浏览器示例晶圆公司")

    for status, label in (("contacted", "已联系"), ("visit", "已拜访")):
        page.select_option("[data-testid=status-select]", status)
        page.click("[data-testid=update-lead]")
        page.wait_for_selector(".flash")
        assert page.inner_text("[data-testid=lead-status]") == label
    assert page.url == lead_url

    page.fill("[data-testid=note-body]", "已约定下周实地考察临港")
    page.click("[data-testid=add-note]")
    assert "已约定下周实地考察临港" in page.inner_text("[data-testid=notes]")
    assert "展会上认识" in page.inner_text("[data-testid=notes]")

    page.click("nav >> text=线索库")
    page.wait_for_url(re.compile(r"/leads/$"))
    row = page.locator("[data-testid=lead-table] tbody tr", has_text="浏览器示例晶圆公司")
    assert row.count() == 1
    assert "已拜访" in row.inner_text()

    with page.expect_download() as info:
        page.click("[data-testid=export-csv]")
    download = info.value
    assert download.suggested_filename == f"线索清单-{dt.date.today().isoformat()}.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    name_col, status_col = header.index("企业名称"), header.index("状态")
    ours = [r for r in body if r[name_col] == "浏览器示例晶圆公司"]
    assert len(ours) == 1 and ours[0][status_col] == "已拜访"  # in words, as on the page

    page.click("[data-testid=logout]")
    page.goto(f"{live_server}/leads/")
    assert "/auth/login" in page.url



def _assess(page, live_server) -> None:
    page.goto(f"{live_server}/assess?lang=zh")
    page.fill("[data-testid=f-description]", CHIP_ZH)
    page.click("[data-testid=assess-submit]")
    page.wait_for_selector("[data-testid=industries] > li")


def test_the_map_is_not_laid_out_without_a_size(page, live_server):
    """ECharts throws "Cannot read properties of null (reading '0')" when it lays the map out
    in a box without a height or width (a window resize while the map's box is collapsed, as a
    full-page screenshot or a print may cause); the page error fixture fails the test on it."""
    _assess(page, live_server)
    _wait_for_map(page)
    page.evaluate("document.getElementById('district-map').style.height = '0px'")
    page.set_viewport_size({"width": 1000, "height": 800})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")
    page.evaluate("document.getElementById('district-map').style.height = ''")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")
    assert page.locator("#district-map canvas").bounding_box()["width"] > 200


def test_a_map_hidden_when_its_data_arrives_is_drawn_once_shown(page, live_server):
    page.add_init_script("""
      document.addEventListener("DOMContentLoaded", () => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(".map { display: none; }");
        document.adoptedStyleSheets = [sheet];
        window.__hideMap = sheet;
      });""")
    _assess(page, live_server)
    page.wait_for_function("() => window.echarts !== undefined")
    page.evaluate("() => new Promise(r => setTimeout(r, 500))")  # its data has arrived by now
    page.evaluate("document.adoptedStyleSheets = []")  # shown, the window not resized
    _wait_for_map(page)
    page.wait_for_function("() => (document.querySelector('#district-map canvas') || {})"
                           ".clientWidth > 200", timeout=10_000)
