"""The Chinese and the English result page say the same things: as many warnings, notes,
conditions to verify and reasons, in the page's own language."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

CJK = re.compile(r"[\u3400-\u9fff]")
PROFILES = [
    {"name": "", "description": "新能源汽车动力电池研发与生产，建设电池包和电驱动系统生产线",
     "preferred_districts": "临港, 火星区", "investment": "很多", "land": "3 parsecs"},
    {"name": "Helix Bio", "description": "We develop bispecific antibodies and plan a biologics "
     "CDMO plant with 2000 L single-use bioreactors.", "origin": "foreign",
     "investment": "USD 30m", "land": "50 mu", "employees": "50-100"},
    {"name": "", "description": "闵行 智能制造装备 工业机器人 生产", "project_type": "manufacturing"},
]


class Lists(HTMLParser):
    """The items of every list, in page order: [(list's class or test id, [item texts])]."""

    def __init__(self):
        super().__init__()
        self.lists: list[tuple[str, list[str]]] = []
        self.stack: list[int] = []
        self.item: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("ul", "ol"):
            self.lists.append((attrs.get("data-testid") or attrs.get("class") or "", []))
            self.stack.append(len(self.lists) - 1)
        elif tag == "li" and self.stack:
            self.item = []

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.stack:
            self.stack.pop()
        elif tag == "li" and self.stack and self.item is not None:
            self.lists[self.stack[-1]][1].append("".join(self.item).strip())
            self.item = None

    def handle_data(self, data):
        if self.item is not None:
            self.item.append(data)


def _lists(page: str, kinds=("warnings", "verify", "reasons")) -> list[tuple[str, list[str]]]:
    parser = Lists()
    parser.feed(page)
    return [(kind, items) for kind, items in parser.lists if kind in kinds]


def _assess(client, csrf, profile: dict, lang: str) -> str:
    token = csrf(client, f"/assess?lang={lang}")
    page = client.post("/assess", data={"csrf_token": token, **profile})
    assert page.status_code == 200
    return page.get_data(as_text=True)


@pytest.mark.parametrize("profile", PROFILES, ids=["ev-zh", "bio-en", "minhang-zh"])
def test_chinese_and_english_pages_list_the_same_items(client, csrf, profile):
    zh = _lists(_assess(client, csrf, profile, "zh"))
    en = _lists(_assess(client, csrf, profile, "en"))
    assert [(kind, len(items)) for kind, items in zh] == [(kind, len(items)) for kind, items in en]
    assert any(kind == "verify" for kind, _ in zh) and any(kind == "reasons" for kind, _ in zh)
    for (_kind, zh_items), (_k, en_items) in zip(zh, en, strict=True):
        for z, e in zip(zh_items, en_items, strict=True):
            assert CJK.search(z), f"Chinese page, English item: {z!r}"
            unquoted = re.sub(r"'[^']*'|\([^)]*\)", "", e)
            assert not CJK.search(unquoted), f"English page, Chinese item: {e!r}"


def test_the_english_page_warns_of_ended_plans_and_locations(client, csrf):
    page = _assess(client, csrf, PROFILES[2], "en")
    assert "the plan period ended in 2020: check that the measure still applies" in page
    assert "the project must be located in Minhang District" in page
    page = _assess(client, csrf, PROFILES[0], "en")
    assert "the plan is a draft for comment" in page
    assert "preferred district &#39;火星区&#39; not recognised" in page
    zh = _assess(client, csrf, PROFILES[0], "zh")
    assert "所依据的方案为征求意见稿" in zh and "意向区域“火星区”无法识别，已忽略" in zh


def test_a_record_stored_before_both_languages_still_renders(app, client, csrf):
    """Leads saved earlier keep their records: without `warnings_zh` or `verify` the page shows
    what the record has rather than nothing."""
    from flask import g, render_template

    from web.services.matching import match_profile

    record = match_profile(session=None, profile={"description": PROFILES[2]["description"],
                                                  "investment": "很多"})
    for key in ("warnings_zh",):
        record.pop(key)
    for policy in record["policies"]:
        policy.pop("verify"), policy.pop("verify_en")
    with app.test_request_context("/"):
        g.lang = "zh"
        page = render_template("_match.html", record=record)
    assert "investment &#39;很多&#39; has no number; ignored" in page
    assert "所依据的规划期至2020年已结束" in page
