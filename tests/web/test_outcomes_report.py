"""The outcomes report on the web: figures from the matches the leads carried, the CSV, the
export `python -m matcher evaluate --outcomes` reads, and both languages."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.web.test_outcomes_recording import FORM_EMPTY
from tests.web.test_web_leftovers import leftovers


def _close(client, csrf, lead_id, **fields):
    token = csrf(client, f"/leads/{lead_id}")
    response = client.post(f"/outcomes/lead/{lead_id}", data={**FORM_EMPTY, **fields,
                                                               "csrf_token": token})
    assert response.status_code == 302
    client.get(response.headers["Location"])  # shows (and so clears) the flashed message


def _record(db, lead_id):
    from sqlmodel import select

    from web.models import LeadMatch

    with db() as s:
        return json.loads(s.exec(select(LeadMatch).where(LeadMatch.lead_id == lead_id)).one()
                          .result_json)


@pytest.fixture
def closed(auth_client, csrf, screen_lead, db, samples):
    """Three leads: landed in the match's first district and park; landed in a district the
    match did not list; lost to another city."""
    first, _ = screen_lead(auth_client, name="芯片厂", description=samples.chip_zh)
    rec = _record(db, first)
    _close(auth_client, csrf, first, outcome="landed", district_code=rec["districts"][0]["code"],
           zone_id=rec["parks"][0]["id"], closed_on="2026-10-01")
    second, _ = screen_lead(auth_client, name="电池厂", description=samples.ev_zh)
    listed = {d["code"] for d in _record(db, second)["districts"]}
    elsewhere = next(c for c in ("310151", "310109", "310105", "310106") if c not in listed)
    _close(auth_client, csrf, second, outcome="landed", district_code=elsewhere,
           closed_on="2026-11-01")
    third, _ = screen_lead(auth_client, name="药企", description=samples.bio_en)
    _close(auth_client, csrf, third, outcome="lost", lost_to="other_city", lost_city="苏州")
    return {"hit": first, "miss": second, "elsewhere": elsewhere, "lost": third}


def test_report_page_counts_hits_from_the_stored_matches(auth_client, closed):
    page = auth_client.get("/outcomes/?lang=en").get_data(as_text=True)
    total = page.split('data-testid="outcome-total"')[1].split("</table>")[0]
    # 2 landed leads: one first in its match, one not listed -> 50 % at 1, 3 and 5; park 1 of 1
    assert "<td>2</td><td>50%</td><td>50%</td><td>50%</td>" in total
    assert "<td>1</td><td>100%</td><td>100%</td><td>100%</td>" in total
    off = page.split('data-testid="outcome-off-plan"')[1].split("</table>")[0]
    assert "电池厂" in off and "芯片厂" not in off
    assert "another city (lost): 1" in page


def test_report_csv_and_the_export_give_the_same_figures(auth_client, closed):
    from matcher.outcomes import load_outcomes, report

    body = auth_client.get("/outcomes/report.csv?lang=zh").get_data(as_text=True)
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert table[0][:4] == ["分组", "组别", "线索数", "区在第 1 位"]
    assert table[1][:6] == ["all", "", "2", "0.500", "0.500", "0.500"]
    english = auth_client.get("/outcomes/report.csv?lang=en").get_data(as_text=True)
    assert english.lstrip("\ufeff").startswith("group,key,leads,district in top 1")
    assert any(r[:2] == ["off_plan", str(closed["miss"])] for r in table)
    export = auth_client.get("/outcomes/export.jsonl")
    assert export.status_code == 200
    items = [json.loads(line) for line in export.get_data(as_text=True).splitlines()]
    assert {i["lead_id"] for i in items} == {closed["hit"], closed["miss"], closed["lost"]}
    assert all(i["record"]["taxonomy_version"] for i in items)
    path = io.StringIO(export.get_data(as_text=True))
    rep = report([json.loads(line) for line in path])
    assert rep.total.rates()["district_top1"] == 0.5
    assert load_outcomes  # the CLI's reader is exercised in tests/matcher/test_outcomes_figures.py


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("url", ["/outcomes/", "/outcomes/import"])
def test_outcome_pages_in_one_language(auth_client, closed, url, lang):
    page = auth_client.get(f"{url}?lang={lang}").get_data(as_text=True)
    assert leftovers(page, lang) == []


def test_outcome_pages_need_an_officer(client):
    for url in ("/outcomes/", "/outcomes/report.csv", "/outcomes/export.jsonl", "/outcomes/import"):
        assert client.get(url).status_code in (302, 401), url


def test_fit_ranker_command_reads_the_recorded_outcomes(app, closed):
    result = app.test_cli_runner().invoke(args=["outcomes", "fit-ranker", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2 landed leads; not switched on" in result.output
    assert "fewer than the 100 needed" in result.output


def test_report_names_the_ranker_of_each_match(auth_client, closed):
    page = auth_client.get("/outcomes/?lang=en").get_data(as_text=True)
    table = page.split('data-testid="outcome-by-ranker"')[1].split("</table>")[0]
    assert "fixed weights <code>fixed</code></td>\n<td>2</td><td>50%</td>" in table


def test_report_says_which_ranker_ranks_now(auth_client, tmp_path, monkeypatch):
    import numpy as np

    from matcher import ranker as ranker_store
    from taxonomy import get_taxonomy

    monkeypatch.setattr(ranker_store, "DEFAULT_MODEL_DIR", tmp_path)
    page = auth_client.get("/outcomes/?lang=en").get_data(as_text=True)
    assert "ranked now by the fixed weights" in page
    n = len(ranker_store.DISTRICT_FEATURES)
    X, y = np.random.default_rng(0).random((6, n)), np.array([1, 0, 0, 1, 0, 0])
    est = ranker_store.CandidateRanker().fit(X, y, np.array([0, 0, 0, 1, 1, 1]))
    learned = ranker_store.LearnedRanker(get_taxonomy().version, est, None, evaluation={
        "n_test": 30, "split_date": "2026-06-01",
        "fixed": {"district_mrr": 0.5, "park_mrr": 0.3},
        "learned": {"district_mrr": 0.55, "park_mrr": 0.3}})
    ranker_store.save(learned, tmp_path)
    zh = auth_client.get("/outcomes/?lang=zh").get_data(as_text=True)
    assert "以 2026-06-01 起结案的 30 条线索检验：区的 MRR 固定权重为 0.500、学习后为 0.550" in zh
    assert learned.name in zh
