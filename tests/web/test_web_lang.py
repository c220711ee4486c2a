"""The interface language: the browser's Accept-Language on a first visit, then the user's
choice (?lang, remembered by cookie); switching keeps the user's work."""

from __future__ import annotations

import html
import re

import pytest
from werkzeug.datastructures import MultiDict

from tests.web.conftest import CHIP_ZH


@pytest.mark.parametrize("header, lang", [
    ("en-US,en;q=0.9", "en"), ("en-GB", "en"), ("zh-TW,zh;q=0.9,en;q=0.8", "zh"),
    ("zh-CN", "zh"), ("de-DE,de;q=0.9,en;q=0.5", "en"), ("fr-FR", "zh"), ("", "zh")])
def test_first_visit_follows_the_browser(client, header, lang):
    page = client.get("/", headers={"Accept-Language": header} if header else {})
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page.get_data(as_text=True)
    assert "Accept-Language" in page.headers.get("Vary", "")


def test_the_users_choice_beats_the_browser(client):
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    page = client.get("/?lang=zh", headers=english_browser)
    assert '<html lang="zh-CN">' in page.get_data(as_text=True)
    page = client.get("/assess", headers=english_browser)  # the cookie now decides
    assert '<html lang="zh-CN">' in page.get_data(as_text=True)


def _result(client, csrf, lang="zh", **extra):
    token = csrf(client, f"/assess?lang={lang}")
    data = {"csrf_token": token, "name": "甲芯科技", "description": CHIP_ZH, "project_type":
            "manufacturing", "investment": "5亿元", "land": "", "employees": "", "origin": "",
            "preferred_districts": "", "traits": ["high_tech", "listed"], **extra}
    page = client.post("/assess", data=data)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _form(page: str, testid: str) -> tuple[str, MultiDict]:
    found = re.search(rf'<form method="post" action="([^"]+)"[^>]*data-testid="{testid}">(.*?)</form>',
                      page, re.S)
    assert found, testid
    fields = [(html.unescape(k), html.unescape(v)) for k, v in
              re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', found.group(2))]
    return html.unescape(found.group(1)), MultiDict(fields)


def test_switching_language_on_a_result_shows_the_same_result(client, csrf):
    page = _result(client, csrf)
    assert "集成电路" in page
    action, fields = _form(page, "lang-form")
    assert action == "/assess?lang=en"
    again = client.post(action, data=fields)
    body = again.get_data(as_text=True)
    assert again.status_code == 200 and '<html lang="en">' in body
    assert 'Your assessment: <span translate="no">甲芯科技</span>' in body
    assert "Integrated circuits" in body
    assert 'data-testid="entered-traits">high-tech enterprise, listed company<' in body
    # and back again
    action, fields = _form(body, "lang-form")
    assert "您的项目最接近" in client.post(action, data=fields).get_data(as_text=True)


def test_assess_again_keeps_the_form_filled(client, csrf):
    page = _result(client, csrf)
    action, fields = _form(page, "again-form")
    form = client.post(action, data=fields).get_data(as_text=True)
    assert 'value="甲芯科技"' in form
    assert html.escape(CHIP_ZH, quote=False) in form
    assert '<option value="manufacturing" selected>' in form
    assert 'value="5亿元"' in form
    assert re.search(r'value="high_tech"\s+checked', form) and re.search(r'value="listed"\s+checked', form)
    assert not re.search(r'value="startup"\s+checked', form)


def test_the_result_names_the_date_and_what_was_entered(client, csrf):
    page = _result(client, csrf, lang="en")
    assert re.search(r"Assessed on \d{4}-\d\d-\d\d against five Shanghai industrial plans", page)
    assert 'data-testid="entered-project_type">manufacturing<' in page
    assert 'data-testid="entered-investment" translate="no">5亿元<' in page


def test_switching_language_keeps_the_pipeline_filters(auth_client):
    page = auth_client.get("/leads/?q=%E4%BC%BA%E6%9C%8D&status=new&sort=name&lang=zh")
    body = page.get_data(as_text=True)
    link = html.unescape(re.search(r'<a href="([^"]+)" lang="en" data-testid="lang-en">', body).group(1))
    assert link.startswith("/leads/?") and "q=%E4%BC%BA%E6%9C%8D" in link
    assert "status=new" in link and "sort=name" in link and link.endswith("lang=en")


def test_the_thank_you_page_is_reached_by_redirect(client, csrf, profile_json_of):
    page = _result(client, csrf)
    token = csrf(client, "/assess")
    r = client.post("/assess/submit", data={"csrf_token": token, "profile_json": profile_json_of(page),
                                            "contact_name": "王", "contact_email": "w@example.com",
                                            "contact_phone": "", "consent": "on"})
    assert r.status_code == 303
    thanks = client.get(r.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Thank you. Your profile was sent." in thanks
