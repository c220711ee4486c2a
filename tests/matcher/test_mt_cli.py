"""`python -m matcher match` and `python -m matcher score`, run as real subprocesses."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from matcher.cli import main as matcher_main

RECORD_KEYS = {"row", "name", "taxonomy_version", "industries", "districts", "parks", "policies",
               "confidence", "warnings"}


def test_match_json_prints_a_design_record(run_matcher_cli, mini_tx):
    result = run_matcher_cli("match", "公司专注于高端处理器芯片和存储器芯片的研发", "--json",
                             "--name", "甲芯", "--preferred-districts", "Pudong")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert set(record) >= RECORD_KEYS
    assert record["row"] == 0 and record["name"] == "甲芯"
    assert record["taxonomy_version"] == mini_tx.version
    assert record["industries"][0]["id"].startswith("ic")
    assert record["districts"][0]["code"] == "310115"
    assert all(0 <= d["score"] <= 1 for d in record["districts"])


def test_match_prints_a_readable_explanation(run_matcher_cli):
    result = run_matcher_cli("match", "Medical device maker: surgical robots and IVD analyzers",
                             "--investment", "USD 30m", "--project-type", "factory")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in ("Industries", "Districts", "Parks", "Policies that may apply"):
        assert heading in out
    assert "高端医疗器械" in out
    assert "CNY/USD" in out                     # the conversion is shown with its rate
    assert "source: sh-advanced-manufacturing-14fyp" in out


@pytest.fixture
def cli(mini_tax_dir, model_dir, capsys):
    """The same command line, in this process (quicker for the error paths)."""

    def run(*args):
        code = matcher_main(["--taxonomy", str(mini_tax_dir), "--model-dir", str(model_dir),
                             *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_match_an_empty_description_is_an_error(cli):
    code, out, _err = cli("match", "  ", "--json")
    assert code != 0
    record = json.loads(out)
    assert {"row", "error"} <= set(record) and record["error"].startswith("description:")
    assert record["field"] == "description"
    assert record["error_zh"].startswith("企业或项目描述为空")
    assert record["error_en"].startswith("Description is empty")


def test_score_gbk_csv_writes_one_record_per_row_in_order(run_matcher_cli, tmp_path):
    src = tmp_path / "leads.csv"
    src.write_bytes(
        "企业名称,统一社会信用代码,经营范围,注册资本\n"
        "甲芯,91310115MA1H7ABC1X,集成电路设计；处理器芯片,5000万元\n"
        "乙,91310117MA1K0XYZ2Y,,1亿\n"
        "丙医疗,91310114MA1ABCDE3Z,医疗器械研发、生产,3億元\n"
        "丁,X,生物医药,1亿,多出来的一格\n"
        "戊药业,91310117MA1ZZZZZ9Q,创新药研发,2000万元\n".encode("gbk"))
    out = tmp_path / "out.jsonl"
    result = run_matcher_cli("score", src, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "scored 5 rows (2 with errors)" in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in records] == [2, 3, 4, 5, 6]  # the file's own rows
    assert records[0]["name"] == "甲芯" and records[0]["industries"][0]["id"].startswith("ic")
    assert {"row", "error"} <= set(records[1]) and "description" in records[1]["error"]
    assert records[2]["name"] == "丙医疗"
    assert records[2]["industries"][0]["id"] == "biomed-devices"
    assert {"row", "error", "error_zh"} <= set(records[3]) and "row 5" in records[3]["error"]
    assert "第 5 行" in records[3]["error_zh"]
    assert records[4]["name"] == "戊药业" and records[4]["industries"][0]["id"] == "biomed"


@pytest.mark.parametrize("name,content,message", [
    ("nodesc.csv", "企业名称,注册资本\n甲,1亿\n", "no description column"),
    ("absent.csv", None, "no such file"),
])
def test_score_refuses_unreadable_input_with_a_message(cli, tmp_path, name, content, message):
    src = tmp_path / name
    if content is not None:
        src.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _out, err = cli("score", src, "-o", out, "--workers", "1")
    assert code != 0
    assert err.startswith("error: ") and message in err
    assert not out.exists()


def test_score_to_a_bad_extension_is_refused(cli, tmp_path):
    src = tmp_path / "leads.csv"
    src.write_text("经营范围\n芯片设计\n", encoding="utf-8")
    code, _out, err = cli("score", src, "-o", tmp_path / "out.txt", "--workers", "1")
    assert code != 0
    assert ".jsonl, .csv or .xlsx" in err
    assert not (tmp_path / "out.txt").exists()


def test_score_in_process_to_xlsx(cli, tmp_path):
    src = tmp_path / "leads.csv"
    src.write_text("企业名称,经营范围\n=A,芯片设计\nB,\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    code, _out, err = cli("score", src, "-o", out, "--workers", "1")
    assert code == 0, err
    assert "scored 2 rows (1 with errors)" in err
    wb = load_workbook(out)
    rows = list(wb.active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [2, 3]
    assert rows[1][1] == "=A" and wb.active.cell(row=2, column=2).quotePrefix  # text, no '
    wb.close()


TITLED = ("企查查-企业数据导出,导出时间 2026-11-30\n"
          "企业名称,统一社会信用代码,经营范围,注册资本\n"
          "甲芯,91310115MA1H7ABC1X,集成电路设计；处理器芯片,5000万元\n"
          "丙医疗,91310114MA1ABCDE3Z,医疗器械研发、生产,3億元\n")


def test_score_finds_the_header_below_a_title_line(cli, tmp_path):
    src = tmp_path / "qcc.csv"
    src.write_bytes(TITLED.encode("gbk"))
    out = tmp_path / "out.jsonl"
    code, _out, err = cli("score", src, "-o", out, "--workers", "1")
    assert code == 0, err
    assert "scored 2 rows (0 with errors)" in err and "header row 2" in err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["row"], r["name"]) for r in records] == [(3, "甲芯"), (4, "丙医疗")]


def test_score_header_row_option(cli, tmp_path, capsys):
    src = tmp_path / "qcc.csv"
    src.write_bytes(TITLED.encode("gbk"))
    out = tmp_path / "out.jsonl"
    code, _out, err = cli("score", src, "-o", out, "--workers", "1", "--header-row", "2")
    assert code == 0, err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    # the title line as the header: no description column, refused with the row named
    code, _out, err = cli("score", src, "-o", tmp_path / "o2.jsonl", "--workers", "1",
                          "--header-row", "1")
    assert code == 2 and "no description column" in err and "row 1" in err
    code, _out, err = cli("score", src, "-o", out, "--header-row", "auto", "--workers", "1")
    assert code == 0, err
    with pytest.raises(SystemExit):
        cli("score", src, "-o", out, "--header-row", "0")
    assert "'0' is not a row number" in capsys.readouterr().err


@pytest.mark.parametrize("lang, expected", [
    ("en", "row 0: cannot be scored: Description is empty; describe the company or project"),
    ("zh", "第 0 行无法评分：企业或项目描述为空，请描述企业做什么、生产什么")])
def test_cli_explains_an_unscorable_profile_in_the_terminal_language(run_matcher_cli, lang,
                                                                     expected):
    result = run_matcher_cli("match", "   ", "--lang", lang)
    assert result.returncode == 1
    assert expected in result.stdout
