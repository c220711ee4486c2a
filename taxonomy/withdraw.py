"""Take a plan out of a taxonomy folder: its entries, its citations, its text.

Entries resting only on the plan are removed, unless a surviving entry needs them (a child
industry, a zone's parent, a relation, policy or GB/T 4754 class of another plan): those stay
with their citations, and then so do the plan's record and text (the plan is reported as still
cited). Other entries lose the plan's citations. Used to withdraw a plan and by the proposer's
evaluation (`scripts/eval_proposer.py`), which re-imports the plan into the stripped copy.
"""

from __future__ import annotations

from pathlib import Path

from taxonomy.errors import TaxonomyError
from taxonomy.loader import data_files, load_taxonomy, taxonomy_dir
from taxonomy.messages import msg
from taxonomy.model import Taxonomy
from taxonomy.store import edit, plans_dir
from taxonomy.yamlio import YamlFile


def _only(sources, plan_id: str) -> bool:
    return bool(sources) and all(s.plan == plan_id for s in sources)


def removal_sets(tx: Taxonomy, plan_id: str) -> tuple[set[str], set[str]]:
    """(industry ids, zone ids) that go when `plan_id` goes: those resting only on it, except
    the ones a surviving entry needs (a child industry, a zone's parent, a relation or policy
    of another plan)."""
    industries = {n.id for n in tx.industries if _only(n.sources, plan_id)}
    zones = {z.id for z in tx.zones if _only(z.sources, plan_id)}
    changed = True
    while changed:
        keep_i = {n.parent for n in tx.industries if n.id not in industries and n.parent}
        keep_z = {z.parent for z in tx.zones if z.id not in zones and z.parent}
        for r in tx.relations:
            if not _only(r.sources, plan_id):
                keep_i.add(r.industry)
                keep_z.add(r.zone)
        for p in tx.policies:
            if not _only(p.sources, plan_id):
                keep_i.update(p.industries)
                keep_z.update(p.scope_zones)
        for c in tx.industry_classes:
            keep_i.update(c.industries)
        changed = bool(keep_i & industries or keep_z & zones)
        industries -= keep_i
        zones -= keep_z
    return industries, zones


def _strip(node, plan_id: str) -> None:
    """Remove the plan's citations from a ruamel entry (sources, targets, belts, new towns)."""
    if node.get("sources"):
        kept = [s for s in node["sources"] if s.get("plan") != plan_id]
        if len(kept) != len(node["sources"]):
            node["sources"][:] = kept
    for key in ("targets", "belts", "new_towns"):
        if node.get(key):
            kept = [t for t in node[key]
                    if not t.get("sources") or any(s.get("plan") != plan_id for s in t["sources"])]
            for t in kept:
                _strip(t, plan_id)
            node[key][:] = kept


def _prune_policy(entry, industries: set[str], zones: set[str]) -> bool:
    """Drop removed ids from a policy's lists; False when nothing it addressed is left."""
    for key, gone in (("industries", industries), ("scope_zones", zones)):
        values = list(entry.get(key) or [])
        left = [v for v in values if v not in gone]
        if values and not left:
            return False
        if len(left) != len(values):
            entry[key][:] = left
    return True


def remove_plan(*, plan_id: str, data_dir: str | Path | None = None, who: str = "",
                note: str = "") -> str:
    """Withdraw a plan from the folder (see module doc), validated and recorded; returns the
    new version id."""
    folder = taxonomy_dir(data_dir)
    tx = load_taxonomy(folder)
    plan = tx.plan_by_id.get(plan_id)
    if plan is None:
        raise TaxonomyError(msg("plan.unknown", plan=plan_id))
    industries, zones = removal_sets(tx, plan_id)
    kept_ids = still_cited(tx, plan_id)
    needles = {plan_id, *industries, *zones}  # a file naming none of these stays as it is
    with edit(data_dir=folder, note=note or f"plan {plan_id} withdrawn", who=who) as change:
        for path in data_files(change.folder):
            if path.name != "plans.yaml" and not any(
                    n in path.read_text(encoding="utf-8") for n in needles):
                continue
            doc = YamlFile(path)
            kept = []
            for entry in doc.data:
                if path.name == "plans.yaml":
                    if entry.get("id") == plan_id and not kept_ids:
                        continue
                    for key in ("supersedes",):
                        if entry.get(key) and plan_id in entry[key]:
                            entry[key][:] = [x for x in entry[key] if x != plan_id]
                    if entry.get("superseded_by") == plan_id:
                        entry["superseded_by"] = None
                    kept.append(entry)
                    continue
                rel = path.parent.name
                if rel == "industries" and entry.get("id") in industries:
                    continue
                if path.name == "zones.yaml" and entry.get("id") in zones:
                    continue
                sources = entry.get("sources") or []
                if rel in ("relations", "policies") and sources and all(
                        s.get("plan") == plan_id for s in sources):
                    continue
                if rel == "relations" and (entry.get("industry") in industries
                                           or entry.get("zone") in zones):
                    continue
                if rel == "policies" and not _prune_policy(entry, industries, zones):
                    continue
                if path.name == "gbt4754.yaml":
                    _strip(entry, plan_id)
                    if entry.get("mapping") == "plan" and not entry.get("sources"):
                        entry["mapping"] = "project"
                if path.name == "zones.yaml" and entry.get("parent") in zones:
                    entry["parent"] = None
                if not (sources and all(s.get("plan") == plan_id for s in sources)):
                    _strip(entry, plan_id)  # kept because others need it: keeps its citations
                kept.append(entry)
            doc.data[:] = kept
            if not kept and path.parent.name == "policies":
                path.unlink()
            else:
                doc.save()
        if not kept_ids:
            (plans_dir(change.folder) / plan.file).unlink(missing_ok=True)
    return change.version.id


def still_cited(tx: Taxonomy, plan_id: str) -> list[str]:
    """Entries resting only on the plan that others need (they keep the plan in the library)."""
    industries, zones = removal_sets(tx, plan_id)
    return sorted({n.id for n in tx.industries if _only(n.sources, plan_id)} - industries) + \
        sorted({z.id for z in tx.zones if _only(z.sources, plan_id)} - zones)
