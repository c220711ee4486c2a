"""Measure the plan-import proposer against the curated taxonomy, plan by plan.

For each plan (or --plan ID): copy the taxonomy folder, withdraw the plan from the copy (its
entries and citations, `taxonomy.withdraw`), import its text again (`taxonomy.importer`), and
compare the draft's proposals with the curated entries of that plan:

- relations: (industry, place) pairs; a proposed new industry or zone counts as the curated one it
  names (same Chinese name or alias); role agreement is printed separately;
- policies: a curated policy is found when a proposal cites the same section and its clause
  contains the curated evidence; recall is also given for the curated policies cited in the
  support chapters (保障措施 ...), the only chapters the proposer reads for policies.

The proposer sees only the plan's text, the gazetteer and the industry tree of the stripped copy.
Entries resting only on the plan that other data still needs (a child node, a GB/T 4754 class,
another plan's relation) stay in the copy with the plan's record; the text is then imported under
``<id>-reimport``.

    .venv/bin/python scripts/eval_proposer.py [--plan ID] [--data DIR] [--show-misses]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from taxonomy import DATA_DIR, load_taxonomy
from taxonomy.importer import import_plan
from taxonomy.withdraw import remove_plan


def _gold_relations(tx, plan_id, evidence=None):
    pairs = {}
    for r in tx.relations:
        if any(s.plan == plan_id for s in r.sources):
            pairs.setdefault((r.industry, r.zone or r.district), set()).add(r.role)
            if evidence is not None:
                evidence.setdefault((r.industry, r.zone or r.district), []).extend(
                    f"{s.section} {s.evidence}" for s in r.sources if s.plan == plan_id)
    return pairs


def _aligner(orig, stripped):
    """Map a proposed new node/zone (by its Chinese name) to the curated id it stands for."""
    gone_i = {n.id for n in orig.industries} - {n.id for n in stripped.industries}
    gone_z = {z.id for z in orig.zones} - {z.id for z in stripped.zones}
    names = {}
    for n in orig.industries:
        if n.id in gone_i:
            for name in (n.name_zh, *n.aliases_zh):
                names.setdefault(("industry", name), n.id)
    for z in orig.zones:
        if z.id in gone_z:
            for name in (z.name_zh, *z.aliases_zh):
                names.setdefault(("zone", name), z.id)
    return names


def _proposed_relations(draft, names, evidence=None):
    by_id = {p["id"]: p for p in draft["proposals"]}

    def resolve(ref, kind):
        if not str(ref).startswith("@"):
            return ref
        target = by_id[ref[1:]]["entry"]
        return names.get((kind, target["name_zh"]), f"new:{target['name_zh']}")

    pairs = {}
    for p in draft["proposals"]:
        if p["kind"] != "relation":
            continue
        e = p["entry"]
        place = resolve(e["zone"], "zone") if e.get("zone") else e["district"]
        key = (resolve(e["industry"], "industry"), place)
        pairs.setdefault(key, set()).add(e["role"])
        if evidence is not None:
            evidence.setdefault(key, []).append(
                f"{p['citation']['section']} {p['citation']['evidence']}")
    return pairs


def _in_support_chapter(text, section):
    from taxonomy.proposer import _SUPPORT_CHAPTER

    found = text.section(section)
    while found is not None and found.parent is not None:
        found = text.sections[found.parent]
    return found is not None and bool(_SUPPORT_CHAPTER.search(found.title))


def _policy_scores(orig, draft, plan_id, text=None):
    gold = [p for p in orig.policies if any(s.plan == plan_id for s in p.sources)]
    if text is not None:  # only the curated policies the proposer is meant to find
        gold = [p for p in gold if any(s.plan == plan_id and _in_support_chapter(text, s.section)
                                       for s in p.sources)]
    props = [p for p in draft["proposals"] if p["kind"] == "policy"]

    def hit(prop, pol):
        return any(s.plan == plan_id and s.section == prop["citation"]["section"]
                   and s.evidence in prop["clause"] for s in pol.sources)

    found = [g for g in gold if any(hit(p, g) for p in props)]
    right = [p for p in props if any(hit(p, g) for g in gold)]
    return len(gold), len(found), len(props), len(right)


def evaluate(plan_id: str, data: Path, show: bool) -> dict:
    orig = load_taxonomy(data)
    plan = orig.plan_by_id[plan_id]
    text_path = data / "plans" / plan.file
    with tempfile.TemporaryDirectory(prefix="eval-proposer-") as tmp:
        folder = Path(tmp) / "taxonomy"
        shutil.copytree(data, folder, ignore=shutil.ignore_patterns("versions", "drafts"))
        remove_plan(plan_id=plan_id, data_dir=folder, note="evaluation")
        stripped = load_taxonomy(folder)
        # a plan other entries still need stays in the library: import its text under a new id
        new_id = plan_id if plan_id not in stripped.plan_by_id else f"{plan_id}-reimport"
        result = import_plan(
            source=text_path, plan_id=new_id, title_zh=plan.title_zh, title_en=plan.title_en,
            issuer=plan.issuer, date=plan.date, horizon_start=plan.horizon_start,
            horizon_end=plan.horizon_end, horizon_note=plan.horizon_note, scope=plan.scope,
            doc_number=plan.doc_number, status=plan.status, data_dir=folder, who="eval")
        draft = result.draft
    gold_ev, prop_ev = {}, {}
    gold = _gold_relations(orig, plan_id, gold_ev)
    proposed = _proposed_relations(draft, _aligner(orig, stripped), prop_ev)
    both = gold.keys() & proposed.keys()
    role_ok = sum(1 for k in both if gold[k] & proposed[k])
    g_pol, found_pol, p_pol, right_pol = _policy_scores(orig, draft, plan_id)
    from taxonomy.sections import PlanText

    g_sup, found_sup, _p, _r = _policy_scores(
        orig, draft, plan_id, PlanText(text_path.read_text(encoding="utf-8")))
    if show:
        for k in sorted(gold.keys() - proposed.keys()):
            print(f"  missed   {k} {sorted(gold[k])}  « {' | '.join(gold_ev[k])} »")
        for k in sorted(proposed.keys() - gold.keys()):
            print(f"  extra    {k} {sorted(proposed[k])}  « {' | '.join(prop_ev[k])} »")
    return {"plan": plan_id, "gold_rel": len(gold), "prop_rel": len(proposed), "hit_rel": len(both),
            "role_ok": role_ok, "gold_pol": g_pol, "found_pol": found_pol, "prop_pol": p_pol,
            "right_pol": right_pol, "gold_sup": g_sup, "found_sup": found_sup}


def _ratio(a, b):
    return a / b if b else 0.0


def _line(r):
    return (f"{r['plan']:<34} relations recall {_ratio(r['hit_rel'], r['gold_rel']):.2f} "
            f"({r['hit_rel']}/{r['gold_rel']}) precision {_ratio(r['hit_rel'], r['prop_rel']):.2f} "
            f"({r['hit_rel']}/{r['prop_rel']}) role agreement {_ratio(r['role_ok'], r['hit_rel']):.2f}"
            f" | policies recall {_ratio(r['found_pol'], r['gold_pol']):.2f} "
            f"({r['found_pol']}/{r['gold_pol']}) precision {_ratio(r['right_pol'], r['prop_pol']):.2f} "
            f"({r['right_pol']}/{r['prop_pol']}); in support chapters recall "
            f"{_ratio(r['found_sup'], r['gold_sup']):.2f} ({r['found_sup']}/{r['gold_sup']})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan", action="append", help="plan id (repeatable; default: every plan)")
    ap.add_argument("--data", type=Path, default=DATA_DIR, help="taxonomy folder to measure on")
    ap.add_argument("--show-misses", action="store_true", help="list missed and extra relations")
    args = ap.parse_args(argv)
    plans = args.plan or [p.id for p in load_taxonomy(args.data).plans]
    rows = []
    for plan_id in plans:
        r = evaluate(plan_id, args.data, args.show_misses)
        rows.append(r)
        print(_line(r), flush=True)
    if len(rows) > 1:
        total = {k: sum(r[k] for r in rows) for k in rows[0] if k != "plan"}
        print(_line({"plan": "overall", **total}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
