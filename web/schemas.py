"""marshmallow schemas for every external input of the web app and the API."""

from __future__ import annotations

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from web.models import LEAD_STATUSES

PROJECT_TYPES = ["manufacturing", "rd_center", "headquarters", "sales_service", "other"]


class _Base(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _blank_to_none(self, data, **kwargs):
        if hasattr(data, "items"):
            return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in data.items()}
        return data


class _PlainLoad(_Base):
    """`load` without marshmallow's per-field machinery when every field is a String (with at
    most Length validators) or a Raw and the data are plainly valid: a dict whose strings are
    within their lengths, no None where none is allowed, the required ones present (the
    result: the declared fields in the schema's order, blank strings as None, unknown keys
    left out). Anything else, valid or not, goes through marshmallow itself, so the result and
    every error message are marshmallow's. A subclass with other fields or hooks always does."""

    def load(self, data, *, many=None, partial=None, unknown=None):
        plan = self.__dict__.get("_plain_plan", False)
        if plan is False:
            plan = self._plain_plan = _plain_plan(self)
        if plan is not None and type(data) is dict and not many and not self.many \
                and not partial and not self.partial and unknown in (None, EXCLUDE):
            out = {}
            for name, required, allow_none, is_string, low, high in plan:
                if name not in data:
                    if required:
                        break
                    continue
                value = data[name]
                if isinstance(value, str) and not value.strip():
                    value = None  # as _blank_to_none
                if value is None:
                    if not allow_none:
                        break
                elif is_string and (type(value) is not str or (low is not None and len(value) < low)
                                    or (high is not None and len(value) > high)):
                    break
                out[name] = value
            else:
                return out
        return super().load(data, many=many, partial=partial, unknown=unknown)


def _plain_plan(schema) -> list | None:
    """(name, required, allow_none, is a String, min length, max length) per load field, or
    None when the schema is not plain enough for `_PlainLoad`."""
    from marshmallow import missing

    hooks = {key: value for key, value in type(schema)._hooks.items() if value}
    if hooks != {"pre_load": [("_blank_to_none", False, {})]} \
            or type(schema)._blank_to_none is not _Base._blank_to_none \
            or schema.unknown != EXCLUDE:
        return None
    plan = []
    for name, field in schema.load_fields.items():
        if field.data_key not in (None, name) or field.attribute not in (None, name) \
                or field.load_default is not missing:
            return None
        if type(field) is fields.Raw and not field.validators:
            plan.append((name, field.required, field.allow_none, False, None, None))
            continue
        if type(field) is not fields.String:
            return None
        low = high = None
        for check in field.validators:
            if type(check) is not validate.Length or check.equal is not None:
                return None
            low = check.min if low is None else max(low, check.min or 0)
            high = check.max if high is None else min(high, check.max)
        plan.append((name, field.required, field.allow_none, True, low, high))
    return plan


class ProfileIn(_PlainLoad):
    name = fields.String(allow_none=True, validate=validate.Length(max=255),
                         metadata={"description": "company or project name"})
    description = fields.String(required=True, validate=validate.Length(min=1, max=20000),
                                metadata={"description": "free text, Chinese or English; "
                                          "may be a 经营范围 business-scope string"})
    project_type = fields.String(allow_none=True, validate=validate.Length(max=64),
                                 metadata={"description": "manufacturing, rd_center, headquarters, "
                                           "sales_service, other (or Chinese words)"})
    investment = fields.Raw(allow_none=True, metadata={"description": "number or text: 5000万元, USD 30m"})
    land = fields.Raw(allow_none=True, metadata={"description": "100亩, 6.7公顷, 50,000 sqm"})
    employees = fields.Raw(allow_none=True, metadata={"description": "headcount"})
    origin = fields.String(allow_none=True, validate=validate.Length(max=64),
                           metadata={"description": "domestic, foreign, hk_mo_tw"})
    traits = fields.Raw(allow_none=True, metadata={"description": "list or comma-separated: "
                                                   "high_tech, specialized_sme, listed ..."})
    preferred_districts = fields.Raw(allow_none=True,
                                     metadata={"description": "codes or names, list or text"})
    credit_code = fields.String(allow_none=True, validate=validate.Length(max=32))
    industry_label = fields.String(allow_none=True, validate=validate.Length(max=255))
    address = fields.String(allow_none=True, validate=validate.Length(max=500))
    lead_kind = fields.String(allow_none=True, validate=validate.Length(max=32),
                              metadata={"description": "expansion (an existing company grows) or "
                                        "new (new investment); Chinese words too"})


class LeadIn(ProfileIn):
    status = fields.String(load_default="new", validate=validate.OneOf(LEAD_STATUSES))
    next_follow_up = fields.Date(allow_none=True)
    note = fields.String(allow_none=True, validate=validate.Length(max=5000))
    owner_id = fields.Integer(allow_none=True)
    contact_name = fields.String(allow_none=True, validate=validate.Length(max=128))
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=255))
    contact_phone = fields.String(allow_none=True, validate=validate.Length(max=64))
    on_duplicate = fields.String(allow_none=True, validate=validate.OneOf(["merge", "link", "keep"]),
                                 metadata={"description": "when the pipeline already has the "
                                           "company: merge, link or keep (else 409)"})
    duplicate_of = fields.Integer(allow_none=True, metadata={"description": "the lead to merge "
                                                             "into or link to"})


class LeadEditIn(ProfileIn):
    """An officer's edit of a lead's profile and contacts (web form)."""

    contact_name = fields.String(allow_none=True, validate=validate.Length(max=128))
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=255))
    contact_phone = fields.String(allow_none=True, validate=validate.Length(max=64))
    legal_representative = fields.String(allow_none=True, validate=validate.Length(max=128))


class LeadBulkIn(_Base):
    """A change of status and/or owner for the leads ticked in the pipeline."""

    lead_id = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)),
                          load_default=list)  # how many: checked by the service, in words
    status = fields.String(allow_none=True, validate=validate.OneOf(LEAD_STATUSES))
    owner = fields.String(allow_none=True, validate=validate.Length(max=12))


class LeadPatch(_Base):
    status = fields.String(validate=validate.OneOf(LEAD_STATUSES))
    next_follow_up = fields.Date(allow_none=True)
    owner_id = fields.Integer(allow_none=True)


class NoteIn(_Base):
    body = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class BatchMatchIn(_Base):
    profiles = fields.List(fields.Nested(ProfileIn), required=True,
                           validate=validate.Length(min=1, max=500))


class SubmitIn(ProfileIn):
    """The public 'send my profile to the agency' form: consent is mandatory."""

    contact_name = fields.String(required=True, validate=validate.Length(min=1, max=128))
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=255))
    contact_phone = fields.String(allow_none=True, validate=validate.Length(max=64))
    consent = fields.Boolean(required=True, validate=validate.Equal(True, error="consent is required"),
                             truthy={"on", "yes", "1", "true", True})


class LeadQueryIn(_Base):
    """The pipeline's filters. A browser submits every field of the form, the empty ones as
    "": an empty field is no filter (its default), not an error."""

    @pre_load
    def _blank_to_none(self, data, **kwargs):  # replaces _Base's: blank means "not given"
        if hasattr(data, "items"):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data

    q = fields.String(load_default="", validate=validate.Length(max=200))
    status = fields.String(load_default="", validate=validate.OneOf(["", *LEAD_STATUSES]))
    sector = fields.String(load_default="", validate=validate.Length(max=64))
    industry = fields.String(load_default="", validate=validate.Length(max=64))
    district = fields.String(load_default="", validate=validate.Length(max=8))
    owner = fields.String(load_default="", validate=validate.Length(max=12),
                          metadata={"description": "a user id, or 'none' for unassigned leads"})
    source = fields.String(load_default="", validate=validate.OneOf(
        ["", "officer", "public", "import", "api", "seed"]))
    sort = fields.String(load_default="updated",
                         validate=validate.OneOf(["updated", "created", "name", "confidence",
                                                  "follow_up", "status"]))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class _SupersedesForm(_Base):
    """A plan form whose `supersedes` list arrives with the empty entries a browser sends."""

    @pre_load
    def _lists(self, data, **kwargs):
        if hasattr(data, "items") and isinstance(data.get("supersedes"), list):
            data = dict(data)
            data["supersedes"] = [v for v in data["supersedes"] if v]
        return data


class PlanStatusIn(_Base):
    """An admin's plan-status form; plans are checked against the current taxonomy."""

    plan_id = fields.String(required=True, validate=validate.Length(max=64))
    status = fields.String(required=True, validate=validate.OneOf(["issued", "draft", "superseded"]))
    superseded_by = fields.String(allow_none=True, load_default=None,
                                  validate=validate.Length(max=64))
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))

    @validates_schema
    def _plans_exist(self, data, **kwargs):
        from taxonomy import get_taxonomy

        plans = get_taxonomy().plan_by_id
        if data["plan_id"] not in plans:
            raise ValidationError("规划库中没有该规划 / no such plan in the library", "plan_id")
        after = data.get("superseded_by")
        if after and data["status"] != "superseded":
            raise ValidationError("只有在规划被替代时才填写替代它的规划 / a successor is given "
                                  "only when the plan is superseded", "superseded_by")
        if after and (after not in plans or after == data["plan_id"]):
            raise ValidationError("替代它的规划必须是规划库中的另一个规划 / the successor must be "
                                  "another plan in the library", "superseded_by")


_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class PlanImportIn(_SupersedesForm):
    """An admin's upload form for a new plan (the file comes separately)."""

    plan_id = fields.String(required=True, validate=validate.Regexp(
        _SLUG, error="编号只能用小写字母、数字和连字符 / the id takes lowercase letters, digits "
                     "and hyphens (e.g. sh-embodied-ai-2026)"),
        error_messages={"required": "请填写规划编号 / the plan id is required",
                        "null": "请填写规划编号 / the plan id is required"})
    title_zh = fields.String(required=True, validate=validate.Length(min=2, max=200),
                             error_messages={"required": "请填写中文标题 / the Chinese title "
                                                         "is required",
                                             "null": "请填写中文标题 / the Chinese title "
                                                     "is required"})
    title_en = fields.String(allow_none=True, load_default=None,
                             validate=validate.Length(max=300))
    issuer = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=100))
    doc_number = fields.String(allow_none=True, load_default=None,
                               validate=validate.Length(max=100))
    date = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(
        r"^\d{4}-\d{2}-\d{2}$", error="日期格式为 YYYY-MM-DD / the date is YYYY-MM-DD"))
    horizon = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(
        r"^\s*\d{4}(\s*[-–~至到]\s*\d{4})?\s*$",
        error="规划期格式为 YYYY-YYYY 或 YYYY / the horizon is YYYY-YYYY or YYYY"))
    scope = fields.String(allow_none=True, load_default=None,
                          validate=validate.OneOf(["city", "district", "zone"]))
    status = fields.String(load_default="draft", validate=validate.OneOf(["draft", "issued"]))
    supersedes = fields.List(fields.String(validate=validate.Regexp(_SLUG)), load_default=list)


def form_errors(messages: dict, schema: Schema | None = None) -> list[str]:
    """marshmallow's messages as plain sentences in the interface language, each naming its
    field by its label (web/validation.py)."""
    from web.i18n import current_lang
    from web.validation import explain, texts

    return texts(explain(messages, schema), current_lang())


class ImportContactIn(_Base):
    """Who to contact, as a lead list's row carries it (batch import): text, cut to the lead's
    column sizes by the importer; an e-mail cell of an export is not always an address."""

    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    legal_representative = fields.String(allow_none=True)


class TokenIn(_Base):
    """The API-token form: what the token is for (cut to 100 characters; blank is 'api')."""

    name = fields.Function(deserialize=lambda v: str(v).strip()[:100], allow_none=True,
                           load_default=None)


class UserCreateIn(_Base):
    """An admin's new-user form; an empty password means: generate one (shown once)."""

    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    display_name = fields.String(allow_none=True, load_default=None,
                                 validate=validate.Length(max=128))
    role = fields.String(load_default="officer", validate=validate.OneOf(["officer", "admin"]))
    password = fields.String(allow_none=True, load_default=None,
                             validate=validate.Length(max=256))


class PasswordResetIn(_Base):
    """An admin's reset of another user's password; empty means: generate one."""

    password = fields.String(allow_none=True, load_default=None,
                             validate=validate.Length(max=256))


class PasswordChangeIn(_Base):
    """A user's change of their own password: the current one, the new one twice."""

    current_password = fields.String(required=True, validate=validate.Length(max=256))
    new_password = fields.String(required=True, validate=validate.Length(max=256))
    new_password_again = fields.String(required=True, validate=validate.Length(max=256))

    @validates_schema
    def _same_twice(self, data, **kwargs):
        if data.get("new_password") != data.get("new_password_again"):
            raise ValidationError("两次输入的新密码不一致 / The two new passwords differ",
                                  "new_password_again")


class PlanEditIn(_SupersedesForm):
    """An admin's form for a plan's metadata (the plan comes from the address); whether the
    plans it names are in the library is checked against the taxonomy by the service."""

    title_zh = fields.String(required=True, validate=validate.Length(
        min=2, max=200, error="中文标题须为 2 到 200 个字符 / the Chinese title takes 2 to 200 "
                              "characters"),
        error_messages={"required": "请填写中文标题 / the Chinese title is required",
                        "null": "请填写中文标题 / the Chinese title is required"})
    title_en = fields.String(required=True, validate=validate.Length(
        min=2, max=300, error="英文标题须为 2 到 300 个字符 / the English title takes 2 to 300 "
                              "characters"),
        error_messages={"required": "请填写英文标题 / the English title is required",
                        "null": "请填写英文标题 / the English title is required"})
    issuer = fields.String(allow_none=True, load_default=None, validate=validate.Length(
        max=100, error="发文机关不能超过 100 个字符 / the issuer takes at most 100 characters"))
    doc_number = fields.String(allow_none=True, load_default=None, validate=validate.Length(
        max=100, error="文号不能超过 100 个字符 / the document number takes at most 100 characters"))
    date = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(
        r"^\d{4}-\d{2}-\d{2}$", error="日期格式为 YYYY-MM-DD / the date is YYYY-MM-DD"))
    horizon = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(
        r"^\s*\d{4}(\s*[-–~至到]\s*\d{4})?\s*$",
        error="规划期格式为 YYYY-YYYY 或 YYYY / the horizon is YYYY-YYYY or YYYY"))
    status = fields.String(required=True, validate=validate.OneOf(
        ["issued", "draft", "superseded"],
        error="状态须为已发布、征求意见稿或已被替代 / the status is issued, draft or superseded"))
    superseded_by = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(
        _SLUG, error="替代它的规划须为规划库中的规划 / the successor must be a plan in the library"))
    supersedes = fields.List(fields.String(validate=validate.Regexp(
        _SLUG, error="所替代的规划须为规划库中的规划 / a replaced plan must be a plan in the library")),
        load_default=list)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(
        max=500, error="说明不能超过 500 个字符 / the note takes at most 500 characters"))


    @validates_schema
    def _successor(self, data, **kwargs):
        if data.get("superseded_by") and data.get("status") != "superseded":
            raise ValidationError("只有在规划被替代时才填写替代它的规划 / a successor is given "
                                  "only when the plan is superseded", "superseded_by")


class PlanWithdrawIn(_Base):
    """The confirmation of a plan's withdrawal: its id typed again."""

    confirm = fields.String(required=True, validate=validate.Length(max=64), error_messages={
        "required": "请输入规划编号以确认撤回 / type the plan id to confirm the withdrawal",
        "null": "请输入规划编号以确认撤回 / type the plan id to confirm the withdrawal"})


class ImportFilterIn(_Base):
    """The batch import page's filters (an empty field is no filter) and its page."""

    min_confidence = fields.Float(allow_none=True, load_default=None,
                                  validate=validate.Range(min=0, max=1))
    industry = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=64))
    district = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=8))
    not_duplicate = fields.Boolean(load_default=False, allow_none=True,
                                   truthy={"1", "on", "yes", "true", True})
    page = fields.Integer(allow_none=True, load_default=None,
                          validate=validate.Range(min=1, max=100000))
