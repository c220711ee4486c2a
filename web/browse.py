"""Browse the taxonomy: industries tree, districts, parks, policies, plans, with citations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from taxonomy import TaxonomyError, get_taxonomy
from taxonomy.model import PLAN_STATUSES
from taxonomy.plans import set_plan_status
from web.auth import admin_required, client_ip, login_required
from web.db import get_session
from web.i18n import gettext as _
from web.schemas import PlanStatusIn
from web.services import audit
from web.services.matching import current_matcher, refitting
from web.services.plans import form_messages, plan_error_text

bp = Blueprint("browse", __name__, url_prefix="/taxonomy")


def plan_flags(tx) -> dict[str, dict]:
    """Per plan: stored and effective status, draft, past its horizon, superseded (and by)."""
    from web.services.plans import plan_meta

    return {p.id: plan_meta(p) for p in tx.plans}


def _plan_title(plan_id: str) -> str:
    from web.i18n import current_lang

    plan = get_taxonomy().plan_by_id.get(plan_id)
    if plan is None:
        return plan_id
    return plan.title_zh if current_lang() == "zh" else plan.title_en


def _horizon(plan) -> str:
    """The plan's horizon in the interface language."""
    from web.i18n import current_lang

    if current_lang() != "zh":
        return plan.horizon_note
    span = f"{plan.horizon_start}—{plan.horizon_end}年" if plan.horizon_start else f"至{plan.horizon_end}年"
    return span + ("，征求意见稿" if plan.status == "draft" else "")


def _plan_is_draft(plan_id: str) -> bool:
    plan = get_taxonomy().plan_by_id.get(plan_id)
    return plan is not None and plan.status == "draft"


@bp.record_once
def _template_globals(state):
    state.app.jinja_env.globals.update(plan_title=_plan_title, plan_is_draft=_plan_is_draft,
                                       horizon=_horizon)


@bp.route("/")
@login_required
def index():
    tx = get_taxonomy()
    children: dict[str | None, list] = {}
    for n in tx.industries:
        children.setdefault(n.parent, []).append(n)
    return render_template("browse/index.html", tx=tx, children=children)


@bp.route("/industries/<node_id>")
@login_required
def industry(node_id: str):
    tx = get_taxonomy()
    node = tx.industry_by_id.get(node_id) or abort(404)
    ids = {node_id, *(a.id for a in tx.ancestors(node_id))}
    relations = [r for r in tx.relations if r.industry in ids]
    policies = [p for p in tx.policies if not p.industries or ids & set(p.industries)]
    return render_template("browse/industry.html", tx=tx, node=node, relations=relations,
                           policies=policies, children=tx.children(node_id))


@bp.route("/districts/<code>")
@login_required
def district(code: str):
    tx = get_taxonomy()
    d = tx.district_by_code.get(code) or abort(404)
    zones = [z for z in tx.zones if code in z.district_codes]
    zone_ids = {z.id for z in zones}
    relations = [r for r in tx.relations if r.district == code or r.zone in zone_ids]
    return render_template("browse/district.html", tx=tx, d=d, zones=zones, relations=relations)


@bp.route("/zones/<zone_id>")
@login_required
def zone(zone_id: str):
    tx = get_taxonomy()
    z = tx.zone_by_id.get(zone_id) or abort(404)
    relations = [r for r in tx.relations if r.zone == zone_id]
    inside = [c for c in tx.zones if c.parent == zone_id]
    return render_template("browse/zone.html", tx=tx, z=z, relations=relations, inside=inside)


@bp.route("/policies")
@login_required
def policies():
    tx = get_taxonomy()
    return render_template("browse/policies.html", tx=tx, flags=plan_flags(tx))


@bp.route("/plans")
@login_required
def plans():
    tx = get_taxonomy()
    return render_template("browse/plans.html", tx=tx, flags=plan_flags(tx),
                           statuses=PLAN_STATUSES, refitting=refitting())


@bp.route("/plans", methods=("POST",))
@admin_required
def set_status():
    """An admin sets a plan's status in the taxonomy (plans.yaml): validated, versioned, audited."""
    try:
        form = PlanStatusIn().load(request.form.to_dict())
    except ValidationError as exc:
        flash(_("The plan status was not changed: {error}",
                error="; ".join(form_messages(exc.messages, PlanStatusIn()))))
        return redirect(url_for("browse.plans"), 303)
    tx = get_taxonomy()
    before = tx.plan_by_id.get(form["plan_id"])
    try:
        version = set_plan_status(plan_id=form["plan_id"], status=form["status"],
                                  superseded_by=form["superseded_by"] or None,
                                  who=g.user.username, note=form["note"])
    except (TaxonomyError, OSError) as exc:
        flash(_("The plan status was not changed: {error}", error=plan_error_text(exc)))
        return redirect(url_for("browse.plans"), 303)
    detail = f"{before.status if before else '?'} -> {form['status']}"
    if form["superseded_by"]:
        detail += f" (superseded by {form['superseded_by']})"
    if form["note"]:
        detail += f"; {form['note']}"
    audit.record(session=get_session(), action="plan.status", user=g.user, ip=client_ip(),
                 target=form["plan_id"], detail=f"{detail}; version {version}")
    current_matcher()  # starts the refit in the background; matching keeps serving
    flash(_("Plan status saved (taxonomy version {version}).", version=version))
    return redirect(url_for("browse.plans"), 303)
