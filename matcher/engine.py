"""The matcher: profile in, explained match out (DESIGN §4 -> §5)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from matcher import calibration as calibration_store
from matcher import ranker as ranker_store
from matcher.currency import stale_plans
from matcher.errors import MatcherError, ProfileError
from matcher.gbt import Crosswalk, LabelMatch
from matcher.location import LocationScorer
from matcher.model_store import load_or_build
from matcher.outside import OutsideDetector
from matcher.policy import PolicyMatcher
from matcher.profile import Profile, parse_profile
from matcher.settings import MatcherSettings
from matcher.text import normalize
from taxonomy import Taxonomy, get_taxonomy

SPECIFIC_ENOUGH = 0.35  # a specific node this likely replaces its broader ancestor in the list


class Matcher:
    """Matches profiles against one taxonomy version. Thread-safe for reading after creation."""

    def __init__(self, taxonomy: Taxonomy | None = None, settings: MatcherSettings | None = None,
                 *, model_dir: str | Path | None = None, today: _dt.date | None = None,
                 calibration: Any = "default", ranker: Any = "default"):
        """`calibration`: a `Calibrator`, None for raw confidence, or "default" for the saved one
        (matcher/data/calibration.json, when present). `ranker`: a `LearnedRanker`, None for
        the fixed weights, or "default" for the one saved for this taxonomy version (when
        outcomes made one that wins; matcher/ranker.py)."""
        self.taxonomy = taxonomy or get_taxonomy()
        self.settings = settings or MatcherSettings()
        self.scorer = load_or_build(self.taxonomy, model_dir)
        self.node_ids = self.scorer.node_ids_
        self.stale = stale_plans(self.taxonomy, today)  # plans no longer current
        self.ranker = (ranker_store.load(model_dir, self.taxonomy.version) if ranker == "default"
                       else ranker)
        place_settings = (self.settings if self.ranker is None
                          else ranker_store.pool_settings(self.settings, self.ranker.pool))
        self.locations = LocationScorer(self.taxonomy, self.node_ids, place_settings, self.stale)
        self.policies = PolicyMatcher(self.taxonomy, self.node_ids, self.settings, today,
                                      self.stale)
        self.calibrator = calibration_store.load() if calibration == "default" else calibration
        self.crosswalk = Crosswalk(self.taxonomy)
        self.outside = OutsideDetector(self.taxonomy)
        self._index = {nid: i for i, nid in enumerate(self.node_ids)}
        self._sectors = [i for i, nid in enumerate(self.node_ids)
                         if self.taxonomy.industry_by_id[nid].level == "sector"
                         and self.scorer.descendants_[i]]

    @property
    def version(self) -> str:
        return self.taxonomy.version

    def match(self, profile: dict[str, Any], row: int = 0) -> dict:
        """One §5 record (or an error record) for one raw profile."""
        return self.match_many([profile], start_row=row)[0]

    def match_many(self, profiles: Iterable[dict[str, Any]], start_row: int = 0) -> list[dict]:
        """§5 records in input order; a row that cannot be scored gets {"row", "error"}."""
        parsed: list[Profile | MatcherError] = []
        for raw in profiles:
            try:
                parsed.append(parse_profile(raw, self.settings.exchange_rates))
            except MatcherError as exc:
                parsed.append(exc)
            except Exception as exc:  # a row must never stop the others
                parsed.append(ProfileError("profile", f"could not be read ({type(exc).__name__})",
                                           "无法读取"))
        good = [p for p in parsed if isinstance(p, Profile)]
        focused = [self.scorer.focus(p.text) for p in good]  # scope boilerplate dropped
        hits = [self.scorer.hits(t) for t in focused]
        probs = (self.scorer.predict_proba(focused, hits) if good else np.zeros((0, 0)))
        steps, requests, k = [], [], 0
        for i, item in enumerate(parsed):
            if not isinstance(item, Profile):
                steps.append(error_record(start_row + i, item))
                continue
            step = self._record(start_row + i, item, probs[k], hits[k])
            request = next(step)  # its places' question (None: outside, no places)
            if request is not None:
                requests.append(request)
            steps.append((step, request))
            k += 1
        # the places of the whole chunk in one call (matcher.evidence), then each record
        places = iter(self.locations.score_many(requests) if requests else ())
        return [step if isinstance(step, dict)
                else step[0].send(([], []) if step[1] is None else next(places))
                for step in steps]

    # ---- one record ----------------------------------------------------------------------
    def _select_industries(self, probs: np.ndarray) -> list[int]:
        """Most probable nodes, preferring a specific node over its ancestor on the same path."""
        s = self.settings
        anc = self.locations.ancestors
        chosen: list[int] = []
        for i in np.argsort(-probs)[: 4 * s.top_industries]:
            i = int(i)
            if probs[i] < s.industry_threshold:
                break
            if any(i in anc[c] for c in chosen):      # a descendant is already listed
                continue
            replaced = [c for c in chosen if c in anc[i]
                        and probs[i] >= min(SPECIFIC_ENOUGH, 0.6 * probs[c])]
            if replaced:
                chosen = [i if c == replaced[0] else c for c in chosen if c not in replaced[1:]]
                continue
            if any(c in anc[i] for c in chosen):       # too weak to replace its ancestor
                continue
            chosen.append(i)
            if len(chosen) >= s.top_industries:
                break
        return sorted(chosen, key=lambda c: -probs[c])

    def _ranked(self, probs: np.ndarray) -> np.ndarray:
        """Ranking values of the nodes: a likely sector (高端装备, 汽车 ...) gives its place to its
        most likely industry or focus when that one is at least `sector_child_floor` likely, so the
        list names what the company is rather than only its sector."""
        floor = self.settings.sector_child_floor
        if floor <= 0:
            return probs
        rank = probs.copy()
        for i in self._sectors:
            if probs[i] < self.settings.industry_threshold:
                continue
            below = self.scorer.descendants_[i]
            best = max(below, key=lambda d: (probs[d], -d))
            if probs[best] >= floor:
                rank[best] = max(rank[best], probs[i])
        return rank

    def _with_label(self, probs: np.ndarray, label: LabelMatch | None) -> np.ndarray:
        """Lift the nodes a GB/T 4754 label maps to (a class more than a division)."""
        if label is None or not label.industries:
            return probs
        weight = self.settings.label_weight * {4: 1.0, 3: 0.85}.get(len(label.code), 0.7)
        probs = probs.copy()
        for nid in label.industries:
            i = self._index.get(nid)
            if i is not None:
                probs[i] = 1.0 - (1.0 - probs[i]) * (1.0 - weight)
        return probs

    def _current_district(self, profile: Profile) -> dict | None:
        """The district where the company already is, read from its address."""
        if not profile.address:
            return None
        codes, zones = self.locations.places_in_text(normalize(profile.address))
        code = codes[0] if len(codes) == 1 else None
        if code is None and zones:
            code = (self.taxonomy.zone_by_id[zones[0]].district_codes or [None])[0]
        if code is None:
            return None
        d = self.taxonomy.district_by_code[code]
        kind = profile.lead_kind or self.settings.lead_kind
        return {"code": code, "name_zh": d.name_zh, "name_en": d.name_en, "lead_kind": kind,
                "from": "address"}

    def _record(self, row: int, profile: Profile, probs: np.ndarray, row_hits: list):
        """One record in two steps, so a chunk's places are scored together: yields the
        arguments of `LocationScorer.score` (None for a row outside the plans), is sent their
        (districts, parks) and yields the record."""
        tx, s = self.taxonomy, self.settings
        warnings, warnings_zh = list(profile.warnings), list(profile.warnings_zh)

        def warn(en: str, zh: str) -> None:
            warnings.append(en)
            warnings_zh.append(zh)
        label = self.crosswalk.resolve(profile.industry_label)
        probs = self._with_label(probs, label)
        outside = self.outside.check(self.scorer.focus(profile.text), row_hits, label)
        rank = self._ranked(probs)
        chosen = [] if outside else self._select_industries(rank)  # what is listed
        # where it goes follows the model's own probabilities (a sector's relations cover its
        # whole subtree), not the ranking that names the sector's likeliest industry
        placed = chosen if rank is probs or outside else self._select_industries(probs)
        industries = []
        for i in chosen:
            node = tx.industry_by_id[self.node_ids[i]]
            below = {i, *(d for d in self.scorer.descendants_[i])}
            terms = sorted({h.term for h in row_hits if h.node in below}, key=lambda t: (-len(t), t))
            if not terms:
                terms = self.scorer.shared_words(profile.text, i)
            industries.append({
                "id": node.id, "name_zh": node.name_zh, "name_en": node.name_en,
                "path_zh": tx.path_zh(node.id), "path_en": tx.path_en(node.id),
                "score": round(float(probs[i]), 4), "evidence": terms[:6],
                "sources": [src.to_dict() for src in node.sources],
            })
        top_sector = tx.sector_of(industries[0]["id"]) if industries else None
        codes, zones, place_warnings = self.locations.resolve_places(profile.preferred_districts_raw)
        for en, zh in place_warnings:
            warn(en, zh)
        named_codes, named_zones = self.locations.places_in_text(profile.text)
        district_probs = probs.copy()
        if industries:  # locations follow the listed industries, not the unlisted tail
            mask = np.zeros_like(district_probs)
            mask[placed] = 1.0
            for i in placed:
                mask[list(self.locations.ancestors[i])] = 1.0
            district_probs *= mask
        current = self._current_district(profile)
        lift = 0.0
        if current:
            lift = s.expansion_boost if current["lead_kind"] == "expansion" else s.current_district_boost
        districts, parks = yield None if outside else dict(
            probs=district_probs, matched=placed, text=profile.text,
            project_type=profile.project_type, land_mu=profile.land_mu, top_sector=top_sector,
            preferred_codes=codes, preferred_zones=zones, named_codes=named_codes,
            named_zones=named_zones, current_code=current["code"] if current else None,
            current_lift=lift, current_expands=bool(current) and current["lead_kind"] == "expansion")
        if outside:
            policies = []
        else:
            if self.ranker is not None:  # the learned order; places as the engine made them
                districts, parks = self.ranker.rerank(
                    districts, parks, industries, tx, s.top_districts, s.top_parks)
            policies = self.policies.match(probs=district_probs, profile=profile,
                                           districts=districts, parks=parks,
                                           preferred_codes=codes, preferred_zones=zones)
        confidence = float(rank[chosen[0]]) if chosen else float(probs.max(initial=0.0))
        if not districts or districts[0]["score"] < 0.2:
            confidence *= 0.8
        style = calibration_store.input_style(profile.description)
        raw_confidence = confidence
        if self.calibrator is not None:
            confidence = self.calibrator.score(confidence=confidence, style=style,
                                               districts=districts, industries=industries)
        if outside:
            confidence = min(confidence, s.outside_confidence)
        elif not industries:  # calibration speaks for a top industry; without one, no confidence
            confidence = min(confidence, raw_confidence, s.review_threshold - 0.01)
        if len(profile.text) < 6:  # a word or two cannot say what the company makes
            confidence = min(confidence, s.review_threshold - 0.01)
        needs_review = confidence < s.review_threshold
        if outside:
            warn(f"no encouraged industry: {outside.reason_en}; an officer should review it",
                 f"没有规划鼓励的产业：{outside.reason_zh}，建议由招商人员复核")
        elif not industries:
            warn("no industry of the plans fits this description clearly; an officer should review it",
                 "规划中没有产业与该描述明确匹配，建议由招商人员复核")
        elif needs_review:
            warn(f"low confidence ({confidence:.2f}): an officer should review this match",
                 f"匹配把握较低（置信度 {confidence:.2f}），建议由招商人员复核")
        if len(profile.text) < 6:
            warn("the description is very short; add what the company makes or does",
                 "描述过短，请补充企业的产品或业务")
        yield {
            "row": row, "name": profile.name, "taxonomy_version": tx.version,
            "ranker": ranker_store.FIXED if self.ranker is None else self.ranker.name,
            "industries": industries, "districts": districts, "parks": parks,
            "policies": policies, "confidence": round(confidence, 4),
            "needs_review": needs_review, "warnings": warnings, "warnings_zh": warnings_zh,
            "outside": None if outside is None else {
                "gbt4754": outside.code, "name_zh": outside.name_zh, "name_en": outside.name_en,
                "evidence": list(outside.terms), "reason": outside.reason_zh,
                "reason_en": outside.reason_en},
            "industry_label": None if label is None else {
                "gbt4754": label.code, "name_zh": label.name_zh, "name_en": label.name_en,
                "mapping": label.mapping, "industries": list(label.industries)},
            "current_district": current,
            "parsed": {"project_type": profile.project_type,
                       "investment_cny": profile.investment_cny, "land_mu": profile.land_mu,
                       "employees": profile.employees, "origin": profile.origin,
                       "traits": profile.traits, "traits_inferred": profile.traits_inferred,
                       "preferred_districts": codes, "preferred_parks": zones,
                       "style": style, "confidence_raw": round(raw_confidence, 4),
                       "notes": profile.notes, "notes_zh": profile.notes_zh},
        }


def error_record(row: int, exc: MatcherError) -> dict:
    """The record of a row that cannot be scored: `error` (English, "field: message"), the field
    and the message in both languages (the field named by its label)."""
    if isinstance(exc, ProfileError):
        return {"row": row, "error": str(exc), "field": exc.field,
                "error_en": exc.message_en, "error_zh": exc.message_zh}
    return {"row": row, "error": str(exc), "error_en": str(exc), "error_zh": str(exc)}
