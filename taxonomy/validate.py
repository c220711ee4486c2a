"""Integrity rules of the taxonomy: unique ids, resolving references, valid codes, true citations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from taxonomy.errors import TaxonomyValidationError
from taxonomy.model import Taxonomy
from taxonomy.plantext import PlanText

# GB/T 2260 codes of Shanghai's 16 districts.
SHANGHAI_DISTRICTS = {
    "310101": "黄浦区", "310104": "徐汇区", "310105": "长宁区", "310106": "静安区",
    "310107": "普陀区", "310109": "虹口区", "310110": "杨浦区", "310112": "闵行区",
    "310113": "宝山区", "310114": "嘉定区", "310115": "浦东新区", "310116": "金山区",
    "310117": "松江区", "310118": "青浦区", "310120": "奉贤区", "310151": "崇明区",
}
LEVEL_PARENT = {"industry": "sector", "focus": "industry"}
CHECK_ORDER = ("duplicate id", "dangling reference", "bad plan status", "bad district code",
               "bad citation")


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _sourced(tx: Taxonomy):
    """Every (where, source) pair in the taxonomy."""
    for p in tx.industries:
        for s in p.sources:
            yield f"industry {p.id}", s
        for t in p.targets:
            for s in t.sources:
                yield f"industry {p.id} target", s
    for d in tx.districts:
        for s in d.sources:
            yield f"district {d.code}", s
        for m in (*d.belts, *d.new_towns):
            for s in m.sources:
                yield f"district {d.code} {m.name_zh}", s
    for z in tx.zones:
        for s in z.sources:
            yield f"zone {z.id}", s
    for i, r in enumerate(tx.relations):
        for s in r.sources:
            yield f"relation {r.file}#{i} {r.industry}->{r.zone or r.district}", s
    for p in tx.policies:
        for s in p.sources:
            yield f"policy {p.id}", s
    for c in tx.industry_classes:
        for s in c.sources:
            yield f"GB/T 4754 class {c.code}", s


def _duplicates(tx: Taxonomy) -> list[Problem]:
    out = []
    for kind, ids in (
        ("plan", [p.id for p in tx.plans]),
        ("industry", [n.id for n in tx.industries]),
        ("district", [d.code for d in tx.districts]),
        ("district id", [d.id for d in tx.districts]),
        ("zone", [z.id for z in tx.zones]),
        ("policy", [p.id for p in tx.policies]),
        ("GB/T 4754 class", [c.code for c in tx.industry_classes]),
    ):
        for value, n in Counter(ids).items():
            if n > 1:
                out.append(Problem("duplicate id", f"{kind} {value}", f"defined {n} times"))
    return out


def _references(tx: Taxonomy) -> list[Problem]:
    out = []

    def bad(where, message):
        out.append(Problem("dangling reference", where, message))

    for n in tx.industries:
        if n.parent:
            parent = tx.industry_by_id.get(n.parent)
            if parent is None:
                bad(f"industry {n.id}", f"parent {n.parent!r} does not exist")
            elif parent.level != LEVEL_PARENT.get(n.level):
                bad(f"industry {n.id}", f"a {n.level} cannot sit under a {parent.level}")
    for z in tx.zones:
        if z.parent and (z.parent not in tx.zone_by_id or z.parent == z.id):
            bad(f"zone {z.id}", f"parent zone {z.parent!r} does not exist")
    for i, r in enumerate(tx.relations):
        where = f"relation {r.file}#{i}"
        if r.industry not in tx.industry_by_id:
            bad(where, f"industry {r.industry!r} does not exist")
        if r.zone and r.zone not in tx.zone_by_id:
            bad(where, f"zone {r.zone!r} does not exist")
    for p in tx.policies:
        for ind in p.industries:
            if ind not in tx.industry_by_id:
                bad(f"policy {p.id}", f"industry {ind!r} does not exist")
        for zone in p.scope_zones:
            if zone not in tx.zone_by_id:
                bad(f"policy {p.id}", f"zone {zone!r} does not exist")
    for c in tx.industry_classes:
        for ind in c.industries:
            if ind not in tx.industry_by_id:
                bad(f"GB/T 4754 class {c.code}", f"industry {ind!r} does not exist")
        if len(c.code) > 2 and c.code[:-1] not in tx.industry_class_by_code \
                and c.code[:2] not in tx.industry_class_by_code:
            bad(f"GB/T 4754 class {c.code}", f"its division {c.code[:2]} is not listed")
    for where, s in _sourced(tx):
        if s.plan not in tx.plan_by_id:
            bad(where, f"cites unknown plan {s.plan!r}")
    return out


def _plan_links(tx: Taxonomy) -> list[Problem]:
    """Supersession links name other plans in the library and agree with the status."""
    out = []
    for p in tx.plans:
        where = f"plan {p.id}"
        for other in (*p.supersedes, *([p.superseded_by] if p.superseded_by else [])):
            if other == p.id or other not in tx.plan_by_id:
                out.append(Problem("dangling reference", where,
                                   f"supersession names {other!r}, not another plan here"))
        if p.superseded_by and p.status != "superseded":
            out.append(Problem("bad plan status", where,
                               f"superseded_by {p.superseded_by} but status is {p.status}"))
    return out


def _codes(tx: Taxonomy) -> list[Problem]:
    out = []

    def bad(where, message):
        out.append(Problem("bad district code", where, message))

    for d in tx.districts:
        if d.code not in SHANGHAI_DISTRICTS:
            bad(f"district {d.code}", "not a GB/T 2260 code of a Shanghai district")
        elif SHANGHAI_DISTRICTS[d.code] != d.name_zh:
            bad(f"district {d.code}", f"code belongs to {SHANGHAI_DISTRICTS[d.code]}, not {d.name_zh}")
    if tx.districts:
        missing = set(SHANGHAI_DISTRICTS) - {d.code for d in tx.districts}
        for code in sorted(missing):
            bad(f"district {code}", f"{SHANGHAI_DISTRICTS[code]} is missing from districts.yaml")
    known = set(tx.district_by_code)
    for z in tx.zones:
        for code in z.district_codes:
            if code not in known:
                bad(f"zone {z.id}", f"district code {code} is not a known district")
    for i, r in enumerate(tx.relations):
        if r.district and r.district not in known:
            bad(f"relation {r.file}#{i}", f"district code {r.district} is not a known district")
    for p in tx.policies:
        for code in p.scope_districts:
            if code not in known:
                bad(f"policy {p.id}", f"district code {code} is not a known district")
    return out


def _citations(tx: Taxonomy, plans_dir: Path) -> list[Problem]:
    out = []
    texts: dict[str, PlanText | None] = {}
    for plan in tx.plans:
        path = plans_dir / plan.file
        texts[plan.id] = PlanText(path.read_text(encoding="utf-8")) if path.is_file() else None
        if texts[plan.id] is None:
            out.append(Problem("bad citation", f"plan {plan.id}", f"file {path} not found"))
    for where, s in _sourced(tx):
        text = texts.get(s.plan)
        if text is None:
            continue
        if text.span(s.section) is None:
            out.append(Problem("bad citation", where,
                               f"section {s.section!r} not found in {s.plan}"))
        elif not text.contains(s.evidence, s.section):
            found = text.locate(s.evidence)
            hint = f" (it occurs in section {found!r})" if found else " (it occurs nowhere in the plan)"
            out.append(Problem("bad citation", where,
                               f"evidence {s.evidence!r} is not in {s.plan} {s.section}{hint}"))
    return out


def find_problems(tx: Taxonomy, plans_dir: str | Path | None = None) -> list[Problem]:
    """All problems, in check order; citations are checked only when `plans_dir` is given."""
    problems = _duplicates(tx) + _references(tx) + _plan_links(tx) + _codes(tx)
    if plans_dir is not None:
        problems += _citations(tx, Path(plans_dir))
    return problems


def validate(tx: Taxonomy, plans_dir: str | Path | None = None) -> None:
    """Raise `TaxonomyValidationError` with every problem of the first failing class."""
    problems = find_problems(tx, plans_dir)
    for kind in CHECK_ORDER:
        first = [p for p in problems if p.kind == kind]
        if first:
            raise TaxonomyValidationError(first)
