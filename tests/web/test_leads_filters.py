"""The pipeline's filter form as a browser submits it (every field, the empty ones as ""),
invalid filters named in both languages, literal search and filtered exports (issue 10, 1 and 18)."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

NAMES = ("晶圆示例公司", "Example Biologics Ltd", "电池示例公司", "百分之百_公司")

# what the form sends when only the search box is filled (every other field empty)
EMPTY_FORM = {"q": "", "status": "", "sector": "", "district": "", "owner": "", "source": "",
              "sort": "updated"}


def _listed(client, params) -> set[str]:
    body = client.get("/leads/", query_string=params).get_data(as_text=True)
    table = re.search(r'data-testid="lead-table">(.*?)</table>', body, re.S).group(1)
    return {name for name in NAMES if name in table}


@pytest.fixture
def four(auth_client, screen_lead, samples):
    ids = {}
    ids["chip"], _ = screen_lead(auth_client, name=NAMES[0], description=samples.chip_zh)
    ids["bio"], _ = screen_lead(auth_client, name=NAMES[1], description=samples.bio_en)
    ids["ev"], _ = screen_lead(auth_client, name=NAMES[2], description=samples.ev_zh)
    ids["pct"], _ = screen_lead(auth_client, name=NAMES[3],
                                description="生产100%可降解塑料包装材料的工厂")
    return ids


def test_empty_fields_are_no_filter(auth_client, four):
    assert _listed(auth_client, EMPTY_FORM) == set(NAMES)
    assert _listed(auth_client, {**EMPTY_FORM, "q": "晶圆示例"}) == {"晶圆示例公司"}
    assert _listed(auth_client, {**EMPTY_FORM, "q": "bispecific", "sort": "name"}) == \
        {"Example Biologics Ltd"}


def test_the_search_box_keeps_its_value(auth_client, four):
    body = auth_client.get("/leads/", query_string={**EMPTY_FORM, "q": "晶圆示例"}).get_data(as_text=True)
    assert re.search(r'<input name="q" value="晶圆示例"', body)


def test_status_and_sort_from_the_form(auth_client, four, csrf):
    token = csrf(auth_client, f"/leads/{four['bio']}")
    auth_client.post(f"/leads/{four['bio']}/update", data={"csrf_token": token, "status": "contacted",
                                                            "owner_id": "", "next_follow_up": ""})
    assert _listed(auth_client, {**EMPTY_FORM, "status": "contacted"}) == {"Example Biologics Ltd"}
    assert _listed(auth_client, {**EMPTY_FORM, "status": "new"}) == set(NAMES) - {"Example Biologics Ltd"}


@pytest.mark.parametrize(("params", "zh", "en"), [
    ({"status": "bogus"}, "状态须为以下之一", "Status must be one of"),
    ({"page": "-3"}, "页码须在 1 到 100000 之间", "Page must be between 1 and 100000"),
    ({"district": "310199"}, "没有这个区：310199", "There is no district “310199”"),
    ({"sector": "no-such-sector"}, "没有这个产业门类", "There is no sector"),
    ({"owner": "999"}, "没有这个负责人", "There is no owner"),
])
def test_an_invalid_filter_is_named_never_ignored(auth_client, four, params, zh, en):
    for lang, message in (("zh", zh), ("en", en)):
        r = auth_client.get("/leads/", query_string={**EMPTY_FORM, **params, "q": "晶圆", "lang": lang})
        assert r.status_code == 400
        body = r.get_data(as_text=True)
        alert = re.search(r'data-testid="filter-errors">(.*?)</div>', body, re.S).group(1)
        assert message in alert
        assert _names_in(body) == set()  # nothing listed as if unfiltered
        assert re.search(r'<input name="q" value="晶圆"', body)
        r = auth_client.get("/leads/export.csv", query_string={**EMPTY_FORM, **params, "lang": lang})
        assert r.status_code == 400 and message in r.get_data(as_text=True)


def _names_in(body: str) -> set[str]:
    table = re.search(r'data-testid="lead-table">(.*?)</table>', body, re.S).group(1)
    return {name for name in NAMES if name in table}


@pytest.mark.parametrize(("q", "expected"), [
    ("%", {"百分之百_公司"}), ("_", {"百分之百_公司"}), ("100%", {"百分之百_公司"}),
    ("百分之百_", {"百分之百_公司"}), ("\\", set()),
])
def test_like_wildcards_are_searched_literally(auth_client, four, q, expected):
    assert _listed(auth_client, {**EMPTY_FORM, "q": q}) == expected


def test_export_links_carry_the_filter_and_export_only_it(auth_client, four):
    body = auth_client.get("/leads/", query_string={**EMPTY_FORM, "q": "晶圆示例"}).get_data(as_text=True)
    links = {m.group(1): m.group(2).replace("&amp;", "&") for m in
             re.finditer(r'href="([^"]*export\.(csv|xlsx)[^"]*)"', body)}
    csv_link = next(link for link in links if ".csv" in link).replace("&amp;", "&")
    xlsx_link = next(link for link in links if ".xlsx" in link).replace("&amp;", "&")
    assert "q=" in csv_link and "status=" not in csv_link  # no empty arguments carried along
    rows = list(csv.reader(io.StringIO(auth_client.get(csv_link).data.decode("utf-8-sig"))))
    assert len(rows) == 2 and "晶圆示例公司" in rows[1]
    ws = openpyxl.load_workbook(io.BytesIO(auth_client.get(xlsx_link).data)).active
    names = [c.value for row in ws.iter_rows(min_row=2) for c in row]
    assert "晶圆示例公司" in names and "电池示例公司" not in names
    # the whole form, empty fields included, exports the same
    rows = list(csv.reader(io.StringIO(auth_client.get(
        "/leads/export.csv", query_string={**EMPTY_FORM, "q": "晶圆示例"}).data.decode("utf-8-sig"))))
    assert len(rows) == 2


def test_api_list_takes_empty_arguments(auth_client, four, bearer, client):
    r = client.get("/api/v1/leads", query_string={**EMPTY_FORM, "q": "晶圆示例"}, headers=bearer)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert [i["name"] for i in r.get_json()["items"]] == ["晶圆示例公司"]
