"""Matching for the web: the shared engine plus the officers' plan-status overrides."""

from __future__ import annotations

from sqlmodel import Session, select

from matcher import get_matcher
from web.models import PlanStatus


def plan_overrides(session: Session) -> dict[str, PlanStatus]:
    return {p.plan_id: p for p in session.exec(select(PlanStatus)).all()}


def _apply_overrides(record: dict, overrides: dict[str, PlanStatus]) -> dict:
    if "error" in record or not overrides:
        return record
    for policy in record["policies"]:
        o = overrides.get(policy.get("plan"))
        if o is not None and o.status == "superseded":
            extra = "所依据的规划已被标记为已替代，需确认现行政策" + (f"（{o.note}）" if o.note else "")
            policy["conditions"] = "；".join(x for x in (policy["conditions"], extra) if x)
            policy["superseded"] = True
    return record


def match_profile(*, session: Session | None, profile: dict, row: int = 0) -> dict:
    """One §5 record for a profile dict."""
    record = get_matcher().match(profile, row=row)
    return _apply_overrides(record, plan_overrides(session) if session is not None else {})


def match_profiles(*, session: Session | None, profiles: list[dict]) -> list[dict]:
    records = get_matcher().match_many(profiles)
    overrides = plan_overrides(session) if session is not None else {}
    return [_apply_overrides(r, overrides) for r in records]
