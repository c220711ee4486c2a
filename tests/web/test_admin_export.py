"""Lead exports (CSV and XLSX) as an officer reads them: the contact columns (contact person,
phone, e-mail, legal representative), statuses, sources, industries and districts in words of
the export's language, and in XLSX a frozen, filtered header row, fitted column widths and
formula-like text stored as text without the CSV's apostrophe."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

PHONE = "+86 21 5555 0101"          # starts with '+': a spreadsheet would read a formula
NAME = "上海示例导出联系人测试有限公司"
LONG_NAME = "上海示例超长名称的集成电路设计与先进封装测试研究院有限公司"


@pytest.fixture
def contact_lead(app, officer, samples):
    """A lead with every contact field, status 'contacted', screened by an officer."""
    from web.db import session_scope
    from web.models import Lead, User
    from web.services.leads import create_lead

    with session_scope(app.extensions["db_engine"]) as s:
        lead = create_lead(session=s, user=s.get(User, officer.id), data={
            "name": NAME, "description": samples.chip_zh, "status": "contacted",
            "contact_name": "王示例", "contact_phone": PHONE, "contact_email": "wang@example.com",
            "legal_representative": "李法人"})
        other = create_lead(session=s, data={"name": LONG_NAME, "description": samples.ev_zh})
        other.source = "import"
        s.add(other)
        ids = lead.id, other.id
    with session_scope(app.extensions["db_engine"]) as s:
        assert s.get(Lead, ids[0]).legal_representative == "李法人"
    return ids


def _csv(client, lang: str) -> list[dict]:
    body = client.get(f"/leads/export.csv?lang={lang}").data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_has_the_contact_columns_in_words_in_chinese(auth_client, contact_lead):
    rows = {r["企业名称"]: r for r in _csv(auth_client, "zh")}
    row = rows[NAME]
    assert (row["联系人"], row["邮箱"], row["法定代表人"]) == ("王示例", "wang@example.com", "李法人")
    assert row["电话"] == "'" + PHONE  # CSV keeps the apostrophe against formula injection
    assert row["状态"] == "已联系" and row["来源"] == "招商人员研判"
    assert rows[LONG_NAME]["状态"] == "新线索" and rows[LONG_NAME]["来源"] == "批量导入"
    assert row["首选区"] and not row["首选区"].isascii()
    assert row["负责人"] == "officer1"


def test_csv_in_english_has_no_raw_codes_and_no_chinese_labels(auth_client, contact_lead):
    rows = {r["Company name"]: r for r in _csv(auth_client, "en")}
    row = rows[NAME]
    assert (row["Contact person"], row["E-mail"], row["Legal representative"]) == (
        "王示例", "wang@example.com", "李法人")
    assert row["Phone"] == "'" + PHONE
    assert row["Status"] == "Contacted" and row["Source"] == "screened by an officer"
    assert rows[LONG_NAME]["Status"] == "New lead" and rows[LONG_NAME]["Source"] == "batch import"
    assert row["Top district"].isascii() and row["Top industry"].isascii()
    assert row["Created (UTC)"].endswith("Z")
    for value in (row["Status"], row["Source"]):
        assert value not in ("contacted", "officer", "new", "import")


def _xlsx(client, lang: str):
    response = client.get(f"/leads/export.xlsx?lang={lang}")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.data)).active


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_header_is_frozen_filtered_and_widths_fit(auth_client, contact_lead, lang):
    ws = _xlsx(auth_client, lang)
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(header))}{ws.max_row}"
    assert all(c.font.b for c in ws[1])
    widths = {h: ws.column_dimensions[get_column_letter(i + 1)].width for i, h in enumerate(header)}
    name_col = "企业名称" if lang == "zh" else "Company name"
    id_col = "编号" if lang == "zh" else "ID"
    # a Chinese character takes two columns: the long name fits, the id column stays narrow
    assert widths[name_col] >= 2 * len(LONG_NAME)
    assert widths[id_col] < 12
    assert len(set(widths.values())) > 5


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_formula_like_text_is_text_without_apostrophe(auth_client, contact_lead, lang):
    ws = _xlsx(auth_client, lang)
    header = [c.value for c in ws[1]]
    phone = header.index("电话" if lang == "zh" else "Phone")
    cell = next(row[phone] for row in ws.iter_rows(min_row=2) if row[phone].value)
    assert cell.value == PHONE and cell.data_type == "s"
    assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    status = header.index("状态" if lang == "zh" else "Status")
    assert {row[status].value for row in ws.iter_rows(min_row=2)} == (
        {"已联系", "新线索"} if lang == "zh" else {"Contacted", "New lead"})


def test_batch_result_xlsx_has_the_same_layout(tmp_path):
    """The engine's XLSX writer (CLI and batch jobs): frozen, filtered header row, fitted widths,
    formula-like text as text without apostrophe."""
    from matcher.io import write_results
    from matcher.io.writer import FLAT, FLAT_COLUMNS

    rows = [{"row": 2, "name": "=HYPERLINK(\"http://x\",\"点我\")", "confidence": 0.81,
             "industry_1": "战略性新兴产业 > 集成电路 > 芯片设计", "needs_review": False},
            {"row": 3, "name": LONG_NAME, "confidence": 0.4, "needs_review": True,
             "district_1": "浦东新区"}]
    out = tmp_path / "result.xlsx"
    write_results(out, ((r, FLAT) for r in rows), fmt="xlsx")
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == FLAT_COLUMNS
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(header))}3"
    width = {h: ws.column_dimensions[get_column_letter(i + 1)].width for i, h in enumerate(header)}
    assert width["name"] >= 2 * len(LONG_NAME) and width["row"] < 10
    assert width["industry_1"] > width["confidence"]
    name = ws.cell(row=2, column=header.index("name") + 1)
    assert name.value == rows[0]["name"] and name.data_type == "s" and name.quotePrefix
    plain = ws.cell(row=3, column=header.index("name") + 1)
    assert plain.value == LONG_NAME and not plain.quotePrefix
