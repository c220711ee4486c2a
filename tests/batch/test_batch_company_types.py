"""A 2,000-row 企查查-style export (GBK, title line): its standard 企业类型 values and the '-' of
empty cells raise no problem; the check report lists only the rows that are really wrong
(an unreadable company type, a negative amount or headcount), by row and field, in both
languages. Scored rows carry the origin and the traits the company type states."""

from __future__ import annotations

import json

from make_data import COMPANY_TYPES, QCC_HEADERS, qcc_csv, qcc_rows

from matcher.fields import parse_origin
from web.services import jobs as job_service

COL = {h: i for i, h in enumerate(QCC_HEADERS)}
PLANTED = {  # list index -> (column, value, field); the file row is index + 3
    99: ("企业类型", "未知类型", "origin"),
    499: ("注册资本", "-5 USD", "investment"),
    999: ("参保人数", "-10", "employees"),
    1499: ("企业类型", "其他", "origin"),
}


def _export(tmp_path):
    rows = qcc_rows(2000)
    for index, (column, value, _field) in PLANTED.items():
        rows[index][COL[column]] = value
    path = tmp_path / "qcc_2000_gbk.csv"
    path.write_bytes(qcc_csv(rows, "gbk"))
    return path, rows


def test_only_the_rows_really_wrong_are_flagged(tmp_path):
    path, _rows = _export(tmp_path)
    lead, detected = job_service.inspect_upload(path)
    assert (detected, lead.header_row) == ("gb18030", 2)
    report = job_service.validate_file(lead)
    assert report.rows_checked == 2000 and report.fatal is None
    found = {(number, p.field) for number, p in report.problems}
    assert found == {(index + 3, field) for index, (_c, _v, field) in PLANTED.items()}
    by_row = {number: p for number, p in report.problems}
    assert "is negative" in by_row[502].en and "为负数" in by_row[502].zh
    assert "not recognised" in by_row[102].en and "无法识别" in by_row[102].zh

    expected = {value: origin for value, _w, origin, _t in COMPANY_TYPES}
    read = 0
    for number, item in lead.rows():
        value = item["origin"]
        if number - 3 in PLANTED and PLANTED[number - 3][2] == "origin":
            continue
        assert parse_origin(value).value == expected[value], (number, value)
        read += 1
    assert read == 1998


def _upload_in_memory(client, csrf, path) -> str:
    """Upload a file of about 1 MB with the multipart body built in memory (the test client
    would spool it to a temporary file that it never closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    with path.open("rb") as fh:
        boundary, body = encode_multipart({"csrf_token": csrf(client, "/batch/new"),
                                           "file": FileStorage(fh, filename=path.name)})
    response = client.post("/batch/new", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_mapping_page_reports_four_problem_rows_and_scores_the_traits(
        auth_client, upload, start, run_jobs, data, fetch, tmp_path, csrf):
    path, _rows = _export(tmp_path)
    page = _upload_in_memory(auth_client, csrf, path)
    assert "已检查 2000 行，其中 4 行有问题" in page
    assert page.count('<tr data-row="') == 4

    job_id, page = upload(auth_client, data / "qcc_title_gbk.csv")
    assert "已检查 24 行，其中 0 行有问题" in page
    assert start(auth_client, job_id, page).status_code == 302
    run_jobs()
    body = fetch(auth_client, f"/batch/{job_id}/download/jsonl")[1].decode()
    records = {r["row"]: r for r in map(json.loads, body.splitlines())}
    for index, (_value, _w, origin, traits) in enumerate(COMPANY_TYPES[:len(records)]):
        parsed = records[index + 3]["parsed"]
        assert parsed["origin"] == origin, index
        assert set(traits) <= set(parsed["traits"]), index
