"""Which plans are no longer current: superseded (marked so, or replaced by another plan) or past
their horizon. Results resting only on such plans are flagged and ranked below current ones, or
dropped (`MatcherSettings.stale_plans`)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from taxonomy import Taxonomy
from taxonomy.plans import plan_status

STALE_MODES = ("flag", "drop")


@dataclass(frozen=True, slots=True)
class StalePlan:
    plan: str
    kind: str      # superseded | expired
    note_zh: str   # e.g. 《…》规划期至2025年已结束
    note_en: str


def stale_plans(taxonomy: Taxonomy, today: _dt.date | None = None) -> dict[str, StalePlan]:
    """Plan id -> why it is no longer current, for every superseded or expired plan
    (`taxonomy.plans.plan_status`: the stored status in plans.yaml, the horizon for expiry)."""
    out = {}
    for p in taxonomy.plans:
        status = plan_status(p, today=today)
        if status == "superseded":
            after = taxonomy.plan_by_id.get(p.superseded_by or "")
            out[p.id] = StalePlan(
                p.id, "superseded",
                f"《{p.title_zh}》已被" + (f"《{after.title_zh}》" if after else "新规划") + "替代",
                f"{p.title_en} is superseded" + (f" by {after.title_en}" if after else ""))
        elif status == "expired":
            out[p.id] = StalePlan(
                p.id, "expired", f"《{p.title_zh}》规划期至{p.horizon_end}年已结束",
                f"{p.title_en}: its horizon ended in {p.horizon_end}")
    return out


_FIELDS: dict[tuple, dict] = {}  # the fields of each combination of plans, built once


def stale_fields(plans: list[StalePlan]) -> dict:
    """The record fields of a result that rests only on these plans (both languages)."""
    seen = tuple(dict.fromkeys(plans))
    found = _FIELDS.get(seen)
    if found is None:
        if len(_FIELDS) > 4096:
            _FIELDS.clear()
        found = _FIELDS[seen] = _stale_fields(seen)
    return dict(found)


def _stale_fields(seen: tuple) -> dict:
    return {"stale": True,
            "stale_note": "仅依据不再现行的规划：" + "；".join(s.note_zh for s in seen)
                          + "，需确认是否仍然适用",
            "stale_note_en": "rests only on plans no longer current: "
                             + "; ".join(s.note_en for s in seen) + "; check that it still applies"}
