"""How a lead reads (issue 10, 18): notes keep their line breaks, times are Shanghai's, the
history is in words."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from sqlmodel import select

from web.models import LeadNote


def test_times_are_shanghai_local(auth_client, screen_lead, csrf, db):
    lead_id, _ = screen_lead(auth_client, name="时间示例")
    token = csrf(auth_client, f"/leads/{lead_id}")
    auth_client.post(f"/leads/{lead_id}/notes", data={"csrf_token": token, "body": "看时间"})
    with db() as s:
        note = s.exec(select(LeadNote).where(LeadNote.lead_id == lead_id)).one()
        shown = note.created_at.replace(tzinfo=dt.UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    body = auth_client.get(f"/leads/{lead_id}").get_data(as_text=True)
    assert shown.strftime("%Y-%m-%d %H:%M") in body
    assert " UTC" not in body and "时间（上海时间）" in body
    en = auth_client.get(f"/leads/{lead_id}?lang=en").get_data(as_text=True)
    assert "When (Shanghai time)" in en


def test_notes_keep_their_line_breaks(auth_client, screen_lead, csrf):
    lead_id, _ = screen_lead(auth_client, name="换行示例")
    token = csrf(auth_client, f"/leads/{lead_id}")
    auth_client.post(f"/leads/{lead_id}/notes",
                     data={"csrf_token": token, "body": "第一行\r\n第二行\n\n第四行"})
    body = auth_client.get(f"/leads/{lead_id}").get_data(as_text=True)
    found = re.search(r'class="note-body"[^>]*>(.*?)</span>', body, re.S).group(1)
    assert found.split("\n")[0] == "第一行" and "第四行" in found and found.count("\n") >= 3
    assert "leads.css" in body  # .note-body { white-space: pre-line } (the browser test sees it)


def test_history_in_words(auth_client, screen_lead, csrf, officer):
    lead_id, _ = screen_lead(auth_client, name="记录示例")
    token = csrf(auth_client, f"/leads/{lead_id}")
    auth_client.post(f"/leads/{lead_id}/update", data={
        "csrf_token": token, "status": "contacted", "owner_id": str(officer.id), "next_follow_up": ""})
    zh = auth_client.get(f"/leads/{lead_id}").get_data(as_text=True)
    events = re.search(r'<ul class="events">(.*?)</ul>', zh, re.S).group(1)
    assert "状态：新线索 → 已联系" in events or "状态：新 → 已联系" in events, events
    assert "->" not in events and "contacted" not in events
    en = auth_client.get(f"/leads/{lead_id}?lang=en").get_data(as_text=True)
    events = re.search(r'<ul class="events">(.*?)</ul>', en, re.S).group(1)
    assert "Status: new → contacted" in events and "->" not in events
