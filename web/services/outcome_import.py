"""Outcomes from a CSV (agencies that track them elsewhere): the lead by id or credit code, the
district and park by code, id or name, in UTF-8, UTF-8 BOM, GBK or GB18030.

Every row is checked first; an error names the file's row and the field in both languages, and
a file with any error imports nothing (fix it and upload again: nothing half-done)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from marshmallow import ValidationError
from sqlalchemy import func
from sqlmodel import Session, select

from matcher.errors import InputFileError
from matcher.io.reader import detect_encoding
from matcher.location import is_area
from matcher.text import normalize
from taxonomy import Taxonomy, get_taxonomy
from web.models import Lead, User
from web.outcome_schemas import OutcomeRowIn
from web.services import ServiceError
from web.services.outcomes import _checked, record_outcome
from web.validation import explain, label

MAX_ROWS = 20_000
HEADERS = {
    "lead_id": ("lead_id", "lead id", "lead", "线索编号", "线索id", "线索号"),
    "credit_code": ("credit_code", "credit code", "统一社会信用代码", "信用代码", "社会信用代码"),
    "district_code": ("district", "district_code", "区", "落地区", "所在区", "区县"),
    "zone_id": ("park", "zone", "zone_id", "园区", "落地园区", "所在园区"),
    "outcome": ("outcome", "result", "结果", "状态", "结案结果"),
    "industry_id": ("industry", "industry_id", "产业", "实际产业", "项目产业"),
    "closed_on": ("date", "closed_on", "closed on", "日期", "结案日期", "落地日期", "签约日期"),
    "lost_to": ("lost_to", "lost to", "流向", "流失去向"),
    "lost_city": ("city", "lost_city", "城市", "去往城市"),
    "reason": ("reason", "原因", "流失原因", "备注"),
}
OUTCOME_WORDS = {"已签约": "signed", "签约": "signed", "已落地": "landed", "落地": "landed",
                 "已流失": "lost", "流失": "lost"}
LOST_WORDS = {"其他区": "other_district", "本市其他区": "other_district", "外地": "other_city",
              "外地城市": "other_city", "其他城市": "other_city", "项目取消": "no_project",
              "无项目": "no_project"}


@dataclass
class RowError:
    row: int
    field: str
    en: str
    zh: str

    def text(self, lang: str) -> str:
        zh_label, en_label = label(self.field)
        if lang == "zh":
            return f"第 {self.row} 行，{zh_label}：{self.zh}"
        return f"Row {self.row}, {en_label}: {self.en}"


@dataclass
class ImportResult:
    imported: int = 0
    rows: int = 0
    encoding: str = ""
    errors: list[RowError] = field(default_factory=list)


class _Names:
    """Districts, parks and industries by code, id, name or alias (normalised)."""

    def __init__(self, tx: Taxonomy):
        self.districts, self.parks, self.industries = {}, {}, {}
        for d in tx.districts:
            for n in (d.code, d.id, d.name_zh, d.name_en, *d.aliases_zh, *d.aliases_en):
                self.districts.setdefault(normalize(n), d.code)
            self.districts.setdefault(normalize(d.name_zh).removesuffix("区"), d.code)
        for z in tx.zones:
            if not is_area(z):
                for n in (z.id, z.name_zh, z.name_en, *z.aliases_zh, *z.aliases_en):
                    self.parks.setdefault(normalize(n), z.id)
        for node in tx.industries:
            for n in (node.id, node.name_zh, node.name_en):
                self.industries.setdefault(normalize(n), node.id)


def _decode(content: bytes) -> tuple[str, str]:
    encoding = detect_encoding(content, complete=True)
    return content.decode(encoding), encoding


def _header_map(header: list[str]) -> dict[int, str]:
    wanted = {normalize(a): key for key, aliases in HEADERS.items() for a in aliases}
    return {i: wanted[normalize(h)] for i, h in enumerate(header) if normalize(h) in wanted}


def _resolve(names: _Names, raw: dict, errors: list[RowError], row: int) -> dict:
    out = dict(raw)
    for key, table, en, zh in (("district_code", names.districts, "is not a district of Shanghai",
                                "不是上海的区"),
                               ("zone_id", names.parks, "is not a park of the plans", "不是规划中的园区"),
                               ("industry_id", names.industries, "is not an industry of the plans",
                                "不是规划中的产业")):
        value = (raw.get(key) or "").strip()
        if value:
            found = table.get(normalize(value))
            if found is None:
                errors.append(RowError(row, key, f"{value!r} {en}", f"“{value}”{zh}"))
            out[key] = found or ""
    for key, words in (("outcome", OUTCOME_WORDS), ("lost_to", LOST_WORDS)):
        value = (raw.get(key) or "").strip()
        if value:
            out[key] = words.get(value, value.lower())
        else:  # an empty or missing column: the schema's default
            out.pop(key, None)
    return out


def _lead_of(session: Session, data: dict, row: int, errors: list[RowError]) -> Lead | None:
    if data.get("lead_id"):
        lead = session.get(Lead, data["lead_id"])
        if lead is None:
            errors.append(RowError(row, "lead_id", f"no lead has id {data['lead_id']}",
                                   f"没有编号为 {data['lead_id']} 的线索"))
        return lead
    code = (data.get("credit_code") or "").strip().upper()
    if not code:
        errors.append(RowError(row, "lead_id", "give the lead id or the credit code",
                               "请填写线索编号或统一社会信用代码"))
        return None
    leads = session.exec(select(Lead).where(func.upper(Lead.credit_code) == code)).all()
    if len(leads) != 1:
        errors.append(RowError(row, "credit_code",
                               f"{len(leads)} leads have credit code {code}; give the lead id",
                               f"有 {len(leads)} 条线索的统一社会信用代码为 {code}，请填写线索编号"))
        return None
    return leads[0]


def import_outcomes(*, session: Session, content: bytes, user: User | None) -> ImportResult:
    """Check every row, then record all of them, or none when any row has an error."""
    result = ImportResult()
    try:
        text, result.encoding = _decode(content)
    except InputFileError as exc:
        result.errors.append(RowError(1, "file", str(exc), exc.zh))
        return result
    except UnicodeDecodeError:
        result.errors.append(RowError(1, "file", "the file is not text in UTF-8, GBK or GB18030",
                                      "文件不是 UTF-8、GBK 或 GB18030 编码的文本"))
        return result
    if "\x00" in text:
        result.errors.append(RowError(1, "file", "the file is not a CSV (it holds binary data)",
                                      "文件不是 CSV（含二进制数据）"))
        return result
    sample = text[:4096]
    delimiter = max((",", "\t", ";"), key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or not any(c.strip() for c in rows[0]):
        result.errors.append(RowError(1, "file", "the file has no header row",
                                      "文件没有表头行"))
        return result
    columns = _header_map(rows[0])
    if not {"lead_id", "credit_code"} & set(columns.values()):
        result.errors.append(RowError(1, "lead_id", "no column holds the lead id or the credit "
                                      "code (线索编号 / 统一社会信用代码)",
                                      "没有线索编号或统一社会信用代码列"))
        return result
    names, tx = _Names(get_taxonomy()), get_taxonomy()
    ready: list[tuple[Lead, dict]] = []
    seen: dict[int, int] = {}
    for number, cells in enumerate(rows[1:MAX_ROWS + 1], start=2):
        if not any(c.strip() for c in cells):
            continue
        result.rows += 1
        raw = {key: cells[i] for i, key in columns.items() if i < len(cells)}
        before = len(result.errors)
        resolved = _resolve(names, raw, result.errors, number)
        try:
            data = OutcomeRowIn().load(resolved)
        except ValidationError as exc:
            result.errors += [RowError(number, e.field, e.en, e.zh)
                              for e in explain(exc.messages, OutcomeRowIn())]
            continue
        lead = _lead_of(session, data, number, result.errors)
        if lead is None or len(result.errors) > before:
            continue
        if lead.id in seen:
            result.errors.append(RowError(number, "lead_id", f"lead {lead.id} is also on row "
                                          f"{seen[lead.id]}", f"线索 {lead.id} 已在第 "
                                          f"{seen[lead.id]} 行出现"))
            continue
        seen[lead.id] = number
        try:
            _checked(tx, data)
        except ServiceError as exc:
            result.errors.append(RowError(number, exc.field or "outcome", exc.message, exc.zh))
            continue
        ready.append((lead, data))
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append(RowError(MAX_ROWS + 2, "file", f"at most {MAX_ROWS} rows per file",
                                      f"每个文件最多 {MAX_ROWS} 行"))
    if result.errors:
        return result
    for lead, data in ready:
        record_outcome(session=session, lead=lead, data=data, user=user, source="import",
                       commit=False)
    session.commit()
    result.imported = len(ready)
    return result
