"""The per-row check report shown before a job starts: row number, field, what is wrong."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import NamedTuple

from matcher import fields as parse
from matcher.errors import InputFileError
from matcher.io.reader import LeadFile
from matcher.profile import MAX_DESCRIPTION
from matcher.settings import MatcherSettings

VALIDATE_MAX_ROWS = 20_000
MAX_REPORTED_PROBLEMS = 500
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class Problem(NamedTuple):
    """What is wrong with one field of one row, in English and in Chinese."""

    field: str
    en: str
    zh: str


def credit_code_problem(value) -> tuple[str, str] | None:
    """What is wrong with a 统一社会信用代码 (GB 32100-2015), (English, Chinese), or None."""
    code = re.sub(r"[\s\-]", "", str(value)).upper()
    if not code:
        return None
    if re.fullmatch(r"\d+(\.\d+)?E\+?\d+", code):
        return (f"{value!r} is a number in scientific notation: the spreadsheet rounded the code; "
                "format the column as text and export again",
                f"“{value}”是科学计数法数字：表格软件已把代码四舍五入；请将该列设为文本格式后重新导出")
    if len(code) != 18:
        return (f"{value!r} has {len(code)} characters; a unified social credit code has 18",
                f"“{value}”有 {len(code)} 个字符；统一社会信用代码应为 18 位")
    bad = sorted({c for c in code if c not in _CODE_CHARS})
    if bad:
        return (f"{value!r} contains characters a credit code cannot have: {''.join(bad)}",
                f"“{value}”含有信用代码中不可能出现的字符：{''.join(bad)}")
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(code[:17], _CODE_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    if _CODE_CHARS[check] != code[17]:
        rounded = code.isdigit() and code.endswith("000")
        hint = (" (all digits and ending in 000: probably rounded by a spreadsheet; format the "
                "column as text)") if rounded else ""
        hint_zh = "（全为数字且以 000 结尾：可能被表格软件四舍五入，请将该列设为文本格式）" \
            if rounded else ""
        return (f"{value!r}: the check character does not match (mistyped?){hint}",
                f"“{value}”：校验位不符（输错了？）{hint_zh}")
    return None


_RATES: dict | None = None


def _warning(fld: str, result: parse.Parsed) -> Problem:
    return Problem(fld, result.warning, result.warning_zh or result.warning)


def row_problems(profile: dict) -> list[Problem]:
    """What is wrong with one mapped row, field by field; an empty list when the row is clean."""
    global _RATES
    if _RATES is None:
        _RATES = MatcherSettings().exchange_rates
    rates = _RATES
    problems: list[Problem] = []
    description = str(profile.get("description") or "").strip()
    if not description:
        problems.append(Problem("description", "is empty: the row cannot be scored",
                                "为空：该行无法评分"))
    elif len(description) > MAX_DESCRIPTION:
        problems.append(Problem("description", f"is longer than {MAX_DESCRIPTION} characters",
                                f"超过 {MAX_DESCRIPTION} 个字符"))
    checks = (("investment", lambda v: parse.parse_money(v, rates)), ("land", parse.parse_land),
              ("employees", parse.parse_employees), ("project_type", parse.parse_project_type),
              ("origin", parse.parse_origin))
    for fld, fn in checks:
        value = profile.get(fld)
        if value not in (None, ""):
            result = fn(value)
            if result.warning:
                problems.append(_warning(fld, result))
    if profile.get("traits") not in (None, ""):
        _traits, warnings = parse.parse_traits(profile["traits"])
        problems += [_warning("traits", w) for w in warnings]
    if profile.get("credit_code") not in (None, ""):
        problem = credit_code_problem(profile["credit_code"])
        if problem:
            problems.append(Problem("credit_code", *problem))
    return problems


@dataclasses.dataclass
class ValidationReport:
    rows_checked: int = 0
    rows_with_problems: int = 0
    complete: bool = True
    problems: list[tuple[int, Problem]] = dataclasses.field(default_factory=list)
    by_field: Counter = dataclasses.field(default_factory=Counter)
    fatal: InputFileError | None = None  # the file cannot be read past some point


def validate_file(lead: LeadFile, *, max_rows: int = VALIDATE_MAX_ROWS,
                  max_problems: int = MAX_REPORTED_PROBLEMS) -> ValidationReport:
    """Check every row (up to `max_rows`): row number, field and what is wrong."""
    report = ValidationReport()
    try:
        for number, item in lead.rows():
            if report.rows_checked >= max_rows:
                report.complete = False
                break
            report.rows_checked += 1
            if isinstance(item, Exception):
                found = [Problem("row", str(item), getattr(item, "zh", "") or str(item))]
            else:
                found = row_problems(item)
            if found:
                report.rows_with_problems += 1
                for problem in found:
                    report.by_field[problem.field] += 1
                    if len(report.problems) < max_problems:
                        report.problems.append((number, problem))
    except InputFileError as exc:
        report.fatal = exc
    return report


def count_rows(lead: LeadFile) -> int:
    return sum(1 for _ in lead.rows())
