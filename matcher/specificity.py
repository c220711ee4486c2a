"""How specifically the plans point an industry at a place (issue 12, item 1).

A relation's weight is scaled, per citing clause, by two IDF-like factors computed once from
the taxonomy's relations:

- clause spread: a clause (plan + section) that places this industry in n districts gives each
  of them n ** -exponent (one district named alone counts fully, a long list weakly);
- clause breadth: a clause that lists k sectors for one place (浦东北部重点发展集成电路、生命健康、
  航空及高端装备、汽车等) says less about each of them than one devoted to one sector: k ** -breadth;
- popularity (off by default: measured, it lowers both benchmarks): a district the plans name in
  many clauses gets (c / median c) ** -popularity (a belt or axis counts as a place of its own).
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


ALONE_EN = "the only place that clause names for it"  # in a reason: the clause names this place alone


def _sector(tx: Taxonomy, industry: str) -> str:
    chain = tx.ancestors(industry)
    return chain[0].id if chain else industry


def breadth(tx: Taxonomy) -> dict[tuple[str, str, str, str], int]:
    """How many sectors each clause lists for each place: {(plan, section, evidence, place): k}."""
    sectors: dict[tuple, set] = {}
    for rel in tx.relations:
        for src in rel.sources:
            key = (src.plan, src.section, src.evidence, rel.zone or rel.district or "")
            sectors.setdefault(key, set()).add(_sector(tx, rel.industry))
    return {key: max(1, len(v)) for key, v in sectors.items()}


def _counts(tx: Taxonomy) -> dict[tuple[Relation, Source], tuple[int, int]]:
    """(n districts the clause names for the industry, k sectors it lists for the place)."""
    n_of, k_of = spread(tx), breadth(tx)
    return {(rel, src): (n_of.get((rel.industry, src.plan, src.section), 1),
                         k_of.get((src.plan, src.section, src.evidence, rel.zone or rel.district or ""), 1))
            for rel in tx.relations for src in rel.sources}


def weights(tx: Taxonomy, *, settings) -> dict[tuple[Relation, Source], float]:
    """Specificity weight per (relation, citing source): n ** -specificity_exponent x
    k ** -breadth_exponent x (popularity / median) ** -popularity_exponent (matcher/settings.py)."""
    popular = settings.popularity_exponent
    pop = popularity(tx) if popular else {}
    out: dict[tuple[Relation, Source], float] = {}
    for (rel, src), (n, k) in _counts(tx).items():
        damp = pop.get(_place(tx, rel), 1.0) ** -popular if popular else 1.0
        out[(rel, src)] = n ** -settings.specificity_exponent * k ** -settings.breadth_exponent * damp
    return out


def notes(tx: Taxonomy, *, settings) -> dict[tuple[Relation, Source], tuple[str, str]]:
    """What each (relation, source) reason adds about its clause's specificity, (zh, en)."""
    return {key: note(n, k if settings.breadth_exponent else 1) for key, (n, k) in _counts(tx).items()}


def note(n: int, k: int = 1) -> tuple[str, str]:
    """A reason's suffix (zh, en): the place named alone or in a list of n districts for this
    industry, and a clause listing k sectors for the place."""
    zh, en = [], []
    if n == 1:
        zh.append("该条款就此产业只点名此地")
        en.append(ALONE_EN)
    elif n >= 3:
        zh.append(f"该条款就此产业列举{n}个区，按列举数降低权重")
        en.append(f"one of {n} districts that clause lists for it, so it weighs less")
    if k >= 3:
        zh.append(f"该条款为此地同时列举{k}个产业门类，权重相应降低")
        en.append(f"that clause lists {k} sectors for this place, so each weighs less")
    if not zh:
        return "", ""
    return "（" + "；".join(zh) + "）", " (" + "; ".join(en) + ")"
