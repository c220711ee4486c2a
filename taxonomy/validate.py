"""Integrity rules of the taxonomy: unique ids, resolving references, valid codes, true citations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from taxonomy.errors import TaxonomyValidationError
from taxonomy.messages import Text, msg, term
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
    """One broken rule: `where` and `message` in English; `place` and `detail` the same in both
    languages (`text`, `message_zh`, `message_en`)."""

    kind: str
    where: str
    message: str
    place: Text | None = None
    detail: Text | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    @property
    def text(self) -> Text:
        if self.place is None or self.detail is None:
            return msg("other")
        return msg("where.problem", where=self.place, message=self.detail)

    @property
    def kind_text(self) -> Text:
        return msg(f"kind.{self.kind}")

    @property
    def message_zh(self) -> str:
        return self.text.zh

    @property
    def message_en(self) -> str:
        return self.text.en


def problem(kind: str, place: Text, detail: Text) -> Problem:
    """A `Problem` from its bilingual place and detail."""
    return Problem(kind, place.en, detail.en, place, detail)


def _at(kind: str, ident) -> Text:
    return msg("where.entry", kind=term(kind), id=ident)


def _sourced(tx: Taxonomy):
    """Every (where, source) pair in the taxonomy."""
    for p in tx.industries:
        for s in p.sources:
            yield _at("industry", p.id), s
        for t in p.targets:
            for s in t.sources:
                yield msg("where.target", id=p.id), s
    for d in tx.districts:
        for s in d.sources:
            yield _at("district", d.code), s
        for m in (*d.belts, *d.new_towns):
            for s in m.sources:
                yield msg("where.mention", code=d.code, name=m.name_zh), s
    for z in tx.zones:
        for s in z.sources:
            yield _at("zone", z.id), s
    for i, r in enumerate(tx.relations):
        for s in r.sources:
            yield msg("where.relation", file=r.file, index=i, industry=r.industry,
                       place=r.zone or r.district), s
    for p in tx.policies:
        for s in p.sources:
            yield _at("policy", p.id), s
    for c in tx.industry_classes:
        for s in c.sources:
            yield _at("GB/T 4754 class", c.code), s


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
                out.append(problem("duplicate id", _at(kind, value), msg("dup.defined", n=n)))
    return out


def _references(tx: Taxonomy) -> list[Problem]:
    out = []

    def bad(where, message):
        out.append(problem("dangling reference", where, message))

    for n in tx.industries:
        if n.parent:
            parent = tx.industry_by_id.get(n.parent)
            if parent is None:
                bad(_at("industry", n.id), msg("ref.parent", parent=n.parent))
            elif parent.level != LEVEL_PARENT.get(n.level):
                bad(_at("industry", n.id), msg("ref.level", level=term(n.level),
                                                   parent_level=term(parent.level)))
    for z in tx.zones:
        if z.parent and (z.parent not in tx.zone_by_id or z.parent == z.id):
            bad(_at("zone", z.id), msg("ref.parent_zone", parent=z.parent))
    for i, r in enumerate(tx.relations):
        where = msg("where.relation_at", file=r.file, index=i)
        if r.industry not in tx.industry_by_id:
            bad(where, msg("ref.industry", industry=r.industry))
        if r.zone and r.zone not in tx.zone_by_id:
            bad(where, msg("ref.zone", zone=r.zone))
    for p in tx.policies:
        for ind in p.industries:
            if ind not in tx.industry_by_id:
                bad(_at("policy", p.id), msg("ref.industry", industry=ind))
        for zone in p.scope_zones:
            if zone not in tx.zone_by_id:
                bad(_at("policy", p.id), msg("ref.zone", zone=zone))
    for c in tx.industry_classes:
        for ind in c.industries:
            if ind not in tx.industry_by_id:
                bad(_at("GB/T 4754 class", c.code), msg("ref.industry", industry=ind))
        if len(c.code) > 2 and c.code[:-1] not in tx.industry_class_by_code \
                and c.code[:2] not in tx.industry_class_by_code:
            bad(_at("GB/T 4754 class", c.code), msg("ref.division", division=c.code[:2]))
    for where, s in _sourced(tx):
        if s.plan not in tx.plan_by_id:
            bad(where, msg("ref.plan", plan=s.plan))
    return out


def _plan_links(tx: Taxonomy) -> list[Problem]:
    """Supersession links name other plans in the library and agree with the status."""
    out = []
    for p in tx.plans:
        where = _at("plan", p.id)
        for other in (*p.supersedes, *([p.superseded_by] if p.superseded_by else [])):
            if other == p.id or other not in tx.plan_by_id:
                out.append(problem("dangling reference", where,
                                   msg("ref.supersession", other=other)))
        if p.superseded_by and p.status != "superseded":
            out.append(problem("bad plan status", where, msg(
                "status.superseded_by", by=p.superseded_by, status=term(p.status))))
    return out


def _codes(tx: Taxonomy) -> list[Problem]:
    out = []

    def bad(where, message):
        out.append(problem("bad district code", where, message))

    for d in tx.districts:
        if d.code not in SHANGHAI_DISTRICTS:
            bad(_at("district", d.code), msg("code.not_shanghai"))
        elif SHANGHAI_DISTRICTS[d.code] != d.name_zh:
            bad(_at("district", d.code), msg("code.wrong_name", right=SHANGHAI_DISTRICTS[d.code],
                                                   name=d.name_zh))
    if tx.districts:
        missing = set(SHANGHAI_DISTRICTS) - {d.code for d in tx.districts}
        for code in sorted(missing):
            bad(_at("district", code), msg("code.missing", name=SHANGHAI_DISTRICTS[code]))
    known = set(tx.district_by_code)
    for z in tx.zones:
        for code in z.district_codes:
            if code not in known:
                bad(_at("zone", z.id), msg("code.unknown", code=code))
    for i, r in enumerate(tx.relations):
        if r.district and r.district not in known:
            bad(msg("where.relation_at", file=r.file, index=i),
                msg("code.unknown", code=r.district))
    for p in tx.policies:
        for code in p.scope_districts:
            if code not in known:
                bad(_at("policy", p.id), msg("code.unknown", code=code))
    return out


def _citations(tx: Taxonomy, plans_dir: Path) -> list[Problem]:
    out = []
    texts: dict[str, PlanText | None] = {}
    for plan in tx.plans:
        path = plans_dir / plan.file
        texts[plan.id] = PlanText(path.read_text(encoding="utf-8")) if path.is_file() else None
        if texts[plan.id] is None:
            out.append(problem("bad citation", _at("plan", plan.id),
                               msg("cite.no_file", path=str(path))))
    for where, s in _sourced(tx):
        plan_text = texts.get(s.plan)
        if plan_text is None:
            continue
        if plan_text.span(s.section) is None:
            out.append(problem("bad citation", where,
                               msg("cite.no_section", section=s.section, plan=s.plan)))
        elif not plan_text.contains(s.evidence, s.section):
            found = plan_text.locate(s.evidence)
            args = {"evidence": s.evidence, "plan": s.plan, "section": s.section}
            detail = msg("cite.evidence_in", found=found, **args) if found else msg(
                "cite.evidence_nowhere", **args)
            out.append(problem("bad citation", where, detail))
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
