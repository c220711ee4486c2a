"""The plan library: plan texts that ship with the taxonomy, their status, supersession.

Stored status (plans.yaml): ``issued``, ``draft`` or ``superseded`` (with ``superseded_by`` naming
the successor when it is in the library). ``expired`` is derived, never stored: a plan that is
not superseded and whose ``horizon_end`` year is before today's year (`plan_status`).
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from taxonomy.errors import TaxonomyError
from taxonomy.loader import get_taxonomy, taxonomy_dir
from taxonomy.model import PLAN_STATUSES, Plan, Taxonomy
from taxonomy.sections import PlanText
from taxonomy.store import edit, plans_dir
from taxonomy.yamlio import YamlFile

EFFECTIVE_STATUSES = (*PLAN_STATUSES, "expired")


class PlanStatusError(TaxonomyError):
    """A plan status change that is not allowed (unknown plan or status, bad successor)."""


class PlanTextError(TaxonomyError):
    """A plan's text is missing or unreadable."""


def plan_status(plan: Plan, *, today: date | None = None) -> str:
    """``issued`` | ``draft`` | ``superseded`` | ``expired`` (past its horizon, not superseded)."""
    if plan.status == "superseded":
        return "superseded"
    year = (today or date.today()).year
    if plan.horizon_end is not None and plan.horizon_end < year:
        return "expired"
    return plan.status


def is_current(plan: Plan, *, today: date | None = None) -> bool:
    """Whether matching may treat the plan as in force (issued or draft, within its horizon)."""
    return plan_status(plan, today=today) in ("issued", "draft")


def plan_text_path(plan: Plan, data_dir: str | Path | None = None) -> Path:
    return plans_dir(data_dir) / plan.file


@functools.lru_cache(maxsize=32)
def _parsed(path: str, mtime_ns: int, size: int) -> PlanText:
    return PlanText(Path(path).read_text(encoding="utf-8"))


def plan_text(plan_id: str, *, data_dir: str | Path | None = None,
              taxonomy: Taxonomy | None = None) -> PlanText:
    """The plan's text with its section tree (`taxonomy.sections.PlanText`), cached per file."""
    tx = taxonomy or get_taxonomy(data_dir)
    plan = tx.plan_by_id.get(plan_id)
    if plan is None:
        raise PlanTextError(f"unknown plan {plan_id!r}")
    path = plan_text_path(plan, tx.data_dir or data_dir)
    try:
        st = path.stat()
        return _parsed(str(path), st.st_mtime_ns, st.st_size)
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanTextError(f"plan {plan_id}: text {path} cannot be read: {exc}") from exc


def successors(tx: Taxonomy, plan_id: str) -> list[Plan]:
    """Plans in the library that list `plan_id` in their ``supersedes``."""
    return [p for p in tx.plans if plan_id in p.supersedes]


def set_plan_status(*, plan_id: str, status: str, superseded_by: str | None = None,
                    data_dir: str | Path | None = None, who: str = "", note: str = "") -> str:
    """Set a plan's stored status in plans.yaml, validated and recorded; returns the new version.

    ``superseded_by`` is only for ``superseded`` and must be another plan in the library (it
    gains the plan in its ``supersedes``). Issuing a plan that lists others in ``supersedes``
    marks them superseded by it. Any other status clears ``superseded_by``."""
    if status not in PLAN_STATUSES:
        raise PlanStatusError(f"status {status!r} is not one of {', '.join(PLAN_STATUSES)}")
    if superseded_by and status != "superseded":
        raise PlanStatusError("superseded_by is only given with status superseded")
    folder = taxonomy_dir(data_dir)
    message = note or f"plan {plan_id}: status {status}" + (
        f", superseded by {superseded_by}" if superseded_by else "")
    with edit(data_dir=folder, note=message, who=who) as change:
        plans = YamlFile(change.folder / "plans.yaml")
        entry = plans.find("id", plan_id)
        if entry is None:
            raise PlanStatusError(f"unknown plan {plan_id!r}")
        if superseded_by:
            successor = plans.find("id", superseded_by)
            if successor is None or superseded_by == plan_id:
                raise PlanStatusError(f"superseded_by {superseded_by!r} is not another plan "
                                      "in the library")
            listed = list(successor.get("supersedes") or [])
            if plan_id not in listed:
                set_key(successor, "supersedes", [*listed, plan_id])
        set_key(entry, "status", status)
        set_key(entry, "superseded_by", superseded_by if status == "superseded" else None)
        if status == "issued":
            for old_id in entry.get("supersedes") or []:
                old = plans.find("id", old_id)
                if old is not None:
                    set_key(old, "status", "superseded")
                    set_key(old, "superseded_by", plan_id)
        plans.save()
    return change.version.id


def set_key(entry, key: str, value) -> None:
    """Set a key of a plans.yaml entry, adding it after ``status`` when new (None/[] not added)."""
    from taxonomy.yamlio import to_node

    if key in entry:
        entry[key] = to_node(value)
    elif value not in (None, [], ()):
        keys = list(entry.keys())
        at = keys.index("status") + 1 if "status" in keys else len(keys)
        entry.insert(at, key, to_node(value))
