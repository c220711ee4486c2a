"""The plan library through the JSON API (public): plans, their metadata, section tree and text.

Registered on the API blueprint `web.api.blp`; imported by `web.api.init_app`."""

from __future__ import annotations

from flask import url_for
from flask_smorest import abort
from marshmallow import Schema, fields

from taxonomy import get_taxonomy
from web.api import blp
from web.services import plans as plan_service


class PlanOut(Schema):
    id = fields.String()
    title_zh = fields.String()
    title_en = fields.String()
    doc_number = fields.String(allow_none=True)
    issuer = fields.String(allow_none=True)
    scope = fields.String(metadata={"description": "city, district or zone"})
    date = fields.String(allow_none=True, metadata={"description": "YYYY-MM-DD, or null"})
    horizon_start = fields.Integer(allow_none=True)
    horizon_end = fields.Integer(allow_none=True)
    horizon_note = fields.String()
    status = fields.String(metadata={"description": "stored: issued, draft or superseded"})
    effective_status = fields.String(metadata={"description": "issued, draft, superseded or "
                                               "expired (past its horizon)"})
    draft = fields.Boolean()
    expired = fields.Boolean(metadata={"description": "its horizon has ended"})
    superseded = fields.Boolean()
    supersedes = fields.List(fields.String())
    superseded_by = fields.List(fields.String())
    url = fields.String(metadata={"description": "the plan's reader page"})


class SectionOut(Schema):
    path = fields.String(metadata={"description": "heading path as citations write it, "
                                   "e.g. 三、(一)1"})
    anchor = fields.String(metadata={"description": "the heading's anchor on the reader page"})
    level = fields.Integer(metadata={"description": "depth in the tree, 1 = top heading"})
    kind = fields.String(metadata={"description": "part, division, chapter, sub, item, "
                                   "paren_item or circled (the numbering form)"})
    title = fields.String()
    start = fields.Integer(metadata={"description": "character offset in text"})
    end = fields.Integer()
    children = fields.List(fields.Nested(lambda: SectionOut()))


class PlanDetailOut(PlanOut):
    sections = fields.List(fields.Nested(SectionOut))
    text = fields.String(allow_none=True, metadata={"description": "the full plain text "
                                                    "(null when not on this server)"})


class PlanListOut(Schema):
    taxonomy_version = fields.String()
    items = fields.List(fields.Nested(PlanOut))


def _meta(plan) -> dict:
    return {**plan_service.plan_meta(plan),
            "url": url_for("plans.read", plan_id=plan.id, _external=False)}


@blp.route("/plans", methods=["GET"])
@blp.response(200, PlanListOut)
def plans_list():
    """The plans the taxonomy rests on: metadata, status, horizon, supersession (public)."""
    tx = get_taxonomy()
    return {"taxonomy_version": tx.version, "items": [_meta(p) for p in tx.plans]}


@blp.route("/plans/<plan_id>", methods=["GET"])
@blp.response(200, PlanDetailOut)
@blp.alt_response(404, description="no such plan")
def plans_get(plan_id):
    """One plan: metadata, section tree (paths, anchors, offsets) and full text (public)."""
    plan = get_taxonomy().plan_by_id.get(plan_id)
    if plan is None:
        abort(404, message=f"unknown plan {plan_id!r}")
    doc = plan_service.plan_document(plan_id)
    return {**_meta(plan), "sections": plan_service.section_tree(doc) if doc else [],
            "text": doc.text if doc else None}
