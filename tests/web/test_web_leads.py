"""The officers' pipeline: screen, save, list and search, status, notes, re-score, export."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import unquote

import openpyxl
import pytest
from sqlmodel import select

from web.models import Lead, LeadEvent, LeadMatch, LeadNote


def text(response) -> str:
    return response.get_data(as_text=True)


def lead(db, lead_id: int) -> Lead:
    with db() as s:
        return s.get(Lead, lead_id)


def test_screen_page_renders(auth_client):
    body = text(auth_client.get("/leads/screen"))
    assert 'name="description"' in body and 'data-testid="screen-submit"' in body


def test_screen_shows_a_match_without_storing(auth_client, csrf, db, samples):
    token = csrf(auth_client, "/leads/screen")
    r = auth_client.post("/leads/screen", data={"csrf_token": token, "name": "示例芯科技",
                                                "description": samples.chip_zh})
    assert r.status_code == 200
    body = text(r)
    assert 'data-testid="industries"' in body and 'data-testid="save-lead"' in body
    assert 'name="profile_json"' in body
    with db() as s:
        assert s.exec(select(Lead)).all() == []


def test_screen_without_description_is_422(auth_client, csrf):
    token = csrf(auth_client, "/leads/screen")
    r = auth_client.post("/leads/screen", data={"csrf_token": token, "name": "x"})
    assert r.status_code == 422
    assert "description" in text(r)


def test_save_a_screened_lead_and_find_it_in_the_list(auth_client, screen_lead, db, officer,
                                                      samples):
    lead_id, _page = screen_lead(auth_client, name="上海示例芯科技有限公司",
                                 description=samples.chip_zh, project_type="manufacturing",
                                 investment="45亿元", note="首次接触")
    saved = lead(db, lead_id)
    assert saved.source == "officer"
    assert saved.owner_id == officer.id
    assert saved.status == "new"
    assert saved.top_industry_id and saved.top_district_code and 0 <= saved.confidence <= 1
    assert json.loads(saved.profile_json)["investment"] == "45亿元"
    with db() as s:
        assert len(s.exec(select(LeadMatch).where(LeadMatch.lead_id == lead_id)).all()) == 1
        assert [n.body for n in s.exec(select(LeadNote)).all()] == ["首次接触"]
    detail = text(auth_client.get(f"/leads/{lead_id}"))
    assert "上海示例芯科技有限公司" in detail and "首次接触" in detail
    assert 'data-testid="industries"' in detail
    listing = text(auth_client.get("/leads/"))
    assert "上海示例芯科技有限公司" in listing
    assert saved.top_industry_name in listing and saved.top_district_name in listing


def test_save_with_a_broken_profile_is_refused(auth_client, csrf, db):
    token = csrf(auth_client, "/leads/screen")
    r = auth_client.post("/leads/save", data={"csrf_token": token, "profile_json": "{not json"})
    assert r.status_code == 302 and r.headers["Location"] == "/leads/screen"
    r = auth_client.post("/leads/save", data={"csrf_token": token,
                                              "profile_json": json.dumps({"name": "x"})})
    assert r.status_code == 302 and r.headers["Location"] == "/leads/screen"
    with db() as s:
        assert s.exec(select(Lead)).all() == []


def _three_leads(auth_client, screen_lead, samples):
    chip, _ = screen_lead(auth_client, name="晶圆示例公司", description=samples.chip_zh)
    bio, _ = screen_lead(auth_client, name="Example Biologics Ltd", description=samples.bio_en)
    ev, _ = screen_lead(auth_client, name="电池示例公司", description=samples.ev_zh)
    return chip, bio, ev


def _listed(client, **params) -> set[str]:
    body = text(client.get("/leads/", query_string=params))
    table = re.search(r'data-testid="lead-table">(.*?)</table>', body, re.S).group(1)
    return {name for name in ("晶圆示例公司", "Example Biologics Ltd", "电池示例公司")
            if name in table}


def test_search_and_filters(auth_client, screen_lead, db, samples):
    chip, bio, _ev = _three_leads(auth_client, screen_lead, samples)
    assert _listed(auth_client) == {"晶圆示例公司", "Example Biologics Ltd", "电池示例公司"}
    # by name, by description text (case-insensitive), by top industry name
    assert _listed(auth_client, q="晶圆示例") == {"晶圆示例公司"}
    assert _listed(auth_client, q="BISPECIFIC") == {"Example Biologics Ltd"}
    assert _listed(auth_client, q="动力电池") == {"电池示例公司"}
    chip_lead, bio_lead = lead(db, chip), lead(db, bio)
    assert "晶圆示例公司" in _listed(auth_client, q=chip_lead.top_industry_name)
    # filters by industry, sector and district
    assert _listed(auth_client, industry=bio_lead.top_industry_id) == {"Example Biologics Ltd"}
    assert "Example Biologics Ltd" in _listed(auth_client, sector=bio_lead.top_sector_id)
    assert "晶圆示例公司" not in _listed(auth_client, sector=bio_lead.top_sector_id)
    in_district = _listed(auth_client, district=chip_lead.top_district_code)
    assert "晶圆示例公司" in in_district
    with db() as s:
        expected = {lead.name for lead in s.exec(select(Lead).where(
            Lead.top_district_code == chip_lead.top_district_code)).all()}
    assert in_district == expected
    assert _listed(auth_client, q="no-such-company-anywhere") == set()
    assert "没有符合条件的线索。" in text(auth_client.get("/leads/?q=no-such-company-anywhere"))
    # a bad filter value is named, never silently ignored (tests/web/test_leads_filters.py)
    assert auth_client.get("/leads/?status=bogus&page=-3").status_code == 400


def test_status_change_is_recorded_as_an_event(auth_client, screen_lead, csrf, db, officer):
    lead_id, _ = screen_lead(auth_client, name="状态示例")
    token = csrf(auth_client, f"/leads/{lead_id}")
    for status in ("contacted", "visit"):
        r = auth_client.post(f"/leads/{lead_id}/update",
                             data={"csrf_token": token, "status": status,
                                   "next_follow_up": "2030-01-15"})
        assert r.status_code == 302
    assert lead(db, lead_id).status == "visit"
    assert str(lead(db, lead_id).next_follow_up) == "2030-01-15"
    with db() as s:
        events = s.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id,
                                                LeadEvent.kind == "status")
                        .order_by(LeadEvent.id)).all()
    assert [e.detail for e in events] == ["new -> contacted", "contacted -> visit"]
    assert all(e.user_id == officer.id for e in events)
    detail = text(auth_client.get(f"/leads/{lead_id}"))
    assert "已拜访" in detail and "状态：已联系 → 已拜访" in detail  # the history in words
    assert "contacted -&gt; visit" not in detail
    assert "状态示例" in text(auth_client.get("/leads/?status=visit"))
    assert "状态示例" not in text(auth_client.get("/leads/?status=new"))


def test_invalid_status_is_refused(auth_client, screen_lead, csrf, db):
    lead_id, _ = screen_lead(auth_client, name="状态示例")
    token = csrf(auth_client, f"/leads/{lead_id}")
    r = auth_client.post(f"/leads/{lead_id}/update", data={"csrf_token": token,
                                                           "status": "married"})
    assert r.status_code == 302
    assert lead(db, lead_id).status == "new"
    assert "status" in text(auth_client.get(f"/leads/{lead_id}"))


def test_add_a_note(auth_client, screen_lead, csrf, db):
    lead_id, _ = screen_lead(auth_client, name="备注示例")
    token = csrf(auth_client, f"/leads/{lead_id}")
    r = auth_client.post(f"/leads/{lead_id}/notes",
                         data={"csrf_token": token, "body": "已约定下周三<b>实地考察</b>"})
    assert r.status_code == 302
    body = text(auth_client.get(f"/leads/{lead_id}"))
    assert "已约定下周三&lt;b&gt;实地考察&lt;/b&gt;" in body  # escaped, not markup
    # an empty note is refused
    auth_client.post(f"/leads/{lead_id}/notes", data={"csrf_token": token, "body": "   "})
    with db() as s:
        assert len(s.exec(select(LeadNote).where(LeadNote.lead_id == lead_id)).all()) == 1


def test_unknown_lead_page_is_404(auth_client):
    assert auth_client.get("/leads/9999").status_code == 404


@pytest.mark.parametrize("action", ["update", "notes", "rescore"])
def test_posting_to_an_unknown_lead_is_404(auth_client, csrf, action):
    token = csrf(auth_client, "/leads/")
    r = auth_client.post(f"/leads/9999/{action}", data={"csrf_token": token, "body": "x",
                                                        "status": "lost"})
    assert r.status_code == 404


def test_rescore_one_and_all(auth_client, screen_lead, csrf, db, samples):
    first, _ = screen_lead(auth_client, name="重评一", description=samples.chip_zh)
    second, _ = screen_lead(auth_client, name="重评二", description=samples.ev_zh)
    token = csrf(auth_client, f"/leads/{first}")
    r = auth_client.post(f"/leads/{first}/rescore", data={"csrf_token": token})
    assert r.status_code == 302
    assert "已重新评分。" in text(auth_client.get(f"/leads/{first}"))
    r = auth_client.post("/leads/rescore-all", data={"csrf_token": token})  # asks first
    assert r.status_code == 200 and 'data-testid="confirm-rescore-all"' in text(r)
    r = auth_client.post("/leads/rescore-all", data={"csrf_token": token, "confirm": "yes"})
    assert r.status_code == 303  # POST-redirect-GET
    body = text(auth_client.get(r.headers["Location"]))
    assert "已重新评分 2 条线索" in body
    assert re.search(r'data-testid="moved-count">0 条线索', body)
    with db() as s:
        triggers = sorted((m.lead_id, m.trigger) for m in s.exec(select(LeadMatch)).all())
    assert triggers == [(first, "created"), (first, "rescore"), (first, "rescore"),
                        (second, "created"), (second, "rescore")]


DANGEROUS = '=HYPERLINK("http://evil.example","点我")'


def test_export_csv(auth_client, screen_lead, samples):
    screen_lead(auth_client, name="导出示例公司", description=samples.chip_zh)
    screen_lead(auth_client, name=DANGEROUS, description=samples.ev_zh)
    r = auth_client.get("/leads/export.csv")
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    star = re.search(r"filename\*=UTF-8''([^;]+)", disposition).group(1)
    assert unquote(star).startswith("线索清单-") and unquote(star).endswith(".csv")
    assert r.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    header = rows[0]
    name_col = header.index("企业名称")
    names = {row[name_col] for row in rows[1:]}
    assert "导出示例公司" in names
    assert "'" + DANGEROUS in names
    assert DANGEROUS not in names
    assert len(rows) == 3


def test_export_respects_the_filters(auth_client, screen_lead, samples):
    screen_lead(auth_client, name="导出示例公司", description=samples.chip_zh)
    screen_lead(auth_client, name="另一家公司", description=samples.bio_en)
    rows = list(csv.reader(io.StringIO(
        auth_client.get("/leads/export.csv?q=导出示例").data.decode("utf-8-sig"))))
    assert len(rows) == 2 and "导出示例公司" in rows[1]


def test_export_xlsx(auth_client, screen_lead, samples):
    screen_lead(auth_client, name="导出示例公司", description=samples.chip_zh)
    screen_lead(auth_client, name=DANGEROUS, description=samples.ev_zh)
    r = auth_client.get("/leads/export.xlsx")
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''" in r.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    ws = wb.active
    header = [c.value for c in ws[1]]
    name_col = header.index("企业名称")
    cells = [row[name_col] for row in ws.iter_rows(min_row=2)]
    dangerous = [c for c in cells if "HYPERLINK" in str(c.value)]
    assert len(dangerous) == 1
    assert dangerous[0].data_type == "s"  # a string, not a formula ("f")
    assert dangerous[0].value == DANGEROUS and dangerous[0].quotePrefix  # text, no apostrophe
    assert "导出示例公司" in [c.value for c in cells]
    conf_col = header.index("置信度")
    assert all(isinstance(row[conf_col].value, float) for row in ws.iter_rows(min_row=2))


def test_export_unknown_format_is_404(auth_client):
    assert auth_client.get("/leads/export.pdf").status_code == 404


def test_pipeline_post_needs_csrf(auth_client, screen_lead, db):
    lead_id, _ = screen_lead(auth_client, name="跨站示例")
    assert auth_client.post(f"/leads/{lead_id}/update", data={"status": "lost"}).status_code == 400
    assert auth_client.post("/leads/rescore-all").status_code == 400
    assert lead(db, lead_id).status == "new"
