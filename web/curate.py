"""Curators' pages: taxonomy versions and the diff between any two (officers may read them);
a plan's metadata edited and a plan withdrawn (admins; importing and reviewing drafts is in
`web.drafts`)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from taxonomy import TaxonomyError, get_taxonomy
from taxonomy.diff import diff, summarize
from taxonomy.versions import UnknownVersionError, list_versions
from web.auth import admin_required, client_ip, login_required
from web.db import get_session
from web.errors import fail
from web.i18n import current_lang
from web.i18n import gettext as _
from web.schemas import PlanEditIn, PlanWithdrawIn, form_errors
from web.services import audit
from web.services import curation as curation_service
from web.services.matching import current_matcher

bp = Blueprint("curate", __name__, url_prefix="/curate")
KIND_ORDER = ("plans", "industries", "districts", "zones", "relations", "policies")


@bp.route("/versions")
@login_required
def versions():
    tx = get_taxonomy()
    rows = list(reversed(list_versions()))
    return render_template("curate/versions.html", versions=rows, current=tx.version)


@bp.route("/diff")
@login_required
def version_diff():
    rows = list_versions()
    ref_b = (request.args.get("b") or "current").strip()[:64]
    default_a = rows[-2].id if len(rows) >= 2 else (rows[-1].id if rows else "current")
    ref_a = (request.args.get("a") or default_a).strip()[:64]
    try:
        d = diff(ref_a, ref_b)
    except UnknownVersionError:
        fail(404, "unknown taxonomy version", "没有该知识库版本")
    except TaxonomyError as exc:
        fail(400, exc.message_en, exc.message_zh)
    return render_template("curate/diff.html", d=d, summary=summarize(d), versions=rows,
                           ref_a=ref_a, ref_b=ref_b, kinds=KIND_ORDER)


def _plan_or_404(plan_id: str):
    return get_taxonomy().plan_by_id.get(plan_id) or abort(404)


def _edit_page(plan, form: dict, errors: list[str], status: int = 200):
    tx = get_taxonomy()
    return render_template("curate/plan_edit.html", plan=plan, form=form, errors=errors,
                           others=[p for p in tx.plans if p.id != plan.id],
                           preview=curation_service.withdrawal_preview(plan_id=plan.id)), status


def _pairs(messages: list[tuple[str, str]]) -> list[str]:
    return [zh if current_lang() == "zh" else en for zh, en in messages]


@bp.route("/plans/<plan_id>")
@admin_required
def plan_edit(plan_id: str):
    plan = _plan_or_404(plan_id)
    return _edit_page(plan, curation_service.plan_form(plan), [])


@bp.route("/plans/<plan_id>", methods=("POST",))
@admin_required
def plan_save(plan_id: str):
    """An admin edits a plan's metadata: validated, written to plans.yaml (a new taxonomy
    version), audited."""
    plan = _plan_or_404(plan_id)
    raw = {k: request.form.get(k, "") for k in PlanEditIn().fields if k != "supersedes"}
    raw["supersedes"] = request.form.getlist("supersedes")
    try:
        data = PlanEditIn().load(raw)
    except ValidationError as exc:
        return _edit_page(plan, raw, form_errors(exc.messages, PlanEditIn()), 422)
    try:
        version, changes = curation_service.edit_plan(plan_id=plan_id, data=data,
                                                      who=g.user.username,
                                                      note=data.get("note") or "")
    except curation_service.CurationError as exc:
        return _edit_page(plan, raw, _pairs(exc.messages), 422)
    if version is None:
        flash(_("Nothing was changed."))
        return redirect(url_for("curate.plan_edit", plan_id=plan_id), 303)
    detail = "; ".join(f"{k}: {old!r} -> {new!r}" for k, (old, new) in changes.items())
    audit.record(session=get_session(), action="plan.edit", user=g.user, ip=client_ip(),
                 target=plan_id, detail=f"{detail}; version {version}")
    current_matcher()  # the new version is served once its matcher is ready
    flash(_("Plan saved (taxonomy version {version}).", version=version))
    return redirect(url_for("plans.read", plan_id=plan_id), 303)


@bp.route("/plans/<plan_id>/withdraw", methods=("POST",))
@admin_required
def plan_withdraw(plan_id: str):
    """An admin withdraws a plan (the plan id typed again to confirm): its entries, citations,
    text and draft go; entries other data needs stay. Versioned and audited."""
    plan = _plan_or_404(plan_id)
    try:
        confirm = PlanWithdrawIn().load({"confirm": request.form.get("confirm", "")})["confirm"]
    except ValidationError as exc:
        return _edit_page(plan, curation_service.plan_form(plan),
                          form_errors(exc.messages, PlanWithdrawIn()), 422)
    if confirm.strip() != plan_id:
        return _edit_page(plan, curation_service.plan_form(plan), _pairs([(
            f"输入的编号与规划编号 {plan_id} 不符，规划未撤回",
            f"the id typed is not {plan_id}: the plan was not withdrawn")]), 422)
    preview = curation_service.withdrawal_preview(plan_id=plan_id)
    try:
        version = curation_service.withdraw_plan(plan_id=plan_id, who=g.user.username)
    except curation_service.CurationError as exc:
        return _edit_page(plan, curation_service.plan_form(plan), _pairs(exc.messages), 422)
    audit.record(session=get_session(), action="plan.withdraw", user=g.user, ip=client_ip(),
                 target=plan_id, detail=f"{preview['industries']} industries, {preview['zones']} "
                 f"zones, {preview['relations']} relations, {preview['policies']} policies; "
                 f"kept {len(preview['kept'])}; version {version}")
    current_matcher()
    if plan_id in get_taxonomy().plan_by_id:  # entries other data needs keep it cited
        flash(_("Plan {plan} withdrawn in part: {n} entries that other data needs keep it in "
                "the library (taxonomy version {version}).", plan=plan_id,
                n=len(preview["kept"]), version=version))
        return redirect(url_for("plans.read", plan_id=plan_id), 303)
    flash(_("Plan {plan} withdrawn (taxonomy version {version}).", plan=plan_id,
            version=version))
    return redirect(url_for("plans.index"), 303)
