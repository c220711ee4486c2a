"""Upload and mapping: every encoding, delimiter and header language of the real files in
tests/data/batch and seeds/, the encoding override, the mapping override, the validation report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from matcher.errors import InputFileError
from web.services import jobs as job_service

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
EXPECTED_MAPPING = {"name", "credit_code", "description", "investment", "industry_label", "contact_phone",
                    "address"}

CASES = [  # file, detected encoding, delimiter, first company name
    ("utf8_comma_zh.csv", "utf-8", ",", "上海示例芯微电子有限公司"),
    ("utf8bom_comma_en.csv", "utf-8-sig", ",", "上海示例芯微电子有限公司"),
    ("utf8_tab_en.csv", "utf-8", "\t", "上海示例芯微电子有限公司"),
    ("gbk_comma_zh.csv", "gb18030", ",", "上海示例芯微电子有限公司"),
    ("gbk_tab_zh.csv", "gb18030", "\t", "上海示例芯微电子有限公司"),
    ("gb18030_semicolon_zh.csv", "gb18030", ";", "上海𠮷祥示例芯微电子有限公司"),
]


@pytest.mark.parametrize(("name", "encoding", "delimiter", "first"), CASES)
def test_every_encoding_delimiter_and_header_language(data, name, encoding, delimiter, first):
    lead, detected = job_service.inspect_upload(data / name)
    assert detected == encoding
    assert lead.delimiter == delimiter
    assert set(lead.mapping.values()) == EXPECTED_MAPPING
    rows = [item for _n, item in lead.rows()]
    assert rows[0]["name"] == first
    assert rows[0]["credit_code"] == "91310115MA1QBWWE8M"
    assert rows[1]["investment"] == "1.2亿"
    assert rows[1]["name"] == "示例生物医药科技（上海）有限公司"
    assert "\ufffd" not in json.dumps(rows, ensure_ascii=False)


@pytest.mark.parametrize(("name", "encoding", "delimiter", "first"), CASES)
def test_upload_page_shows_mapping_and_preview(auth_client, upload, data, name, encoding,
                                               delimiter, first):
    _job_id, page = upload(auth_client, data / name)
    assert first in page  # the preview decoded the text, nothing garbled
    assert f'data-testid="detected-encoding">{encoding}<' in page
    assert 'value="description" selected' in page
    assert 'value="credit_code" selected' in page
    assert "\ufffd" not in page


def test_seed_lists_map_the_chinese_export_headers(auth_client, upload, form_mapping):
    for name in ("lead_list_utf8.csv", "lead_list_gbk.csv", "lead_list.xlsx"):
        _job_id, page = upload(auth_client, SEEDS / name)
        chosen = set(form_mapping(page).values())
        assert {"name", "credit_code", "description", "investment", "industry_label",
                "address"} <= chosen, name
        assert "上海示例芯微电子有限公司" in page


def test_gb18030_character_outside_gbk_survives_to_the_result(auth_client, upload, start,
                                                             run_jobs, data, fetch):
    job_id, page = upload(auth_client, data / "gb18030_semicolon_zh.csv")
    assert start(auth_client, job_id, page).status_code == 302
    run_jobs()
    _status, body, _headers = fetch(auth_client, f"/batch/{job_id}/download/jsonl")
    first = json.loads(body.decode().splitlines()[0])
    assert first["name"] == "上海𠮷祥示例芯微电子有限公司"


def test_xlsx_keeps_long_numeric_ids_as_text(auth_client, upload, start, run_jobs, data, fetch):
    from openpyxl import load_workbook

    lead, detected = job_service.inspect_upload(data / "credit_codes.xlsx")
    assert detected is None and lead.kind == "xlsx"
    rows = [item for _n, item in lead.rows()]
    code = rows[0]["credit_code"]  # an all-digit code kept as text: no rounding, no ".0"
    assert len(code) == 18 and code.isdigit() and job_service.credit_code_problem(code) is None
    assert rows[0]["address"].startswith("上海市")

    job_id, page = upload(auth_client, data / "credit_codes.xlsx")
    # the code Excel stored as a number is flagged, with the row and the field, in Chinese ...
    assert 'data-row="3" data-field="credit_code"' in page and "四舍五入" in page
    # ... and in English
    page_en = auth_client.get(f"/batch/{job_id}/mapping?lang=en").get_data(as_text=True)
    assert "Unified social credit code" in page_en and "rounded by a spreadsheet" in page_en
    auth_client.get(f"/batch/{job_id}/mapping?lang=zh")
    assert start(auth_client, job_id, page).status_code == 302
    run_jobs()
    status, body, _headers = fetch(auth_client, f"/batch/{job_id}/download/xlsx")
    assert status == 200
    ws = load_workbook(io.BytesIO(body)).active
    header = [c.value for c in ws[1]]
    code = ws.cell(row=2, column=header.index("credit_code") + 1)
    assert code.data_type == "s" and code.value == rows[0]["credit_code"]
    csv_text = fetch(auth_client, f"/batch/{job_id}/download/csv")[1].decode("utf-8-sig")
    assert rows[0]["credit_code"] in csv_text


def test_encoding_override_and_refusal_to_garble(auth_client, upload, data, csrf):
    # GBK bytes uploaded with "utf-8" forced: refused with a clear message, nothing garbled
    token = csrf(auth_client, "/batch/new")
    with open(data / "gbk_comma_zh.csv", "rb") as fh:
        response = auth_client.post("/batch/new", data={"csrf_token": token, "encoding": "utf-8",
                                                        "file": (fh, "x.csv")},
                                    content_type="multipart/form-data")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "无法按 utf-8 编码读取该文件" in text and "gb18030" in text

    # GBK forced on a GBK file: kept, shown, no warning (GBK is within GB18030)
    job_id, page = upload(auth_client, data / "gbk_comma_zh.csv", encoding="gbk")
    assert 'data-testid="read-encoding">gbk<' in page
    assert "上海示例芯微电子有限公司" in page
    assert 'data-testid="encoding-warning"' not in page

    # UTF-8 text forced to be read as GB18030: refused, or read with a visible warning
    job_id, page = upload(auth_client, data / "utf8_comma_zh.csv")
    response = auth_client.post(f"/batch/{job_id}/mapping",
                                data={"csrf_token": csrf(auth_client, f"/batch/{job_id}/mapping"),
                                      "encoding": "gb18030", "action": "check"})
    page = (auth_client.get(f"/batch/{job_id}/mapping").get_data(as_text=True)
            if response.status_code == 302 else response.get_data(as_text=True))
    assert ('data-testid="encoding-warning"' in page) or ("无法按 gb18030 编码读取" in page)

    # and back to the detected encoding: the text reads correctly again
    response = auth_client.post(f"/batch/{job_id}/mapping",
                                data={"csrf_token": csrf(auth_client, f"/batch/{job_id}/mapping"),
                                      "encoding": "utf-8", "action": "check"})
    page = auth_client.get(f"/batch/{job_id}/mapping").get_data(as_text=True)
    assert 'data-testid="read-encoding">utf-8<' in page
    assert "上海示例芯微电子有限公司" in page and 'data-testid="encoding-warning"' not in page


def test_gbk_after_a_long_ascii_head_is_detected_on_the_whole_file(tmp_path):
    path = tmp_path / "late.csv"
    line = "Example Co,chip design and IC packaging services for automotive customers\n"
    head = "name,description\n" + line * (5 * 1024 * 1024 // len(line))  # past the 4 MB sample
    path.write_bytes(head.encode("ascii") + "示例公司,集成电路设计\n".encode("gbk"))
    assert job_service.detect_file_encoding(path) == "gb18030"
    lead, detected = job_service.inspect_upload(path)
    assert detected == "gb18030"
    assert list(lead.rows())[-1][1]["name"] == "示例公司"


def test_text_in_no_supported_encoding_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,description\nCafé Ltd,espresso machines\n".encode("latin-1"))
    with pytest.raises(InputFileError):
        job_service.inspect_upload(path)


def test_mapping_override_changes_the_scored_columns(auth_client, upload, start, run_jobs, data,
                                                     job_of, fetch):
    job_id, page = upload(auth_client, data / "utf8_comma_zh.csv")
    # use the address column as the description instead of 经营范围 (col-2), drop investment
    response = start(auth_client, job_id, page, **{"col-2": "", "col-3": "", "col-5": "description"})
    assert response.status_code == 302
    job = job_of(job_id)
    mapping = json.loads(job.mapping_json)
    assert mapping["企业地址"] == "description" and "经营范围" not in mapping
    assert "注册资本" not in mapping
    run_jobs()
    body = fetch(auth_client, f"/batch/{job_id}/download/jsonl")[1].decode()
    records = [json.loads(line) for line in body.splitlines()]
    assert len(records) == 5 and all("error" not in r for r in records)  # every row has an address


def test_mapping_errors_are_reported(auth_client, upload, start, data):
    job_id, page = upload(auth_client, data / "utf8_comma_zh.csv")
    response = start(auth_client, job_id, page, **{"col-2": ""})  # no description
    assert response.status_code == 422
    assert 'data-testid="mapping-errors"' in response.get_data(as_text=True)
    response = start(auth_client, job_id, page, **{"col-0": "description"})  # chosen twice
    assert response.status_code == 422
    assert "description" in response.get_data(as_text=True)


def test_validation_report_names_row_and_field(auth_client, upload, data):
    _job_id, page = upload(auth_client, data / "utf8_comma_zh.csv")
    assert 'data-testid="validation"' in page
    problems = page.split('data-testid="problems"')[1]
    # the file's own rows: row 4 has a 17-character credit code and 注册资本 "不详", row 5 an
    # empty 经营范围; fields by their label, in the interface language
    assert ('<tr data-row="4" data-field="credit_code"><td>4</td><td>统一社会信用代码</td>'
            '<td>“91310112MA11Y2AW6”有 17 个字符；统一社会信用代码应为 18 位') in problems
    assert '<tr data-row="4" data-field="investment"><td>4</td><td>投资额 / 注册资本</td>' in problems
    assert '<tr data-row="5" data-field="description"><td>5</td><td>描述 / 经营范围</td><td>为空' \
        in problems
    problems = auth_client.get(f"/batch/{_job_id}/mapping?lang=en").get_data(as_text=True)
    assert ('<tr data-row="4" data-field="credit_code"><td>4</td><td>Unified social credit code'
            '</td><td>&#39;91310112MA11Y2AW6&#39; has 17 characters') in problems
    assert '<td>5</td><td>Description / business scope</td><td>is empty' in problems

    _job_id, page = upload(auth_client, SEEDS / "lead_list_gbk.csv")
    assert '<tr data-row="21" data-field="description">' in page


def test_row_problems_and_credit_codes():
    assert job_service.credit_code_problem("91310115MA1QBWWE8M") is None
    en, zh = job_service.credit_code_problem("91310115MA1QBWWE8N")
    assert "check character" in en and "校验位" in zh
    assert "18" in job_service.credit_code_problem("123")[0]
    en, zh = job_service.credit_code_problem("9.13101E+17")
    assert "scientific" in en and "科学计数法" in zh
    found = job_service.row_problems({"description": "", "land": "很多", "employees": "很多人"})
    assert {p.field for p in found} == {"description", "land", "employees"}
    assert all(p.en and p.zh and p.en != p.zh for p in found)


def test_bad_uploads_are_refused(auth_client, csrf):
    for content, name in ((b"", "empty.csv"), (b"\x00\x01\x02binary\x00" * 50, "x.csv"),
                          (b"PK\x03\x04not really a zip", "fake.xlsx")):
        token = csrf(auth_client, "/batch/new")
        response = auth_client.post("/batch/new", data={"csrf_token": token,
                                                        "file": (io.BytesIO(content), name)},
                                    content_type="multipart/form-data")
        assert response.status_code in (413, 422), name


def test_stored_under_a_generated_name(app, auth_client, upload, data, job_of):
    job_id, _page = upload(auth_client, data / "gbk_comma_zh.csv", filename="../../evil name.csv")
    job = job_of(job_id)
    assert job.filename == "evil name.csv"
    assert job.stored_path.endswith("/input.csv") and "evil" not in job.stored_path
    assert (job_service.jobs_dir(app.config) / job.stored_path).is_file()
