"""Outcomes of closed leads: record one (the lead page), read them, and the choices offered.

An outcome keeps the scoring the lead carried when it closed (`match_id`, its taxonomy
version): the outcomes report judges the matcher by what it said then, not by a re-scoring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from matcher.location import is_area
from taxonomy import Taxonomy, get_taxonomy
from web.models import LOST_TO, OUTCOMES, Lead, LeadEvent, LeadMatch, LeadOutcome, User, utcnow
from web.services import ServiceError


@dataclass(frozen=True)
class Choice:
    value: str
    name_zh: str
    name_en: str
    group: str = ""  # a park's district code


def choices(*, taxonomy: Taxonomy | None = None) -> dict[str, list[Choice]]:
    """Districts, parks (not belts or axes; with their district) and industries (by path)."""
    tx = taxonomy or get_taxonomy()
    parks = [Choice(z.id, z.name_zh, z.name_en, (z.district_codes or [""])[0])
             for z in tx.zones if not is_area(z)]
    return {
        "districts": [Choice(d.code, d.name_zh, d.name_en) for d in tx.districts],
        "parks": sorted(parks, key=lambda c: (c.group, c.name_zh)),
        "industries": [Choice(n.id, tx.path_zh(n.id), tx.path_en(n.id)) for n in tx.industries],
    }


def get_outcome(*, session: Session, lead_id: int) -> LeadOutcome | None:
    return session.exec(select(LeadOutcome).where(LeadOutcome.lead_id == lead_id)).first()


def _checked(tx: Taxonomy, data: dict) -> dict:
    """The outcome's fields, consistent with the taxonomy and with each other."""
    outcome = data["outcome"]
    code = (data.get("district_code") or "").strip()
    zone_id = (data.get("zone_id") or "").strip()
    industry = (data.get("industry_id") or "").strip()
    lost_to = (data.get("lost_to") or "").strip() if outcome == "lost" else ""
    city = (data.get("lost_city") or "").strip() if lost_to == "other_city" else ""
    if code and code not in tx.district_by_code:
        raise ServiceError(f"district {code!r} is not one of Shanghai's districts",
                           "district_code", zh=f"“{code}”不是上海的区")
    zone = tx.zone_by_id.get(zone_id) if zone_id else None
    if zone_id and (zone is None or is_area(zone)):
        raise ServiceError(f"park {zone_id!r} is not a park of the taxonomy", "zone_id",
                           zh=f"“{zone_id}”不是知识库中的园区")
    if zone is not None:
        if not code:
            code = (zone.district_codes or [""])[0]
        elif zone.district_codes and code not in zone.district_codes:
            d = tx.district_by_code[code]
            raise ServiceError(f"{zone.name_en} is not in {d.name_en}", "zone_id",
                               zh=f"{zone.name_zh}不在{d.name_zh}")
    if industry and industry not in tx.industry_by_id:
        raise ServiceError(f"industry {industry!r} is not in the taxonomy", "industry_id",
                           zh=f"“{industry}”不是知识库中的产业")
    if outcome in ("signed", "landed") and not code:
        raise ServiceError("a signed or landed lead needs its district", "district_code",
                           zh="已签约或已落地的线索须填写落地区")
    if outcome == "lost":
        if lost_to not in LOST_TO:
            raise ServiceError("say where a lost lead went: another district, another city or "
                               "no project", "lost_to",
                               zh="请说明流失去向：本市其他区、外地城市或项目取消")
        if lost_to == "other_district" and not code:
            raise ServiceError("name the district the lead went to", "district_code",
                               zh="请填写线索流向的区")
        if lost_to == "other_city" and not city:
            raise ServiceError("name the city the lead went to", "lost_city",
                               zh="请填写线索去往的城市")
        if lost_to != "other_district":
            code, zone_id = "", ""
    return {"outcome": outcome, "district_code": code, "zone_id": zone_id,
            "industry_id": industry, "lost_to": lost_to, "lost_city": city[:64],
            "reason": (data.get("reason") or "").strip()[:2000]}


def record_outcome(*, session: Session, lead: Lead, data: dict, user: User | None,
                   source: str = "officer", commit: bool = True) -> LeadOutcome:
    """Close `lead` with a validated outcome (OutcomeIn); a second call corrects the first.
    The lead's status becomes the outcome (a pipeline event); the scoring it carries now is
    the one the report will judge."""
    if data.get("outcome") not in OUTCOMES:
        raise ServiceError(f"outcome must be one of {', '.join(OUTCOMES)}", "outcome",
                           zh="结果须为已签约、已落地或已流失")
    fields = _checked(get_taxonomy(), data)
    match = session.exec(select(LeadMatch).where(LeadMatch.lead_id == lead.id)
                         .order_by(LeadMatch.id.desc())).first()
    row = get_outcome(session=session, lead_id=lead.id) or LeadOutcome(
        lead_id=lead.id, outcome=fields["outcome"], closed_on=dt.date.today())
    for key, value in fields.items():
        setattr(row, key, value)
    row.closed_on = data.get("closed_on") or row.closed_on or dt.date.today()
    row.source = source
    row.match_id = match.id if match else None
    row.taxonomy_version = match.taxonomy_version if match else ""
    row.recorded_by = user.id if user else None
    row.updated_at = utcnow()
    session.add(row)
    if lead.status != fields["outcome"]:
        session.add(LeadEvent(lead_id=lead.id, user_id=user.id if user else None, kind="status",
                              detail=f"{lead.status} -> {fields['outcome']}"))
        lead.status = fields["outcome"]
    lead.updated_at = utcnow()
    session.add(lead)
    if commit:
        session.commit()
        session.refresh(row)
    return row


def list_outcomes(*, session: Session) -> list[tuple[LeadOutcome, Lead]]:
    """Every recorded outcome with its lead, the latest closed first."""
    rows = session.exec(select(LeadOutcome, Lead).where(LeadOutcome.lead_id == Lead.id)
                        .order_by(LeadOutcome.closed_on.desc(), LeadOutcome.id.desc())).all()
    return [(o, lead) for o, lead in rows]


def export_items(*, session: Session) -> list[dict]:
    """Every outcome as an item of an outcomes export (matcher/outcomes.py): the lead's
    profile and source, and the §5 record it carried when it closed."""
    import json

    out = []
    for row, lead in reversed(list_outcomes(session=session)):
        match = session.get(LeadMatch, row.match_id) if row.match_id else None
        out.append({
            "lead_id": lead.id, "name": lead.name, "credit_code": lead.credit_code or "",
            "source": lead.source, "outcome": row.outcome, "district_code": row.district_code,
            "zone_id": row.zone_id, "industry_id": row.industry_id, "lost_to": row.lost_to,
            "lost_city": row.lost_city, "reason": row.reason,
            "closed_on": row.closed_on.isoformat(), "recorded_via": row.source,
            "taxonomy_version": row.taxonomy_version,
            "profile": json.loads(lead.profile_json),
            "record": json.loads(match.result_json) if match else None})
    return out
