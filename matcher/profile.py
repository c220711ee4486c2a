"""A profile (DESIGN §4): validation of raw input and parsing of its structured fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load

from matcher import fields as parse
from matcher.errors import ProfileError
from matcher.text import normalize

MAX_DESCRIPTION = 20_000

# Column headers company-data exports use, mapped to profile fields (shown to users; editable).
HEADER_ALIASES: dict[str, list[str]] = {
    "name": ["name", "company", "company name", "company_name", "企业名称", "公司名称", "名称",
             "项目名称", "客户名称", "企业"],
    "description": ["description", "business scope", "business_scope", "经营范围", "简介",
                    "企业简介", "公司简介", "项目简介", "项目描述", "主营业务", "主营产品",
                    "业务描述", "描述", "profile"],
    "project_type": ["project_type", "project type", "项目类型", "类型"],
    "investment": ["investment", "投资额", "总投资", "计划投资", "投资总额", "注册资本",
                   "registered capital", "capital"],
    "land": ["land", "用地", "用地需求", "用地面积", "土地需求", "land need"],
    "employees": ["employees", "员工人数", "人员规模", "参保人数", "职工人数", "员工数", "headcount",
                  "staff"],
    "origin": ["origin", "企业来源", "资本来源", "企业类型", "公司类型", "ownership"],
    "traits": ["traits", "企业资质", "资质", "企业标签", "标签", "tags"],
    "preferred_districts": ["preferred_districts", "preferred districts", "意向区域",
                            "意向落地区域", "意向区", "落地意向", "preferred district"],
    "credit_code": ["credit_code", "统一社会信用代码", "信用代码", "uscc"],
    "industry_label": ["industry_label", "industry", "所属行业", "行业", "国标行业"],
    "address": ["address", "企业地址", "注册地址", "地址", "通信地址"],
    "lead_kind": ["lead_kind", "lead kind", "项目性质", "投资性质", "招商类型"],
    # who to contact: not matched on, carried into the lead when a row is imported
    "contact_name": ["contact_name", "contact", "contact person", "联系人", "联系人姓名"],
    "contact_phone": ["contact_phone", "phone", "telephone", "tel", "phone number", "电话",
                      "联系电话", "企业电话", "公司电话", "手机", "手机号", "手机号码", "联系方式"],
    "contact_email": ["contact_email", "email", "e-mail", "mail", "邮箱", "电子邮箱", "联系邮箱",
                      "企业邮箱", "邮件"],
    "legal_representative": ["legal_representative", "legal representative", "法定代表人",
                             "法人代表", "法定代表人/负责人", "法人", "负责人"],
}
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "legal_representative")
PROFILE_FIELDS = tuple(f for f in HEADER_ALIASES if f not in CONTACT_FIELDS)


def map_headers(headers: list[str]) -> dict[str, str]:
    """Map file headers to profile fields: {header: field}; unknown headers are left out."""
    lookup = {}
    for fld, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            lookup.setdefault(normalize(alias), fld)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        fld = lookup.get(normalize(str(header or "")).replace("*", "").strip())
        if fld and fld not in taken:
            mapping[header] = fld
            taken.add(fld)
    return mapping


class _Loose(fields.Field):
    """Accepts a string, a number or a list, as people and spreadsheets provide them."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (str, int, float, list, tuple)) and not isinstance(value, bool):
            return value
        raise ValidationError("must be text, a number or a list")


class ProfileSchema(Schema):
    """The external input contract of a profile (DESIGN §4). Only `description` is required."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(load_default="", allow_none=True)
    description = fields.String(required=True)
    project_type = fields.String(load_default=None, allow_none=True)
    investment = _Loose(load_default=None, allow_none=True)
    land = _Loose(load_default=None, allow_none=True)
    employees = _Loose(load_default=None, allow_none=True)
    origin = fields.String(load_default=None, allow_none=True)
    traits = _Loose(load_default=None, allow_none=True)
    preferred_districts = _Loose(load_default=None, allow_none=True)
    credit_code = fields.String(load_default=None, allow_none=True)
    industry_label = fields.String(load_default=None, allow_none=True)
    address = fields.String(load_default=None, allow_none=True)
    lead_kind = fields.String(load_default=None, allow_none=True)

    @pre_load
    def _strip(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        out = {}
        for key, value in data.items():
            if isinstance(value, float) and value != value:  # NaN from spreadsheets
                value = None
            if isinstance(value, str):
                value = value.strip() or None
            out[key] = value
        for key in ("name", "project_type", "origin", "credit_code", "industry_label", "address",
                    "lead_kind"):
            if isinstance(out.get(key), (int, float)) and not isinstance(out.get(key), bool):
                out[key] = str(out[key])
        return out


_SCHEMA = ProfileSchema()
# what the schema loads a missing field as (`description` is required)
_DEFAULTS = {name: f.load_default for name, f in ProfileSchema._declared_fields.items()
             if name != "description"}


def _load_texts(raw: dict) -> dict | None:
    """What `_SCHEMA.load(raw)` gives when every field the schema declares is text or missing
    (as a CSV or XLSX row of the batch reader has them), without marshmallow's per-call work;
    None when another value needs the schema (numbers, lists, a missing or empty description:
    the schema raises the error)."""
    description = raw.get("description")
    if type(description) is not str:
        return None
    description = description.strip()
    if not description:
        return None
    data = {"description": description}
    for name, default in _DEFAULTS.items():
        if name not in raw:
            data[name] = default
            continue
        value = raw[name]
        if type(value) is str:
            value = value.strip() or None
        elif value is not None:
            return None
        data[name] = value
    return data


@dataclass
class Profile:
    """A parsed profile: normalised text plus typed fields and the warnings met on the way."""

    name: str
    description: str
    text: str  # normalised text used for matching (description + industry label)
    project_type: str | None = None
    investment_cny: float | None = None
    land_mu: float | None = None
    employees: int | None = None
    origin: str | None = None
    traits: list[str] = field(default_factory=list)
    traits_inferred: list[str] = field(default_factory=list)
    preferred_districts_raw: list[str] = field(default_factory=list)
    credit_code: str | None = None
    address: str | None = None
    industry_label: str | None = None
    lead_kind: str | None = None  # expansion (an existing company grows) | new (new investment)
    notes: list[str] = field(default_factory=list)      # English
    warnings: list[str] = field(default_factory=list)   # English
    notes_zh: list[str] = field(default_factory=list)   # the same notes in Chinese
    warnings_zh: list[str] = field(default_factory=list)

    def warn(self, result: parse.Parsed) -> None:
        self.warnings.append(result.warning)
        self.warnings_zh.append(result.warning_zh or result.warning)


def _parsed(parser, raw, rates: dict[str, float] | None = None):
    """`parser(raw[, rates])`, remembered for a text value (answers are immutable: `Parsed`,
    tuples; a list repeats its values); other values are parsed each time."""
    if type(raw) is not str:
        return parser(raw) if rates is None else parser(raw, rates)
    return _parse_text(parser, raw, None if rates is None else tuple(rates.items()))


@lru_cache(maxsize=8192)
def _parse_text(parser, raw: str, rates: tuple | None):
    return parser(raw) if rates is None else parser(raw, dict(rates))


def _origin_traits(raw) -> tuple[str, ...]:
    return tuple(parse.origin_traits(raw))


def parse_profile(raw: dict[str, Any], rates: dict[str, float] | None = None) -> Profile:
    """Validate and parse one raw profile. Raises `ProfileError` only when it cannot be scored."""
    if not isinstance(raw, dict):
        raise ProfileError("profile", "must be an object with at least a description",
                           "须为至少包含企业描述的对象")
    try:
        data = _load_texts(raw) or _SCHEMA.load(raw)
    except ValidationError as exc:
        fld = next(iter(exc.messages))
        if fld == "description":
            raise ProfileError("description", "is empty; describe the company or project",
                               "为空，请描述企业做什么、生产什么") from exc
        if isinstance(ProfileSchema._declared_fields.get(fld), _Loose):
            raise ProfileError(fld, "must be text, a number or a list",
                               "须为文字、数字或列表") from exc
        raise ProfileError(fld, "must be text", "须为文字") from exc
    description = (data.get("description") or "").strip()
    if not description:
        raise ProfileError("description", "is empty; describe the company or project",
                           "为空，请描述企业做什么、生产什么")
    if len(description) > MAX_DESCRIPTION:
        raise ProfileError("description", f"is longer than {MAX_DESCRIPTION} characters",
                           f"超过 {MAX_DESCRIPTION} 个字符")
    label = data.get("industry_label") or ""
    text = normalize(f"{description} {label}" if label else description)
    profile = Profile(name=(data.get("name") or "").strip(), description=description, text=text,
                      credit_code=data.get("credit_code"), address=data.get("address"),
                      industry_label=label or None)

    def take(result: parse.Parsed):
        if result.warning:
            profile.warn(result)
        if result.note:
            profile.notes.append(result.note)
            profile.notes_zh.append(result.note_zh or result.note)
        return result.value

    profile.project_type = take(_parsed(parse.parse_project_type, data.get("project_type")))
    profile.investment_cny = take(_parsed(parse.parse_money, data.get("investment"), rates))
    profile.land_mu = take(_parsed(parse.parse_land, data.get("land")))
    profile.employees = take(_parsed(parse.parse_employees, data.get("employees")))
    profile.origin = take(_parsed(parse.parse_origin, data.get("origin")))
    profile.lead_kind = take(_parsed(parse.parse_lead_kind, data.get("lead_kind")))
    traits, warnings = parse.parse_traits(data.get("traits"))
    for warning in warnings:
        profile.warn(warning)
    stated = _parsed(_origin_traits, data.get("origin"))
    profile.traits = traits + [t for t in stated if t not in traits]
    profile.traits_inferred = [t for t in parse.traits_in_text(text) if t not in profile.traits]
    if profile.origin == "foreign" and "foreign" not in profile.traits:
        profile.traits_inferred.append("foreign")
    profile.preferred_districts_raw = parse.split_list(data.get("preferred_districts"))
    return profile
