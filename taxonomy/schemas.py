"""marshmallow schemas for every kind of taxonomy entry; `load` builds the frozen objects."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, post_load, validate, validates_schema
from marshmallow.exceptions import ValidationError

from taxonomy import model

SLUG = validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", error="must be a lowercase slug (a-z, 0-9, -)")
DISTRICT_CODE = validate.Regexp(r"^31\d{4}$", error="must be a 6-digit GB/T 2260 code of Shanghai")
NON_EMPTY = validate.Length(min=1)


def _strings(**kwargs):
    return fields.List(fields.String(validate=NON_EMPTY), load_default=list, **kwargs)


class _Base(Schema):
    class Meta:
        unknown = RAISE

    model_class: type | None = None

    @post_load
    def make(self, data, **kwargs):
        frozen = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return self.model_class(**frozen) if self.model_class else frozen


class SourceSchema(_Base):
    plan = fields.String(required=True, validate=SLUG)
    section = fields.String(required=True, validate=NON_EMPTY)
    evidence = fields.String(required=True, validate=validate.Length(min=2, max=60))

    model_class = model.Source


def _sources(required=True):
    if required:
        return fields.List(fields.Nested(SourceSchema), required=True, validate=NON_EMPTY)
    return fields.List(fields.Nested(SourceSchema), load_default=list)


class PlanSchema(_Base):
    id = fields.String(required=True, validate=SLUG)
    file = fields.String(required=True)
    title_zh = fields.String(required=True, validate=NON_EMPTY)
    title_en = fields.String(required=True, validate=NON_EMPTY)
    doc_number = fields.String(allow_none=True, load_default=None)
    issuer = fields.String(allow_none=True, load_default=None)
    scope = fields.String(required=True, validate=validate.OneOf(["city", "district", "zone"]))
    date = fields.String(allow_none=True, load_default=None,
                         validate=validate.Regexp(r"^\d{4}-\d{2}-\d{2}$"))
    horizon_start = fields.Integer(allow_none=True, load_default=None)
    horizon_end = fields.Integer(allow_none=True, load_default=None)
    horizon_note = fields.String(load_default="")
    status = fields.String(required=True, validate=validate.OneOf(model.PLAN_STATUSES))
    supersedes = fields.List(fields.String(validate=SLUG), load_default=list)
    superseded_by = fields.String(allow_none=True, load_default=None, validate=SLUG)

    model_class = model.Plan


class TargetSchema(_Base):
    year = fields.Integer(allow_none=True, load_default=None)
    text_zh = fields.String(required=True, validate=NON_EMPTY)
    sources = _sources()

    model_class = model.Target


class IndustrySchema(_Base):
    id = fields.String(required=True, validate=SLUG)
    level = fields.String(required=True, validate=validate.OneOf(model.INDUSTRY_LEVELS))
    parent = fields.String(allow_none=True, load_default=None)
    name_zh = fields.String(required=True, validate=NON_EMPTY)
    name_en = fields.String(required=True, validate=NON_EMPTY)
    aliases_zh = _strings()
    aliases_en = _strings()
    keywords_zh = _strings()
    keywords_en = _strings()
    gbt4754 = fields.List(fields.String(validate=validate.Regexp(r"^\d{2,4}$")), load_default=list)
    targets = fields.List(fields.Nested(TargetSchema), load_default=list)
    sources = _sources()

    @validates_schema
    def _parent_matches_level(self, data, **kwargs):
        if data.get("level") == "sector" and data.get("parent"):
            raise ValidationError("a sector has no parent", "parent")
        if data.get("level") in ("industry", "focus") and not data.get("parent"):
            raise ValidationError("an industry or focus node needs a parent", "parent")

    model_class = model.Industry


class MentionSchema(_Base):
    name_zh = fields.String(required=True, validate=NON_EMPTY)
    sources = _sources()

    model_class = model.Mention


class DistrictSchema(_Base):
    code = fields.String(required=True, validate=DISTRICT_CODE)
    id = fields.String(required=True, validate=SLUG)
    name_zh = fields.String(required=True, validate=NON_EMPTY)
    name_en = fields.String(required=True, validate=NON_EMPTY)
    aliases_zh = _strings()
    aliases_en = _strings()
    character = fields.String(required=True, validate=validate.OneOf(model.DISTRICT_CHARACTERS))
    belts = fields.List(fields.Nested(MentionSchema), load_default=list)
    new_towns = fields.List(fields.Nested(MentionSchema), load_default=list)
    sources = _sources(required=False)

    model_class = model.District


class ZoneSchema(_Base):
    id = fields.String(required=True, validate=SLUG)
    name_zh = fields.String(required=True, validate=NON_EMPTY)
    name_en = fields.String(required=True, validate=NON_EMPTY)
    kind = fields.String(required=True, validate=validate.OneOf(model.ZONE_KINDS))
    district_codes = fields.List(fields.String(validate=DISTRICT_CODE), load_default=list)
    parent = fields.String(allow_none=True, load_default=None)
    aliases_zh = _strings()
    aliases_en = _strings()
    sources = _sources()

    model_class = model.Zone


class RelationSchema(_Base):
    industry = fields.String(required=True, validate=SLUG)
    zone = fields.String(allow_none=True, load_default=None)
    district = fields.String(allow_none=True, load_default=None, validate=DISTRICT_CODE)
    role = fields.String(required=True, validate=validate.OneOf(model.RELATION_ROLES))
    sources = _sources()

    @validates_schema
    def _one_place(self, data, **kwargs):
        if bool(data.get("zone")) == bool(data.get("district")):
            raise ValidationError("give exactly one of zone or district", "zone")

    model_class = model.Relation


class PolicySchema(_Base):
    id = fields.String(required=True, validate=SLUG)
    title_zh = fields.String(required=True, validate=NON_EMPTY)
    title_en = fields.String(required=True, validate=NON_EMPTY)
    category = fields.String(required=True, validate=validate.OneOf(model.POLICY_CATEGORIES))
    scope = fields.String(required=True, validate=validate.OneOf(["city", "district", "zone"]))
    scope_districts = fields.List(fields.String(validate=DISTRICT_CODE), load_default=list)
    scope_zones = _strings()
    offers_zh = fields.String(required=True, validate=NON_EMPTY)
    offers_en = fields.String(required=True, validate=NON_EMPTY)
    industries = _strings()
    project_types = fields.List(fields.String(validate=validate.OneOf(model.PROJECT_TYPES)),
                                load_default=list)
    traits = fields.List(fields.String(validate=validate.OneOf(model.TRAITS)), load_default=list)
    conditions_zh = fields.String(load_default="")
    conditions_en = fields.String(load_default="")
    sources = _sources()

    @validates_schema
    def _scope_targets(self, data, **kwargs):
        if data.get("scope") == "district" and not data.get("scope_districts"):
            raise ValidationError("a district-scope policy names its districts", "scope_districts")
        if data.get("scope") == "zone" and not data.get("scope_zones"):
            raise ValidationError("a zone-scope policy names its zones", "scope_zones")

    model_class = model.Policy


class IndustryClassSchema(_Base):
    code = fields.String(required=True, validate=validate.Regexp(r"^\d{2,4}$"))
    name_zh = fields.String(required=True, validate=NON_EMPTY)
    name_en = fields.String(required=True, validate=NON_EMPTY)
    mapping = fields.String(required=True, validate=validate.OneOf(model.GBT_MAPPINGS))
    industries = _strings()
    keywords_zh = _strings()
    keywords_en = _strings()
    note = fields.String(load_default="")
    sources = _sources(required=False)

    @validates_schema
    def _mapping_fits(self, data, **kwargs):
        mapping, industries = data.get("mapping"), data.get("industries") or []
        if mapping == "outside" and industries:
            raise ValidationError("an outside class maps to no industry", "industries")
        if mapping in ("plan", "project") and not industries:
            raise ValidationError(f"a {mapping} mapping names at least one industry", "industries")
        if mapping == "plan" and not data.get("sources"):
            raise ValidationError("a plan mapping cites the clause that states it", "sources")

    model_class = model.IndustryClass
