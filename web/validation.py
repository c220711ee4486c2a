"""Validation errors in plain Chinese and English, naming each field by its label.

marshmallow's own messages ("Field may not be null.", "Length must be between 1 and 20000.")
never reach a user: each message is recognised against the schema field that produced it (its
error messages and its validators) and written anew.
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema, fields, validate

from matcher import labels

LABELS: dict[str, tuple[str, str]] = {
    **labels.FIELDS,
    "contact_name": ("联系人", "contact name"),
    "contact_email": ("电子邮箱", "e-mail"),
    "contact_phone": ("电话", "phone"),
    "consent": ("同意书", "consent"),
    "status": ("状态", "status"),
    "next_follow_up": ("下次跟进日期", "next follow-up date"),
    "note": ("备注", "note"),
    "body": ("备注", "note"),
    "owner_id": ("负责人", "owner"),
    "owner": ("负责人", "owner"),
    "source": ("来源", "source"),
    "on_duplicate": ("重复线索的处理", "what to do with a duplicate"),
    "duplicate_of": ("重复的线索", "duplicate lead"),
    "lead_id": ("所选线索", "chosen leads"),
    "legal_representative": ("法定代表人", "legal representative"),
    "q": ("搜索词", "search"),
    "sector": ("产业门类", "sector"),
    "industry": ("产业", "industry"),
    "district": ("区", "district"),
    "sort": ("排序", "sort order"),
    "page": ("页码", "page"),
    "per_page": ("每页条数", "rows per page"),
    "profiles": ("企业资料列表", "profiles"),
    "username": ("用户名", "username"),
    "password": ("密码", "password"),
    "role": ("角色", "role"),
    "display_name": ("显示名称", "display name"),
    "current_password": ("当前密码", "current password"),
    "new_password": ("新密码", "new password"),
    "new_password_again": ("再次输入的新密码", "new password, again"),
    "min_confidence": ("最低置信度", "minimum confidence"),
    "not_duplicate": ("无疑似重复", "no possible duplicate"),
}


@dataclass(frozen=True)
class FieldError:
    """One readable error: the field's key (machine-readable), a code, and both languages."""

    field: str
    code: str
    zh: str
    en: str

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.en, "message_zh": self.zh}


def label(field: str) -> tuple[str, str]:
    return LABELS.get(field, (field, field.replace("_", " ")))


def _code(field: fields.Field | None, message: str) -> tuple[str, object]:
    """What kind of error a marshmallow message is: (code, the validator or None)."""
    if field is None:
        return "invalid", None
    for key, text in field.error_messages.items():
        if str(text) == message:
            return ("required" if key in ("required", "null") else "invalid"), None
    for validator in field.validators:
        if isinstance(validator, validate.Length):
            return "length", validator
        if isinstance(validator, validate.OneOf):
            return "choice", validator
        if isinstance(validator, validate.Range):
            return "range", validator
        if isinstance(validator, validate.Equal):
            return "agree", validator
    return "invalid", None


def _invalid(field: fields.Field | None) -> tuple[str, str]:
    """What a value of the field's type must look like."""
    if isinstance(field, fields.Email):
        return "不是有效的电子邮箱地址（例如 name@example.com）", "is not a valid e-mail address (e.g. name@example.com)"
    if isinstance(field, fields.Integer):
        return "须为整数", "must be a whole number"
    if isinstance(field, fields.Date):
        return "须为日期，格式如 2026-12-31", "must be a date like 2026-12-31"
    if isinstance(field, fields.Boolean):
        return "须为“是”或“否”", "must be yes or no"
    if isinstance(field, fields.List):
        return "须为列表", "must be a list"
    if isinstance(field, fields.String):
        return "须为文字", "must be text"
    return "无法识别", "cannot be read"


def _choices(validator: validate.OneOf) -> tuple[str, str]:
    from web.i18n import ZH

    shown = [str(c) for c in validator.choices if c not in ("", None)]
    return "、".join(ZH.get(c, c) for c in shown), ", ".join(shown)


def _cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def specific(message: str) -> tuple[str, str] | None:
    """A schema's own message in both languages, or None for marshmallow's generic texts:
    written "中文 / English" (the app's convention), or an English text the translations know."""
    from web.i18n import ZH

    zh, sep, en = message.partition(" / ")
    if sep and _cjk(zh) and en.strip() and not _cjk(en):
        return zh.strip(), en.strip()
    if message in ZH and _cjk(ZH[message]):
        return ZH[message], message
    return None


def describe(name: str, field: fields.Field | None, message: str) -> FieldError:
    """One marshmallow message of one field, written for a person: a schema's own specific
    message (see `specific`) kept in both languages, marshmallow's generic ones written anew."""
    zh_label, en_label = label(name)
    en_cap = en_label[:1].upper() + en_label[1:]
    code, validator = _code(field, message)
    own = specific(message)
    if own is not None:
        return FieldError(name, code if code == "required" else "invalid", own[0], own[1])
    if code == "required":
        if name == "description":
            return FieldError(name, "required", "请描述企业或项目：做什么、生产什么。",
                              "Please describe the company or project: what it makes or does.")
        return FieldError(name, "required", f"请填写{zh_label}。", f"{en_cap} is required.")
    if code == "agree":
        return FieldError(name, "consent", "请勾选同意，我们才能保存并转交您的资料。",
                          "Please tick the box to agree: without it we cannot store or pass on "
                          "your profile.")
    if code == "length":  # blank text is None before validation, so short means empty
        low, high = validator.min or 0, validator.max
        if high is not None and low <= 1:
            return FieldError(name, "too_long", f"{zh_label}不能超过 {high} 个字符。",
                              f"{en_cap} must be at most {high} characters long.")
        if high is not None:
            return FieldError(name, "length", f"{zh_label}须为 {low} 到 {high} 个字符。",
                              f"{en_cap} must be {low} to {high} characters long.")
        return FieldError(name, "too_short", f"{zh_label}至少须有 {low} 个字符。",
                          f"{en_cap} must be at least {low} characters long.")
    if code == "choice":
        zh_choices, en_choices = _choices(validator)
        return FieldError(name, "choice", f"{zh_label}须为以下之一：{zh_choices}。",
                          f"{en_cap} must be one of: {en_choices}.")
    if code == "range":
        low, high = validator.min, validator.max
        return FieldError(name, "range", f"{zh_label}须在 {low} 到 {high} 之间。",
                          f"{en_cap} must be between {low} and {high}.")
    zh, en = _invalid(field)
    return FieldError(name, "invalid", f"{zh_label}{zh}。", f"{en_cap} {en}.")


def _field_of(schema: Schema | None, name: str) -> fields.Field | None:
    if schema is not None:
        return schema.fields.get(name)
    return _any_fields().get(name)


def explain(messages, schema: Schema | None = None, where: str = "") -> list[FieldError]:
    """Every message of a marshmallow `messages` dict (nested lists too), readable."""
    out: list[FieldError] = []
    if isinstance(messages, list):
        messages = {"_schema": messages}
    for name, msgs in messages.items():
        name = str(name)
        field = _field_of(schema, name)
        if isinstance(msgs, dict):  # nested: a list of objects or one object
            inner = getattr(getattr(field, "inner", None), "schema", None) or getattr(field, "schema", None)
            for key, sub in msgs.items():
                if isinstance(sub, dict):
                    prefix = f"{where}{name}.{key}." if str(key).isdigit() else where
                    out += _numbered(explain(sub, inner, prefix), key)
                else:
                    out += explain({key: sub}, inner, where)
            continue
        for message in (msgs if isinstance(msgs, list) else [msgs]):
            error = describe(name, field, str(message))
            out.append(FieldError(f"{where}{error.field}", error.code, error.zh, error.en))
    return out


def readable_tree(messages, schema: Schema | None = None):
    """The same nesting as marshmallow's messages (machine-readable keys kept), each message
    replaced by its readable English text."""
    if isinstance(messages, list):
        return [describe("_schema", None, str(m)).en for m in messages]
    out = {}
    for name, msgs in messages.items():
        field = _field_of(schema, str(name))
        if isinstance(msgs, dict):
            inner = getattr(getattr(field, "inner", None), "schema", None) or getattr(field, "schema", None)
            out[name] = {key: (readable_tree(sub, inner) if isinstance(sub, dict)
                               else readable_tree({key: sub}, inner)[key])
                         for key, sub in msgs.items()}
        else:
            out[name] = [describe(str(name), field, str(m)).en
                         for m in (msgs if isinstance(msgs, list) else [msgs])]
    return out


def _numbered(errors: list[FieldError], key) -> list[FieldError]:
    if not str(key).isdigit():
        return errors
    n = int(key) + 1
    return [FieldError(e.field, e.code, f"第 {n} 条：{e.zh}", f"Item {n}: {e.en}") for e in errors]


_ANY: dict[str, fields.Field] = {}


def _any_fields() -> dict[str, fields.Field]:
    """Every field of the app's input schemas by name, for callers that only have messages."""
    if not _ANY:
        from web import schemas

        for obj in vars(schemas).values():
            if isinstance(obj, type) and issubclass(obj, Schema) and obj is not Schema:
                for name, field in obj().fields.items():
                    _ANY.setdefault(name, field)
    return _ANY


def texts(errors: list[FieldError], lang: str) -> list[str]:
    return [e.zh if lang == "zh" else e.en for e in errors]
