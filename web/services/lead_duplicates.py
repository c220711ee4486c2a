"""Duplicates: one check for every way a lead enters (a screened lead saved, the public form,
the API; batch import applies the same rule, web/services/dedup.py), and what an officer does
with a duplicate: merge, link, or keep both (kept apart)."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from web.models import Lead, LeadEvent, LeadNote, User, utcnow
from web.services import ServiceError
from web.services import leads as lead_service
from web.services.leads import (
    CONTACT_KEYS,
    PROFILE_KEYS,
    _clean_profile,
    _event,
    delete_lead,
    rescore_lead,
)

DUPLICATE_ACTIONS = ("merge", "link", "keep")


class DuplicateFound(ServiceError):
    """The lead looks like leads already in the pipeline; the caller chooses merge, link or keep."""

    def __init__(self, duplicates: list):
        ids = ", ".join(f"#{d.lead.id}" for d in duplicates)
        super().__init__(f"The pipeline already has this company (lead {ids}): merge into it, "
                         "link to it, or keep both.", "on_duplicate", status=409,
                         zh=f"线索库中已有这家企业（线索 {ids}）：请选择合并、关联或同时保留。")
        self.duplicates = duplicates


def _events_of(session: Session, lead_id: int, kind: str) -> list[LeadEvent]:
    return list(session.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id,
                                                     LeadEvent.kind == kind)).all())


def _ids_in(events: list[LeadEvent]) -> set[int]:
    return {int(v) for e in events for v in (e.detail or "").split(",") if v.strip().isdigit()}


def linked_leads(*, session: Session, lead: Lead) -> list[Lead]:
    """The leads an officer linked to this one (the same company or group, kept apart)."""
    found = [session.get(Lead, i) for i in sorted(_ids_in(_events_of(session, lead.id, "linked")))]
    return [x for x in found if x is not None]


def lead_duplicates(*, session: Session, lead: Lead) -> list:
    """Leads that look like this one and that no officer has linked or kept apart from it."""
    from web.services.dedup import find_duplicates

    settled = {lead.id} | _ids_in(_events_of(session, lead.id, "linked")) | \
        _ids_in(_events_of(session, lead.id, "kept_apart"))
    return find_duplicates(session=session, name=lead.name, credit_code=lead.credit_code,
                           exclude=settled)


def flagged_ids(*, session: Session, lead_ids: list[int]) -> set[int]:
    """Which of these leads were flagged as possible duplicates when they came in and are not
    settled yet (merged, linked or kept apart)."""
    if not lead_ids:
        return set()
    rows = session.exec(select(LeadEvent.lead_id, LeadEvent.kind).where(
        LeadEvent.lead_id.in_(lead_ids),
        LeadEvent.kind.in_(("possible_duplicate", "linked", "kept_apart")))).all()
    flagged = {lid for lid, kind in rows if kind == "possible_duplicate"}
    return flagged - {lid for lid, kind in rows if kind != "possible_duplicate"}


def link_leads(*, session: Session, lead: Lead, other: Lead, user: User | None,
               commit: bool = True) -> None:
    """Link two leads both ways (the same company or group, both kept)."""
    if lead.id == other.id:
        raise ServiceError("A lead cannot be linked to itself.", "duplicate_of",
                           zh="线索不能与自身关联。")
    _event(session, lead.id, user, "linked", str(other.id))
    _event(session, other.id, user, "linked", str(lead.id))
    if commit:
        session.commit()


def keep_apart(*, session: Session, lead: Lead, other: Lead, user: User | None,
               commit: bool = True) -> None:
    """An officer's word that the two are different companies: not flagged again."""
    _event(session, lead.id, user, "kept_apart", str(other.id))
    _event(session, other.id, user, "kept_apart", str(lead.id))
    if commit:
        session.commit()


def _fill_from(target: Lead, profile: dict, contacts: dict) -> list[str]:
    """Copy into the target what it lacks (profile fields, credit code, contacts); the target's
    own values win. Returns the fields filled."""
    mine = json.loads(target.profile_json)
    filled = [k for k in PROFILE_KEYS if profile.get(k) not in (None, "", []) and
              mine.get(k) in (None, "", [])]
    for key in filled:
        mine[key] = profile[key]
    if filled:
        target.profile_json = json.dumps(mine, ensure_ascii=False)
        target.name = target.name or (mine.get("name") or "")[:255]
        target.credit_code = target.credit_code or mine.get("credit_code")
    for key in CONTACT_KEYS:
        if contacts.get(key) and not getattr(target, key):
            setattr(target, key, contacts[key])
            filled.append(key)
    return filled


def merge_into(*, session: Session, target: Lead, data: dict, user: User | None,
               source: str = "officer") -> Lead:
    """A new entry of a company already in the pipeline, merged into its lead: missing fields
    filled, the note kept, the lead re-scored when its profile gained something."""
    filled = _fill_from(target, _clean_profile(data), data)
    note = (data.get("note") or "").replace("\r\n", "\n").strip()
    if note:
        session.add(LeadNote(lead_id=target.id, author_id=user.id if user else None, body=note))
    _event(session, target.id, user, "merged", f"{source}:{','.join(filled)}")
    target.updated_at = utcnow()
    session.add(target)
    if any(k in PROFILE_KEYS for k in filled):
        rescore_lead(session=session, lead=target, user=user, commit=False, trigger="merge")
    session.commit()
    session.refresh(target)
    return target


def merge_leads(*, session: Session, source: Lead, target: Lead, user: User | None) -> Lead:
    """Merge lead `source` into `target`: what the target lacks is copied, the source's notes
    move over, the source is deleted; the target's history says so."""
    if source.id == target.id:
        raise ServiceError("A lead cannot be merged into itself.", "duplicate_of",
                           zh="线索不能合并到自身。")
    contacts = {k: getattr(source, k) for k in CONTACT_KEYS}
    filled = _fill_from(target, json.loads(source.profile_json), contacts)
    if source.consent_at and not target.consent_at and any(k in filled for k in CONTACT_KEYS):
        target.consent_at = source.consent_at
    for note in session.exec(select(LeadNote).where(LeadNote.lead_id == source.id)).all():
        note.lead_id = target.id
        session.add(note)
    _event(session, target.id, user, "merged",
           f"lead:{source.id}:{source.name}:{','.join(filled)}")
    target.updated_at = utcnow()
    session.add(target)
    session.flush()
    delete_lead(session=session, lead=source, commit=False)
    if any(k in PROFILE_KEYS for k in filled):
        rescore_lead(session=session, lead=target, user=user, commit=False, trigger="merge")
    session.commit()
    session.refresh(target)
    return target


def enter_lead(*, session: Session, data: dict, user: User | None, source: str,
               action: str | None = None, target_id: int | None = None) -> tuple[Lead, str]:
    """Every way a lead enters goes through here: the duplicate check, then the officer's choice.

    No duplicate: created. A public submission is created and flagged for officers (the
    public never sees other leads). Otherwise without `action`: DuplicateFound; "merge" into the
    chosen duplicate (`target_id`, default the best), "link" a new lead to it, or "keep" both.
    "keep" keeps the new lead apart from every duplicate shown.
    Returns (the lead, "created" | "flagged" | "merged" | "linked" | "kept")."""
    from web.services.dedup import find_duplicates

    profile = _clean_profile(data)
    duplicates = find_duplicates(session=session, name=profile.get("name"),
                                 credit_code=profile.get("credit_code"))
    if not duplicates:
        return lead_service.create_lead(session=session, data=data, user=user, source=source), "created"
    if source == "public":
        lead = lead_service.create_lead(session=session, data=data, user=user, source=source, commit=False)
        _event(session, lead.id, None, "possible_duplicate",
               ",".join(str(d.lead.id) for d in duplicates))
        session.commit()
        session.refresh(lead)
        return lead, "flagged"
    if action not in DUPLICATE_ACTIONS:
        raise DuplicateFound(duplicates)
    target = next((d.lead for d in duplicates if d.lead.id == target_id), None) \
        if target_id is not None else duplicates[0].lead
    if target is None:
        raise ServiceError("Choose one of the duplicates shown.", "duplicate_of",
                           zh="请从列出的重复线索中选择一条。")
    if action == "merge":
        return merge_into(session=session, target=target, data=data, user=user, source=source), \
            "merged"
    lead = lead_service.create_lead(session=session, data=data, user=user, source=source, commit=False)
    if action == "link":
        link_leads(session=session, lead=lead, other=target, user=user, commit=False)
    else:  # different companies: from every lead shown
        for d in duplicates:
            keep_apart(session=session, lead=lead, other=d.lead, user=user, commit=False)
    session.commit()
    session.refresh(lead)
    return lead, "linked" if action == "link" else "kept"
