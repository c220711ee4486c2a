"""The plan library: reader pages with anchors and highlighted clauses, citation links, API."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from taxonomy import get_taxonomy
from web.services.plans import locate, plan_document, section_gloss_en

CITE_RE = re.compile(r'<a class="cite" href="([^"]+)"')


def text(response) -> str:
    return response.get_data(as_text=True)


def _cite_links(body: str) -> list[str]:
    return [html.unescape(h) for h in CITE_RE.findall(body)]


def test_every_taxonomy_citation_resolves_to_its_clause():
    tx = get_taxonomy()
    items = [*tx.industries, *tx.zones, *tx.districts, *tx.relations, *tx.policies]
    checked = 0
    for item in items:
        for s in item.sources:
            doc = plan_document(s.plan)
            cited, hit = locate(doc, s.section, s.evidence)
            assert cited is not None, s
            assert hit and doc.text[hit[0]:hit[1]] == s.evidence, s
            assert cited.start <= hit[0] < cited.end, s
            checked += 1
    assert checked > 1000


def test_section_tree_paths_match_the_citation_format():
    doc = plan_document("sh-future-industries")
    paths = [s.path for s in doc.sections]
    assert "一、" in paths and "一、(一)" in paths and "二、(一)1" in paths
    item = doc.by_anchor("s-c2-s1-i1")
    assert item.path == "二、(一)1" and item.title.startswith("脑机接口")
    assert doc.text[item.start:item.end].startswith("1.脑机接口")
    assert section_gloss_en("三、(一)1") == "chapter 3, section 1, item 1"
    assert section_gloss_en("序") == "preamble"
    assert section_gloss_en("十二、(1)") == "chapter 12, item 1"


def test_plan_library_lists_every_plan_publicly(client):
    body = text(client.get("/plans/"))
    for plan in get_taxonomy().plans:
        assert f'href="/plans/{plan.id}"' in body
        assert html.escape(plan.title_zh, quote=False) in body
    en = text(client.get("/plans/?lang=en"))
    assert "Plan library" in en and "Issuer" in en


def test_reader_shows_metadata_and_headings_as_anchors(client):
    r = client.get("/plans/sh-advanced-manufacturing-14fyp")
    assert r.status_code == 200
    body = text(r)
    assert "沪府办发〔2021〕12号" in body and "上海市人民政府办公厅" in body
    assert "2021-07-05" in body and "规划期已结束" in body  # horizon 2025, past
    doc = plan_document("sh-advanced-manufacturing-14fyp")
    for s in doc.headings:
        assert f'id="{s.anchor}"' in body
    assert "<mark" not in body
    en = text(client.get("/plans/sh-advanced-manufacturing-14fyp?lang=en"))
    for label in ("Issuer", "Document number", "Horizon", "Status", "horizon ended"):
        assert label in en
    draft = text(client.get("/plans/lingang-power-city?lang=en"))
    assert "draft for comment" in draft and "not stated" in draft


def test_reader_highlights_the_cited_phrase_inside_its_section(client):
    r = client.get("/plans/sh-future-industries", query_string={
        "section": "二、(一)1", "q": "非侵入式脑机接口"})
    body = text(r)
    assert body.count("<mark") == 1
    mark = re.search(r'<p id="s-c2-s1-i1"[^>]*>(.*?)</p>', body, re.S).group(1)
    assert '<mark id="cited" data-testid="cited">非侵入式脑机接口</mark>' in mark
    assert "二、(一)1" in body  # the cited section named in the box


def test_reader_says_so_when_a_citation_is_not_in_the_text(client):
    body = text(client.get("/plans/sh-future-industries",
                           query_string={"section": "二、(一)1", "q": "不存在的短语"}))
    assert "<mark" not in body
    assert '<span id="cited"></span>' in body  # still scrolls to the section
    assert "未找到引用的原文" in body
    gone = text(client.get("/plans/sh-future-industries",
                           query_string={"section": "九十、", "q": "不存在的短语"}))
    assert 'data-testid="cite-missing"' in gone


def test_unknown_plan_is_404(client):
    assert client.get("/plans/no-such-plan").status_code == 404
    r = client.get("/api/v1/plans/no-such-plan")
    assert r.status_code == 404 and "no-such-plan" in r.get_json()["message"]


def _assess(client, description: str, lang: str = "zh") -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', text(client.get("/assess"))).group(1)
    r = client.post(f"/assess?lang={lang}", data={"csrf_token": token, "description": description,
                                                  "project_type": "manufacturing"})
    assert r.status_code == 200
    return text(r)


def test_every_citation_on_a_match_links_to_its_highlighted_clause(client, samples):
    body = _assess(client, samples.ev_zh)
    links = _cite_links(body)
    assert len(links) >= 10
    for link in links[:25]:
        parts = urlsplit(link)
        assert parts.fragment == "cited"
        query = parse_qs(parts.query)
        page = text(client.get(f"{parts.path}?{parts.query}"))
        assert f'<mark id="cited" data-testid="cited">{html.escape(query["q"][0], quote=False)}' \
            in page, link


def test_english_citations_carry_an_english_gloss_beside_the_chinese_quote(client, samples):
    body = _assess(client, samples.ev_zh, lang="en")
    glosses = re.findall(r'data-testid="cite-gloss">([^<]+)<', body)
    assert glosses
    assert all(re.search(r", (chapter|preamble)", g) for g in glosses)
    assert any(g.startswith("Shanghai Advanced Manufacturing Development Plan") for g in glosses)
    assert "<q lang=\"zh-CN\">" in body
    zh = _assess(client, samples.ev_zh)
    assert 'data-testid="cite-gloss"' not in zh
    assert "上海市先进制造业发展“十四五”规划" in zh


@pytest.mark.parametrize("path", ["/taxonomy/industries/ic", "/taxonomy/districts/310115",
                                  "/taxonomy/zones/lingang", "/taxonomy/policies"])
def test_taxonomy_browser_citations_link_to_the_reader(auth_client, path):
    links = _cite_links(text(auth_client.get(path)))
    assert links and all(urlsplit(u).path.startswith("/plans/") for u in links)


def test_lead_page_citations_link_to_the_reader(auth_client, screen_lead, samples):
    lead_id, _page = screen_lead(auth_client, name="电池示例", description=samples.ev_zh)
    links = _cite_links(text(auth_client.get(f"/leads/{lead_id}")))
    assert links and all(u.endswith("#cited") for u in links)


def test_api_lists_plans_and_serves_one_with_sections_and_text(client):
    listed = client.get("/api/v1/plans").get_json()
    ids = [p["id"] for p in listed["items"]]
    assert ids == [p.id for p in get_taxonomy().plans]
    lingang = next(p for p in listed["items"] if p["id"] == "lingang-power-city")
    assert lingang["draft"] is True and lingang["status"] == "draft"
    assert lingang["url"] == "/plans/lingang-power-city"
    one = client.get("/api/v1/plans/sh-future-industries").get_json()
    doc = plan_document("sh-future-industries")
    assert one["text"] == doc.text
    assert [s["path"] for s in one["sections"]] == [s.path for s in doc.children(None)]
    child = one["sections"][1]["children"][0]
    assert child["path"] == "二、(一)" and doc.text[child["start"]:].startswith("(一)打造未来健康")


def test_openapi_documents_the_plan_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/plans" in spec["paths"] and "/api/v1/plans/{plan_id}" in spec["paths"]
    detail = spec["components"]["schemas"]["PlanDetailOut"]["properties"]
    assert {"sections", "text", "superseded_by", "expired"} <= set(detail)
