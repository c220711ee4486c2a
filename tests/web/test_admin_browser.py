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


USERS_TEXT = {
    "zh": {"created": "已创建", "shown": "仅显示一次", "short": "密码至少须有 10 个字符",
           "wrong": "当前密码不正确", "changed": "密码已修改", "reset": "的密码已重置",
           "nav": "我的密码", "required": "请填写用户名"},
    "en": {"created": "created", "shown": "shown once", "short": "at least 10 characters",
           "wrong": "The current password is wrong", "changed": "Your password is changed",
           "reset": "is reset", "nav": "My password", "required": "Username is required"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_creates_a_user_who_changes_their_password(browser, page, live_server, lang):  # noqa: F811
    text, name = USERS_TEXT[lang], f"new-officer-{lang}"
    _sign_in(page, live_server, who=ADMIN, lang=lang, then="/account/users")
    # an empty form: the username is named, nothing is created
    page.click("[data-testid=create-user-submit]")
    assert text["required"] in page.inner_text("[data-testid=error-username]")
    # a too-short password is refused, what was typed stays
    page.fill("[data-testid=new-username]", name)
    page.fill("[data-testid=new-password]", "short")
    page.click("[data-testid=create-user-submit]")
    assert text["short"] in page.inner_text("[data-testid=error-password]")
    assert page.input_value("[data-testid=new-username]") == name
    # no password: one is generated and shown once
    page.fill("[data-testid=new-password]", "")
    page.fill("[data-testid=new-display-name]", "示例专员" if lang == "zh" else "Example Officer")
    page.click("[data-testid=create-user-submit]")
    page.wait_for_selector("[data-testid=shown-password]")
    assert text["created"] in page.inner_text(".flash[role=status]")
    assert text["shown"] in page.inner_text("[data-testid=shown-password]")
    generated = page.inner_text("[data-testid=shown-password] code")
    assert page.locator(f"tr[data-user='{name}']").count() == 1
    page.reload()
    assert page.locator("[data-testid=shown-password]").count() == 0
    assert page.locator(f"tr[data-user='{name}']").count() == 1  # created once

    # the new user signs in with it and changes it (the current one first)
    context = browser.new_context(locale="zh-CN" if lang == "zh" else "en-US")
    tab = context.new_page()
    _sign_in(tab, live_server, who=(name, generated), lang=lang, then="/leads/")
    tab.click("[data-testid=nav-password]")
    assert text["nav"] in tab.inner_text("h1")
    tab.fill("[data-testid=current_password]", "not-the-password")
    tab.fill("[data-testid=new_password]", "Velvet-Comet-5528")
    tab.fill("[data-testid=new_password_again]", "Velvet-Comet-5528")
    tab.click("[data-testid=password-submit]")
    assert text["wrong"] in tab.inner_text("[data-testid=error-current_password]")
    tab.fill("[data-testid=current_password]", generated)
    tab.fill("[data-testid=new_password]", "Velvet-Comet-5528")
    tab.fill("[data-testid=new_password_again]", "Velvet-Comet-5528")
    tab.click("[data-testid=password-submit]")
    tab.wait_for_selector(".flash[role=status]")
    assert text["changed"] in tab.inner_text(".flash[role=status]")
    tab.reload()  # POST-redirect-GET: nothing is sent again
    assert tab.locator("[data-testid=error-current_password]").count() == 0
    tab.click("[data-testid=logout]")
    _sign_in(tab, live_server, who=(name, "Velvet-Comet-5528"), lang=lang, then="/leads/")

    # the admin resets it: the user is signed out, the new one works
    row = page.locator(f"tr[data-user='{name}']")
    row.locator("input[name=password]").fill("Amber-Falcon-9043")
    row.locator(f"[data-testid=reset-{name}] button").click()
    page.wait_for_selector(".flash[role=status]")
    assert text["reset"] in page.inner_text(".flash[role=status]")
    tab.goto(f"{live_server}/leads/")
    assert "/auth/login" in tab.url
    _sign_in(tab, live_server, who=(name, "Amber-Falcon-9043"), lang=lang, then="/leads/")
    context.close()


LABEL_BOXES = """() => {
  const chart = window.echarts.getInstanceByDom(document.getElementById('district-map'));
  return chart.getZr().storage.getDisplayList(true)
    .filter(e => (e.type === 'tspan' || e.type === 'text') && e.style && e.style.text && !e.invisible && !e.ignore)
    .map(e => { const r = e.getBoundingRect().clone(); if (e.transform) { r.applyTransform(e.transform); }
                return {text: String(e.style.text), x: r.x, y: r.y, w: r.width, h: r.height}; });
}"""
CENTRAL = {"zh": ["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区"],
           "en": ["Huangpu", "Xuhui", "Changning", "Jing'an", "Putuo", "Hongkou", "Yangpu"]}


def _meet(a, b) -> bool:
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 0.5
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 0.5)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [1280, 760])
def test_district_labels_do_not_overlap(page, live_server, lang, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/assess?lang={lang}")
    page.fill("[data-testid=f-description]", "集成电路设计与晶圆制造，建设12英寸产线")
    page.click("[data-testid=assess-submit]")
    page.wait_for_selector("#district-map[data-labels=placed]", state="attached", timeout=20_000)
    page.wait_for_selector("#district-map[data-rendered=yes]", state="attached", timeout=20_000)
    boxes = [b for b in page.evaluate(LABEL_BOXES) if b["w"] > 0]
    names = [b["text"] for b in boxes]
    for name in CENTRAL[lang]:
        assert name in names, (name, names)
    from web.i18n import district_names

    every = [zh if lang == "zh" else re.sub(r" (District|New Area)$", "", en)
             for zh, en in district_names().items()]
    assert sorted(n for n in names if n in every) == sorted(every)  # each district once
    assert len(boxes) == 16 + 2, names  # and the legend's two ends
    hits = [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:] if _meet(a, b)]
    assert not hits, hits
    holder = page.locator("#district-map").bounding_box()
    for b in boxes:  # every label inside the map's box
        assert b["x"] >= -1 and b["x"] + b["w"] <= holder["width"] + 1, b
        assert b["y"] >= -1 and b["y"] + b["h"] <= holder["height"] + 1, b
