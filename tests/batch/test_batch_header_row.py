"""企查查/天眼查 exports with a title line (or a blank line) above the header row: the header row
is found, shown on the mapping page, can be chosen there and through the API; row numbers stay
the file's own. Real encoded files from tests/batch/make_data.py."""

from __future__ import annotations

import json
import re

import pytest

QCC_FILES = [  # file, the header row, the detected encoding shown
    ("qcc_title_gbk.csv", 2, "gb18030"),
    ("qcc_title_utf8bom.csv", 2, "utf-8-sig"),
    ("qcc_blank_title_utf8.csv", 3, "utf-8"),
    ("qcc_title_gb18030.csv", 2, "gb18030"),
    ("qcc_title.xlsx", 3, None),
]
QCC_MAPPED = {"name", "credit_code", "description", "investment", "origin", "industry_label",
              "employees", "address", "contact_phone", "contact_email", "legal_representative"}


@pytest.mark.parametrize(("name", "header_row", "encoding"), QCC_FILES)
def test_the_mapping_page_finds_and_shows_the_header_row(auth_client, upload, form_mapping, data,
                                                        name, header_row, encoding):
    _job_id, page = upload(auth_client, data / name)
    if encoding:
        assert f'data-testid="detected-encoding">{encoding}<' in page
    # the detected header row is chosen; the title line above it is shown as skipped
    assert re.search(rf'value="{header_row}" checked\s+data-testid="header-row-{header_row}"', page)
    assert f"在文件第 {header_row} 行找到了列标题" in page
    skipped = re.search(rf'<tr class="skipped" data-testid="top-row-{header_row - 1}">(.*?)</tr>',
                        page, re.S)
    assert skipped and ("企查查-企业数据导出" in skipped.group(1) or "（空行）" in skipped.group(1))
    assert set(form_mapping(page).values()) == QCC_MAPPED
    # every data row reads: no "17 cells but 2 headers", the check report counts 24 rows
    assert "24 行，其中" in page or "已检查 24 行" in page
    assert 'data-field="row"' not in page
    preview = page.split('data-testid="preview"')[1].split("</table>")[0]
    assert f"<td>{header_row + 1}</td>" in preview and "上海示例" in preview
    assert 'class="error"' not in preview
    assert "\ufffd" not in page
    if "gb18030" in name:
        assert "𠮷" in page


def test_the_officer_picks_another_header_row_and_scores(auth_client, upload, start, run_jobs,
                                                       data, csrf, job_of, fetch):
    job_id, page = upload(auth_client, data / "qcc_title_gbk.csv")
    url = f"/batch/{job_id}/mapping"
    # the title line as the header: its two cells are the columns; nothing maps to a description
    response = auth_client.post(url, data={"csrf_token": csrf(auth_client, url),
                                           "header_row": "1", "action": "check"})
    assert response.status_code == 302
    page = auth_client.get(url).get_data(as_text=True)
    assert "现以第 1 行作为表头" in page
    assert re.search(r'value="1" checked\s+data-testid="header-row-1"', page)
    assert "<strong>企查查-企业数据导出</strong>" in page
    assert "没有列对应到描述字段" in page and 'data-testid="start" disabled' in page
    assert job_of(job_id).header_row == 1

    # a row number the file does not have is refused with a message, nothing changes
    response = auth_client.post(url, data={"csrf_token": csrf(auth_client, url),
                                           "header_row": "99", "action": "check"})
    assert response.status_code == 422
    assert "表头行须为文件前" in response.get_data(as_text=True)
    assert job_of(job_id).header_row == 1

    # back to row 2: the columns map again, the job starts and every row is scored
    auth_client.post(url, data={"csrf_token": csrf(auth_client, url), "header_row": "2",
                                "action": "check"})
    page = auth_client.get(url).get_data(as_text=True)
    assert 'value="description" selected' in page
    assert start(auth_client, job_id, page).status_code == 302
    run_jobs()
    job = job_of(job_id)
    assert (job.status, job.header_row, job.rows_total, job.rows_failed) == ("done", 2, 24, 0)
    body = fetch(auth_client, f"/batch/{job_id}/download/jsonl")[1].decode()
    records = [json.loads(line) for line in body.splitlines()]
    assert [r["row"] for r in records] == list(range(3, 27))  # the file's own rows
    assert records[0]["name"].startswith("上海示例") and records[0]["industries"]


def test_the_header_row_section_in_english(auth_client, upload, data):
    job_id, _page = upload(auth_client, data / "qcc_blank_title_utf8.csv")
    page = auth_client.get(f"/batch/{job_id}/mapping?lang=en").get_data(as_text=True)
    assert "The column headers were found in row 3 of the file." in page
    assert "Rows 1 to 2 above the header (a title, blank lines) are skipped." in page
    assert "(empty row)" in page and "Legal representative (legal_representative)" in page
    assert not re.search(r"[\u4e00-\u9fff]", page.split('data-testid="header-row-note"')[1]
                         .split("</p>")[0])


def _post(client, headers, path, **form):
    with path.open("rb") as fh:
        return client.post("/api/v1/jobs", data={"file": (fh, path.name), **form},
                           headers=headers, content_type="multipart/form-data")


def test_the_api_finds_the_header_row_or_takes_the_one_given(client, bearer, data, run_jobs):
    response = _post(client, bearer, data / "qcc_title_gbk.csv")
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["header_row"] == 2 and body["mapping"]["经营范围"] == "description"
    assert body["mapping"]["法定代表人"] == "legal_representative"

    response = _post(client, bearer, data / "qcc_title.xlsx", header_row="3")
    assert response.status_code == 202 and response.get_json()["header_row"] == 3

    # the title line as header: no description column; refused in both languages
    response = _post(client, bearer, data / "qcc_title_gbk.csv", header_row="1")
    assert response.status_code == 422
    error = response.get_json()
    assert "no description column" in error["message"] and "(row 1)" in error["message"]
    assert "第 1 行" in error["errors"]["message_zh"]
    for bad in ("0", "two", "-1"):
        response = _post(client, bearer, data / "qcc_title_gbk.csv", header_row=bad)
        assert response.status_code == 422
        assert "header_row" in response.get_json()["message"]
    response = _post(client, bearer, data / "qcc_title_gbk.csv", header_row="999")
    assert response.status_code == 422 and "header row" in response.get_json()["message"]

    run_jobs()
    listing = client.get("/api/v1/jobs", headers=bearer).get_json()["items"]
    assert sorted((j["status"], j["rows_total"], j["rows_failed"]) for j in listing) == \
        [("done", 24, 0), ("done", 24, 0)]
