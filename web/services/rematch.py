"""Leads after a taxonomy change: which would now match differently, and re-scoring them.

A lead keeps the taxonomy version it was scored with (`Lead.taxonomy_version`) and every scoring
in `LeadMatch`. `preview_changes` re-matches the stored profiles of leads scored on another version
with the current engine, without saving, and compares the top industry, district, park and the
policies with their latest stored record; `rescore_leads` stores new scorings (history keeps both).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlmodel import Session, select

from web.models import Lead, LeadMatch, User
from web.services.leads import rescore_lead
from web.services.matching import current_matcher

PREVIEW_LIMIT = 500  # leads re-matched per preview (newest first)


@dataclass
class LeadChange:
    lead_id: int
    name: str
    version_before: str
    version_after: str
    changes: dict = field(default_factory=dict)  # aspect -> (before, after), names zh/en

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _top(record: dict | None) -> dict:
    """The compared parts of a record: top industry, district and park, and the policies."""
    if not record or "error" in record:
        return {"industry": None, "district": None, "park": None, "policies": ()}

    def first(key):
        rows = record.get(key) or []
        return (rows[0].get("id") or rows[0].get("code"), rows[0].get("name_zh") or
                rows[0].get("path_zh", ""), rows[0].get("name_en") or "") if rows else None

    return {"industry": first("industries"), "district": first("districts"),
            "park": first("parks"),
            "policies": tuple(sorted((p["id"], bool(p.get("stale")))
                                     for p in record.get("policies") or []))}


def compare(before: dict | None, after: dict) -> dict:
    """Aspect -> (before, after) for every aspect whose value differs."""
    a, b = _top(before), _top(after)
    return {k: (a[k], b[k]) for k in a if (a[k] or None) != (b[k] or None)
            and not (k != "policies" and a[k] and b[k] and a[k][0] == b[k][0])}


def _latest(session: Session, lead_id: int) -> dict | None:
    row = session.exec(select(LeadMatch).where(LeadMatch.lead_id == lead_id)
                       .order_by(LeadMatch.id.desc())).first()
    return json.loads(row.result_json) if row else None


def outdated_count(*, session: Session, version: str) -> int:
    from sqlalchemy import func

    return int(session.exec(select(func.count()).select_from(Lead)
                            .where(Lead.taxonomy_version != version)).one())


def preview_changes(*, session: Session, limit: int = PREVIEW_LIMIT) -> list[LeadChange]:
    """Leads scored on another taxonomy version, each re-matched now (nothing is saved)."""
    matcher = current_matcher()
    leads = session.exec(select(Lead).where(Lead.taxonomy_version != matcher.version)
                         .order_by(Lead.updated_at.desc(), Lead.id.desc()).limit(limit)).all()
    if not leads:
        return []
    records = matcher.match_many([json.loads(lead.profile_json) for lead in leads])
    return [LeadChange(lead.id, lead.name, lead.taxonomy_version, matcher.version,
                       compare(_latest(session, lead.id), record))
            for lead, record in zip(leads, records, strict=True)]


def rescore_leads(*, session: Session, lead_ids: list[int], user: User | None) -> list[dict]:
    """Score the given leads again on the current taxonomy; returns what moved per lead."""
    moves = []
    for lead_id in sorted(set(lead_ids)):
        lead = session.get(Lead, lead_id)
        if lead is not None:
            moves.append(rescore_lead(session=session, lead=lead, user=user, commit=False))
    session.commit()
    return moves
