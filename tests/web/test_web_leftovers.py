"""Every page rendered in Chinese and in English: no Chinese left in the English interface, no
English left in the Chinese one.

Text inside an element marked with a `lang` attribute (quoted plan text, a name in the other
language) or `translate="no"` (what a user typed: company names, usernames, notes) is data and
is not checked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.web.conftest import BIO_EN, CHIP_ZH

CJK = re.compile(r"[\u3400-\u9fff]")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
# Latin words that are Chinese text too: formats, protocols, standards, units
LATIN_OK = {"CSV", "Excel", "XLSX", "JSONL", "JSON", "API", "URL", "UTC", "HTTPS", "PDF", "GB",
            "Bearer", "Authorization", "CNY", "USD", "EUR", "IGBT", "SiC", "MOSFET", "CDMO",
            "OpenAPI", "ECharts"}
SKIP_TAGS = {"script", "style", "code", "pre", "kbd", "title", "textarea"}
QUOTED = re.compile(r"'[^']*'|“[^”]*”|\([^)]*[\u3400-\u9fff][^)]*\)|（[^）]*）")


class Texts(HTMLParser):
    """The visible text nodes of a page's body that are interface text (not marked data)."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col"})

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: is its content data/skipped?
        self.texts: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        marked = "lang" in attrs and tag != "html"
        skip = (tag in SKIP_TAGS or marked or attrs.get("translate") == "no"
                or (self.stack and self.stack[-1]))
        self.stack.append(bool(skip))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.in_body and not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(" ".join(data.split()))


def _plans_own_names() -> set[str]:
    """Names the plans themselves write in Latin letters (e.g. the node "AI for Science")."""
    from taxonomy import get_taxonomy

    tx = get_taxonomy()
    return {x.name_zh for x in (*tx.industries, *tx.zones, *tx.districts)
            if not CJK.search(x.name_zh)}


def leftovers(page: str, lang: str) -> list[str]:
    """Texts in the other language; quoted input ('...') and quoted plan terms are data."""
    parser = Texts()
    parser.feed(page)
    texts = [QUOTED.sub("", t) for t in parser.texts]
    if lang == "en":
        return [t for t in texts if CJK.search(t)]
    own = _plans_own_names()
    return [t for t in texts if not CJK.search(t) and t.strip() not in own
            and any(w not in LATIN_OK for w in WORD.findall(t))]


@pytest.fixture
def pages(app, client, admin, login, csrf, token_for):
    """(name, how to get it) for every page a company or an officer sees."""
    assert login(client, admin.username, admin.password).status_code == 302
    bearer = {"Authorization": f"Bearer {token_for(admin)}"}
    lead = client.post("/api/v1/leads", headers=bearer,
                       json={"name": "上海甲芯科技有限公司", "description": CHIP_ZH,
                             "investment": "5亿元", "land": "80亩"}).get_json()
    client.patch(f"/api/v1/leads/{lead['id']}", headers=bearer, json={"status": "contacted"})
    client.post(f"/api/v1/leads/{lead['id']}/notes", headers=bearer, json={"body": "已约见"})
    client.post("/api/v1/leads", headers=bearer, json={"name": "Helix Bio", "description": BIO_EN})
    from taxonomy import get_taxonomy

    tx = get_taxonomy()
    zone = next(z for z in tx.zones if z.parent and z.district_codes)

    def post(url, **data):
        def _get(lang):
            token = csrf(client, f"{url}?lang={lang}")
            return client.post(url, data={"csrf_token": token, **data})
        return _get

    def get(url):
        return lambda lang: client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")

    return {
        "home": get("/"), "assess": get("/assess"),
        "assess result": post("/assess", name="Helix", description=BIO_EN, investment="EUR 40m",
                              land="60 mu", origin="foreign", project_type="", employees="",
                              preferred_districts="张江, 火星区"),
        "assess errors": post("/assess", description=" ", name=""),
        "thanks": get("/assess/thanks/7"),
        "not found": get("/no/such/page"),
        "taxonomy": get("/taxonomy/"), "district": get("/taxonomy/districts/310115"),
        "industry": get(f"/taxonomy/industries/{tx.industries[0].id}"),
        "zone": get(f"/taxonomy/zones/{zone.id}"), "policies": get("/taxonomy/policies"),
        "plans": get("/taxonomy/plans"),
        "pipeline": get("/leads/"), "lead": get(f"/leads/{lead['id']}"),
        "screen result": post("/leads/screen", description=CHIP_ZH, name="", credit_code=""),
        "tokens": get("/account/tokens"), "users": get("/account/users"),
        "audit": get("/account/audit"),
    }


PAGES = ["home", "assess", "assess result", "assess errors", "thanks", "not found", "taxonomy",
         "district", "industry", "zone", "policies", "plans", "pipeline", "lead",
         "screen result", "tokens", "users", "audit"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_no_text_in_the_other_language(pages, name, lang):
    response = pages[name](lang)
    assert response.status_code in (200, 404, 422), (name, response.status_code)
    page = response.get_data(as_text=True)
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    found = leftovers(page, lang)
    assert not found, f"{name} ({lang}): {found[:15]}"


@pytest.fixture(scope="module")
def curated_library(tmp_path_factory):
    """A copy of the taxonomy with a small plan imported (a draft to review, two versions to
    compare), as TAXONOMY_DIR for the module."""
    import shutil

    from taxonomy import DATA_DIR
    from taxonomy.importer import import_plan
    from tests.web.test_web_plan_admin import SMALL_PLAN, SMALL_TEXT

    folder = tmp_path_factory.mktemp("curated") / "taxonomy"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("versions", "drafts"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TAXONOMY_DIR", str(folder))
        from taxonomy import get_taxonomy

        first = get_taxonomy().version
        import_plan(source=SMALL_TEXT.encode("utf-8"), filename="small.txt",
                    plan_id=SMALL_PLAN, title_zh="上海市测试产业发展行动方案",
                    title_en="Shanghai test industry plan", issuer="上海市人民政府",
                    date="2026-05-01", horizon="2026-2030", who="admin")
        yield {"folder": folder, "plan": SMALL_PLAN, "first": first,
               "second": get_taxonomy().version}


@pytest.fixture
def curator_pages(curated_library, monkeypatch, client, admin, login):
    """(name, how to get it) for the plan library and the curator's pages."""
    monkeypatch.setenv("TAXONOMY_DIR", str(curated_library["folder"]))
    assert login(client, admin.username, admin.password).status_code == 302
    from taxonomy import get_taxonomy

    policy = next(p for p in get_taxonomy().policies if p.sources)
    source = policy.sources[0]
    small, first, second = (curated_library[k] for k in ("plan", "first", "second"))

    def get(url, **query):
        return lambda lang: client.get(url, query_string={**query, "lang": lang})

    return {
        "plan library": get("/plans/"),
        "plan reader": get(f"/plans/{source.plan}", section=source.section, q=source.evidence),
        "plan reader, phrase missing": get(f"/plans/{source.plan}", section=source.section,
                                           q="没有这句话"),
        "plan edit": get(f"/curate/plans/{source.plan}"),
        "drafts": get("/curate/drafts/"),
        "draft review": get(f"/curate/drafts/{small}"),
        "versions": get("/curate/versions"),
        "diff": get("/curate/diff", a=first, b=second),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_in_the_other_language_on_plan_and_curator_pages(curator_pages, lang):
    """Every plan and curator page in one test per language (one app, one sign-in); every
    page's leftovers are reported together."""
    problems = {}
    for name, fetch in curator_pages.items():
        response = fetch(lang)
        assert response.status_code == 200, (name, response.status_code)
        page = response.get_data(as_text=True)
        assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page, name
        found = leftovers(page, lang)
        if found:
            problems[name] = found[:15]
    assert not problems, f"({lang}): {problems}"
