"""Immutable typed objects that make up the taxonomy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

PROJECT_TYPES = ("manufacturing", "rd_center", "headquarters", "sales_service", "other")
TRAITS = (
    "high_tech", "specialized_sme", "little_giant", "listed", "ipo_planned", "startup", "sme",
    "large_enterprise", "foreign", "state_owned", "rd_platform", "talent",
)
RELATION_ROLES = ("core_area", "main_carrier", "key_development", "cluster_member", "mentioned")
ZONE_KINDS = (
    "zone", "science_city", "park", "base", "town", "carrier", "cluster_area", "development_zone",
)
POLICY_CATEGORIES = (
    "land", "approval", "tax", "finance", "talent", "insurance", "platform", "fiscal_reward",
    "procurement", "ip", "data", "service", "other",
)
DISTRICT_CHARACTERS = ("central", "suburban", "mixed")
INDUSTRY_LEVELS = ("sector", "industry", "focus")
PLAN_STATUSES = ("issued", "draft", "superseded")  # stored; "expired" is derived (taxonomy.plans)
GBT_MAPPINGS = ("plan", "project", "outside")


@dataclass(frozen=True, slots=True)
class Source:
    plan: str
    section: str
    evidence: str

    def to_dict(self) -> dict:
        return {"plan": self.plan, "section": self.section, "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    file: str
    title_zh: str
    title_en: str
    doc_number: str | None
    issuer: str | None
    scope: str
    date: str | None
    horizon_start: int | None
    horizon_end: int | None
    horizon_note: str
    status: str
    supersedes: tuple[str, ...] = ()
    superseded_by: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    year: int | None
    text_zh: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Industry:
    id: str
    level: str
    parent: str | None
    name_zh: str
    name_en: str
    aliases_zh: tuple[str, ...]
    aliases_en: tuple[str, ...]
    keywords_zh: tuple[str, ...]
    keywords_en: tuple[str, ...]
    gbt4754: tuple[str, ...]
    targets: tuple[Target, ...]
    sources: tuple[Source, ...]
    file: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A belt or new town a plan places a district in."""

    name_zh: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class District:
    code: str
    id: str
    name_zh: str
    name_en: str
    aliases_zh: tuple[str, ...]
    aliases_en: tuple[str, ...]
    character: str
    belts: tuple[Mention, ...]
    new_towns: tuple[Mention, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Zone:
    id: str
    name_zh: str
    name_en: str
    kind: str
    district_codes: tuple[str, ...]
    parent: str | None
    aliases_zh: tuple[str, ...]
    aliases_en: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Relation:
    industry: str
    zone: str | None
    district: str | None
    role: str
    sources: tuple[Source, ...]
    file: str = ""


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    title_zh: str
    title_en: str
    category: str
    scope: str
    scope_districts: tuple[str, ...]
    scope_zones: tuple[str, ...]
    offers_zh: str
    offers_en: str
    industries: tuple[str, ...]
    project_types: tuple[str, ...]
    traits: tuple[str, ...]
    conditions_zh: str
    conditions_en: str
    sources: tuple[Source, ...]
    file: str = ""

    @property
    def plan(self) -> str:
        return self.sources[0].plan if self.sources else ""


@dataclass(frozen=True, slots=True)
class IndustryClass:
    """A GB/T 4754-2017 class (division 2, group 3 or class 4 digits) and the taxonomy nodes it
    corresponds to. `mapping`: `plan` (a plan states the link; `sources` cite it), `project`
    (the project's own reading of the class) or `outside` (no industry the plans encourage)."""

    code: str
    name_zh: str
    name_en: str
    mapping: str
    industries: tuple[str, ...]
    keywords_zh: tuple[str, ...]
    keywords_en: tuple[str, ...]
    note: str
    sources: tuple[Source, ...]


def _index(items, key) -> Mapping:
    return MappingProxyType({getattr(item, key): item for item in items})


@dataclass(frozen=True)
class Taxonomy:
    """The whole taxonomy: tuples of entries plus read-only indexes."""

    version: str
    plans: tuple[Plan, ...]
    industries: tuple[Industry, ...]
    districts: tuple[District, ...]
    zones: tuple[Zone, ...]
    relations: tuple[Relation, ...]
    policies: tuple[Policy, ...]
    data_dir: str = ""  # the folder it was loaded from ("" when built in memory)
    industry_classes: tuple[IndustryClass, ...] = ()
    plan_by_id: Mapping[str, Plan] = field(init=False, repr=False)
    industry_by_id: Mapping[str, Industry] = field(init=False, repr=False)
    district_by_code: Mapping[str, District] = field(init=False, repr=False)
    zone_by_id: Mapping[str, Zone] = field(init=False, repr=False)
    policy_by_id: Mapping[str, Policy] = field(init=False, repr=False)
    industry_class_by_code: Mapping[str, IndustryClass] = field(init=False, repr=False)

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "plan_by_id", _index(self.plans, "id"))
        set_(self, "industry_by_id", _index(self.industries, "id"))
        set_(self, "district_by_code", _index(self.districts, "code"))
        set_(self, "zone_by_id", _index(self.zones, "id"))
        set_(self, "policy_by_id", _index(self.policies, "id"))
        set_(self, "industry_class_by_code", _index(self.industry_classes, "code"))

    def ancestors(self, industry_id: str) -> list[Industry]:
        """The node's ancestors, root first (the node itself excluded)."""
        chain: list[Industry] = []
        node = self.industry_by_id.get(industry_id)
        seen = set()
        while node is not None and node.parent and node.parent not in seen:
            seen.add(node.parent)
            node = self.industry_by_id.get(node.parent)
            if node is not None:
                chain.append(node)
        return list(reversed(chain))

    def path_zh(self, industry_id: str) -> str:
        nodes = [*self.ancestors(industry_id), self.industry_by_id[industry_id]]
        return " > ".join(n.name_zh for n in nodes)

    def path_en(self, industry_id: str) -> str:
        nodes = [*self.ancestors(industry_id), self.industry_by_id[industry_id]]
        return " > ".join(n.name_en for n in nodes)

    def sector_of(self, industry_id: str) -> str:
        chain = self.ancestors(industry_id)
        return chain[0].id if chain else industry_id

    def children(self, industry_id: str) -> list[Industry]:
        return [n for n in self.industries if n.parent == industry_id]

    def counts(self) -> dict[str, int]:
        return {
            "plans": len(self.plans),
            "industries": len(self.industries),
            "districts": len(self.districts),
            "zones": len(self.zones),
            "relations": len(self.relations),
            "policies": len(self.policies),
            "industry_classes": len(self.industry_classes),
        }
