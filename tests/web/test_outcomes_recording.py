"""Recording outcomes: an officer closes a lead on its page (signed, landed, lost), or imports
outcomes from a CSV; errors name the row and the field in Chinese and English."""

from __future__ import annotations

import io
import json

from sqlmodel import select

FORM_EMPTY = {"outcome": "", "district_code": "", "zone_id": "", "industry_id": "",
              "lost_to": "", "lost_city": "", "reason": "", "closed_on": ""}


def _close(client, csrf, lead_id, lang="zh", **fields):
    token = csrf(client, f"/leads/{lead_id}?lang={lang}")
    data = {**FORM_EMPTY, **fields, "csrf_token": token}  # empty fields posted as a browser does
    response = client.post(f"/outcomes/lead/{lead_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client.get(f"/leads/{lead_id}?lang={lang}").get_data(as_text=True)


def _outcome(db, lead_id):
    from web.models import LeadOutcome

    with db() as s:
        return s.exec(select(LeadOutcome).where(LeadOutcome.lead_id == lead_id)).first()


def test_closing_as_landed_records_district_park_and_the_scoring_it_carried(
        auth_client, csrf, screen_lead, db):
    from web.models import Lead, LeadEvent, LeadMatch

    lead_id, _page = screen_lead(auth_client, name="芯片厂")
    page = _close(auth_client, csrf, lead_id, outcome="landed", district_code="310115",
                  zone_id="zhangjiang-ic-base", industry_id="", closed_on="2026-11-30")
    assert "结果已记录" in page and 'data-testid="outcome-recorded"' in page
    assert "张江国家集成电路产业基地" in page
    row = _outcome(db, lead_id)
    with db() as s:
        match = s.exec(select(LeadMatch).where(LeadMatch.lead_id == lead_id)).one()
        lead = s.get(Lead, lead_id)
        events = s.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id)).all()
    assert (row.outcome, row.district_code, row.zone_id, str(row.closed_on)) == \
        ("landed", "310115", "zhangjiang-ic-base", "2026-11-30")
    assert row.match_id == match.id and row.taxonomy_version == match.taxonomy_version
    assert lead.status == "landed"
    assert any(e.kind == "status" and e.detail.endswith("-> landed") for e in events)


def test_a_park_alone_gives_its_district_and_a_second_closing_corrects_the_first(
        auth_client, csrf, screen_lead, db):
    lead_id, _ = screen_lead(auth_client, name="设计公司")
    _close(auth_client, csrf, lead_id, outcome="signed", zone_id="zizhu-hitech-park")
    assert (_outcome(db, lead_id).outcome, _outcome(db, lead_id).district_code) == ("signed", "310112")
    _close(auth_client, csrf, lead_id, outcome="lost", lost_to="other_city", lost_city="苏州",
           reason="土地价格", district_code="310112")
    row = _outcome(db, lead_id)
    assert (row.outcome, row.lost_to, row.lost_city, row.district_code, row.zone_id) == \
        ("lost", "other_city", "苏州", "", "")


def test_wrong_outcomes_are_refused_with_the_field_named_in_both_languages(
        auth_client, csrf, screen_lead, db):
    lead_id, _ = screen_lead(auth_client)
    page = _close(auth_client, csrf, lead_id, outcome="landed")
    assert "已签约或已落地的线索须填写落地区" in page
    page = _close(auth_client, csrf, lead_id, lang="en", outcome="landed",
                  district_code="310112", zone_id="zhangjiang-ic-base")
    assert "Zhangjiang National IC Industry Base is not in Minhang" in page
    page = _close(auth_client, csrf, lead_id, outcome="lost", lost_to="other_city")
    assert "请填写线索去往的城市" in page
    page = _close(auth_client, csrf, lead_id, lang="en", outcome="closed")
    assert "Outcome must be one of: signed, landed, lost." in page
    assert _outcome(db, lead_id) is None


def _lead_with_code(client, screen_lead, code, name):
    lead_id, _ = screen_lead(client, name=name, credit_code=code)
    return lead_id


def _upload(client, csrf, content: bytes, lang="zh"):
    token = csrf(client, f"/outcomes/import?lang={lang}")
    return client.post("/outcomes/import", data={"csrf_token": token,
                                                  "file": (io.BytesIO(content), "outcomes.csv")},
                       content_type="multipart/form-data")


def test_import_gbk_by_credit_code_and_lead_id_with_names(auth_client, csrf, screen_lead, db):
    a = _lead_with_code(auth_client, screen_lead, "91310115MA1K4ABC1X", "甲公司")
    b = _lead_with_code(auth_client, screen_lead, "", "乙公司")
    text = ("线索编号,统一社会信用代码,区,园区,结果,日期\n"
            f",91310115MA1K4ABC1X,浦东新区,张江国家集成电路产业基地,已落地,2026-10-01\n"
            f"{b},,闵行,紫竹高新区,签约,2026-10-02\n")
    response = _upload(auth_client, csrf, text.encode("gbk"))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    first, second = _outcome(db, a), _outcome(db, b)
    assert (first.outcome, first.district_code, first.zone_id, first.source) == \
        ("landed", "310115", "zhangjiang-ic-base", "import")
    assert (second.outcome, second.district_code, second.zone_id, str(second.closed_on)) == \
        ("signed", "310112", "zizhu-hitech-park", "2026-10-02")


def test_import_errors_name_row_and_field_in_both_languages_and_import_nothing(
        auth_client, csrf, screen_lead, db):
    a = _lead_with_code(auth_client, screen_lead, "", "甲公司")
    text = ("lead_id,district,park,outcome\n"
            f"{a},Pudong,Zhangjiang National IC Industry Base,landed\n"
            "999999,Pudong,,landed\n"
            f"{a},火星区,,landed\n"
            ",,,\n"
            f"{a},Minhang,Zhangjiang National IC Industry Base,maybe\n")
    content = b"\xef\xbb\xbf" + text.encode("utf-8")
    zh = _upload(auth_client, csrf, content).get_data(as_text=True)
    assert "第 3 行，线索编号：没有编号为 999999 的线索" in zh
    assert "第 4 行，落地区：“火星区”不是上海的区" in zh
    assert "第 6 行，结果：" in zh and "未导入任何内容" in zh
    en = _upload(auth_client, csrf, content, lang="en").get_data(as_text=True)
    assert "Row 3, lead id: no lead has id 999999" in en
    assert "Row 4, district: &#39;火星区&#39; is not a district of Shanghai" in en
    assert "Row 6, outcome: Outcome must be one of: signed, landed, lost." in en
    assert _outcome(db, a) is None


def test_import_without_a_lead_column_says_so(auth_client, csrf):
    zh = _upload(auth_client, csrf, "区,园区\n浦东新区,\n".encode("gb18030")).get_data(as_text=True)
    assert "第 1 行，线索编号：没有线索编号或统一社会信用代码列" in zh


def test_recording_is_audited(auth_client, csrf, screen_lead, db):
    from web.models import AuditEvent

    lead_id, _ = screen_lead(auth_client)
    _close(auth_client, csrf, lead_id, outcome="lost", lost_to="no_project", reason="资金未到位")
    with db() as s:
        actions = [e.action for e in s.exec(select(AuditEvent)).all()]
    assert "lead.outcome" in actions
    assert json.dumps(_outcome(db, lead_id).reason, ensure_ascii=False) == '"资金未到位"'


def test_the_lead_page_shows_the_whole_outcome(auth_client, csrf, screen_lead):
    lead_id, _ = screen_lead(auth_client)
    page = _close(auth_client, csrf, lead_id, lang="en", outcome="lost", lost_to="other_district",
                  district_code="310112", industry_id="ic-design", reason="土地指标不足")
    recorded = page.split('data-testid="outcome-recorded">')[1].split("</p>")[0]
    assert recorded.startswith("lost · Minhang")
    assert "another district of Shanghai" in recorded and "土地指标不足" in recorded


def test_closing_without_the_form_token_is_refused(auth_client, screen_lead, db):
    lead_id, _ = screen_lead(auth_client)
    response = auth_client.post(f"/outcomes/lead/{lead_id}",
                                data={**FORM_EMPTY, "outcome": "landed", "district_code": "310115"})
    assert response.status_code in (400, 403)
    assert _outcome(db, lead_id) is None


def test_import_of_a_file_that_is_not_text_says_so_in_chinese(auth_client, csrf):
    zh = _upload(auth_client, csrf, b"PK\x03\x04\x00\x00\xff\xfe\x00binary").get_data(as_text=True)
    assert "第 1 行，文件：" in zh and "未导入任何内容" in zh


def test_import_matches_a_credit_code_whatever_its_case(auth_client, csrf, screen_lead, db):
    lead_id = _lead_with_code(auth_client, screen_lead, "91310115ma1k4abc1x", "小写公司")
    text = "统一社会信用代码,区,园区\n91310115MA1K4ABC1X,310115,\n"
    assert _upload(auth_client, csrf, text.encode("utf-8")).status_code == 302
    assert _outcome(db, lead_id).district_code == "310115"
