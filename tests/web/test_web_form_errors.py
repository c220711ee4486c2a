"""`form_errors` keeps a schema's own specific messages (in the interface language) and only
rewrites marshmallow's generic texts."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from web.schemas import PlanImportIn, ProfileIn, form_errors
from web.validation import explain, readable_tree


class _Own(Schema):
    code = fields.String(validate=validate.Regexp(r"^\d+$", error="编号只能是数字 / the code takes digits only"))
    pair = fields.String()

    @validates_schema
    def _check(self, data, **kwargs):
        if data.get("pair") == "x":
            raise ValidationError("不能为 x / it cannot be x", "pair")


def _errors(app, schema, data, lang):
    with app.test_request_context(f"/?lang={lang}"):
        from flask import g

        g.lang = lang
        try:
            schema.load(data)
        except ValidationError as exc:
            return form_errors(exc.messages, schema)
    raise AssertionError("the data validated")


@pytest.mark.parametrize("lang, expected, other", [
    ("zh", "编号只能用小写字母、数字和连字符", "the id takes lowercase"),
    ("en", "the id takes lowercase letters, digits and hyphens (e.g. sh-embodied-ai-2026)", "编号只能用")])
def test_a_regexp_message_of_the_schema_is_kept(app, lang, expected, other):
    errors = _errors(app, PlanImportIn(), {"plan_id": "Bad Id!", "title_zh": "某某规划"}, lang)
    assert any(expected in e for e in errors), errors
    assert not any(other in e for e in errors), errors
    assert not any(generic in e for e in errors for generic in ("须为文字", "must be text"))


@pytest.mark.parametrize("lang, expected", [("zh", "日期格式为 YYYY-MM-DD"),
                                            ("en", "the date is YYYY-MM-DD")])
def test_the_date_and_horizon_messages_are_specific(app, lang, expected):
    errors = _errors(app, PlanImportIn(), {"plan_id": "sh-x", "title_zh": "某某规划",
                                           "date": "2026/5/1", "horizon": "soon"}, lang)
    assert expected in errors
    assert ("规划期格式为 YYYY-YYYY 或 YYYY" if lang == "zh"
            else "the horizon is YYYY-YYYY or YYYY") in errors


@pytest.mark.parametrize("lang, expected", [("zh", ["编号只能是数字", "不能为 x"]),
                                            ("en", ["the code takes digits only", "it cannot be x"])])
def test_validator_and_schema_level_messages_are_kept(app, lang, expected):
    assert _errors(app, _Own(), {"code": "a1"}, lang) == expected[:1]
    assert _errors(app, _Own(), {"pair": "x"}, lang) == expected[1:]


def test_generic_messages_are_still_rewritten(app):
    assert _errors(app, ProfileIn(), {"description": "芯片", "name": "x" * 300}, "en") == [
        "Company or project name must be at most 255 characters long."]


def test_the_api_tree_keeps_the_specific_english(app):
    try:
        PlanImportIn().load({"plan_id": "Bad", "title_zh": "某某规划"})
    except ValidationError as exc:
        tree = readable_tree(exc.messages, PlanImportIn())
        found = explain(exc.messages, PlanImportIn())
    assert tree["plan_id"] == ["the id takes lowercase letters, digits and hyphens "
                               "(e.g. sh-embodied-ai-2026)"]
    assert found[0].zh.startswith("编号只能用小写字母")
