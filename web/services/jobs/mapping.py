"""The column mapping chosen on the mapping page, and the raw preview beside it."""

from __future__ import annotations

import dataclasses

from matcher.errors import InputFileError
from matcher.io.reader import LeadFile
from matcher.profile import HEADER_ALIASES
from web.services.jobs.errors import JobError

FIELDS = tuple(HEADER_ALIASES)
FIELD_LABELS = {  # (Chinese, English) of every field a column can fill
    "name": ("企业名称", "Company name"),
    "description": ("描述 / 经营范围", "Description / business scope"),
    "project_type": ("项目类型", "Project type"),
    "investment": ("投资额 / 注册资本", "Investment / registered capital"),
    "land": ("用地需求", "Land needed"),
    "employees": ("员工人数", "Employees"),
    "origin": ("企业类型 / 来源", "Company type / origin"),
    "traits": ("企业资质", "Company traits"),
    "preferred_districts": ("意向区域", "Preferred districts"),
    "credit_code": ("统一社会信用代码", "Unified social credit code"),
    "industry_label": ("所属行业", "Industry label"),
    "address": ("地址", "Address"),
    "lead_kind": ("项目性质（新设 / 增资扩产）", "Lead kind (new investment / expansion)"),
    "contact_name": ("联系人", "Contact person"),
    "contact_phone": ("电话", "Phone"),
    "contact_email": ("邮箱", "E-mail"),
    "legal_representative": ("法定代表人", "Legal representative"),
}


def field_label(fld: str, lang: str) -> str:
    zh, en = FIELD_LABELS.get(fld, (fld, fld))
    return zh if lang == "zh" else en


def mapping_from_form(headers: list[str], form) -> dict[str, str]:
    """{header: field} from form fields col-<i>; each field once, `description` required."""
    mapping: dict[str, str] = {}
    seen: dict[str, str] = {}
    for i, header in enumerate(headers):
        fld = (form.get(f"col-{i}") or "").strip()
        if not fld:
            continue
        if fld not in FIELDS:
            raise JobError(f"column {header!r}: unknown field {fld!r}",
                           f"列“{header}”：没有“{fld}”这个字段", f"col-{i}")
        if fld in seen:
            zh, en = FIELD_LABELS[fld]
            raise JobError(f"the field {en} is chosen for two columns ({seen[fld]!r} and "
                           f"{header!r}); choose it once",
                           f"“{zh}”字段被选给了两列（“{seen[fld]}”和“{header}”），只能选一列",
                           f"col-{i}")
        seen[fld] = header
        mapping[header] = fld
    if "description" not in mapping.values():
        raise JobError("choose the column that holds the description (经营范围 or a company "
                       "profile); it is required",
                       "请选择包含描述的列（经营范围或企业简介），这一列为必填", "description")
    return mapping


def header_row_from_form(form, lead: LeadFile) -> int:
    """The header row the form chose (`header_row`), else the file's current one."""
    raw = (form.get("header_row") or "").strip()
    if not raw:
        return lead.header_row
    numbers = {n for n, _cells in lead.top}
    if not raw.isdigit() or int(raw) not in numbers:
        raise JobError(f"the header row must be one of the file's first {len(numbers)} rows",
                       f"表头行须为文件前 {len(numbers)} 行中的一行", "header_row")
    return int(raw)


def top_rows(lead: LeadFile, n: int = 6) -> list[tuple[int, list[str]]]:
    """The file's first rows as raw cells (at least down to three below the header row), for
    choosing the header row."""
    last = max(n, lead.header_row + 3)
    return [(number, cells) for number, cells in lead.top if number <= last]


def preview_rows(lead: LeadFile, n: int = 10) -> list[tuple[int, list[str] | Exception]]:
    """The first rows below the header as raw cell texts per header (or the error of a broken
    row, or of the file after some row: row 0)."""
    raw = dataclasses.replace(lead, mapping={h: h for h in lead.headers if h})
    out: list[tuple[int, list[str] | Exception]] = []
    try:
        for number, item in raw.rows():
            if isinstance(item, Exception):
                out.append((number, item))
            else:
                out.append((number, [str(item.get(h, "")) for h in lead.headers]))
            if len(out) >= n:
                break
    except InputFileError as exc:
        out.append((0, exc))
    return out
