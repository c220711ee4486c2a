"""Every error and problem of the taxonomy library exists in Chinese and in English.

The Chinese rendering holds no English words other than the ids, file names and section paths
it names (its parameters) and a few format names; ``str(exc)`` stays the English text.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from test_tx_validate import DUPLICATE_CASES, INTEGRITY_CASES, SCHEMA_CASES

import taxonomy
from taxonomy import TaxonomyError, TaxonomyFormatError, TaxonomyValidationError, validate
from taxonomy.messages import CATALOGUE, TERMS, Term, Text, field_message, msg

PACKAGE = Path(taxonomy.__file__).parent
# format names a Chinese message may keep as they are
ALLOWED = {"YAML", "UTF", "GB", "T", "PDF", "docx", "txt", "pdf", "yaml", "YYYY", "MM", "DD",
           "true", "false", "a-z", "districts", "plans", "YYYY-MM-DD", "YYYY-YYYY"}
LATIN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def _placeholders(template: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name}


def _neutral(value) -> list[str]:
    """The language-neutral strings a text's parameters put in it (ids, paths, phrases)."""
    if isinstance(value, Text):
        return [s for _k, v in value.params for s in _neutral(v)]
    if isinstance(value, Term):
        return []
    if isinstance(value, tuple):
        return [s for v in value for s in _neutral(v)]
    return [str(value)]


def english_left(t: Text) -> list[str]:
    """English words in the Chinese rendering once its neutral parameters are taken out."""
    zh = t.zh
    for value in sorted(_neutral(t), key=len, reverse=True):
        zh = zh.replace(value, " ")
    return [w for w in LATIN.findall(zh) if w not in ALLOWED]


def test_every_message_code_has_both_renderings_with_the_same_parameters():
    for code, (en, zh) in CATALOGUE.items():
        assert en.strip() and zh.strip(), code
        assert _placeholders(en) == _placeholders(zh), code


def test_no_chinese_template_or_term_holds_english_words():
    for code, (_en, zh) in CATALOGUE.items():
        bare = zh.format(**{k: " " for k in _placeholders(zh)})
        assert [w for w in LATIN.findall(bare) if w not in ALLOWED] == [], code
    for word, zh in TERMS.items():
        assert [w for w in LATIN.findall(zh) if w not in ALLOWED] == [], word


def test_a_parameter_that_is_an_id_is_kept_and_a_word_is_translated():
    t = msg("ref.level", level=Term("重点方向", "focus"), parent_level=Term("门类", "sector"))
    assert t.en == "a focus cannot sit under a sector"
    assert t.zh == "重点方向不能隶属于门类"
    t = msg("cite.no_section", section="五、(一)2", plan="sh-plan")
    assert "sh-plan" in t.zh and "五、(一)2" in t.zh and english_left(t) == []


def _raise_sites():
    """(file, line, exception name, first argument) of every `raise XError(...)` in the package."""
    errors = {c.__name__ for c in _subclasses(TaxonomyError)} | {"TaxonomyError"}
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in ("curate_cli.py", "__main__.py"):  # the command line: English only
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
                if name in errors:
                    yield path.name, node.lineno, name, node.exc.args[0] if node.exc.args else None


def _subclasses(cls):
    import importlib

    for path in PACKAGE.glob("*.py"):
        if path.stem not in ("__main__",):
            importlib.import_module(f"taxonomy.{path.stem}" if path.stem != "__init__" else
                                    "taxonomy")
    out, todo = set(), [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            out.add(sub)
            todo.append(sub)
    return out


def test_every_raise_site_of_the_library_gives_a_bilingual_message():
    sites = list(_raise_sites())
    assert len(sites) > 30  # the scan sees the library's raise sites
    for file, line, name, arg in sites:
        if name == "TaxonomyValidationError":
            continue  # its problems carry the texts (tested below)
        assert isinstance(arg, ast.Call) and getattr(arg.func, "id", "") in (
            "msg", "yaml_text", "entry_text"), \
            f"{file}:{line} raises {name} without a message code"


def test_every_error_class_renders_both_languages():
    for cls in _subclasses(TaxonomyError) | {TaxonomyError}:
        if cls is TaxonomyValidationError:
            continue
        exc = cls(msg("plan.unknown", plan="sh-x"))
        assert exc.message_en == str(exc) == "unknown plan 'sh-x'"
        assert exc.message_zh == "没有编号为 sh-x 的规划", cls


def _check_problems(problems):
    assert problems
    for p in problems:
        t = p.text
        assert t.code != "other", p
        assert t.en == str(p)  # the English rendering is the problem line the CLI prints
        assert english_left(t) == [], (t.zh, p)
        assert re.search(r"[\u4e00-\u9fff]", t.zh), t.zh
        assert english_left(msg(p.kind_text.code)) == []


@pytest.mark.parametrize("case", INTEGRITY_CASES, ids=[c[0] for c in INTEGRITY_CASES])
def test_every_problem_has_a_chinese_rendering_without_english(mini, case):
    _id, rel, old, new, *_ = case
    mini.edit(rel, old, new)
    with pytest.raises(TaxonomyValidationError) as info:
        validate(mini.load(), mini.plans)
    _check_problems(info.value.problems)
    assert [t.zh for t in info.value.texts] == [p.message_zh for p in info.value.problems]


@pytest.mark.parametrize("case", DUPLICATE_CASES, ids=[c[0] for c in DUPLICATE_CASES])
def test_duplicate_problems_are_bilingual(mini, case):
    _id, rel, text, _expected = case
    mini.append(rel, text)
    with pytest.raises(TaxonomyValidationError) as info:
        validate(mini.load(), mini.plans)
    _check_problems(info.value.problems)
    assert "定义了 2 次" in info.value.problems[0].message_zh


def test_plan_links_and_missing_files_are_bilingual(mini):
    mini.edit("plans.yaml", "status: issued", "status: issued\n  superseded_by: sh-nowhere")
    (mini.plans / "sh-advanced-manufacturing-14fyp.txt").unlink()
    from taxonomy import find_problems

    problems = find_problems(mini.load(), mini.plans)
    assert {p.kind for p in problems} >= {"dangling reference", "bad plan status", "bad citation"}
    _check_problems(problems)
    assert any("已填写替代规划 sh-nowhere，但状态为“已发布”" in p.message_zh for p in problems)


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_format_errors_are_bilingual_and_map_marshmallow_messages(mini, case):
    _id, rel, old, new, _fragments = case
    mini.edit(rel, old, new)
    with pytest.raises(TaxonomyFormatError) as info:
        mini.load()
    exc = info.value
    assert exc.text is not None and exc.text.code != "other"
    left = english_left(exc.text)
    assert left == [], (exc.message_zh, left)
    for raw in ("Missing data", "Must be one of", "Unknown field", "Not a valid", "line "):
        assert raw not in exc.message_zh
        assert raw not in exc.message_en or raw == "line "  # marshmallow's, PyYAML's own words
    assert str(exc) != exc.message_zh


def test_marshmallows_stock_messages_are_mapped_not_passed_through():
    cases = {"Missing data for required field.": "缺少（必填）", "Unknown field.": "不是该条目的字段",
             "Not a valid string.": "应为文本", "Not a valid integer.": "应为整数",
             "Field may not be null.": "不能为空",
             "Must be one of: city, district, zone.": "须为以下之一：city、district、zone",
             "Length must be between 2 and 60.": "长度须在 2 到 60 之间",
             "Shorter than minimum length 1.": "长度不足 1",
             "Something marshmallow says one day.": "值无效"}
    for raw, zh in cases.items():
        t = field_message(raw)
        assert t.zh == zh, raw
        assert raw.rstrip(".") not in t.en


def test_str_of_an_error_stays_english_for_the_cli(mini):
    from taxonomy.plans import set_plan_status

    with pytest.raises(TaxonomyError) as info:
        set_plan_status(plan_id="sh-advanced-manufacturing-14fyp", status="retired",
                        data_dir=mini.tax)
    assert str(info.value) == "status 'retired' is not one of issued, draft, superseded"
    assert info.value.message_zh == "状态 retired 不是以下之一：已发布、草案、已被替代"
