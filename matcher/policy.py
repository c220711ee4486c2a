"""Policy matching: hard eligibility first (scope, industry, project type, traits), then relevance."""

from __future__ import annotations

import datetime as _dt

import numpy as np

from matcher import labels
from matcher.currency import stale_fields
from matcher.location import cite
from matcher.settings import MatcherSettings
from taxonomy import Taxonomy

PROJECT_TYPE_LABELS = {k: v[0] for k, v in labels.PROJECT_TYPES.items()}
TRAIT_LABELS = {k: v[0] for k, v in labels.TRAITS.items()}
CATEGORY_WEIGHT = {"land": ("manufacturing",), "talent": ("rd_center", "headquarters"),
                   "platform": ("rd_center",)}


class PolicyMatcher:
    # the profile fields `match` reads; a batch run remembers answers keyed on these alone
    # (matcher.memo), so a new read must be declared here (or it fails in batch runs)
    PROFILE_FIELDS = ("project_type", "traits", "traits_inferred")

    def __init__(self, taxonomy: Taxonomy, node_ids: list[str], settings: MatcherSettings,
                 today: _dt.date | None = None, stale: dict | None = None):
        self.tx = taxonomy
        self.settings = settings
        self.year = (today or _dt.date.today()).year
        stale = stale or {}
        # per policy: the record fields saying it rests only on plans no longer current
        self.stale = {p.id: stale_fields([stale[s.plan] for s in p.sources])
                      for p in taxonomy.policies
                      if p.sources and all(s.plan in stale for s in p.sources)}
        self.dropped = settings.stale_plans == "drop"
        index = {nid: i for i, nid in enumerate(node_ids)}
        # for each policy: node indexes it covers (its industries' whole subtrees)
        self.covers: dict[str, np.ndarray | None] = {}
        for p in taxonomy.policies:
            if not p.industries:
                self.covers[p.id] = None
                continue
            roots = set(p.industries)
            nodes = [index[n] for n in node_ids
                     if n in roots or roots & {a.id for a in taxonomy.ancestors(n)}]
            self.covers[p.id] = np.array(nodes, dtype=int)
        self.node_ids = node_ids
        self.policies = list(taxonomy.policies)
        self.generic = np.array([self.covers[p.id] is None for p in self.policies])
        self.static = [{
            "id": p.id, "title_zh": p.title_zh, "title_en": p.title_en, "category": p.category,
            "scope": p.scope, "plan": p.plan, "offers": p.offers_zh, "offers_en": p.offers_en,
            "category_zh": labels.zh(labels.POLICY_CATEGORIES, p.category),
            "category_en": labels.en(labels.POLICY_CATEGORIES, p.category),
            "scope_zh": labels.zh(labels.POLICY_SCOPES, p.scope),
            "scope_en": labels.en(labels.POLICY_SCOPES, p.scope),
            "sources": [x.to_dict() for x in p.sources],
            "citation": cite(taxonomy, p.sources[0])} for p in self.policies]
        self.plan_notes = {p.id: self._plan_notes(p) for p in self.policies}
        self._texts: dict[tuple, tuple] = {}  # explanation texts, per what they read
        self.cover = np.zeros((len(self.policies), len(node_ids)), dtype=np.float32)
        for k, p in enumerate(self.policies):
            if self.covers[p.id] is not None and len(self.covers[p.id]):
                self.cover[k, self.covers[p.id]] = 1.0

    def _plan_notes(self, policy) -> list[tuple[str, str]]:
        """What the plan's own status asks a company to verify (draft, past horizon, superseded),
        as (Chinese, English) pairs."""
        plan = self.tx.plan_by_id.get(policy.plan)
        notes = []
        if plan is not None and plan.status == "draft":
            notes.append(("所依据的方案为征求意见稿，以正式印发文本为准",
                          "the plan is a draft for comment: the issued text prevails"))
        if plan is not None and plan.horizon_end and plan.horizon_end < self.year:
            notes.append((f"所依据的规划期至{plan.horizon_end}年已结束，需确认该措施是否仍然有效",
                          f"the plan period ended in {plan.horizon_end}: check that the measure "
                          "still applies"))
        if plan is not None and plan.status == "superseded":
            notes.append(("所依据的规划已被替代，需确认现行政策",
                          "the plan has been superseded: check the policy in force"))
        return notes

    def match(self, *, probs: np.ndarray, profile, districts: list[dict], parks: list[dict],
              preferred_codes: list[str], preferred_zones: list[str]) -> list[dict]:
        s = self.settings
        traits = set(profile.traits) | set(profile.traits_inferred)
        near_codes = {d["code"] for d in districts[:3]} | set(preferred_codes)
        near_zones = {p["id"] for p in parks[:5]} | set(preferred_zones)
        any_industry = float(probs.max()) if len(probs) else 0.0
        # the best-matching covered node of every policy, at once (over the nodes with a
        # probability: the engine passes probabilities masked to the listed industries)
        best_node, strength = self._best_nodes(probs)
        strength = np.where(self.generic, any_industry * 0.4, strength)
        floor = np.where(self.generic, any_industry, strength)
        # 1. hard eligibility and relevance, cheaply, for the strongest candidates
        candidates = []
        for k in np.argsort(-strength, kind="stable"):
            if len(candidates) >= s.top_policies + 4:
                break
            if floor[k] < s.policy_industry_threshold:
                continue
            p = self.policies[k]
            if self.dropped and p.id in self.stale:
                continue
            relevance = float(strength[k])
            if p.project_types and profile.project_type is not None:
                if profile.project_type not in p.project_types:
                    continue
                relevance *= 1.1
            if p.traits and not traits & set(p.traits):
                continue
            if p.scope == "district":
                inside = [self.tx.district_by_code[c] for c in p.scope_districts
                          if c in near_codes]
            elif p.scope == "zone":
                inside = [self.tx.zone_by_id[z] for z in p.scope_zones if z in near_zones]
            else:
                inside = None
            if inside == []:
                continue
            if profile.project_type in CATEGORY_WEIGHT.get(p.category, ()):
                relevance *= 1.15
            # current plans' measures first, then those resting only on stale plans
            candidates.append((p.id in self.stale, -round(min(1.0, relevance), 4), p.id, int(k),
                               inside))
        candidates.sort()
        # 2. explanations for the ones shown
        return [self._explain(k, -neg, float(strength[k]), int(best_node[k]), inside, profile,
                              traits) for _stale, neg, _id, k, inside in candidates[: s.top_policies]]

    def _best_nodes(self, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per policy: its covered node of highest probability (the first of equals; node 0
        where none has any) and that probability; the same as an argmax over all nodes."""
        nodes = np.flatnonzero(probs)
        rows = np.arange(len(self.policies))
        if len(nodes) == len(probs):
            weighted = self.cover * probs[None, :]
            best_node = weighted.argmax(axis=1)
            return best_node, weighted[rows, best_node]
        weighted = self.cover[:, nodes] * probs[nodes][None, :]
        if not len(nodes):
            return np.zeros(len(rows), dtype=np.intp), np.zeros(len(rows), dtype=weighted.dtype)
        best = weighted.argmax(axis=1)
        strength = weighted[rows, best]
        return np.where(strength > 0, nodes[best], 0), strength

    def _explain(self, k: int, relevance: float, strength: float, best: int, inside,
                 profile, traits: set) -> dict:
        """Why a policy may apply and what the company must still verify, in both languages
        (the texts built once per policy and what they read, see `_texts`)."""
        p = self.policies[k]
        key = (k, -1 if self.covers[p.id] is None else best,
               profile.project_type if p.project_types else None,
               (tuple(sorted(traits & set(p.traits))), bool(set(profile.traits) & set(p.traits)))
               if p.traits else None,
               tuple((x.name_zh, x.name_en) for x in inside) if inside else None)
        texts = self._texts.get(key)
        if texts is None:
            if len(self._texts) > 65536:
                self._texts.clear()
            texts = self._texts[key] = self._text_of(k, best, inside, profile, traits)
        why_zh, why_en, cond_zh, cond_en, verify_zh, verify_en = texts
        static = self.static[k]
        return {**static, "why": why_zh, "why_en": why_en, "conditions": cond_zh,
                "conditions_en": cond_en, "verify": list(verify_zh), "verify_en": list(verify_en),
                "relevance": relevance, "match_strength": round(strength, 4),
                "sources": [dict(x) for x in static["sources"]], **self.stale.get(p.id, {})}

    def _text_of(self, k: int, best: int, inside, profile, traits: set) -> tuple:
        """(why, why_en, conditions, conditions_en, verify, verify_en) of a policy shown."""
        p = self.policies[k]
        why: list[tuple[str, str]] = []
        verify: list[tuple[str, str]] = []
        if self.covers[p.id] is None:
            why.append(("面向规划覆盖的各类产业", "open to all industries the plan covers"))
        else:
            node = self.tx.industry_by_id[self.node_ids[best]]
            why.append((f"面向{node.name_zh}", f"addresses {node.name_en}"))
        if p.project_types:
            if profile.project_type is None:
                verify.append((f"项目类型需为{'、'.join(PROJECT_TYPE_LABELS[t] for t in p.project_types)}",
                               "the project must be "
                               + " or ".join(labels.en(labels.PROJECT_TYPES, t) for t in p.project_types)))
            else:
                why.append((f"项目类型为{PROJECT_TYPE_LABELS[profile.project_type]}",
                            f"the project type is {labels.en(labels.PROJECT_TYPES, profile.project_type)}"))
        if p.traits:
            have = sorted(traits & set(p.traits))
            names_zh = "、".join(TRAIT_LABELS[t] for t in have)
            names_en = ", ".join(labels.en(labels.TRAITS, t) for t in have)
            why.append((f"企业具备{names_zh}资质", f"the company is a {names_en}"))
            if not set(profile.traits) & set(p.traits):
                verify.append((f"{names_zh}资质系从描述推断，需核实认定证书",
                               f"{names_en}: inferred from the description; the certificate "
                               "must be checked"))
        if inside:
            names_zh = "、".join(x.name_zh for x in inside)
            names_en = ", ".join(x.name_en for x in inside)
            why.append((f"适用于落户{names_zh}的项目", f"applies to projects located in {names_en}"))
            verify.append((f"项目需落户{names_zh}", f"the project must be located in {names_en}"))
        else:
            why.append(("全市范围适用", "city-wide"))
        verify += self.plan_notes[p.id]
        stated = [(p.conditions_zh, p.conditions_en)] if (p.conditions_zh or "").strip() else []
        items = [(_clean(zh), _clean(en or zh)) for zh, en in stated + verify]
        return ("；".join(zh for zh, _ in why), "; ".join(en for _, en in why),
                "；".join(zh for zh, _ in items), "; ".join(en for _, en in items),
                tuple(zh for zh, _ in items), tuple(en for _, en in items))


def _clean(text: str) -> str:
    return text.strip().rstrip("。；;.")
