"""Audit log: who did what, when (UTC), from where. No secrets; control characters escaped."""

from __future__ import annotations

import re

from sqlmodel import Session

from web.models import AuditEvent

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def clean(text: str, limit: int = 2000) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text or ""))[:limit]


def record(*, session: Session, action: str, user=None, username: str = "", ip: str = "",
           target: str = "", detail: str = "", commit: bool = True) -> None:
    session.add(AuditEvent(
        action=action, user_id=getattr(user, "id", None),
        username=clean(getattr(user, "username", None) or username, 64), ip=clean(ip, 64),
        target=clean(target, 128), detail=clean(detail)))
    if commit:
        session.commit()
