"""Reading lead lists: CSV in the encodings and delimiters exports use, XLSX, JSONL; clear refusals."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from matcher import InputFileError
from matcher.io import detect_encoding, open_leads

HEADERS = ["企业名称", "统一社会信用代码", "经营范围", "注册资本", "所属行业", "企业地址"]
ROWS = [
    ["上海甲芯微电子有限公司", "91310115MA1H7ABC1X", "集成电路设计；芯片销售", "5000万元",
     "软件和信息技术服务业", "上海市浦东新区张江路1号"],
    ["乙生物医药（上海）有限公司", "91310117MA1K0XYZ2Y", "医疗器械研发、生产", "1.2亿",
     "医药制造业", "上海市松江区"],
]
EXPECTED = [
    {"name": r[0], "credit_code": r[1], "description": r[2], "investment": r[3],
     "industry_label": r[4], "address": r[5]} for r in ROWS
]
RARE = "𠀀㐀"  # outside GBK: Ext B and Ext A characters, both in GB18030


def _csv_bytes(rows, encoding, delimiter, headers=HEADERS):
    lines = [delimiter.join(headers)] + [delimiter.join(r) for r in rows]
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


@pytest.mark.parametrize("delimiter", [",", "\t", ";"], ids=["comma", "tab", "semicolon"])
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    rows = [list(r) for r in ROWS]
    expected = [dict(e) for e in EXPECTED]
    if encoding != "gbk":  # every encoding but GBK can carry the rare characters
        rows[1][2] += RARE
        expected[1]["description"] += RARE
    path = tmp_path / "leads.csv"
    path.write_bytes(_csv_bytes(rows, encoding, delimiter))
    lead = open_leads(path)
    assert lead.kind == "csv"
    assert lead.delimiter == delimiter
    assert lead.headers == HEADERS                    # no BOM left on the first header
    assert [profile for _n, profile in lead.rows()] == expected
    assert [n for n, _p in lead.rows()] == [2, 3]  # the file's own rows: the header is row 1


def test_gb18030_file_with_characters_outside_gbk(tmp_path):
    with pytest.raises(UnicodeEncodeError):
        RARE.encode("gbk")  # the test really needs GB18030
    path = tmp_path / "rare.csv"
    path.write_bytes(_csv_bytes([["丙公司", "X", f"生产{RARE}材料", "", "", ""]], "gb18030", ","))
    lead = open_leads(path)
    (_n, profile), = lead.rows()
    assert profile["description"] == f"生产{RARE}材料"
    assert "\ufffd" not in profile["description"]


def test_detect_encoding():
    text = "企业名称,经营范围\n甲,集成电路\n"
    assert detect_encoding(b"\xef\xbb\xbf" + text.encode()) == "utf-8-sig"
    assert detect_encoding(text.encode("utf-8")) == "utf-8"
    assert text.encode("gbk").decode(detect_encoding(text.encode("gbk"))) == text


def test_a_gbk_character_cut_at_the_sample_end_does_not_mislead_detection():
    data = ("经营范围\n" + "集成电路\n" * 10).encode("gbk") + "芯".encode("gbk")[:1]
    assert detect_encoding(data) == "gb18030"


def test_quoted_cells_with_delimiters_and_newlines(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('企业名称,经营范围\n"甲,乙公司","集成电路设计,\n芯片销售"\n', encoding="utf-8")
    (_n, profile), = open_leads(path).rows()
    assert profile == {"name": "甲,乙公司", "description": "集成电路设计,\n芯片销售"}


def test_blank_rows_are_skipped_and_extra_cells_are_a_row_error(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("企业名称,经营范围\n甲,芯片\n,\n乙,医疗器械,多余\n丙,生物医药\n", encoding="utf-8")
    rows = list(open_leads(path).rows())
    assert rows[0] == (2, {"name": "甲", "description": "芯片"})
    number, error = rows[1]
    assert number == 4 and isinstance(error, InputFileError)
    assert "row 4" in str(error) and "第 4 行" in error.zh
    assert rows[2] == (5, {"name": "丙", "description": "生物医药"})


def test_an_explicit_encoding_wins(tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes("公司名稱,經營範圍\n甲,積體電路\n".encode("big5"))
    lead = open_leads(path, encoding="big5")
    assert [p for _n, p in lead.rows()] == [{"name": "甲", "description": "積體電路"}]


def test_an_unknown_encoding_name_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("经营范围\n芯片\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="unknown encoding"):
        open_leads(path, encoding="no-such-codec")


def test_no_description_column_is_a_clear_error(tmp_path):
    path = tmp_path / "nodesc.csv"
    path.write_text("企业名称,注册资本\n甲,100万\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        open_leads(path)
    message = str(info.value)
    assert "nodesc.csv" in message and "no description column" in message
    assert "企业名称" in message and "经营范围" in message


def test_an_explicit_mapping_rescues_an_odd_header(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("公司,做什么\n甲,芯片设计\n", encoding="utf-8")
    lead = open_leads(path, mapping={"公司": "name", "做什么": "description"})
    assert [p for _n, p in lead.rows()] == [{"name": "甲", "description": "芯片设计"}]


@pytest.mark.parametrize("content,message", [(b"", "empty"), (b"  \n\n", "empty")])
def test_an_empty_file_is_refused(tmp_path, content, message):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        open_leads(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        open_leads(tmp_path / "absent.csv")


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputFileError, match="binary"):
        open_leads(path)


# ---- XLSX ------------------------------------------------------------------------------------


def test_xlsx_rows_keep_credit_codes_as_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码", "经营范围", "员工人数"])
    ws.append(["甲公司", "913101150000000001", "集成电路设计", 200])
    ws.append(["乙公司", 123456789012345, "医疗器械", 35.0])
    ws.append([None, None, None, None])
    ws.append(["丙公司", "91310117MA1K0XYZ2Y", "生物医药", "50-100"])
    path = tmp_path / "leads.xlsx"
    wb.save(path)
    lead = open_leads(path)
    assert lead.kind == "xlsx"
    assert lead.mapping == {"企业名称": "name", "统一社会信用代码": "credit_code",
                            "经营范围": "description", "员工人数": "employees"}
    rows = list(lead.rows())
    assert [n for n, _p in rows] == [2, 3, 5]
    assert rows[0][1]["credit_code"] == "913101150000000001"
    assert rows[1][1]["credit_code"] == "123456789012345"     # not 1.23456789012345e+14
    assert rows[1][1]["employees"] == "35"                    # not "35.0"
    assert rows[2][1] == {"name": "丙公司", "credit_code": "91310117MA1K0XYZ2Y",
                          "description": "生物医药", "employees": "50-100"}


def test_xlsx_with_upper_case_extension(tmp_path):
    wb = Workbook()
    wb.active.append(["经营范围"])
    wb.active.append(["芯片设计"])
    path = tmp_path / "EXPORT.XLSX"
    wb.save(path)
    assert [p for _n, p in open_leads(path).rows()] == [{"description": "芯片设计"}]


@pytest.mark.parametrize("name", ["export", "export.xls"])
def test_xlsx_detected_by_content_not_name(tmp_path, name):
    wb = Workbook()
    wb.active.append(["经营范围"])
    wb.active.append(["芯片设计"])
    path = tmp_path / name
    wb.save(path)
    lead = open_leads(path)
    assert lead.kind == "xlsx"
    assert [p for _n, p in lead.rows()] == [{"description": "芯片设计"}]


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "leads.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("leads.csv", "经营范围\n芯片设计\n")
    with pytest.raises(InputFileError, match=r"not an \.xlsx workbook"):
        open_leads(path)


def test_a_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 << 20))
    with pytest.raises(InputFileError, match="unreasonable size"):
        open_leads(path)


def test_a_broken_zip_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 100)
    with pytest.raises(InputFileError, match="xlsx"):
        open_leads(path)


def test_xlsx_without_a_description_column(tmp_path):
    wb = Workbook()
    wb.active.append(["企业名称", "注册资本"])
    wb.active.append(["甲", "100万"])
    path = tmp_path / "nodesc.xlsx"
    wb.save(path)
    with pytest.raises(InputFileError, match="no description column"):
        open_leads(path)


# ---- JSONL -----------------------------------------------------------------------------------


def test_jsonl_bad_lines_become_row_errors_and_reading_goes_on(tmp_path):
    path = tmp_path / "leads.jsonl"
    path.write_text(
        '{"企业名称": "甲", "经营范围": "集成电路设计"}\n'
        '{"企业名称": "乙", "经营范围": \n'
        "\n"
        '["not", "an", "object"]\n'
        '{"企业名称": "丁", "经营范围": "医疗器械", "extra": 1}\n',
        encoding="utf-8")
    lead = open_leads(path)
    assert lead.kind == "jsonl"
    rows = list(lead.rows())
    assert [n for n, _ in rows] == [1, 2, 4, 5]  # the file's own lines: line 3 is blank
    assert rows[0][1] == {"name": "甲", "description": "集成电路设计"}
    assert isinstance(rows[1][1], InputFileError) and "row 2" in str(rows[1][1])
    assert "not valid JSON" in str(rows[1][1]) and "第 2 行" in rows[1][1].zh
    assert isinstance(rows[2][1], InputFileError) and "row 4" in str(rows[2][1])
    assert rows[3][1]["description"] == "医疗器械"


# ---- the header row: a title line or a blank line above it ------------------------------------

BATCH_DATA = Path(__file__).resolve().parents[1] / "data" / "batch"
QCC_HEADERS = ["企业名称", "登记状态", "法定代表人", "注册资本", "成立日期", "统一社会信用代码",
               "企业类型", "所属行业", "参保人数", "电话", "邮箱", "企业地址", "经营范围", "官网",
               "纳税人识别号", "英文名", "曾用名"]


@pytest.mark.parametrize(("name", "encoding", "header_row"), [
    ("qcc_title_gbk.csv", "gb18030", 2),          # GBK bytes, read by its superset
    ("qcc_title_utf8bom.csv", "utf-8-sig", 2),
    ("qcc_blank_title_utf8.csv", "utf-8", 3),     # a blank line, then the title line
    ("qcc_title_gb18030.csv", "gb18030", 2),
    ("qcc_title.xlsx", None, 3),                  # title in A1, row 2 empty
])
def test_the_header_row_below_a_title_line_is_found(name, encoding, header_row):
    lead = open_leads(BATCH_DATA / name)
    assert lead.encoding == encoding
    assert lead.header_row == lead.detected_header_row == header_row
    assert lead.headers == QCC_HEADERS
    assert lead.delimiter in (",", None)
    rows = list(lead.rows())
    assert len(rows) == 24
    assert all(isinstance(item, dict) for _n, item in rows), rows[0]
    numbers = [n for n, _item in rows]
    assert numbers == list(range(header_row + 1, header_row + 25))  # the file's own rows
    first = rows[0][1]
    assert first["name"].startswith("上海示例") and first["name"].endswith("芯微电子有限公司")
    assert first["description"].startswith("一般项目：集成电路设计")
    assert first["origin"] == "有限责任公司（自然人投资或控股）"
    assert first["legal_representative"] and first["contact_phone"]
    assert "contact_email" not in first  # the export's "-" of an empty cell is no value
    assert rows[1][1]["contact_email"] == "contact0001@example.com"
    if name == "qcc_title_gb18030.csv":
        assert "𠮷" in first["name"]
    assert "\ufffd" not in json.dumps([r for _n, r in rows], ensure_ascii=False)


def test_a_title_with_a_comma_does_not_decide_the_delimiter(tmp_path):
    path = tmp_path / "tab.csv"
    path.write_bytes("企查查-企业数据导出,导出时间 2026-11-30\r\n企业名称\t经营范围\t注册资本\r\n"
                     "甲公司\t集成电路设计\t100万元\r\n".encode("gbk"))
    lead = open_leads(path)
    assert (lead.delimiter, lead.header_row) == ("\t", 2)
    assert list(lead.rows()) == [(3, {"name": "甲公司", "description": "集成电路设计",
                                      "investment": "100万元"})]


def test_a_one_column_list_and_a_plain_file_keep_row_one(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("经营范围\n集成电路设计\n", encoding="utf-8")
    lead = open_leads(path)
    assert lead.header_row == 1 and list(lead.rows()) == [(2, {"description": "集成电路设计"})]


def test_the_officer_can_choose_another_header_row(tmp_path):
    path = tmp_path / "two_headers.csv"
    path.write_text("名称,说明\n企业名称,经营范围\n甲公司,集成电路设计\n", encoding="utf-8")
    assert open_leads(path).header_row == 2
    with pytest.raises(InputFileError, match="no description column") as info:
        open_leads(path, header_row=1)
    assert "row 1" in str(info.value) and "第 1 行" in info.value.zh
    odd = open_leads(path, header_row=1, mapping={"名称": "name", "说明": "description"})
    assert [n for n, _p in odd.rows()] == [2, 3]  # the former header is now a data row
    for bad in (0, 99):
        with pytest.raises(InputFileError, match="header row") as info:
            open_leads(path, header_row=bad)
        assert "表头行" in info.value.zh


def test_row_errors_below_a_title_name_the_files_own_row(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_bytes("导出时间 2026-11-30\n\n企业名称,经营范围\n甲,芯片\n乙,医疗器械,多余\n"
                     .encode("gb18030"))
    rows = list(open_leads(path).rows())
    assert rows[0] == (4, {"name": "甲", "description": "芯片"})
    number, error = rows[1]
    assert number == 5 and "row 5" in str(error) and "第 5 行" in error.zh
