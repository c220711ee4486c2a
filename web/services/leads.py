"""The lead pipeline: create, list, update, note, re-score, export."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, select

from web.models import LEAD_STATUSES, Lead, LeadEvent, LeadMatch, LeadNote, User, utcnow
from web.services import NotFound, ServiceError
from web.services.matching import match_profile
from web.validation import FieldError

PROFILE_KEYS = ("name", "description", "project_type", "investment", "land", "employees",
                "origin", "traits", "preferred_districts", "credit_code", "industry_label",
                "address", "lead_kind")
SORTS = {"updated": Lead.updated_at.desc(), "created": Lead.created_at.desc(),
         "name": Lead.name.asc(), "confidence": Lead.confidence.desc(),
         "follow_up": Lead.next_follow_up.asc(), "status": Lead.status.asc()}


MAX_ID = 2**31 - 1  # the id columns' range (PostgreSQL integer)
SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSED_STATUSES = ("signed", "landed", "lost")  # no follow-up is due on these


def shanghai_today() -> dt.date:
    """Today's date in Shanghai (the officers' calendar), whatever the server's zone."""
    return dt.datetime.now(SHANGHAI).date()


def to_shanghai(value: dt.datetime) -> dt.datetime:
    """A stored time in Shanghai's zone; a naive one (SQLite gives them back so) is UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(SHANGHAI)


def is_overdue(lead: Lead, today: dt.date | None = None) -> bool:
    """An open lead whose next follow-up date has passed; a closed lead is never overdue."""
    return bool(lead.next_follow_up) and lead.status not in CLOSED_STATUSES and \
        lead.next_follow_up < (today or shanghai_today())


def check_follow_up(value: dt.date | None, today: dt.date | None = None) -> None:
    """Refuse a next follow-up date in the past (ServiceError naming the field)."""
    today = today or shanghai_today()
    if value is not None and value < today:
        raise ServiceError(f"The next follow-up date {value.isoformat()} is in the past; choose "
                           f"today ({today.isoformat()}) or a later date.", "next_follow_up",
                           zh=f"下次跟进日期 {value.isoformat()} 已经过去，请选择今天"
                              f"（{today.isoformat()}）或以后的日期。")


def _user_exists(session: Session, user_id) -> bool:
    return isinstance(user_id, int) and 0 < user_id <= MAX_ID and \
        session.get(User, user_id) is not None


def _clean_profile(data: dict) -> dict:
    return {k: data[k] for k in PROFILE_KEYS if data.get(k) not in (None, "", [])}


def _apply_record(lead: Lead, record: dict) -> None:
    from taxonomy import get_taxonomy

    if "error" in record:
        return
    inds, dists = record["industries"], record["districts"]
    lead.top_industry_id = inds[0]["id"] if inds else ""
    lead.top_industry_name = inds[0]["name_zh"] if inds else ""
    lead.top_sector_id = get_taxonomy().sector_of(inds[0]["id"]) if inds else ""
    lead.top_district_code = dists[0]["code"] if dists else ""
    lead.top_district_name = dists[0]["name_zh"] if dists else ""
    lead.confidence = record["confidence"]
    lead.taxonomy_version = record["taxonomy_version"]


def create_lead(*, session: Session, data: dict, user: User | None = None, source: str = "officer",
                record: dict | None = None, commit: bool = True) -> Lead:
    """Store a lead and its first match. `data` is a validated profile (+ pipeline fields)."""
    profile = _clean_profile(data)
    if not profile.get("description"):
        raise ServiceError("description is required", "description",
                           zh="请描述企业或项目：做什么、生产什么。")
    status = data.get("status") or "new"
    if status not in LEAD_STATUSES:
        raise ServiceError(f"status must be one of {', '.join(LEAD_STATUSES)}", "status",
                           zh="状态须为以下之一：" + "、".join(LEAD_STATUSES))
    if data.get("owner_id") is not None and not _user_exists(session, data["owner_id"]):
        raise ServiceError("owner does not exist", "owner_id", zh="该负责人不存在。")
    if source in ("officer", "api"):  # a date a person enters now (not a seed's or a file's)
        check_follow_up(data.get("next_follow_up"))
    record = record or match_profile(session=session, profile=profile)
    if "error" in record:
        raise ServiceError(record["error"], record.get("field") or "description",
                           zh=record.get("error_zh") or "")
    lead = Lead(name=(profile.get("name") or "")[:255], credit_code=profile.get("credit_code"),
                description=profile["description"], source=source, status=status,
                profile_json=json.dumps(profile, ensure_ascii=False),
                owner_id=data.get("owner_id") or (user.id if user else None),
                next_follow_up=data.get("next_follow_up"),
                contact_name=data.get("contact_name") or "", contact_email=data.get("contact_email") or "",
                contact_phone=data.get("contact_phone") or "",
                legal_representative=data.get("legal_representative") or "",
                consent_at=utcnow() if data.get("consent") else None)
    _apply_record(lead, record)
    session.add(lead)
    session.flush()
    session.add(LeadMatch(lead_id=lead.id, taxonomy_version=record["taxonomy_version"],
                          trigger="created", result_json=json.dumps(record, ensure_ascii=False)))
    session.add(LeadEvent(lead_id=lead.id, user_id=user.id if user else None, kind="created",
                          detail=source))
    note = (data.get("note") or "").replace("\r\n", "\n").strip()
    if note:
        session.add(LeadNote(lead_id=lead.id, author_id=user.id if user else None, body=note))
    if commit:
        session.commit()
        session.refresh(lead)
    return lead


def get_lead(*, session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(f"lead {lead_id}")
    return lead


@dataclass
class LeadQuery:
    """The pipeline's filters; "" (or None) is no filter. `owner` is a user id or "none"."""

    q: str = ""
    status: str = ""
    sector: str = ""
    industry: str = ""
    district: str = ""
    owner: str = ""
    source: str = ""
    owner_id: int | None = None
    sort: str = "updated"
    page: int = 1
    per_page: int = 50

    FILTERS = ("q", "status", "sector", "industry", "district", "owner", "source")

    def args(self) -> dict:
        """The filters and sort that are set, as URL arguments (export links, pager)."""
        out = {k: getattr(self, k) for k in self.FILTERS if getattr(self, k)}
        if self.sort != "updated":
            out["sort"] = self.sort
        return out


def check_query(*, session: Session, query: LeadQuery) -> list[FieldError]:
    """What in the filters names nothing that exists (an unknown sector, district, owner ...),
    each in both languages; [] when every filter can be applied."""
    from taxonomy import get_taxonomy

    tx = get_taxonomy()
    errors = []
    if query.sector and not any(n.id == query.sector and n.level == "sector" for n in tx.industries):
        errors.append(FieldError("sector", "unknown", f"没有这个产业门类：{query.sector}。",
                                 f"There is no sector “{query.sector}”."))
    if query.industry and query.industry not in tx.industry_by_id:
        errors.append(FieldError("industry", "unknown", f"没有这个产业：{query.industry}。",
                                 f"There is no industry “{query.industry}”."))
    if query.district and query.district not in tx.district_by_code:
        errors.append(FieldError("district", "unknown", f"没有这个区：{query.district}。",
                                 f"There is no district “{query.district}”."))
    if query.owner and query.owner != "none" and not (
            query.owner.isdigit() and _user_exists(session, int(query.owner))):
        errors.append(FieldError("owner", "unknown", f"没有这个负责人：{query.owner}。",
                                 f"There is no owner “{query.owner}”."))
    return errors


def _like(text: str) -> str:
    """A LIKE pattern that finds `text` literally ("%" and "_" are no wildcards)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(query: LeadQuery, *, with_status: bool = True):
    stmt = select(Lead)
    if query.q and query.q.strip():
        like = _like(query.q.strip())
        stmt = stmt.where(or_(*(col.ilike(like, escape="\\") for col in (
            Lead.name, Lead.description, Lead.credit_code, Lead.top_industry_name,
            Lead.top_district_name))))
    if query.status and with_status:
        stmt = stmt.where(Lead.status == query.status)
    if query.sector:
        stmt = stmt.where(Lead.top_sector_id == query.sector)
    if query.industry:
        stmt = stmt.where(Lead.top_industry_id == query.industry)
    if query.district:
        stmt = stmt.where(Lead.top_district_code == query.district)
    if query.owner == "none":
        stmt = stmt.where(Lead.owner_id.is_(None))
    elif query.owner.isdigit():
        stmt = stmt.where(Lead.owner_id == int(query.owner))
    if query.owner_id:
        stmt = stmt.where(Lead.owner_id == query.owner_id)
    if query.source:
        stmt = stmt.where(Lead.source == query.source)
    return stmt


def list_leads(*, session: Session, query: LeadQuery) -> tuple[list[Lead], int]:
    """One page of the leads the filters select, and how many they select in all."""
    stmt = _filtered(query)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    stmt = stmt.order_by(SORTS.get(query.sort, SORTS["updated"]), Lead.id.desc())
    page = max(1, query.page)
    rows = session.exec(stmt.offset((page - 1) * query.per_page).limit(query.per_page)).all()
    return list(rows), int(total)


def update_lead(*, session: Session, lead: Lead, changes: dict, user: User | None) -> Lead:
    """Status, owner, follow-up date; each change is recorded as a pipeline event."""
    events = []
    if "status" in changes and changes["status"] != lead.status:
        if changes["status"] not in LEAD_STATUSES:
            raise ServiceError(f"status must be one of {', '.join(LEAD_STATUSES)}", "status",
                               zh="状态须为以下之一：" + "、".join(LEAD_STATUSES))
        events.append(("status", f"{lead.status} -> {changes['status']}"))
        lead.status = changes["status"]
    if "owner_id" in changes and changes["owner_id"] != lead.owner_id:
        if changes["owner_id"] is not None and not _user_exists(session, changes["owner_id"]):
            raise ServiceError("The owner does not exist.", "owner_id", zh="该负责人不存在。")
        events.append(("owner", f"{lead.owner_id} -> {changes['owner_id']}"))
        lead.owner_id = changes["owner_id"]
    if "next_follow_up" in changes and changes["next_follow_up"] != lead.next_follow_up:
        check_follow_up(changes["next_follow_up"])
        events.append(("follow_up", f"{lead.next_follow_up} -> {changes['next_follow_up']}"))
        lead.next_follow_up = changes["next_follow_up"]
    if events:
        lead.updated_at = utcnow()
        session.add(lead)
        for kind, detail in events:
            session.add(LeadEvent(lead_id=lead.id, user_id=user.id if user else None, kind=kind,
                                  detail=detail))
        session.commit()
        session.refresh(lead)
    return lead


def add_note(*, session: Session, lead: Lead, body: str, user: User | None) -> LeadNote:
    """A note on the lead, its line breaks kept (as "\\n")."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise ServiceError("The note is empty.", "body", zh="备注是空的。")
    if len(body) > 5000:
        raise ServiceError("The note must be at most 5000 characters long.", "body",
                           zh="备注不能超过 5000 个字符。")
    note = LeadNote(lead_id=lead.id, author_id=user.id if user else None, body=body)
    lead.updated_at = utcnow()
    session.add(note)
    session.add(lead)
    session.commit()
    session.refresh(note)
    return note


def latest_match(*, session: Session, lead: Lead) -> dict | None:
    m = session.exec(select(LeadMatch).where(LeadMatch.lead_id == lead.id)
                     .order_by(LeadMatch.id.desc())).first()
    return json.loads(m.result_json) if m else None


def match_history(*, session: Session, lead: Lead) -> list[LeadMatch]:
    return list(session.exec(select(LeadMatch).where(LeadMatch.lead_id == lead.id)
                             .order_by(LeadMatch.id.desc())).all())


def rescore_lead(*, session: Session, lead: Lead, user: User | None = None,
                 commit: bool = True, trigger: str = "rescore") -> dict:
    """Score the lead again; returns what moved: {lead_id, before, after, changed}."""
    before = (lead.top_industry_name, lead.top_district_name, round(lead.confidence, 2),
              lead.taxonomy_version)
    record = match_profile(session=session, profile=json.loads(lead.profile_json))
    _apply_record(lead, record)
    lead.updated_at = utcnow()
    session.add(lead)
    session.add(LeadMatch(lead_id=lead.id, taxonomy_version=record.get("taxonomy_version", ""),
                          trigger=trigger, result_json=json.dumps(record, ensure_ascii=False)))
    after = (lead.top_industry_name, lead.top_district_name, round(lead.confidence, 2),
             lead.taxonomy_version)
    if commit:
        session.commit()
    return {"lead_id": lead.id, "name": lead.name, "before": before, "after": after,
            "changed": before[:3] != after[:3]}


def _top(record: dict) -> tuple[str, str, float, str, str]:
    """(top industry id, top district code, confidence, and the two Chinese names) of a record."""
    inds, dists = record.get("industries") or [], record.get("districts") or []
    return (inds[0]["id"] if inds else "", dists[0]["code"] if dists else "",
            round(record.get("confidence") or 0.0, 2),
            inds[0]["name_zh"] if inds else "", dists[0]["name_zh"] if dists else "")


def last_match_id(*, session: Session) -> int:
    """The newest scoring's id (0 when none): marks where a re-scoring run starts."""
    return int(session.exec(select(func.max(LeadMatch.id))).one() or 0)


def rescore_report(*, session: Session, after_id: int, upto_id: int) -> list[dict]:
    """What a re-scoring run changed, read back from the history: each re-scoring with an id in
    (after_id, upto_id] against the lead's scoring before it (a GET after the POST)."""
    runs = session.exec(select(LeadMatch).where(LeadMatch.id > after_id, LeadMatch.id <= upto_id,
                                                LeadMatch.trigger == "rescore")
                        .order_by(LeadMatch.id)).all()
    moves = []
    for m in runs:
        before = session.exec(select(LeadMatch).where(LeadMatch.lead_id == m.lead_id,
                                                      LeadMatch.id < m.id)
                              .order_by(LeadMatch.id.desc())).first()
        lead = session.get(Lead, m.lead_id)
        old = _top(json.loads(before.result_json)) if before else ("", "", 0.0, "", "")
        new = _top(json.loads(m.result_json))
        moves.append({"lead_id": m.lead_id, "name": lead.name if lead else "", "before": old,
                      "after": new, "changed": old[:3] != new[:3]})
    return moves


def rescore_all(*, session: Session, user: User | None = None) -> list[dict]:
    moves = []
    for lead in session.exec(select(Lead).order_by(Lead.id)).all():
        moves.append(rescore_lead(session=session, lead=lead, user=user, commit=False))
    session.commit()
    return moves


def parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ServiceError("date must be YYYY-MM-DD", "next_follow_up") from exc


CONTACT_KEYS = ("contact_name", "contact_email", "contact_phone", "legal_representative")


def _event(session: Session, lead_id: int, user: User | None, kind: str, detail: str = "") -> None:
    session.add(LeadEvent(lead_id=lead_id, user_id=user.id if user else None, kind=kind,
                          detail=detail))


def delete_lead(*, session: Session, lead: Lead, commit: bool = True) -> None:
    """Delete a lead with its scorings, notes, history and recorded outcome."""
    from sqlmodel import delete

    from web import models

    tables = [getattr(models, "LeadOutcome", None), LeadMatch, LeadNote, LeadEvent]
    for table in [t for t in tables if t is not None]:
        session.exec(delete(table).where(table.lead_id == lead.id))
    session.exec(delete(Lead).where(Lead.id == lead.id))
    if commit:
        session.commit()


# --- officers' edits: one lead's profile and contacts, many leads' status or owner ----------------

def _as_text(value) -> str:
    """A profile value as the form shows it (a list as "a,b"), to tell real changes apart."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def edit_lead(*, session: Session, lead: Lead, data: dict, user: User | None) -> list[str]:
    """Change a lead's profile and contacts (validated `data`); a changed profile is scored again
    (history keeps the earlier scoring). Returns the fields that changed, [] when none did."""
    profile = _clean_profile(data)
    if not profile.get("description"):
        raise ServiceError("description is required", "description",
                           zh="请描述企业或项目：做什么、生产什么。")
    old = json.loads(lead.profile_json)
    changed = [k for k in PROFILE_KEYS if _as_text(old.get(k)) != _as_text(profile.get(k))]
    contacts = {k: (data.get(k) or "").strip() for k in CONTACT_KEYS}
    changed += [k for k in CONTACT_KEYS if getattr(lead, k) != contacts[k]]
    if not changed:
        return []
    if any(k in PROFILE_KEYS for k in changed):
        record = match_profile(session=session, profile=profile)
        if "error" in record:
            raise ServiceError(record["error"], record.get("field") or "description",
                               zh=record.get("error_zh") or "")
        lead.profile_json = json.dumps(profile, ensure_ascii=False)
        lead.name = (profile.get("name") or "")[:255]
        lead.credit_code = profile.get("credit_code")
        lead.description = profile["description"]
        _apply_record(lead, record)
        session.add(LeadMatch(lead_id=lead.id, taxonomy_version=record["taxonomy_version"],
                              trigger="edit", result_json=json.dumps(record, ensure_ascii=False)))
    for key in CONTACT_KEYS:
        setattr(lead, key, contacts[key])
    lead.updated_at = utcnow()
    session.add(lead)
    _event(session, lead.id, user, "edited", ",".join(changed))
    session.commit()
    session.refresh(lead)
    return changed


BULK_MAX = 500


def bulk_update(*, session: Session, lead_ids: list[int], user: User | None,
                status: str | None = None, owner: str | None = None) -> int:
    """Set the status and/or owner ("none": unassigned, or a user id) of many leads at once;
    each change is recorded in the lead's history. Returns how many leads changed."""
    if not lead_ids:
        raise ServiceError("Tick at least one lead.", "lead_id", zh="请至少勾选一条线索。")
    if len(lead_ids) > BULK_MAX:
        raise ServiceError(f"Change at most {BULK_MAX} leads at a time.", "lead_id",
                           zh=f"每次最多修改 {BULK_MAX} 条线索。")
    changes: dict = {}
    if status:
        changes["status"] = status
    if owner:
        if owner == "none":
            changes["owner_id"] = None
        elif owner.isdigit() and _user_exists(session, int(owner)) and \
                session.get(User, int(owner)).is_active:
            changes["owner_id"] = int(owner)
        else:
            raise ServiceError("The owner does not exist or is disabled.", "owner",
                               zh="该负责人不存在或已停用。")
    if not changes:
        raise ServiceError("Choose a status or an owner to set.", "status",
                           zh="请选择要设置的状态或负责人。")
    leads = session.exec(select(Lead).where(Lead.id.in_(lead_ids))).all()
    if len(leads) != len(set(lead_ids)):
        raise ServiceError("Some of the chosen leads no longer exist.", "lead_id",
                           zh="所选线索中有的已不存在。")
    moved = 0
    for lead in leads:
        before = (lead.status, lead.owner_id)
        update_lead(session=session, lead=lead, changes=changes, user=user)
        moved += (lead.status, lead.owner_id) != before
    return moved


def status_counts(*, session: Session, query: LeadQuery) -> dict[str, int]:
    """How many leads the filters (all but the status) select in each status: the funnel."""
    sub = _filtered(query, with_status=False).subquery()
    rows = session.exec(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    found = dict(rows)
    return {s: int(found.get(s, 0)) for s in LEAD_STATUSES}


def queue_count(*, session: Session) -> int:
    """Self-submitted (public) leads that no officer owns yet."""
    return int(session.exec(select(func.count()).select_from(Lead).where(
        Lead.source == "public", Lead.owner_id.is_(None))).one())
