"""How specifically the plans point an industry at a place (issue 12, item 1).

A relation's weight is scaled, per citing clause, by two IDF-like factors computed once from
the taxonomy's relations:

- clause spread: a clause (plan + section) that places this industry in n districts gives each
  of them n ** -exponent (one district named alone counts fully, a long list weakly);
- popularity: a district the plans name in many clauses (for all industries) gets
  (c / median c) ** -popularity, so a place does not win by its count of statements overall
  (a belt or axis spanning several districts counts as one place of its own).
"""

from __future__ import annotations

import statistics

from taxonomy import Taxonomy
from taxonomy.model import Relation, Source


def is_area(zone) -> bool:
    """Belts, axes and trunk lines span several districts: they guide districts, not park lists."""
    return len(zone.district_codes) > 2 or zone.name_zh.endswith(("带", "轴", "干线"))


def _districts(tx: Taxonomy, rel: Relation) -> tuple[str, ...]:
    """The districts a relation places its industry in (a zone: its main district; a belt or
    axis: all the districts it spans)."""
    zone = tx.zone_by_id.get(rel.zone) if rel.zone else None
    if zone is None:
        return (rel.district,) if rel.district else ()
    return tuple(zone.district_codes) if is_area(zone) else tuple(zone.district_codes[:1])


def _place(tx: Taxonomy, rel: Relation) -> str:
    """The place a relation speaks for: its district, a zone's main district, or a belt itself."""
    zone = tx.zone_by_id.get(rel.zone) if rel.zone else None
    if zone is not None and is_area(zone):
        return zone.id
    codes = _districts(tx, rel)
    return codes[0] if codes else ""


def spread(tx: Taxonomy) -> dict[tuple[str, str, str], int]:
    """How many districts each clause places each industry in: {(industry, plan, section): n}."""
    places: dict[tuple, set] = {}
    for rel in tx.relations:
        for src in rel.sources:
            places.setdefault((rel.industry, src.plan, src.section), set()).update(_districts(tx, rel))
    return {key: max(1, len(v)) for key, v in places.items()}


def popularity(tx: Taxonomy) -> dict[str, float]:
    """Per place, its number of distinct clauses (plan, section, industry) over the median."""
    clauses: dict[str, set] = {}
    for rel in tx.relations:
        place = _place(tx, rel)
        for src in rel.sources:
            clauses.setdefault(place, set()).add((src.plan, src.section, rel.industry))
    if not clauses:
        return {}
    median = statistics.median(len(v) for v in clauses.values()) or 1.0
    return {place: len(v) / median for place, v in clauses.items()}


def weights(tx: Taxonomy, *, settings) -> dict[tuple[Relation, Source], float]:
    """Specificity weight per (relation, citing source): n ** -specificity_exponent x
    (popularity / median) ** -popularity_exponent (settings of matcher/settings.py)."""
    exponent, popular = settings.specificity_exponent, settings.popularity_exponent
    n_of = spread(tx)
    pop = popularity(tx) if popular else {}
    out: dict[tuple[Relation, Source], float] = {}
    for rel in tx.relations:
        damp = pop.get(_place(tx, rel), 1.0) ** -popular if popular else 1.0
        for src in rel.sources:
            n = n_of.get((rel.industry, src.plan, src.section), 1)
            out[(rel, src)] = n ** -exponent * damp
    return out


def note(n: int) -> tuple[str, str]:
    """What a reason adds about its clause's specificity (zh, en): named alone, or one of a list."""
    if n == 1:
        return "（该条款就此产业只点名此地）", " (the only place that clause names for it)"
    if n >= 3:
        return (f"（该条款就此产业列举{n}个区，按列举数降低权重）",
                f" (one of {n} districts that clause lists for it, so it weighs less)")
    return "", ""
