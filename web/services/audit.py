"""Audit log: who did what, when (UTC), from where. No secrets; control characters escaped."""

from __future__ import annotations

import re

from sqlmodel import Session

from web.models import AuditEvent

# C0 and C1 controls, line/paragraph separators, and the invisible or bidirectional format
# characters that could make one entry look like another (e.g. U+202E RIGHT-TO-LEFT OVERRIDE)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text: str, limit: int = 2000) -> str:
    return _CONTROL.sub(_escape, str(text or ""))[:limit]


def record(*, session: Session, action: str, user=None, username: str = "", ip: str = "",
           target: str = "", detail: str = "", commit: bool = True) -> None:
    session.add(AuditEvent(
        action=action, user_id=getattr(user, "id", None),
        username=clean(getattr(user, "username", None) or username, 64), ip=clean(ip, 64),
        target=clean(target, 128), detail=clean(detail)))
    if commit:
        session.commit()
