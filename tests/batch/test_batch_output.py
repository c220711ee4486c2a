"""Result downloads are safe to open in a spreadsheet: no cell starts a formula (CSV injection),
the XLSX holds text cells only where text was given, and the error file is escaped too."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")


@pytest.fixture
def injection_job(auth_client, upload, start, run_jobs, data):
    job_id, page = upload(auth_client, data / "injection.csv")
    assert start(auth_client, job_id, page).status_code == 302
    run_jobs()
    return job_id


def test_csv_download_is_formula_safe(auth_client, injection_job, fetch):
    status, body, headers = fetch(auth_client, f"/batch/{injection_job}/download/csv")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    assert headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    names = [r["name"] for r in rows]
    assert names[:3] == ["'=CMD|' /C calc'!A0", "'+SUM(1,2)", "'-2+3"]
    assert names[3] == "'@示例公司" and names[4] == "示例制表符公司"  # the name is trimmed
    for row in rows:
        for value in row.values():
            assert not value.startswith(DANGEROUS), value


def test_xlsx_download_has_no_formulas(auth_client, injection_job, fetch):
    status, body, headers = fetch(auth_client, f"/batch/{injection_job}/download/xlsx")
    assert status == 200
    assert headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(body)).active
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str) and cell.value.startswith(DANGEROUS):
                assert cell.data_type == "s" and cell.quotePrefix, cell.value  # text, kept text
    header = [c.value for c in ws[1]]
    name = ws.cell(row=2, column=header.index("name") + 1)
    assert name.value == "=CMD|' /C calc'!A0" and name.quotePrefix  # no apostrophe in XLSX


def test_error_file_is_escaped_and_names_the_field(auth_client, injection_job, fetch):
    status, body, _headers = fetch(auth_client, f"/batch/{injection_job}/download/errors")
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["row"] for r in rows] == ["5"]  # the row without a description (file row 5)
    assert rows[0]["name"] == "'@示例公司" and rows[0]["field"] == "description"


def test_jsonl_download_is_the_full_record(auth_client, injection_job, fetch):
    import json

    status, body, headers = fetch(auth_client, f"/batch/{injection_job}/download/jsonl")
    assert status == 200 and "ndjson" in headers["Content-Type"]
    records = [json.loads(line) for line in body.decode().splitlines()]
    assert [r["row"] for r in records] == [2, 3, 4, 5, 6]
    assert records[0]["name"] == "=CMD|' /C calc'!A0"  # JSON keeps the data as it was
    assert {"industries", "districts", "parks", "policies", "confidence"} <= set(records[0])


def test_seed_xlsx_with_a_formula_probe_round_trips_as_text(auth_client, upload, start, run_jobs,
                                                            fetch):
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    job_id, page = upload(auth_client, seeds / "lead_list.xlsx")
    start(auth_client, job_id, page)
    run_jobs()
    ws = load_workbook(io.BytesIO(fetch(auth_client, f"/batch/{job_id}/download/xlsx")[1])).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    probe = [c for c in cells if c.value == "=HYPERLINK(\"http://x\",\"点我\")"]
    assert probe and all(c.data_type == "s" and c.quotePrefix for c in probe)  # name and input
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value.startswith("="))
