"""Policy matching: hard eligibility first (scope, industry, project type, traits), then relevance."""

from __future__ import annotations

import datetime as _dt
from typing import NamedTuple

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


class _Rule(NamedTuple):
    generic: bool               # covers no industry in particular
    project_types: frozenset    # empty: any
    traits: frozenset           # empty: any
    scope: str
    weighted_for: frozenset     # project types its category suits
    stale: bool                 # rests only on plans no longer current
    skipped: bool               # ... and those are dropped


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
        self._items: dict[tuple, dict] = {}  # explained items, per what their texts read
        # per policy, what eligibility reads of it (in the order of self.policies)
        self._rules = [_Rule(
            generic=self.covers[p.id] is None, project_types=frozenset(p.project_types or ()),
            traits=frozenset(p.traits or ()), scope=p.scope,
            weighted_for=frozenset(CATEGORY_WEIGHT.get(p.category, ())),
            stale=p.id in self.stale, skipped=self.dropped and p.id in self.stale)
            for p in self.policies]
        self._trait_names = frozenset(t for r in self._rules for t in r.traits)
        self._scope_codes = frozenset(c for p in self.policies for c in p.scope_districts)
        self._scope_zones = frozenset(z for p in self.policies for z in p.scope_zones)
        self._masks: dict[tuple, tuple] = {}
        self.cover = np.zeros((len(self.policies), len(node_ids)), dtype=np.float32)
        for k, p in enumerate(self.policies):
            if self.covers[p.id] is not None and len(self.covers[p.id]):
                self.cover[k, self.covers[p.id]] = 1.0
        # per node: the policies covering it
        self._coverers = [np.flatnonzero(self.cover[:, j]).tolist() for j in range(len(node_ids))]

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
        # strengths are compared in the precision the policy-by-node product has (float32
        # probabilities stay float32), as an array of them would be
        real = np.result_type(np.float32, probs.dtype).type
        threshold = float(real(s.policy_industry_threshold))
        project_type = profile.project_type
        # 1. hard eligibility (remembered per what it reads), the industry threshold, and the
        # strongest eligible ones in order of strength (the first policy of equals first)
        generic, allowed = self._allowed(project_type, traits, near_codes, near_zones)
        pool = []
        if generic and any_industry >= threshold:  # open to all industries: any industry
            weak = -float(real(any_industry * 0.4))  # all equal: the first few can be shown
            pool = [(weak, k, 0) for k in generic[: s.top_policies + 4]]
        for k, (value, node) in self._strengths(probs).items():
            if value >= threshold and k in allowed:
                pool.append((-value, k, node))
        pool.sort()
        del pool[s.top_policies + 4:]
        candidates = []
        for neg, k, node in pool:
            p = self.policies[k]
            rule = self._rules[k]
            relevance = -neg
            if rule.project_types and project_type is not None:
                relevance *= 1.1
            if rule.scope == "district":
                inside = [self.tx.district_by_code[c] for c in p.scope_districts
                          if c in near_codes]
            elif rule.scope == "zone":
                inside = [self.tx.zone_by_id[z] for z in p.scope_zones if z in near_zones]
            else:
                inside = None
            if project_type in rule.weighted_for:
                relevance *= 1.15
            # current plans' measures first, then those resting only on stale plans
            candidates.append((rule.stale, -round(min(1.0, relevance), 4), p.id, k, inside,
                               -neg, node))
        candidates.sort(key=lambda c: c[:3])
        # 2. explanations for the ones shown
        return [self._explain(k, -neg, strength, node, inside, profile, traits)
                for _stale, neg, _id, k, inside, strength, node in candidates[: s.top_policies]]

    def _allowed(self, project_type, traits: set, near_codes: set, near_zones: set) -> tuple:
        """(the policies open to all industries, in order; the others as a set) that this project
        type, these traits and these places may get, and not dropped as stale: remembered per
        what they read (a list has a few dozen such keys)."""
        key = (project_type, frozenset(traits) & self._trait_names,
               frozenset(near_codes) & self._scope_codes, frozenset(near_zones) & self._scope_zones)
        found = self._masks.get(key)
        if found is None:
            if len(self._masks) > 4096:
                self._masks.clear()
            _, have, codes, zones = key
            ok = [not r.skipped
                  and (not r.project_types or project_type is None
                       or project_type in r.project_types)  # an unknown type is not held against it
                  and (not r.traits or bool(have & r.traits))
                  and (any(c in codes for c in p.scope_districts) if r.scope == "district"
                       else any(z in zones for z in p.scope_zones) if r.scope == "zone" else True)
                  for r, p in zip(self._rules, self.policies, strict=True)]
            found = self._masks[key] = (
                tuple(k for k, r in enumerate(self._rules) if ok[k] and r.generic),
                frozenset(k for k, r in enumerate(self._rules) if ok[k] and not r.generic))
        return found

    def _strengths(self, probs: np.ndarray) -> dict[int, tuple[float, int]]:
        """{policy: (strength, node)} of the policies covering a node with a probability: the
        highest probability of a node it covers, and that node (the first of equals), as
        `_best_nodes` gives them. The engine passes probabilities masked to the listed
        industries (a few nodes): read node by node; many nodes: as one product."""
        nodes = np.flatnonzero(probs)
        if len(nodes) > 32:
            best, strength = self._best_nodes(probs)
            return {k: (float(strength[k]), int(best[k]))
                    for k in np.flatnonzero((strength > 0) & ~self.generic).tolist()}
        out: dict[int, tuple[float, int]] = {}
        coverers = self._coverers
        for j, value in zip(nodes.tolist(), probs[nodes].tolist(), strict=True):
            if value <= 0:
                continue
            for k in coverers[j]:
                found = out.get(k)
                if found is None or value > found[0]:
                    out[k] = (value, j)
        return out

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
        (the item built once per policy and what its texts read, see `_items`; each answer
        gets its own lists)."""
        rule = self._rules[k]
        key = (k, -1 if rule.generic else best,
               profile.project_type if rule.project_types else None,
               (tuple(sorted(traits & rule.traits)), bool(rule.traits.intersection(profile.traits)))
               if rule.traits else None,
               tuple((x.name_zh, x.name_en) for x in inside) if inside else None)
        template = self._items.get(key)
        if template is None:
            if len(self._items) > 65536:
                self._items.clear()
            template = self._items[key] = self._template(k, best, inside, profile, traits)
        item = template.copy()
        item["verify"] = list(item["verify"])
        item["verify_en"] = list(item["verify_en"])
        item["relevance"] = relevance
        item["match_strength"] = round(strength, 4)
        item["sources"] = [dict(x) for x in item["sources"]]
        return item

    def _template(self, k: int, best: int, inside, profile, traits: set) -> dict:
        """One policy's record item but its row values (relevance, match strength), its fields
        in record order; lists as tuples, copied out by `_explain`."""
        why_zh, why_en, cond_zh, cond_en, verify_zh, verify_en = self._text_of(
            k, best, inside, profile, traits)
        static = self.static[k]
        return {**static, "why": why_zh, "why_en": why_en, "conditions": cond_zh,
                "conditions_en": cond_en, "verify": verify_zh, "verify_en": verify_en,
                "relevance": None, "match_strength": None,
                "sources": tuple(static["sources"]), **self.stale.get(self.policies[k].id, {})}

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
