"""Export the lead list as CSV (UTF-8 with BOM, for Excel) or XLSX; formula-injection-safe."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session, select

from matcher.io import safe_cell
from web.models import Lead, User

COLUMNS = [("id", "编号"), ("name", "企业名称"), ("credit_code", "统一社会信用代码"),
           ("status", "状态"), ("owner", "负责人"), ("top_industry_name", "首选产业"),
           ("top_district_name", "首选区"), ("confidence", "置信度"),
           ("next_follow_up", "下次跟进"), ("source", "来源"), ("created_at", "创建时间(UTC)"),
           ("updated_at", "更新时间(UTC)"), ("description", "描述")]


def _rows(session: Session, leads: list[Lead]):
    owners = {u.id: u.username for u in session.exec(select(User)).all()}
    for lead in leads:
        row = []
        for key, _label in COLUMNS:
            value = owners.get(lead.owner_id, "") if key == "owner" else getattr(lead, key)
            if value is None:
                value = ""
            elif not isinstance(value, (int, float, str)):
                value = str(value)
            row.append(safe_cell(value))
        yield row


def export_leads(*, session: Session, leads: list[Lead], fmt: str) -> bytes:
    header = [f"{label} {key}" for key, label in COLUMNS]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows(_rows(session, leads))
        return buf.getvalue().encode("utf-8-sig")
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("leads")
    for c, name in enumerate(header):
        ws.write_string(0, c, name)
    for r, row in enumerate(_rows(session, leads), start=1):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, value)
    wb.close()
    return out.getvalue()
