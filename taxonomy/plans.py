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
from taxonomy.messages import msg, term
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
        raise PlanTextError(msg("plan.unknown", plan=plan_id))
    path = plan_text_path(plan, tx.data_dir or data_dir)
    try:
        st = path.stat()
        return _parsed(str(path), st.st_mtime_ns, st.st_size)
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanTextError(msg("plan.text", plan=plan_id, path=str(path)),
                            log=f"plan {plan_id}: text {path} cannot be read: {exc}") from exc


def successors(tx: Taxonomy, plan_id: str) -> list[Plan]:
    """Plans in the library that list `plan_id` in their ``supersedes``."""
    return [p for p in tx.plans if plan_id in p.supersedes]


def set_plan_status(*, plan_id: str, status: str, superseded_by: str | None = None,
                    data_dir: str | Path | None = None, who: str = "", note: str = "") -> str:
    """Set a plan's stored status in plans.yaml, validated and recorded; returns the new version.

    ``superseded_by`` is only for ``superseded`` and must be another plan in the library (it
    gains the plan in its ``supersedes``). Issuing a plan that lists others in ``supersedes``
    marks them superseded by it. Any other status clears ``superseded_by``."""
    folder = taxonomy_dir(data_dir)
    message = note or f"plan {plan_id}: status {status}" + (
        f", superseded by {superseded_by}" if superseded_by else "")
    with edit(data_dir=folder, note=message, who=who) as change:
        plans = YamlFile(change.folder / "plans.yaml")
        entry = plans.find("id", plan_id)
        if entry is None:
            raise PlanStatusError(msg("plan.unknown", plan=plan_id))
        _set_status(plans, entry, plan_id, status, superseded_by)
        plans.save()
    return change.version.id


def _set_status(plans: YamlFile, entry, plan_id: str, status: str,
                superseded_by: str | None) -> None:
    if status not in PLAN_STATUSES:
        raise PlanStatusError(msg("plan.status", status=status, choices=[term(s) for s in PLAN_STATUSES]))
    if superseded_by and status != "superseded":
        raise PlanStatusError(msg("plan.superseded_by_only", field="superseded_by"))
    if superseded_by:
        successor = plans.find("id", superseded_by)
        if successor is None or superseded_by == plan_id:
            raise PlanStatusError(msg("plan.successor", field="superseded_by",
                                       plan=superseded_by))
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


PLAN_TEXT_FIELDS = ("title_zh", "title_en", "issuer", "doc_number", "date")


def update_plan(*, plan_id: str, data_dir: str | Path | None = None, who: str = "",
                note: str = "", status: str | None = None, superseded_by: str | None = None,
                supersedes: list[str] | None = None, horizon: str | None = None,
                **fields) -> str:
    """Edit a plan's metadata in plans.yaml (validated, recorded); returns the new version id.

    `fields`: any of PLAN_TEXT_FIELDS (None or "" clears an optional one; ``title_zh`` is
    required by the format). ``horizon`` is "YYYY-YYYY" or "YYYY" ("" clears it). ``status`` and
    ``superseded_by`` as in `set_plan_status`. ``supersedes`` replaces the list (other plans in
    the library); a plan taken off it that named this one as its successor no longer does.
    Arguments left as None are not changed."""
    unknown = set(fields) - set(PLAN_TEXT_FIELDS)
    if unknown:
        raise PlanStatusError(msg("plan.not_field", fields=sorted(unknown)))
    folder = taxonomy_dir(data_dir)
    with edit(data_dir=folder, note=note or f"plan {plan_id}: metadata edited", who=who) as change:
        plans = YamlFile(change.folder / "plans.yaml")
        entry = plans.find("id", plan_id)
        if entry is None:
            raise PlanStatusError(msg("plan.unknown", plan=plan_id))
        for key, value in fields.items():
            if value is not None:
                set_key(entry, key, (value.strip() or None) if isinstance(value, str) else value)
        if horizon is not None:
            _set_horizon(entry, horizon.strip())
        if supersedes is not None:
            _set_supersedes(plans, entry, plan_id, list(dict.fromkeys(supersedes)))
        if status is not None:
            _set_status(plans, entry, plan_id, status, superseded_by or None)
        plans.save()
    return change.version.id


def _set_horizon(entry, value: str) -> None:
    from taxonomy.importer import _horizon_years

    years = _horizon_years(value) if value else (None, None)
    if years is None or (years[0] and years[1] and years[0] > years[1]):
        raise PlanStatusError(msg("plan.horizon", text=value))
    set_key(entry, "horizon_start", years[0])
    set_key(entry, "horizon_end", years[1])
    set_key(entry, "horizon_note", value)


def _set_supersedes(plans: YamlFile, entry, plan_id: str, ids: list[str]) -> None:
    for old_id in ids:
        if old_id == plan_id or plans.find("id", old_id) is None:
            raise PlanStatusError(msg("plan.supersedes", field="supersedes", plan=old_id))
    for old_id in entry.get("supersedes") or []:
        old = plans.find("id", old_id)
        if old_id not in ids and old is not None and old.get("superseded_by") == plan_id:
            set_key(old, "superseded_by", None)
    set_key(entry, "supersedes", ids)
    if entry.get("status") == "issued":
        for old_id in ids:
            old = plans.find("id", old_id)
            set_key(old, "status", "superseded")
            set_key(old, "superseded_by", plan_id)


def set_key(entry, key: str, value) -> None:
    """Set a key of a plans.yaml entry, adding it after ``status`` when new (None/[] not added)."""
    from taxonomy.yamlio import to_node

    if key in entry:
        entry[key] = to_node(value)
    elif value not in (None, [], ()):
        keys = list(entry.keys())
        at = keys.index("status") + 1 if "status" in keys else len(keys)
        entry.insert(at, key, to_node(value))
