"""Matching for the web: the shared engine plus the officers' plan-status overrides."""

from __future__ import annotations

import time

from sqlmodel import Session, select

from matcher import get_matcher
from web.models import PlanStatus

_overrides_cache: dict[str, tuple[float, dict]] = {}
OVERRIDES_TTL = 5.0  # seconds a worker may take to see an officer's new plan status


def plan_overrides(session: Session, *, fresh: bool = False) -> dict[str, PlanStatus]:
    """Plan-status overrides, read at most every OVERRIDES_TTL seconds per database."""
    key = str(session.get_bind().url)
    now = time.monotonic()
    cached = _overrides_cache.get(key)
    if fresh or cached is None or now - cached[0] > OVERRIDES_TTL:
        rows = {p.plan_id: p for p in session.exec(select(PlanStatus)).all()}
        for row in rows.values():
            session.expunge(row)
        cached = _overrides_cache[key] = (now, rows)
    return cached[1]


def forget_overrides() -> None:
    _overrides_cache.clear()


def _apply_overrides(record: dict, overrides: dict[str, PlanStatus]) -> dict:
    if "error" in record or not overrides:
        return record
    for policy in record["policies"]:
        o = overrides.get(policy.get("plan"))
        if o is not None and o.status == "superseded":
            zh = "所依据的规划已被标记为已替代，需确认现行政策" + (f"（{o.note}）" if o.note else "")
            en = ("the plan has been marked as superseded: check the policy in force"
                  + (f" ({o.note})" if o.note else ""))
            policy["conditions"] = "；".join(x for x in (policy["conditions"], zh) if x)
            policy["conditions_en"] = "; ".join(x for x in (policy.get("conditions_en"), en) if x)
            policy["verify"] = [*policy.get("verify", []), zh]
            policy["verify_en"] = [*policy.get("verify_en", []), en]
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
