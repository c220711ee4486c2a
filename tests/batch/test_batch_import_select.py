"""Importing a scored lead list into the pipeline: the rows' contacts come along (and reach the
exports)."""

from __future__ import annotations

import csv
import io

from sqlmodel import select

from web.models import Lead


def test_import_carries_phone_email_and_legal_representative(auth_client, upload, start,
                                                              run_jobs, data, csrf, db):
    job_id, page = upload(auth_client, data / "qcc_title_utf8bom.csv")
    assert start(auth_client, job_id, page).status_code == 302
    run_jobs()
    token = csrf(auth_client, f"/batch/{job_id}/import")
    response = auth_client.post(f"/batch/{job_id}/import",
                                data={"csrf_token": token, "row": ["3", "4"]}, follow_redirects=True)
    assert response.status_code == 200
    with (data / "qcc_title_utf8bom.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))[1:]
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "电话" in header and "法定代表人" in header
    with db() as s:
        lead = s.exec(select(Lead).where(Lead.name == first["企业名称"])).one()
    assert lead.legal_representative == first["法定代表人"]
    assert lead.contact_phone == first["电话"]
    assert lead.contact_email == ("" if first["邮箱"] in ("", "-") else first["邮箱"])
    exported = auth_client.get("/leads/export.csv?lang=zh").data.decode("utf-8-sig")
    found = {r["企业名称"]: r for r in csv.DictReader(io.StringIO(exported))}
    assert found[first["企业名称"]]["法定代表人"] == first["法定代表人"]
    assert found[first["企业名称"]]["电话"] == first["电话"]


# ---- choosing rows across all pages ---------------------------------------------------------

import importlib.util  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_data", ROOT / "tests" / "batch" / "make_data.py")
make_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_data)
N_ROWS = 450  # three pages of 200
FIRST_ROW = 3  # the file's own numbering: title line, header row, then the companies


@pytest.fixture
def big_job(app, auth_client, upload, start, run_jobs, tmp_path):
    """A 企查查 export of 450 companies, scored; the pipeline already holds a lead with the very
    name of the list's first company and one with a similar name to its second."""
    from web.db import session_scope
    from web.services.leads import create_lead

    rows = make_data.qcc_rows(N_ROWS, first=100)
    path = tmp_path / "qcc-450.csv"
    path.write_bytes(make_data.qcc_csv(rows, "utf-8"))
    with session_scope(app.extensions["db_engine"]) as s:
        create_lead(session=s, data={"name": rows[0][0], "description": "集成电路设计"})
        create_lead(session=s, data={"name": rows[1][0].replace("有限公司", "股份有限公司"),
                                     "description": "医学研究和试验发展"})
    job_id, page = upload(auth_client, path)
    assert start(auth_client, job_id, page).status_code == 302
    run_jobs()
    return job_id, rows


def _flat(app, job_id) -> dict[int, dict]:
    from web.models import Job
    from web.services.jobs import job_folder, jobs_dir, read_flat

    with app.app_context():
        from web.db import get_session

        job = get_session().get(Job, job_id)
        return {f["row"]: f for f in read_flat(job_folder(jobs_dir(app.config), job))}


def _quantile(flat: dict, q: float) -> float:
    """A confidence of the list that a share `q` of its rows lie below (rounded down to 0.01)."""
    confs = sorted(f["confidence"] for f in flat.values() if f.get("confidence") is not None)
    return int(confs[int(len(confs) * q)] * 100) / 100


def _count(page: str) -> tuple[int, int, int]:
    text = re.sub(r"<[^>]+>", "", re.search(r'data-testid="match-count">(.*?)</p>', page, re.S).group(1))
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    return tuple(numbers)  # (matching, total, importable) in English


def test_an_identical_name_is_identical_not_similar_100(auth_client, big_job):
    job_id, _rows = big_job
    page = auth_client.get(f"/batch/{job_id}/import?lang=en").get_data(as_text=True)
    first = re.search(rf'data-testid="dup-{FIRST_ROW}">(.*?)</td>', page, re.S).group(1)
    assert "identical name to a lead in the pipeline" in first and "(100)" not in first
    second = re.search(rf'data-testid="dup-{FIRST_ROW + 1}">(.*?)</td>', page, re.S).group(1)
    assert re.search(r"similar to a lead in the pipeline \(\d+\)", second)
    zh = auth_client.get(f"/batch/{job_id}/import?lang=zh").get_data(as_text=True)
    assert "与线索库中的线索名称相同" in re.search(
        rf'data-testid="dup-{FIRST_ROW}">(.*?)</td>', zh, re.S).group(1)


def test_filters_apply_to_every_page(app, auth_client, big_job):
    job_id, _rows = big_job
    flat = _flat(app, job_id)
    assert len(flat) == N_ROWS
    page = auth_client.get(f"/batch/{job_id}/import?lang=en").get_data(as_text=True)
    assert _count(page)[:2] == (N_ROWS, N_ROWS)
    assert page.count('data-testid="pick-') <= 200 and 'data-testid="next-page"' in page

    x = _quantile(flat, 0.5)
    want = {r for r, f in flat.items() if f.get("confidence") not in (None, "") and f["confidence"] >= x}
    assert 0 < len(want) < N_ROWS
    page = auth_client.get(f"/batch/{job_id}/import?lang=en&min_confidence={x}").get_data(as_text=True)
    assert _count(page)[0] == len(want)

    pudong = {r for r, f in flat.items() if f.get("district_1_code") == "310115"}
    page = auth_client.get(f"/batch/{job_id}/import?lang=en&district=310115").get_data(as_text=True)
    assert _count(page)[0] == len(pudong) > 0
    shown = {int(n) for n in re.findall(r'<tr data-row="(\d+)"', page)}
    assert shown <= pudong

    from taxonomy import get_taxonomy

    tx = get_taxonomy()
    sector = tx.sector_of(flat[FIRST_ROW]["industry_1_id"])
    in_sector = {r for r, f in flat.items() if f.get("industry_1_id")
                 and tx.sector_of(f["industry_1_id"]) == sector}
    page = auth_client.get(f"/batch/{job_id}/import?lang=en&industry={sector}").get_data(as_text=True)
    assert _count(page)[0] == len(in_sector) > 0

    page = auth_client.get(f"/batch/{job_id}/import?lang=en&not_duplicate=1").get_data(as_text=True)
    assert f'<tr data-row="{FIRST_ROW}"' not in page and f'<tr data-row="{FIRST_ROW + 1}"' not in page
    assert _count(page)[0] == N_ROWS - 2


def test_an_invalid_filter_is_named_not_ignored(auth_client, big_job):
    job_id, _rows = big_job
    r = auth_client.get(f"/batch/{job_id}/import?lang=zh&min_confidence=7&district=310115")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "置信度" in re.search(r'data-testid="filter-error">([^<]+)<', page).group(1)


def test_select_all_imports_every_matching_row_on_every_page(app, auth_client, big_job, csrf, db):
    from web.models import Lead

    job_id, _rows = big_job
    flat = _flat(app, job_id)
    x = _quantile(flat, 0.25)
    want = {r for r, f in flat.items() if not f.get("error") and f.get("confidence") is not None
            and f["confidence"] >= x} - {FIRST_ROW, FIRST_ROW + 1}  # possible duplicates out
    assert len(want) > 200  # more than a page
    token = csrf(auth_client, f"/batch/{job_id}/import")
    r = auth_client.post(f"/batch/{job_id}/import?lang=en", data={
        "csrf_token": token, "min_confidence": str(x), "industry": "", "district": "",
        "not_duplicate": "1", "all": "1", "row": [str(FIRST_ROW + 5)]})  # one ticked on page 1
    assert r.status_code == 303 and "not_duplicate=1" in r.headers["Location"]
    page = auth_client.get(r.headers["Location"]).get_data(as_text=True)
    assert f"{len(want)} leads imported" in page and 'data-testid="import-outcome"' in page
    again = auth_client.get(r.headers["Location"]).get_data(as_text=True)  # a reload
    assert 'data-testid="import-outcome"' not in again
    with db() as s:
        imported = s.exec(select(Lead).where(Lead.source == "import")).all()
    names = {flat[r]["name"] for r in want}
    assert {lead.name for lead in imported} == names
    # the rows not matching were left alone
    assert len(imported) == len(want) < N_ROWS
