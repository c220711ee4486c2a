"""Browse the taxonomy: industries tree, districts, parks, policies, plans, with citations."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from taxonomy import get_taxonomy
from web.auth import client_ip, login_required
from web.db import get_session
from web.i18n import gettext as _
from web.models import PlanStatus, utcnow
from web.services import audit
from web.services.matching import forget_overrides, plan_overrides

bp = Blueprint("browse", __name__, url_prefix="/taxonomy")


def plan_flags(tx, overrides) -> dict[str, dict]:
    """Per plan: effective status, whether a draft, whether past its horizon."""
    year = dt.date.today().year
    out = {}
    for p in tx.plans:
        o = overrides.get(p.id)
        status = o.status if o else p.status
        out[p.id] = {"status": status, "draft": status == "draft",
                     "expired": bool(p.horizon_end and p.horizon_end < year),
                     "superseded": status == "superseded", "note": o.note if o else ""}
    return out


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
    return render_template("browse/policies.html", tx=tx,
                           flags=plan_flags(tx, plan_overrides(get_session(), fresh=True)))


@bp.route("/plans", methods=("GET", "POST"))
@login_required
def plans():
    tx = get_taxonomy()
    session = get_session()
    if request.method == "POST":
        plan_id = request.form.get("plan_id", "")
        status = request.form.get("status", "")
        if plan_id not in tx.plan_by_id or status not in ("issued", "draft", "superseded"):
            abort(400, description="unknown plan or status")
        row = session.get(PlanStatus, plan_id) or PlanStatus(plan_id=plan_id, status=status)
        row.status, row.note = status, (request.form.get("note") or "")[:500]
        row.updated_by, row.updated_at = g.user.id, utcnow()
        session.add(row)
        session.commit()
        forget_overrides()
        audit.record(session=session, action="plan.status", user=g.user, ip=client_ip(),
                     target=plan_id, detail=status)
        flash(_("Plan status saved."))
        return redirect(url_for("browse.plans"))
    return render_template("browse/plans.html", tx=tx,
                           flags=plan_flags(tx, plan_overrides(session, fresh=True)))
