"""The plan library (public): every plan's full text, its sections as anchors, cited clauses."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from taxonomy import get_taxonomy
from web.services import plans as plan_service

bp = Blueprint("plans", __name__, url_prefix="/plans")


def cite_url(source) -> str:
    """The reader's address for a citation: its plan, section and phrase, scrolled to the mark."""
    get = plan_service._get
    return url_for("plans.read", plan_id=get(source, "plan"), section=get(source, "section"),
                   q=get(source, "evidence"), _anchor="cited")


def _plan_state(plan_id: str) -> dict:
    plan = get_taxonomy().plan_by_id.get(plan_id)
    return plan_service.plan_meta(plan) if plan is not None else {}


@bp.record_once
def _template_globals(state):
    state.app.jinja_env.globals.update(cite_url=cite_url,
                                       cite_gloss=plan_service.citation_gloss_en,
                                       section_gloss=plan_service.section_gloss_en,
                                       plan_state=_plan_state)


@bp.route("/")
def index():
    tx = get_taxonomy()
    return render_template("plans/index.html", plans=[(p, plan_service.plan_meta(p)) for p in tx.plans])


@bp.route("/<plan_id>")
def read(plan_id: str):
    tx = get_taxonomy()
    plan = tx.plan_by_id.get(plan_id) or abort(404)
    doc = plan_service.plan_document(plan_id)
    section = (request.args.get("section") or "").strip()[:64] or None
    phrase = (request.args.get("q") or "").strip()[:200] or None
    hit, body, cited = None, None, None
    if doc is not None:
        cited, hit = plan_service.locate(doc, section, phrase)
        body = plan_service.render(doc, hit, cited)
    return render_template("plans/read.html", plan=plan, meta=plan_service.plan_meta(plan),
                           doc=doc, body=body, section=section, phrase=phrase, hit=hit,
                           cited=cited, toc=plan_service.section_tree(doc) if doc else [])
