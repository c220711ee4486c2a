"""District and park scoring: relations weighted by role, plan fit rules, and preferences."""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import orjson
from rapidfuzz import fuzz, process

from matcher import rules, specificity
from matcher.currency import stale_fields
from matcher.evidence import FLOOR, Evidence
from matcher.settings import MatcherSettings
from matcher.text import normalize
from taxonomy import Taxonomy
from taxonomy.model import Source

# What a relation of each role says, in plain words: (Chinese, English) with {place}, {industry}.
ROLE_SENTENCES = {
    "core_area": ("规划将{place}列为{industry}的核心区",
                  "the plans name {place} a core area for {industry}"),
    "main_carrier": ("规划将{place}列为{industry}的主要承载地",
                     "the plans name {place} a main location for {industry}"),
    "key_development": ("规划在{place}重点发展{industry}",
                        "the plans make {industry} a priority in {place}"),
    "cluster_member": ("规划将{place}纳入{industry}集群布局",
                       "the plans include {place} in the {industry} cluster"),
    "mentioned": ("规划提到在{place}发展{industry}",
                  "the plans name {place} for {industry}"),
}


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_EN_WORD = re.compile(r"[a-z0-9]+")
_TOO_GENERIC = frozenset(("上海", "中心城区", "郊区", "新城", "园区", "基地", "shanghai", "central"))


def _put_wishes_first(scored: list[tuple]) -> list[tuple]:
    """Two-sided fit: a place the company asked for, and that the plans back for its industry,
    ranks first; one the plans do not back only gets the preference lift."""
    others = [score for score, _key, place in scored if not place.preferred]
    best_other = max(others, default=0.0)
    out = []
    for score, key, place in scored:
        if place.preferred and place.backed and score < best_other:
            score = min(1.0, best_other + 0.001)
        out.append((score, key, place))
    return out


def _damped(values: list[float], later: float) -> float:
    """Noisy-or where the first value counts fully and later ones are damped."""
    miss = 1.0
    for k, value in enumerate(values):
        miss *= 1.0 - min(value, 0.99) * (1.0 if k == 0 else later)
    return 1.0 - miss


@dataclass(eq=False, slots=True)
class _Place:
    contributions: list = field(default_factory=list)  # (value, reason_zh, reason_en, source)
    factor: float = 1.0
    lift: float = 0.0
    notes: list = field(default_factory=list)  # (reason_zh, reason_en, source|None)
    preferred: bool = False  # the company asked for it or named it
    base: float | None = None  # its evidence's noisy-or, computed for a whole chunk (Evidence)
    current: bool = False  # with `base`: some of its evidence rests on a current plan
    lazy: tuple | None = None  # with `base`: (listed nodes, probabilities, (is_park, key))

    @property
    def backed(self) -> bool:
        """Some plan statement places the industry here."""
        return self.base is not None or bool(self.contributions)

    def score(self, within: float, across: float) -> float:
        """Damped noisy-or: the strongest statement counts fully, further ones add a little
        (`within` a plan, `across` plans), so a place's count of statements matters little."""
        base = self._base(within, across) if self.base is None else self.base
        return float(min(1.0, max(0.0, base * self.factor + self.lift * (1 - base * self.factor))))

    def _base(self, within: float, across: float) -> float:
        # one clause about one industry is one statement, however many zones of this place it names
        per_clause: dict[tuple, float] = {}
        for value, _zh, _en, source in self.contributions:
            per_clause[source.clause] = max(value, per_clause.get(source.clause, 0.0))
        per_plan: dict[str, list[float]] = {}
        for clause, value in per_clause.items():
            per_plan.setdefault(clause[0], []).append(value)
        plan_values = []
        for values in per_plan.values():  # within a plan: the strongest, plus a little
            values.sort(reverse=True)
            plan_values.append(_damped(values, within))
        return _damped(sorted(plan_values, reverse=True), across)


is_area = specificity.is_area  # belts, axes and trunk lines: they guide districts, not park lists


class _Cite(NamedTuple):
    """A citation prepared once: its plan id, its JSON form and its clause (plan, section,
    evidence, and the industry it is cited for)."""

    plan: str
    as_dict: dict
    clause: tuple
    key: bytes  # its JSON form as bytes (sorted keys): equal citations, equal keys


def _prepared(source: Source, industry: str = "") -> _Cite:
    as_dict = source.to_dict()
    return _Cite(source.plan, as_dict, (source.plan, source.section, source.evidence, industry),
                 orjson.dumps(as_dict, option=orjson.OPT_SORT_KEYS))


def cite(tx: Taxonomy, source: Source) -> str:
    plan = tx.plan_by_id.get(source.plan)
    title = plan.title_zh if plan else source.plan
    draft = "（征求意见稿）" if plan and plan.status == "draft" and "征求意见稿" not in title else ""
    return f"《{title}》{draft}{source.section}：“{source.evidence}”"


class LocationScorer:
    """Turns industry probabilities into ranked districts and parks with reasons."""

    def __init__(self, taxonomy: Taxonomy, node_ids: list[str], settings: MatcherSettings,
                 stale: dict | None = None):
        self.tx = taxonomy
        self.settings = settings
        self.stale = stale or {}  # plan id -> StalePlan (superseded or expired)
        index = {nid: i for i, nid in enumerate(node_ids)}
        self.node_ids = node_ids
        self.ancestors = [{index[a.id] for a in taxonomy.ancestors(n)} for n in node_ids]
        self.relations_by_node: dict[int, list] = {}
        drop = settings.stale_plans == "drop"
        for rel in taxonomy.relations:
            if drop and all(src.plan in self.stale for src in rel.sources):
                continue  # rests only on plans no longer current
            if rel.industry in index:
                self.relations_by_node.setdefault(index[rel.industry], []).append(rel)
        # A city plan speaks for the whole city; a zone's or a district's own plan naturally
        # places everything in that zone or district, so its statements weigh less.
        self.plan_weight = {p.id: {"city": 1.0, "zone": 0.85, "district": 0.55}.get(p.scope, 0.8)
                            for p in taxonomy.plans}
        self.related = [self._related_nodes(m) for m in range(len(node_ids))]
        self.central = {d.code for d in taxonomy.districts if d.character == "central"}
        self.bay = {d.code for d in taxonomy.districts if any("沿湾" in b.name_zh for b in d.belts)}
        self._damping = (settings.within_plan, settings.across_plans)
        self.spread = specificity.spread(taxonomy)  # {(industry, plan, section): districts named}
        self.specific = specificity.weights(taxonomy, settings=settings)  # {(relation, source): w}
        self.spec_notes = specificity.notes(taxonomy, settings=settings)  # {(relation, source): (zh, en)}
        self.targets = {id(rel): self._targets(rel) for rel in taxonomy.relations}
        # per node: (related node, it is broader, affinity); the evidence arrays of all nodes
        self._shares_of = [[(r, r in self.ancestors[m], aff) for r, aff in self.related[m]]
                           for m in range(len(node_ids))]
        self.evidence = Evidence({r: [t for rel in rels for t in self.targets[id(rel)]]
                                  for r, rels in self.relations_by_node.items()},
                                 self.stale, len(node_ids))
        # per listed node: place -> [(related node, it is broader, affinity, its targets there)],
        # in the order `_contributions` meets them (related node, then target)
        self._cands: list[dict[tuple, list]] = []
        for m in range(len(node_ids)):
            mine: dict[tuple, list] = {}
            for r, broader, aff in self._shares_of[m]:
                for where, targets in self.evidence.by_place.get(r, {}).items():
                    mine.setdefault(where, []).append((r, broader, aff, targets))
            self._cands.append(mine)
        self._is_park = [where[0] for where in self.evidence.places]
        self._place_keys = [where[1] for where in self.evidence.places]
        self._zone_first = {z.id: z.district_codes[0] if z.district_codes else None
                            for z in taxonomy.zones}
        self._stale_fields: dict[tuple, dict] = {}  # plan ids -> their stale fields ({}: current)
        self.poles = [z.id for z in taxonomy.zones if z.name_zh in rules.POLE_NAMES]
        self.brand_parks = [z.id for z in taxonomy.zones if z.name_zh in rules.BRAND_PARK_NAMES]
        self.rule_notes = {r.id: (f"规划的布局原则：{r.text_zh}", f"the plans' layout rule: {r.text_en}",
                                  _prepared(r.source))
                           for r in rules.ALL_RULES}
        self.chemical_parks = [z.id for z in taxonomy.zones if "化工区" in z.name_zh]
        self._place_names = self._build_place_names()
        self._text_names = {k: v for k, v in self._place_names.items()
                            if len(k) >= 2 and not k.isdigit() and k not in _TOO_GENERIC
                            and (any("\u3400" <= c <= "\u9fff" for c in k) or len(k) >= 5)}
        # a name's first two characters -> the lengths of the names starting so (<= 16, longest
        # first); the first words of names of two or three words
        self._zh_starts: dict[str, list[int]] = {}
        for k in self._text_names:
            if len(k) <= 16:
                self._zh_starts.setdefault(k[:2], set()).add(len(k))
        self._zh_starts = {k: sorted(v, reverse=True) for k, v in self._zh_starts.items()}
        self._en_starts = {k.split(" ")[0] for k in self._text_names if " " in k}
        self.areas = {z.id for z in taxonomy.zones if is_area(z)}

    # ---- preferences -----------------------------------------------------------------------
    def _build_place_names(self) -> dict[str, tuple[str, str]]:
        names: dict[str, tuple[str, str]] = {}
        for d in self.tx.districts:
            for n in (d.code, d.id, d.name_zh, d.name_en, *d.aliases_zh, *d.aliases_en):
                names.setdefault(normalize(n), ("district", d.code))
            names.setdefault(normalize(d.name_en.replace(" District", "")), ("district", d.code))
        for z in self.tx.zones:
            for n in (z.id, z.name_zh, z.name_en, *z.aliases_zh, *z.aliases_en):
                names.setdefault(normalize(n), ("zone", z.id))
        return names

    def resolve_places(self, raws: list[str]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
        """Preferred district codes and zone ids from codes or names (fuzzy), plus warnings
        as (English, Chinese) pairs."""
        codes, zones, warnings = [], [], []
        for raw in raws:
            key = normalize(raw)
            hit = self._place_names.get(key) or self._place_names.get(key.removesuffix("区"))
            if hit is None and key:
                best = process.extractOne(key, list(self._place_names), scorer=fuzz.WRatio,
                                          score_cutoff=86)
                hit = self._place_names[best[0]] if best else None
            if hit is None:
                warnings.append((f"preferred district {raw!r} not recognised; ignored",
                                 f"意向区域“{raw}”无法识别，已忽略"))
            elif hit[0] == "district":
                codes.append(hit[1]) if hit[1] not in codes else None
            else:
                zones.append(hit[1]) if hit[1] not in zones else None
                for code in self.tx.zone_by_id[hit[1]].district_codes[:1]:
                    codes.append(code) if code not in codes else None
        return codes, zones, warnings

    # ---- scoring ---------------------------------------------------------------------------
    def _affinity(self, matched: int, related: int) -> float:
        if matched == related:
            return 1.0
        if related in self.ancestors[matched]:   # relation names a broader industry
            levels = len(self.ancestors[matched]) - len(self.ancestors[related])
            return 0.85 ** levels
        if matched in self.ancestors[related]:   # relation names a narrower industry
            return 0.55
        return 0.0

    def places_in_text(self, text: str) -> tuple[list[str], list[str]]:
        """Districts and zones the description itself names ("考虑青浦", "near Zhangjiang")."""
        found: set[tuple[str, str]] = set()
        names, starts = self._text_names, self._zh_starts
        for run in _CJK_RUN.findall(text):
            n = len(run)
            for i in range(n - 1):
                lengths = starts.get(run[i:i + 2])
                if lengths is None:
                    continue
                for length in lengths:  # the longest name starting here
                    if i + length <= n:
                        hit = names.get(run[i:i + length])
                        if hit:
                            found.add(hit)
                            break
        words = _EN_WORD.findall(text)
        several = self._en_starts
        for i in range(len(words)):
            if words[i] not in several:  # no name of two or three words starts here
                hit = names.get(words[i])
                if hit:
                    found.add(hit)
                continue
            for k in (3, 2, 1):
                hit = names.get(" ".join(words[i:i + k]))
                if hit:
                    found.add(hit)
                    break
        codes = sorted(k for kind, k in found if kind == "district")
        zones = sorted(k for kind, k in found if kind == "zone")
        return codes, zones

    def _related_nodes(self, m: int) -> list[tuple[int, float]]:
        """Nodes whose relations speak for node m, with their affinity to it."""
        nodes = {m, *self.ancestors[m]} | {r for r in self.relations_by_node if m in self.ancestors[r]}
        return [(r, self._affinity(m, r)) for r in sorted(nodes) if r in self.relations_by_node]

    def _targets(self, rel) -> list[tuple]:
        """Where one relation's weight lands: (is_park, key, weight, reason_zh, reason_en, source).

        Weight = role x plan scope x specificity (matcher/specificity.py: how specifically the
        clause points this industry at this place); each plan citing the relation counts once,
        with its strongest clause, whose reason says how specific it is."""
        node = self.tx.industry_by_id[rel.industry]
        say_zh, say_en = ROLE_SENTENCES[rel.role]
        role = self.settings.role_weights.get(rel.role, 0.3)
        best: dict[str, tuple[float, Source]] = {}
        for src in rel.sources:
            if self.settings.stale_plans == "drop" and src.plan in self.stale:
                continue  # a plan no longer current says nothing in drop mode
            weight = role * self.plan_weight.get(src.plan, 0.8) * self.specific.get((rel, src), 1.0)
            if src.plan not in best or weight > best[src.plan][0]:
                best[src.plan] = (weight, src)
        out = []
        for base, source in best.values():
            prepared = _prepared(source, rel.industry)
            how_zh, how_en = self.spec_notes.get((rel, source), ("", ""))
            if rel.zone:
                zone = self.tx.zone_by_id[rel.zone]
                zh = say_zh.format(place=zone.name_zh, industry=node.name_zh) + how_zh
                en = say_en.format(place=zone.name_en, industry=node.name_en) + how_en
                out.append((True, zone.id, base, zh, en, prepared))
                if zone.parent and zone.parent in self.tx.zone_by_id:
                    out.append((True, zone.parent, base * 0.6, zh, en, prepared))
                broad = len(zone.district_codes) > 2  # a belt or axis across several districts
                for k, code in enumerate(zone.district_codes):
                    weight = 0.45 if broad else (0.95 if k == 0 else 0.5)
                    out.append((False, code, base * weight, zh, en, prepared))
            else:
                district = self.tx.district_by_code[rel.district]
                zh = say_zh.format(place=district.name_zh, industry=node.name_zh) + how_zh
                en = say_en.format(place=district.name_en, industry=node.name_en) + how_en
                out.append((False, rel.district, base, zh, en, prepared))
        return out

    def score(self, *, probs: np.ndarray, matched: list[int], text: str,
              project_type: str | None, land_mu: float | None, top_sector: str | None,
              preferred_codes: list[str], preferred_zones: list[str],
              named_codes: list[str] = (), named_zones: list[str] = (),
              current_code: str | None = None, current_lift: float = 0.0,
              current_expands: bool = False):
        """Ranked districts and parks for the matched (listed) industry nodes.

        Reads only its arguments and the (fixed) taxonomy and settings, so a caller may cache
        on them: `probs` (node probabilities, already masked to the listed industries and their
        ancestors), `matched` (listed node indexes), `text` (normalised; only for the
        manufacturing and hazardous-chemicals rules), `project_type`, `land_mu`, `top_sector`,
        the company's wishes (`preferred_codes`/`preferred_zones`), the places its description
        names (`named_codes`/`named_zones`), and where it already is (`current_code`, lifted by
        `current_lift`; `current_expands`: an expansion there ranks like a wish)."""
        return self.score_many([dict(
            probs=probs, matched=matched, text=text, project_type=project_type, land_mu=land_mu,
            top_sector=top_sector, preferred_codes=preferred_codes, preferred_zones=preferred_zones,
            named_codes=named_codes, named_zones=named_zones, current_code=current_code,
            current_lift=current_lift, current_expands=current_expands)])[0]

    def score_many(self, requests: list[dict]) -> list[tuple[list[dict], list[dict]]]:
        """`score` for many rows at once (each a dict of `score`'s arguments): the evidence of
        the whole chunk in one array product, then each row's rules, wishes and ranking, with
        reasons built only for the places listed."""
        listed = [list(dict.fromkeys(req["matched"])) for req in requests]
        shares = np.zeros((len(requests), len(self.node_ids)))
        for i, (req, nodes) in enumerate(zip(requests, listed, strict=True)):
            probs, row = req["probs"], shares[i]
            for m in nodes:
                pm = float(probs[m])
                for r, broader, aff in self._shares_of[m]:
                    # a broader node's relation counts with the broader node's own probability
                    share = (max(pm, float(probs[r])) if broader else pm) * aff
                    if share > row[r]:
                        row[r] = share
        bases = self.evidence.bases(shares, *self._damping)
        return [self._finish(nodes, found, **req)
                for req, nodes, found in zip(requests, listed, bases, strict=True)]

    def _finish(self, nodes: list[int], found: list[tuple], *, probs: np.ndarray, matched,
                text: str, project_type, land_mu, top_sector, preferred_codes, preferred_zones,
                named_codes=(), named_zones=(), current_code=None, current_lift: float = 0.0,
                current_expands: bool = False):
        """One row's ranked districts and parks from its places' evidence (`found`, in rank
        order: `Evidence.bases`). Only the places a rule or a wish changes become `_Place`s
        before ranking; the others rank by their evidence score as it is."""
        s = self.settings
        is_park = self._is_park
        d_found, p_found = [], []
        for item in found:
            (p_found if is_park[item[0]] else d_found).append(item)
        districts = _Row(d_found, self._place_keys, nodes, probs, self.evidence.places)
        parks = _Row(p_found, self._place_keys, nodes, probs, self.evidence.places)
        self._apply_rules(districts, parks, text, project_type, land_mu, top_sector)
        for code in preferred_codes:
            if code in self.tx.district_by_code:
                place = districts.setdefault(code)
                place.lift = max(place.lift, s.preference_boost)
                place.preferred = True
                place.notes.append(("您的意向区域", "your preferred district", None))
        for zid in preferred_zones:
            place = parks.setdefault(zid)
            place.lift = max(place.lift, s.preference_boost)
            place.preferred = True
            place.notes.append(("您的意向园区", "your preferred park", None))
        named_district_codes = set(named_codes)
        for zid in named_zones:
            named_district_codes.update(self.tx.zone_by_id[zid].district_codes[:1])
            place = parks.setdefault(zid)
            place.lift = max(place.lift, s.preference_boost * 0.8)
            place.preferred = True
            place.notes.append(("描述中提到该园区", "named in the description", None))
        for code in sorted(named_district_codes):
            if code in self.tx.district_by_code:
                place = districts.setdefault(code)
                place.lift = max(place.lift, s.preference_boost * 0.8)
                place.preferred = True
                place.notes.append(("描述中提到该区域", "named in the description", None))
        if current_code in self.tx.district_by_code:
            place = districts.setdefault(current_code)
            place.lift = max(place.lift, current_lift)
            place.preferred = place.preferred or current_expands
            place.notes.append(("企业现址所在区", "where the company already is", None))
        ranked = self._rank_districts(districts)
        return ranked, self._rank_parks(parks, [d["code"] for d in ranked])

    def _contributions(self, place: _Place) -> list:
        """A place's contributions (value, reason_zh, reason_en, source) in the order the
        statements are met (listed node, related node, relation, target), values over FLOOR."""
        if place.lazy is None:
            return place.contributions
        nodes, probs, where = place.lazy
        out = place.contributions = []
        place.lazy = None
        cands = self._cands
        for m in nodes:
            found = cands[m].get(where)
            if not found:
                continue
            pm = float(probs[m])
            for r, broader, aff, targets in found:
                share = (max(pm, float(probs[r])) if broader else pm) * aff
                for weight, zh, en, source in targets:
                    value = share * weight
                    if value > FLOOR:
                        out.append((value, zh, en, source))
        return out

    def _apply_rules(self, districts, parks, text, project_type, land_mu, top_sector) -> None:
        s = self.settings
        central, bay = self.central, self.bay
        manufacturing = rules.is_manufacturing(text, project_type, land_mu)
        service = rules.is_service(text, project_type, top_sector)

        def note(place, rule, factor=1.0, lift=0.0):
            if rule.source.plan not in self.tx.plan_by_id:
                return  # a rule applies only with the plan that states it
            place.factor *= factor
            place.lift = max(place.lift, lift)
            place.notes.append(self.rule_notes[rule.id])

        def place(code):
            return districts.setdefault(code)

        if manufacturing:  # only places already in play can be pushed down
            for code in central & districts.keys():
                note(districts.setdefault(code), rules.SUBURB_MANUFACTURING, factor=0.5)
        elif service:
            for code in central:
                note(place(code), rules.CENTRAL_SERVICES, lift=0.3)
        if (land_mu or 0) >= s.large_land_mu:
            for code in central & districts.keys():
                districts.setdefault(code).factor *= 0.6
            for code in bay:
                note(place(code), rules.BAY_LAND, lift=0.2)
        for zid in self.poles:  # only where the plans already place this industry
            if parks.backed(zid):
                note(parks.setdefault(zid), rules.GROWTH_POLES, lift=s.pole_lift)
                for code in self.tx.zone_by_id[zid].district_codes[:1]:
                    note(place(code), rules.GROWTH_POLES, lift=s.pole_lift)
        if rules.in_brand_park_scope(top_sector):  # a brand park where its district is in play
            for zid in self.brand_parks:
                code = self.tx.zone_by_id[zid].district_codes[0]
                if districts.backed(code):
                    note(parks.setdefault(zid), rules.BRAND_PARKS, lift=s.pole_lift)
        if rules.needs_chemical_park(text) and self.chemical_parks:
            for zid in self.chemical_parks:
                note(parks.setdefault(zid), rules.CHEMICAL_PARK, lift=0.6)
                for code in self.tx.zone_by_id[zid].district_codes:
                    note(place(code), rules.CHEMICAL_PARK, lift=0.45)

    def _reasons(self, place: _Place):
        items = sorted(self._contributions(place), key=itemgetter(0), reverse=True)  # stable
        reasons_zh, reasons_en, sources, seen, cited = [], [], [], set(), set()
        for _value, zh, en, src in items:
            if zh in seen:  # the same statement in another plan or section: one more source
                if len(sources) < 6 and src.key not in cited:
                    cited.add(src.key)
                    sources.append(dict(src.as_dict))
                continue
            if len(reasons_zh) >= 3:
                if len(sources) >= 6:
                    break  # nothing further can be added
                continue
            seen.add(zh)
            reasons_zh.append(zh)
            reasons_en.append(en)
            cited.add(src.key)
            sources.append(dict(src.as_dict))
        for zh, en, src in place.notes:
            if zh not in seen:
                seen.add(zh)
                reasons_zh.append(zh)
                reasons_en.append(en)
                if src is not None:
                    sources.append(dict(src.as_dict))
        return reasons_zh, reasons_en, sources

    def _rank_key(self, item: tuple) -> tuple:
        """Places a current plan backs first (and a place the company asked for that any plan
        backs); then the others, those resting only on superseded or expired plans included;
        each group by score."""
        score, key, place = item
        if not self.stale or place.current or (place.preferred and place.backed):
            return (False, -score, key)
        stale = self.stale
        current = any(c[3].plan not in stale for c in place.contributions) or any(
            src is not None and src.plan not in stale for _zh, _en, src in place.notes)
        return (not current, -score, key)

    def _with_stale(self, row: dict, place: _Place) -> dict:
        """`row` with the stale-plan fields when the place rests only on plans no longer
        current (its relations' and fit rules' plans); a current place or a wish alone as is."""
        if place.current:
            return row
        plans = [c[3].plan for c in self._contributions(place)]
        plans += [src.plan for _zh, _en, src in place.notes if src is not None]
        if not plans:
            return row
        plans = tuple(dict.fromkeys(plans))
        fields = self._stale_fields.get(plans)
        if fields is None:
            stale = self.stale
            fields = self._stale_fields[plans] = (
                {} if any(p not in stale for p in plans) else stale_fields([stale[p] for p in plans]))
        return {**row, **fields} if fields else row

    def _untouched(self, row: _Row, score_floor: float, skip=frozenset()):
        """The row's places with evidence that no rule or wish changed, in rank order, as
        (rank key, score, key, found item); their score is their evidence score (a `_Place`
        with factor 1 and no lift scores its base exactly)."""
        keys, made, stale = self._place_keys, row.made, bool(self.stale)
        out = []
        for item in row.found:
            key = keys[item[0]]
            if key in made or key in skip or item[1] < score_floor:
                continue
            out.append((((not item[2]) if stale else False, -item[1], key), item[1], key, item))
        return out

    def _lifted(self, touched: list, untouched: list) -> list:
        """`_put_wishes_first` over the touched places (`(score, key, place)`) and the untouched
        ones (never wishes), as (rank key, score, key, place) of the touched ones."""
        best_other = None
        out = []
        for score, key, place in touched:
            if place.preferred and place.backed:
                if best_other is None:
                    best_other = max([x[1] for x in untouched]
                                     + [t[0] for t in touched if not t[2].preferred], default=0.0)
                if score < best_other:
                    score = min(1.0, best_other + 0.001)
            out.append((self._rank_key((score, key, place)), score, key, place))
        return out

    def _rank_districts(self, places: _Row) -> list[dict]:
        thr, top = self.settings.location_threshold, self.settings.top_districts
        touched = [(place.score(*self._damping), code, place) for code, place in places.made.items()
                   if place.backed or place.notes]
        untouched = self._untouched(places, -1.0)
        lifted = [x for x in self._lifted(touched, untouched) if x[1] >= thr]
        head = []
        for x in untouched:  # already in rank order: at most `top` of them can be listed
            if x[1] >= thr:
                head.append(x)
                if len(head) >= top:
                    break
        out = []
        for _rank, score, code, place in sorted(head + lifted)[:top]:
            place = places.place(place)
            d = self.tx.district_by_code[code]
            zh, en, sources = self._reasons(place)
            out.append(self._with_stale(
                {"code": code, "name_zh": d.name_zh, "name_en": d.name_en,
                 "score": round(score, 4), "reasons": zh, "reasons_en": en,
                 "sources": sources}, place))
        return out

    def _following_districts(self, scored: list[tuple], codes) -> list[tuple]:
        """The park list follows the district ranking: each of the first `park_districts`
        districts brings its best park into the list (then the others by score), so a district
        ranked second or third is not left without a park by a first one with many.
        `scored`: (score, zone id, place) in rank order; the list keeps that order."""
        first = self._zone_first
        taken: set[int] = set()
        for code in list(codes)[: self.settings.park_districts]:
            for j, item in enumerate(scored):
                if j not in taken and first.get(item[1]) == code:
                    taken.add(j)
                    break
        rest = self.settings.top_parks - len(taken)
        for j in range(len(scored)):
            if rest <= 0:
                break
            if j not in taken:
                taken.add(j)
                rest -= 1
        return [scored[j] for j in sorted(taken)]

    def _rank_parks(self, places: _Row, codes=()) -> list[dict]:
        thr = self.settings.location_threshold
        touched = []
        for zid, place in places.made.items():
            if zid in self.areas:
                continue
            score = place.score(*self._damping)
            if score >= thr:
                touched.append((score, zid, place))
        untouched = self._untouched(places, thr, self.areas)
        lifted = self._lifted(touched, untouched)
        if lifted:
            lifted.sort()
            untouched = list(heapq.merge(untouched, lifted))
        scored = self._following_districts([x[1:] for x in untouched], codes)
        out = []
        for score, zid, place in scored:
            place = places.place(place)
            z = self.tx.zone_by_id[zid]
            zh, en, sources = self._reasons(place)
            out.append(self._with_stale(
                {"id": zid, "name_zh": z.name_zh, "name_en": z.name_en, "kind": z.kind,
                 "district_code": z.district_codes[0] if z.district_codes else None,
                 "score": round(score, 4), "reasons": zh, "reasons_en": en,
                 "sources": sources}, place))
        return out


class _Row:
    """One row's places of one kind (districts or parks): those with evidence (`found`, in rank
    order, as `Evidence.bases` gives them) and those a rule or a wish changed (`made`)."""

    __slots__ = ("_index", "found", "lazy", "made", "names", "places")

    def __init__(self, found: list[tuple], names: list[str], nodes, probs, places):
        self.found, self.names, self.places = found, names, places
        self.lazy = (nodes, probs)
        self.made: dict[str, _Place] = {}
        self._index: dict | None = None

    def _found(self) -> dict:
        if self._index is None:
            names = self.names
            self._index = {names[item[0]]: item for item in self.found}
        return self._index

    def keys(self):
        return self._found().keys() | self.made.keys()

    def backed(self, key: str) -> bool:
        """Some plan statement places the industry here (a place with evidence, or a changed
        one that has some)."""
        place = self.made.get(key)
        return place.backed if place is not None else key in self._found()

    def place(self, item) -> _Place:
        """A listed place as a `_Place`: a changed one as it is, a found item made into one."""
        if isinstance(item, _Place):
            return item
        p, base, current = item
        nodes, probs = self.lazy
        return _Place(base=base, current=current, lazy=(nodes, probs, self.places[p]))

    def setdefault(self, key: str) -> _Place:
        """The place to change: made once, from its evidence when it has some."""
        place = self.made.get(key)
        if place is None:
            item = self._found().get(key)
            place = self.made[key] = _Place() if item is None else self.place(item)
        return place
