"""Import scored rows into the lead pipeline, deduplicated: exact credit code (never imported),
similar names (shown for confirmation), duplicates within the list itself."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from web.models import Lead
from web.services import dedup

EXISTING = ("上海示例已有线索有限公司", "上海示例智能装备有限公司")


@pytest.fixture
def pipeline(app, data):
    """Two leads already in the pipeline: one with the credit code of dedup.csv's first company
    (row 2 of the file), one whose name is close to the second's (row 3)."""
    import csv

    from web.db import session_scope
    from web.services.leads import create_lead

    with (data / "dedup.csv").open(encoding="utf-8") as fh:
        codes = [r["统一社会信用代码"] for r in csv.DictReader(fh)]
    with session_scope(app.extensions["db_engine"]) as session:
        for name, code in zip(EXISTING, (codes[0], "91310117MA1DUP0099"), strict=True):
            create_lead(session=session, data={"name": name, "credit_code": code,
                                               "description": "集成电路设计；智能装备制造"})


@pytest.fixture
def scored_dedup(auth_client, upload, start, run_jobs, data):
    job_id, page = upload(auth_client, data / "dedup.csv")
    assert start(auth_client, job_id, page).status_code == 302
    run_jobs()
    return job_id


def _cell(page: str, row: int) -> str:
    found = re.search(rf'data-testid="dup-{row}">(.*?)</td>', page, re.S)
    assert found, row
    return found.group(1)


def test_import_page_shows_each_kind_of_duplicate(auth_client, pipeline, scored_dedup):
    page = auth_client.get(f"/batch/{scored_dedup}/import").get_data(as_text=True)
    # rows are the file's own: the header is row 1, dedup.csv's first company row 2
    # row 2: its credit code is already in the pipeline: no checkbox at all
    assert 'data-kind="code"' in _cell(page, 2) and 'data-testid="pick-2"' not in page
    # row 3: a similar name to an existing lead: offered, unticked, for confirmation
    assert 'data-kind="fuzzy"' in _cell(page, 3)
    assert re.search(r'value="3"\s+data-testid="pick-3"', page)
    # row 4: new: ticked
    assert _cell(page, 4).strip() == "" and re.search(r'value="4" checked\s*data-testid="pick-4"', page)
    # row 5: same credit code as row 4 within the list: not importable
    assert 'data-kind="list-code"' in _cell(page, 5) and 'data-testid="pick-5"' not in page
    # row 6: a near-duplicate name of row 4 (示例生物医药科技（上海）有限公司): confirm
    assert 'data-kind="list-fuzzy"' in _cell(page, 6)
    assert re.search(r'value="6"\s+data-testid="pick-6"', page)
    # row 7: new, without a credit code: ticked
    assert re.search(r'value="7" checked\s*data-testid="pick-7"', page)


def test_import_creates_leads_and_refuses_exact_duplicates(app, auth_client, pipeline,
                                                            scored_dedup, csrf, db):
    token = csrf(auth_client, f"/batch/{scored_dedup}/import")
    # the user ticks the defaults plus the confirmed fuzzy row 6, and forges rows 2 and 5
    response = auth_client.post(f"/batch/{scored_dedup}/import",
                                data={"csrf_token": token, "row": ["2", "4", "5", "6", "7"]})
    assert response.status_code == 303  # POST-redirect-GET: a reload imports nothing again
    page = auth_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="import-outcome"' in page
    with db() as s:
        leads = s.exec(select(Lead).order_by(Lead.id)).all()
    names = [lead.name for lead in leads]
    assert names.count("上海示例生物医药科技有限公司") == 1  # row 5 (same code) refused
    assert "示例生物医药科技（上海）有限公司" in names          # confirmed fuzzy match
    assert "上海示例动力电池有限公司" in names
    assert "示例更名后公司" not in names                        # code already in the pipeline
    assert len(leads) == 2 + 3
    new = next(lead for lead in leads if lead.name == "上海示例动力电池有限公司")
    assert new.source == "import" and new.top_industry_id and new.taxonomy_version
    assert new.owner_id is not None

    # importing again: everything with a code is now a duplicate of the pipeline
    page = auth_client.get(f"/batch/{scored_dedup}/import").get_data(as_text=True)
    assert 'data-testid="pick-4"' not in page and 'data-testid="pick-6"' not in page
    assert 'data-kind="fuzzy"' in _cell(page, 7)  # no code: found by its name


def test_import_needs_a_finished_job(auth_client, upload, data, csrf):
    job_id, _page = upload(auth_client, data / "dedup.csv")
    response = auth_client.get(f"/batch/{job_id}/import")
    assert response.status_code == 302


def test_name_normalisation():
    n = dedup.normalise_name
    assert n("上海示例生物医药科技有限公司") == n("示例生物医药科技（上海）有限公司") == "示例生物医药"
    assert n("Example Robotics (Shanghai) Co., Ltd.") == n("EXAMPLE ROBOTICS CO LTD") == "examplerobotics"
    assert n("上海示例芯微电子有限公司") != n("上海示例芯片电子有限公司")
    assert dedup.normalise_code(" 91310115-ma1qbwwe8m ") == "91310115MA1QBWWE8M"
