"""marshmallow schemas of outcome input: the lead page's form and each row of an import."""

from __future__ import annotations

from marshmallow import validate

from web.models import LOST_TO, OUTCOMES
from web.schemas import _Base, fields
from web.validation import LABELS

# Field labels for the readable errors (web/validation.py), both languages.
LABELS.update({
    "outcome": ("结果", "outcome"),
    "district_code": ("落地区", "district"),
    "zone_id": ("落地园区", "park"),
    "industry_id": ("项目实际产业", "industry"),
    "lost_to": ("流向", "where it went"),
    "lost_city": ("去往城市", "city"),
    "reason": ("原因", "reason"),
    "closed_on": ("结案日期", "date closed"),
    "lead_id": ("线索编号", "lead id"),
    "credit_code": ("统一社会信用代码", "credit code"),
    "file": ("文件", "file"),
})


class OutcomeIn(_Base):
    """An officer's closing of a lead (form fields as a browser posts them, empty ones too)."""

    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    district_code = fields.String(allow_none=True, validate=validate.Length(max=64))
    zone_id = fields.String(allow_none=True, validate=validate.Length(max=64))
    industry_id = fields.String(allow_none=True, validate=validate.Length(max=64))
    lost_to = fields.String(allow_none=True, validate=validate.OneOf(LOST_TO))
    lost_city = fields.String(allow_none=True, validate=validate.Length(max=64))
    reason = fields.String(allow_none=True, validate=validate.Length(max=2000))
    closed_on = fields.Date(allow_none=True)


class OutcomeRowIn(OutcomeIn):
    """One row of an outcomes CSV: the lead by id or credit code; places by code, id or name."""

    outcome = fields.String(load_default="landed", validate=validate.OneOf(OUTCOMES))
    lead_id = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=2**31 - 1))
    credit_code = fields.String(allow_none=True, validate=validate.Length(max=32))
