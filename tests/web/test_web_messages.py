"""Validation messages are plain Chinese or English sentences naming the field by its label, in
the forms, the API (which keeps its machine-readable field keys) and the CLI; no library text."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.web.conftest import CHIP_ZH

RAW = ("Field may not be null", "Missing data for required field", "Length must be between",
       "Not a valid", "consent is required", "consent:", "description:", "Must be one of")
FORM = {"name": "", "description": "", "project_type": "", "investment": "", "land": "",
        "employees": "", "origin": "", "preferred_districts": ""}  # as a browser sends it


def _errors(page: str) -> str:
    found = re.search(r'<ul class="error"[^>]*>(.*?)</ul>', page, re.S)
    assert found, "no error list on the page"
    return found.group(1)


def _no_raw(text: str) -> None:
    for raw in RAW:
        assert raw not in text, raw


@pytest.mark.parametrize("lang, expected", [
    ("zh", "请描述企业或项目：做什么、生产什么。"),
    ("en", "Please describe the company or project: what it makes or does.")])
def test_an_empty_description_says_what_to_write(client, csrf, lang, expected):
    token = csrf(client, f"/assess?lang={lang}")
    page = client.post("/assess", data={**FORM, "csrf_token": token, "name": "甲公司",
                                        "description": "   "})
    assert page.status_code == 422
    errors = _errors(page.get_data(as_text=True))
    assert expected in errors
    _no_raw(errors)


@pytest.mark.parametrize("lang, expected", [
    ("zh", "企业或项目描述不能超过 20000 个字符。"),
    ("en", "Description must be at most 20000 characters long.")])
def test_a_too_long_description_names_the_limit(client, csrf, lang, expected):
    token = csrf(client, f"/assess?lang={lang}")
    page = client.post("/assess", data={**FORM, "csrf_token": token, "description": "芯" * 20001})
    assert page.status_code == 422
    assert expected in _errors(page.get_data(as_text=True))


def _result(client, csrf, lang):
    token = csrf(client, f"/assess?lang={lang}")
    page = client.post("/assess", data={**FORM, "csrf_token": token, "description": CHIP_ZH})
    body = page.get_data(as_text=True)
    found = re.search(r'name="profile_json" value="([^"]*)"', body)
    return token, html.unescape(found.group(1))


@pytest.mark.parametrize("lang, consent, email, expected", [
    ("zh", "", "", "请勾选同意，我们才能保存并转交您的资料。"),
    ("en", "", "", "Please tick the box to agree"),
    ("zh", "on", "not-an-address", "电子邮箱不是有效的电子邮箱地址"),
    ("en", "on", "not-an-address", "E-mail is not a valid e-mail address"),
])
def test_the_submission_form_explains_each_problem(client, csrf, lang, consent, email, expected):
    token, profile_json = _result(client, csrf, lang)
    data = {"csrf_token": token, "profile_json": profile_json, "contact_name": "王五",
            "contact_email": email, "contact_phone": ""}
    if consent:
        data["consent"] = consent
    page = client.post("/assess/submit", data=data)
    assert page.status_code == 422
    errors = _errors(page.get_data(as_text=True))
    assert expected in errors
    _no_raw(errors)


def test_a_missing_contact_name_is_named(client, csrf):
    token, profile_json = _result(client, csrf, "en")
    page = client.post("/assess/submit", data={"csrf_token": token, "profile_json": profile_json,
                                               "contact_name": " ", "contact_email": "",
                                               "contact_phone": "", "consent": "on"})
    assert "Contact name is required." in _errors(page.get_data(as_text=True))


def test_api_keeps_field_keys_and_adds_readable_messages(client):
    r = client.post("/api/v1/match", json={"description": None, "name": 5})
    assert r.status_code == 422
    body = r.get_json()
    assert set(body["errors"]["json"]) == {"description", "name"}  # machine-readable keys
    _no_raw(json.dumps(body, ensure_ascii=False))
    codes = {d["field"]: d["code"] for d in body["details"]}
    assert codes == {"description": "required", "name": "invalid"}
    assert "Please describe the company or project" in body["message"]
    assert "请描述企业或项目" in body["message_zh"] and "企业或项目名称须为文字" in body["message_zh"]


def test_api_nested_errors_keep_their_shape(client):
    r = client.post("/api/v1/match/batch", json={"profiles": [{"description": "x"}, {"name": "y"}]})
    body = r.get_json()
    assert body["errors"]["json"]["profiles"]["1"]["description"] == [
        "Please describe the company or project: what it makes or does."]
    assert body["details"][0]["field"] == "profiles.1.description"
    assert body["details"][0]["message_zh"].startswith("第 2 条：")


def test_api_choice_and_range_errors_list_what_is_allowed(client, bearer):
    r = client.post("/api/v1/leads", headers=bearer,
                    json={"description": CHIP_ZH, "status": "wonderful"})
    assert r.status_code == 422
    body = r.get_json()
    assert body["errors"]["json"]["status"][0].startswith("Status must be one of: new, contacted")
    assert "状态须为以下之一：新线索、已联系" in body["message_zh"]
    r = client.get("/api/v1/leads?page=0", headers=bearer)
    assert r.get_json()["errors"]["query"]["page"] == ["Page must be between 1 and 100000."]


def test_api_bad_json_is_a_sentence(client):
    r = client.post("/api/v1/match", data="{not json", content_type="application/json")
    assert r.status_code == 400
    body = r.get_json()
    assert body["message"] == "The request body is not valid JSON."
    assert body["message_zh"] == "请求正文不是有效的 JSON。"
    assert "browser (or proxy)" not in json.dumps(body)
