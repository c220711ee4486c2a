"""Engine settings: plain values that round-trip to JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

from matcher.errors import MatcherError
from matcher.fields import DEFAULT_RATES


@dataclass
class MatcherSettings:
    top_industries: int = 5
    top_districts: int = 5
    top_parks: int = 5
    park_districts: int = 3              # the first this many districts each bring their best park
    top_policies: int = 8
    industry_threshold: float = 0.25     # least probability for an industry to be listed
    sector_child_floor: float = 0.1      # a listed sector gives way to its likeliest industry this likely
    location_threshold: float = 0.05     # least score for a district or park to be listed
    review_threshold: float = 0.5        # below this confidence a result asks for an officer
    policy_industry_threshold: float = 0.35
    role_weights: dict = field(default_factory=lambda: {
        "core_area": 1.0, "main_carrier": 0.9, "key_development": 0.75,
        "cluster_member": 0.6, "mentioned": 0.35})
    specificity_exponent: float = 0.4    # a clause placing an industry in n districts gives each n ** -this
    breadth_exponent: float = 0.2        # a clause listing k sectors for one place gives each k ** -this
    popularity_exponent: float = 0.0     # a place named in c clauses gets (c / median) ** -this
    within_plan: float = 0.15            # weight of a plan's further statements about a place
    across_plans: float = 0.25           # weight of further plans backing the same place
    pole_lift: float = 0.3               # lift of the two growth poles where the plans place it
    preference_boost: float = 0.5
    lead_kind: str = "new"               # default when a profile does not say: new | expansion
    expansion_boost: float = 0.5         # lift of the company's current district, expansion
    current_district_boost: float = 0.0  # lift of the company's current district, new investment
    label_weight: float = 0.35           # how much a GB/T 4754 industry label lifts its nodes
    outside_confidence: float = 0.15     # confidence ceiling of a lead outside the plans
    large_land_mu: float = 100.0
    exchange_rates: dict = field(default_factory=lambda: dict(DEFAULT_RATES))
    # results resting only on superseded or expired plans: "flag" (listed below current ones,
    # with a note) or "drop" (left out)
    stale_plans: str = "flag"
    # the ranker learned from outcomes (matcher/ranker.py): fitted only with at least this many
    # landed leads, over this many candidates, and switched on only when its mean MRR beats the
    # fixed weights' by this much on the most recent outcomes
    ranker_min_outcomes: int = 100
    ranker_pool: int = 16
    ranker_min_gain: float = 0.01

    def __post_init__(self):
        if self.stale_plans not in ("flag", "drop"):
            raise MatcherError(f"stale_plans must be 'flag' or 'drop', not {self.stale_plans!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> MatcherSettings:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise MatcherError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**data)

    @classmethod
    def from_json(cls, text: str) -> MatcherSettings:
        return cls.from_dict(json.loads(text))
