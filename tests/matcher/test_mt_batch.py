"""Batch scoring of whole files: every input row gets one record, in order, errors included."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from matcher.batch import score_file


def _records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("chunk_size", [1, 2, 1000])
def test_jsonl_input_with_a_bad_line_goes_on(matcher, tmp_path, chunk_size):
    src = tmp_path / "leads.jsonl"
    src.write_text(
        '{"name": "A", "description": "集成电路设计，处理器芯片"}\n'
        '{"name": "B", "description": "医疗器械\n'
        '{"name": "C", "description": ""}\n'
        '{"name": "D", "description": "生物医药创新药研发", "unknown": [1, 2]}\n'
        '{"name": "E", "description": "手术机器人与体外诊断设备研发生产"}\n',
        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = score_file(src, out, matcher=matcher, chunk_size=chunk_size)
    records = _records(out)
    assert [r["row"] for r in records] == [1, 2, 3, 4, 5]
    assert (summary.rows, summary.errors) == (5, 2)
    assert records[0]["industries"][0]["id"].startswith("ic")
    assert {"row", "error", "error_zh"} <= set(records[1])
    assert "row 2" in records[1]["error"] and "JSON" in records[1]["error"]
    assert "第 2 行" in records[1]["error_zh"] and "JSON" in records[1]["error_zh"]
    assert "description" in records[2]["error"]
    assert records[3]["industries"][0]["id"] == "biomed"
    assert records[4]["industries"][0]["id"] == "biomed-devices"


def test_jsonl_with_chinese_keys(matcher, tmp_path):
    src = tmp_path / "export.jsonl"
    src.write_text('{"企业名称": "甲", "经营范围": "集成电路设计", "注册资本": "1.2亿"}\n'
                   '{"企业名称": "乙", "经营范围": "医疗器械研发生产"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    score_file(src, out, matcher=matcher)
    records = _records(out)
    assert [r["name"] for r in records] == ["甲", "乙"]
    assert records[0]["parsed"]["investment_cny"] == pytest.approx(1.2e8)
    assert records[1]["industries"][0]["id"] == "biomed-devices"


def test_gbk_csv_with_chinese_headers(matcher, tmp_path):
    src = tmp_path / "export.csv"
    src.write_bytes(
        "企业名称,统一社会信用代码,经营范围,注册资本,意向区域\n"
        "甲芯公司,91310115MA1H7ABC1X,集成电路设计；处理器芯片,5000万元,浦东\n"
        "乙公司,91310117MA1K0XYZ2Y,,1亿,\n"
        "丙医疗,91310114MA1ABCDE3Z,医疗器械研发生产,3億元,嘉定\n".encode("gbk"))
    out = tmp_path / "out.jsonl"
    summary = score_file(src, out, matcher=matcher)
    assert summary.encoding == "gb18030"
    assert summary.mapping["经营范围"] == "description"
    records = _records(out)
    assert [r["row"] for r in records] == [2, 3, 4]  # the file's own rows
    assert records[0]["name"] == "甲芯公司"
    assert records[0]["parsed"]["investment_cny"] == pytest.approx(5e7)
    assert records[0]["districts"][0]["code"] == "310115"
    assert "description" in records[1]["error"]
    assert records[2]["parsed"]["investment_cny"] == pytest.approx(3e8)
    assert records[2]["districts"][0]["code"] == "310114"


def test_xlsx_input_to_csv_output_keeps_the_credit_code(matcher, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码", "经营范围"])
    ws.append(["甲", "913101150000000001", "集成电路设计"])
    ws.append(["乙", 123456789012345, "芯片制造"])   # numeric cell: 15 digits are exact in Excel
    src = tmp_path / "leads.xlsx"
    wb.save(src)
    out = tmp_path / "out.csv"
    score_file(src, out, matcher=matcher)
    text = out.read_text(encoding="utf-8-sig")
    assert "913101150000000001" in text
    assert ",123456789012345," in text
    assert "123456789012345.0" not in text and "e+14" not in text.lower()


def test_errors_file_lists_only_the_failed_rows(matcher, tmp_path):
    src = tmp_path / "leads.csv"
    src.write_text("企业名称,经营范围\nA,芯片设计\nB,\nC,医疗器械\n", encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    score_file(src, out, matcher=matcher, errors_path=errors)
    assert [r["row"] for r in _records(out)] == [2, 3, 4]
    failed = _records(errors)
    assert [r["row"] for r in failed] == [3]
    assert "description" in failed[0]["error"]


def test_progress_is_reported_per_chunk(matcher, tmp_path):
    src = tmp_path / "leads.csv"
    src.write_text("经营范围\n" + "芯片设计\n" * 5, encoding="utf-8")
    seen = []
    score_file(src, tmp_path / "out.jsonl", matcher=matcher, chunk_size=2, progress=seen.append)
    assert seen == [2, 2, 1]


@pytest.mark.parametrize("workers", [1, 2])
def test_list_records_with_catalogue_expand_to_the_full_records(matcher, tmp_path, workers):
    """The default JSONL holds list records and a catalogue beside it; --detail full writes
    today's full records; both say the same, whatever the number of worker processes."""
    from matcher.records import expand

    src = tmp_path / "leads.csv"
    rows = ["企业名称,经营范围,电话,企业地址"]
    for i in range(30):
        scope = ["集成电路设计，研发处理器芯片", "生物医药创新药研发", "手术机器人与体外诊断设备研发生产"][i % 3]
        rows.append(f"示例{i}公司,{scope},021-6000{i:04d},上海市浦东新区张江路{i}号")
    src.write_text("\n".join(rows) + "\n", encoding="gbk")
    small, full = tmp_path / "list.jsonl", tmp_path / "full.jsonl"
    summary = score_file(src, small, matcher=matcher, chunk_size=7, workers=workers)
    score_file(src, full, matcher=matcher, chunk_size=7, detail="full")
    assert summary.catalogue_path == tmp_path / "list.catalogue.json"
    catalogue = json.loads(summary.catalogue_path.read_text(encoding="utf-8"))
    assert catalogue["taxonomy_version"] == matcher.version
    lists, fulls = _records(small), _records(full)
    assert not full.with_name("full.catalogue.json").exists()
    for short, whole in zip(lists, fulls, strict=True):
        assert short["detail"] == "list" and "detail" not in whole
        assert short["input"] == whole["input"] == {
            "企业名称": whole["name"], "电话": f"021-6000{whole['row'] - 2:04d}",
            "企业地址": f"上海市浦东新区张江路{whole['row'] - 2}号"}
        assert expand(short, catalogue) == whole
        assert len(json.dumps(short, ensure_ascii=False)) < len(json.dumps(whole, ensure_ascii=False))
