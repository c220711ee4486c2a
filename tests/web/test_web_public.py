"""The public pages: home, self-assessment in Chinese and English, opt-in submission, limits."""

from __future__ import annotations

import json
import re

import pytest
from markupsafe import escape
from sqlmodel import select

from matcher import get_matcher
from web.models import Lead

CHIP_ZH = ("拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，"
           "配套建设封装测试中试线。")
BIO_EN = ("We develop bispecific antibodies and antibody-drug conjugates and run a biologics CDMO "
          "plant with 2000 L single-use bioreactors.")


def text(response) -> str:
    return response.get_data(as_text=True)


def assess(client, csrf, lang: str | None = None, **fields):
    token = csrf(client, "/assess")
    url = "/assess" + (f"?lang={lang}" if lang else "")
    return client.post(url, data={"csrf_token": token, **fields})


def lead_count(db) -> int:
    with db() as s:
        return len(s.exec(select(Lead)).all())


def test_home_is_chinese_by_default(client):
    r = client.get("/")
    assert r.status_code == 200
    body = text(r)
    assert '<html lang="zh-CN">' in body
    assert "上海招商匹配" in body
    assert "企业自评" in body
    assert "Self-assessment" not in body


def test_home_in_english_with_lang_param_and_it_sticks(client):
    body = text(client.get("/?lang=en"))
    assert '<html lang="en">' in body
    assert "Shanghai Investment Matcher" in body
    assert "Self-assessment" in body
    assert "企业自评" not in body
    # the choice is remembered by a cookie
    assert "Self-assessment" in text(client.get("/"))
    assert "企业自评" in text(client.get("/?lang=zh"))


def test_assess_form_in_both_languages(client):
    zh = text(client.get("/assess"))
    assert "您的项目与上海产业规划的契合度如何？" in zh
    assert 'name="description"' in zh and 'name="csrf_token"' in zh
    en = text(client.get("/assess?lang=en"))
    assert "How well does your project fit Shanghai?" in en


def _check_result(body: str, record: dict, lang: str) -> None:
    assert 'data-testid="industries"' in body
    assert 'data-testid="districts"' in body
    assert 'id="district-map"' in body
    # industries and districts ranked as the engine ranks them
    key_i, key_d = ("path_zh", "name_zh") if lang == "zh" else ("path_en", "name_en")
    positions = [body.find(str(escape(d[key_d]))) for d in record["districts"][:3]]
    assert all(p > 0 for p in positions), positions
    assert positions == sorted(positions)
    assert str(escape(record["industries"][0][key_i])) in body
    # the map's data is the record's districts and scores, with a local map file
    data = json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>',
                                body, re.S).group(1))
    assert data["districts"] == [d[key_d] for d in record["districts"]]
    if lang == "en":  # the map's own (Chinese) names shown in English
        assert data["names"]["浦东新区"] == "Pudong New Area" and len(data["names"]) == 16
    assert data["scores"] == [d["score"] for d in record["districts"]]
    assert data["map"].startswith("/static/")
    # cited plan clauses: section and verbatim evidence of the top industry
    src = record["industries"][0]["sources"][0]
    assert str(escape(src["evidence"])) in body
    assert str(escape(src["section"])) in body


def test_assess_in_chinese_shows_ranked_industries_districts_map_and_clauses(client, csrf, db):
    r = assess(client, csrf, name="示例晶圆", description=CHIP_ZH, project_type="manufacturing")
    assert r.status_code == 200
    body = text(r)
    record = get_matcher().match({"name": "示例晶圆", "description": CHIP_ZH,
                                  "project_type": "manufacturing"})
    _check_result(body, record, "zh")
    assert "规划条款" in body and "产业" in body
    assert "上海市先进制造业发展“十四五”规划" in body
    # nothing is stored by assessing
    assert lead_count(db) == 0


def test_assess_in_english(client, csrf):
    r = assess(client, csrf, lang="en", description=BIO_EN, origin="foreign")
    assert r.status_code == 200
    body = text(r)
    record = get_matcher().match({"description": BIO_EN, "origin": "foreign"})
    _check_result(body, record, "en")
    assert "Industries" in body and "Plan clauses" in body and "Districts" in body
    assert "Your assessment" in body


def test_assess_without_description_is_422_naming_the_field(client, csrf):
    r = assess(client, csrf, name="只有名字", description="   ")
    assert r.status_code == 422
    body = text(r)
    errors = re.search(r'data-testid="form-errors">(.*?)</ul>', body, re.S).group(1)
    assert "请描述企业或项目" in errors and "Field" not in errors
    assert "只有名字" in body  # what was typed is kept


def test_post_without_csrf_token_is_400(client, db):
    client.get("/assess")
    r = client.post("/assess", data={"description": CHIP_ZH})
    assert r.status_code == 400
    assert "页面已过期或表单校验失败，请刷新页面后重试" in text(r)
    r = client.post("/assess/submit", data={"profile_json": json.dumps({"description": "x"}),
                                            "contact_name": "张三", "consent": "on"})
    assert r.status_code == 400
    assert lead_count(db) == 0


def test_post_with_a_wrong_csrf_token_is_400(client):
    client.get("/assess")
    r = client.post("/assess", data={"description": CHIP_ZH, "csrf_token": "forged"})
    assert r.status_code == 400


def _result_then_submit(client, csrf, profile_json_of, **contact):
    token = csrf(client, "/assess")
    page = client.post("/assess", data={"csrf_token": token, "name": "示例康源",
                                        "description": CHIP_ZH})
    assert page.status_code == 200
    return client.post("/assess/submit", data={"csrf_token": token,
                                               "profile_json": profile_json_of(text(page)),
                                               **contact})


def test_submit_without_consent_is_422_and_stores_nothing(client, csrf, db, profile_json_of):
    r = _result_then_submit(client, csrf, profile_json_of, contact_name="张三", contact_email="zs@example.com")
    assert r.status_code == 422
    assert "consent" in text(r)
    assert lead_count(db) == 0


def test_submit_with_consent_stores_a_public_lead(client, csrf, db, profile_json_of):
    r = _result_then_submit(client, csrf, profile_json_of, contact_name="张三", contact_email="zs@example.com",
                            contact_phone="021-12345678", consent="on")
    assert r.status_code == 303  # POST-redirect-GET: reloading the thank-you page sends nothing
    r = client.get(r.headers["Location"])
    assert 'data-testid="thanks"' in text(r)
    with db() as s:
        leads = s.exec(select(Lead)).all()
    assert len(leads) == 1
    lead = leads[0]
    assert lead.source == "public"
    assert lead.consent_at is not None
    assert lead.name == "示例康源"
    assert lead.contact_name == "张三" and lead.contact_email == "zs@example.com"
    assert lead.description == CHIP_ZH
    assert lead.top_industry_id and lead.top_district_code
    assert lead.owner_id is None
    assert str(lead.id) in text(r)


def test_submit_with_consent_but_no_contact_name_is_422(client, csrf, db, profile_json_of):
    r = _result_then_submit(client, csrf, profile_json_of, consent="on")
    assert r.status_code == 422
    assert "contact_name" in text(r)
    assert lead_count(db) == 0


@pytest.mark.parametrize("app_config", [{"PUBLIC_RATE_LIMIT": "3/minute"}])
def test_public_rate_limit_returns_429(client, csrf):
    token = csrf(client, "/assess")
    for _ in range(3):
        assert client.post("/assess", data={"csrf_token": token,
                                            "description": "芯片设计"}).status_code == 200
    r = client.post("/assess", data={"csrf_token": token, "description": "芯片设计"})
    assert r.status_code == 429
    # the API shares the public budget of this client, and says so in JSON
    api = client.post("/api/v1/match", json={"description": "芯片设计"})
    assert api.status_code == 429
    assert api.get_json()["code"] == 429
    # another client address is not affected
    other = client.post("/api/v1/match", json={"description": "芯片设计"},
                        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_engine_warnings_are_shown_in_chinese(client, csrf):
    token = csrf(client, "/assess")
    page = client.post("/assess", data={"csrf_token": token, "description": "集成电路设计",
                                        "investment": "很多", "land": "300 parsecs"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "投资额“很多”中没有数字，已忽略" in text
    assert "的单位无法识别" in text
    english = client.post("/assess?lang=en", data={"csrf_token": token, "description": "集成电路设计",
                                                   "investment": "很多"})
    assert "has no number; ignored" in english.get_data(as_text=True)
