"""Writing results: JSONL, CSV and XLSX; formula injection escaped; files written atomically."""

from __future__ import annotations

import csv
import json
import os

import pytest
from openpyxl import load_workbook

from matcher import InputFileError, OutputFileError
from matcher.batch import score_file
from matcher.io import safe_cell, write_results
from matcher.io.writer import FLAT_COLUMNS

DANGEROUS = ["=HYPERLINK(\"http://evil\",\"x\")", "+86 21 5555", "-2+3", "@SUM(A1:A9)"]


@pytest.mark.parametrize("value", [*DANGEROUS, "\tcmd", "\rx", "=1+1"])
def test_safe_cell_defuses_formulas(value):
    cell = safe_cell(value)
    assert isinstance(cell, str)
    assert cell == "'" + value


@pytest.mark.parametrize("value,expected", [
    ("集成电路", "集成电路"), ("a=b", "a=b"), (None, ""), (True, "yes"), (False, "no"),
    (0.75, 0.75), (3, 3), (-1.5, -1.5),
])
def test_safe_cell_leaves_ordinary_values(value, expected):
    assert safe_cell(value) == expected


@pytest.fixture(scope="module")
def scored(matcher, tmp_path_factory):
    """A lead list whose names start with formula characters, scored into all three formats."""
    folder = tmp_path_factory.mktemp("scored")
    src = folder / "leads.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["企业名称", "统一社会信用代码", "经营范围"])
        for i, name in enumerate(DANGEROUS):
            w.writerow([name, f"91310115000000000{i}", "集成电路设计，研发处理器芯片"])
        w.writerow(["=cmd|' /C calc'!A0", "913101150000000009", ""])   # also an error row
    outputs = {}
    for fmt in ("jsonl", "csv", "xlsx"):
        out = folder / f"result.{fmt}"
        summary = score_file(src, out, matcher=matcher)
        assert (summary.rows, summary.errors) == (5, 1)
        outputs[fmt] = out
    return outputs


def test_jsonl_output_is_one_record_per_row(scored):
    lines = scored["jsonl"].read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["row"] for r in records] == [2, 3, 4, 5, 6]
    assert [r.get("name") for r in records[:4]] == DANGEROUS   # JSON data is not escaped
    assert {"row", "error"} <= set(records[4]) and "description" in records[4]["error"]
    assert records[0]["detail"] == "list"
    assert records[0]["input"] == {"企业名称": DANGEROUS[0], "统一社会信用代码": "913101150000000000"}
    assert scored["jsonl"].with_name("result.catalogue.json").exists()


def test_csv_output_escapes_formula_cells(scored):
    raw = scored["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                         # UTF-8 BOM for Excel
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    # the scores, then the input's own columns (all but the description), formula-safe too
    assert list(rows[0]) == [*FLAT_COLUMNS, "企业名称", "统一社会信用代码"]
    assert [r["name"] for r in rows[:4]] == ["'" + n for n in DANGEROUS]
    assert [r["企业名称"] for r in rows[:4]] == ["'" + n for n in DANGEROUS]
    assert rows[0]["industry_1_id"].startswith("ic")
    assert rows[0]["credit_code"] == "913101150000000000"
    assert "description" in rows[4]["error"]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_xlsx_output_cells_are_strings_not_formulas(scored):
    wb = load_workbook(scored["xlsx"])
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header == [*FLAT_COLUMNS, "企业名称", "统一社会信用代码"]
    name_col = header.index("name") + 1
    code_col = header.index("credit_code") + 1
    for r, name in enumerate(DANGEROUS, start=2):
        cell = ws.cell(row=r, column=name_col)
        assert cell.data_type == "s", (name, cell.data_type)
        # text as given, no apostrophe (that is CSV's guard); the quote-prefix style keeps it text
        assert cell.value == name and cell.quotePrefix
        code = ws.cell(row=r, column=code_col)
        assert code.data_type == "s" and code.value == f"91310115000000000{r - 2}"
    error_row = ws.cell(row=6, column=name_col)
    assert error_row.data_type == "s" and error_row.value.startswith("=cmd")
    assert error_row.quotePrefix
    score_cell = ws.cell(row=2, column=header.index("industry_1_score") + 1)
    assert score_cell.data_type == "n" and 0 <= score_cell.value <= 1
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
    wb.close()


# ---- atomic writing -------------------------------------------------------------------------

RECORD = ({"row": 1, "error": "description: is required"}, {})


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".partial-"))


def test_bad_extension_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(OutputFileError, match=r"\.jsonl, \.csv or \.xlsx"):
        write_results(tmp_path / "result.txt", [RECORD])
    assert list(tmp_path.iterdir()) == []


def test_parent_that_is_a_file_is_an_output_error(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("I am a file", encoding="utf-8")
    with pytest.raises(OutputFileError, match="cannot write"):
        write_results(blocker / "result.jsonl", [RECORD])
    assert blocker.read_text(encoding="utf-8") == "I am a file"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx"])
def test_writing_onto_a_directory_leaves_no_partial_file(tmp_path, fmt):
    target = tmp_path / f"result.{fmt}"
    target.mkdir()
    with pytest.raises(OutputFileError, match="cannot write"):
        write_results(target, [RECORD])
    assert target.is_dir() and list(target.iterdir()) == []
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can write into read-only folders")
def test_a_read_only_folder_is_an_output_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputFileError):
            write_results(folder / "result.csv", [RECORD])
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx"])
def test_a_failure_mid_write_keeps_the_previous_file(tmp_path, fmt):
    target = tmp_path / f"result.{fmt}"
    target.write_bytes(b"previous result")

    def records():
        yield RECORD
        raise RuntimeError("scoring died")

    with pytest.raises(RuntimeError, match="scoring died"):
        write_results(target, records())
    assert target.read_bytes() == b"previous result"
    assert _leftovers(tmp_path) == []


def test_an_input_that_breaks_mid_file_leaves_no_output(matcher, tmp_path):
    src = tmp_path / "mixed.csv"
    src.write_bytes("企业名称,经营范围\n甲,芯片设计\n乙,医疗器械\n".encode()
                    + "丙,生物医药\n".encode("gbk"))
    out = tmp_path / "result.jsonl"
    with pytest.raises(InputFileError, match="utf-8"):
        score_file(src, out, matcher=matcher, encoding="utf-8", chunk_size=1)
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_write_results_returns_the_row_count(tmp_path):
    out = tmp_path / "r.jsonl"
    assert write_results(out, [RECORD, RECORD]) == 2
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
