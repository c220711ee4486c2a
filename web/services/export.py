"""Export the lead list as CSV (UTF-8 with BOM, for Excel) or XLSX, in the officer's language:
headers, statuses, sources, industries and districts in words; the contact columns too.

Formula-injection-safe: a CSV cell that a spreadsheet would run gets a leading apostrophe; an
XLSX cell is stored as text instead (matcher.io.xlsx), with no apostrophe."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlmodel import Session, select

from matcher.io import safe_cell
from matcher.io.xlsx import SheetWriter
from web.models import Lead, User
from web.translations import ZH

# (key, Chinese header, English header)
COLUMNS = [("id", "编号", "ID"), ("name", "企业名称", "Company name"),
           ("credit_code", "统一社会信用代码", "Unified social credit code"),
           ("status", "状态", "Status"), ("owner", "负责人", "Owner"),
           ("contact_name", "联系人", "Contact person"), ("contact_phone", "电话", "Phone"),
           ("contact_email", "邮箱", "E-mail"),
           ("legal_representative", "法定代表人", "Legal representative"),
           ("top_industry", "首选产业", "Top industry"), ("top_district", "首选区", "Top district"),
           ("confidence", "置信度", "Confidence"), ("next_follow_up", "下次跟进", "Next follow-up"),
           ("source", "来源", "Source"), ("created_at", "创建时间(UTC)", "Created (UTC)"),
           ("updated_at", "更新时间(UTC)", "Updated (UTC)"), ("description", "描述", "Description")]
# a lead's status in words (English source texts; their Chinese in web/translations/admin.py)
STATUS_WORDS = {"new": "New lead", "contacted": "Contacted", "visit": "Visited",
                "negotiation": "In negotiation", "signed": "Signed", "landed": "Landed",
                "lost": "Lost"}


def _t(text: str, lang: str) -> str:
    return ZH.get(text, text) if lang == "zh" else text


def _when(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=None) if value.tzinfo is None else \
            value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"
    return value.isoformat()


def _place_names(lang: str):
    from taxonomy import get_taxonomy

    tx = get_taxonomy()

    def industry(lead: Lead) -> str:
        node = tx.industry_by_id.get(lead.top_industry_id or "")
        if node is None:
            return lead.top_industry_name or ""
        return (node.name_zh or node.name_en) if lang == "zh" else (node.name_en or node.name_zh)

    def district(lead: Lead) -> str:
        d = tx.district_by_code.get(lead.top_district_code or "")
        if d is None:
            return lead.top_district_name or ""
        return (d.name_zh or d.name_en) if lang == "zh" else (d.name_en or d.name_zh)

    return industry, district


def lead_rows(*, session: Session, leads: list[Lead], lang: str):
    """The export's rows: plain values (numbers as numbers, codes in words), not yet guarded."""
    from web.i18n import SOURCES

    owners = {u.id: u.display_name or u.username for u in session.exec(select(User)).all()}
    industry, district = _place_names(lang)
    for lead in leads:
        values = {
            "owner": owners.get(lead.owner_id, ""),
            "status": _t(STATUS_WORDS.get(lead.status, lead.status), lang),
            "source": _t(SOURCES.get(lead.source, lead.source), lang),
            "top_industry": industry(lead), "top_district": district(lead),
            "legal_representative": lead.legal_representative or "",
            "created_at": _when(lead.created_at), "updated_at": _when(lead.updated_at),
            "next_follow_up": _when(lead.next_follow_up),
        }
        yield [values[key] if key in values else getattr(lead, key) for key, _zh, _en in COLUMNS]


def header(lang: str) -> list[str]:
    return [zh if lang == "zh" else en for _key, zh, en in COLUMNS]


def export_leads(*, session: Session, leads: list[Lead], fmt: str, lang: str | None = None) -> bytes:
    """The leads as CSV or XLSX bytes in `lang` (default: the interface language)."""
    if lang is None:
        from web.i18n import current_lang

        lang = current_lang()
    rows = lead_rows(session=session, leads=leads, lang=lang)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header(lang))
        writer.writerows([safe_cell(v) for v in row] for row in rows)
        return buf.getvalue().encode("utf-8-sig")
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    sheet = SheetWriter(wb, wb.add_worksheet("线索" if lang == "zh" else "leads"), header(lang))
    for row in rows:
        sheet.write_row(row)
    sheet.finish()
    wb.close()
    return out.getvalue()
