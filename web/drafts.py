"""Admins curate the plan library: upload a plan with its metadata, review its draft of
proposals (each beside its clause), apply the accepted ones to the taxonomy."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from taxonomy import get_taxonomy
from taxonomy.drafts import EDITABLE, DraftError, list_drafts, load_draft
from web.auth import admin_required, client_ip
from web.db import get_session
from web.i18n import current_lang
from web.schemas import PlanImportIn
from web.services import audit
from web.services import curation as curation_service
from web.services.matching import current_matcher
from web.services.plans import form_messages

bp = Blueprint("drafts", __name__, url_prefix="/curate/drafts")


@bp.app_template_global()
def clause_marked(clause: str, evidence: str):
    """The proposal's clause with its cited phrase in a <mark>."""
    from markupsafe import Markup, escape

    clause, evidence = clause or "", evidence or ""
    at = clause.find(evidence) if evidence else -1
    if at < 0:
        return escape(clause)
    return Markup(f"{escape(clause[:at])}<mark>{escape(evidence)}</mark>"
                  f"{escape(clause[at + len(evidence):])}")


@bp.app_template_global()
def proposal_note(note: str):
    """A proposer's note in the interface language."""
    return curation_service.proposal_note(note, current_lang())


@bp.app_template_global()
def draft_field(field: str) -> str:
    """A draft entry's field by its label in the interface language."""
    return curation_service.field_text(field, current_lang())


def _flash_all(messages: list[tuple[str, str]]) -> None:
    for zh, en in messages:
        flash(_pair(zh, en))


@bp.route("/")
@admin_required
def index():
    tx = get_taxonomy()
    return render_template("drafts/index.html", drafts=list_drafts(), plans=tx.plans, form={},
                           errors=[])


@bp.route("/import", methods=("POST",))
@admin_required
def import_plan():
    raw = {k: request.form.get(k, "") for k in PlanImportIn().fields}
    raw["supersedes"] = request.form.getlist("supersedes")
    upload = request.files.get("file")
    try:
        meta = PlanImportIn().load(raw)
    except ValidationError as exc:
        return render_template("drafts/index.html", drafts=list_drafts(),
                               plans=get_taxonomy().plans, form=raw,
                               errors=form_messages(exc.messages, PlanImportIn())), 422
    if upload is None or not upload.filename:
        return render_template("drafts/index.html", drafts=list_drafts(),
                               plans=get_taxonomy().plans, form=raw,
                               errors=[_file_missing()]), 422
    try:
        draft = curation_service.import_uploaded_plan(
            data=upload.read(), filename=upload.filename, meta=meta, who=g.user.username)
    except curation_service.CurationError as exc:
        return render_template("drafts/index.html", drafts=list_drafts(),
                               plans=get_taxonomy().plans, form=raw,
                               errors=[_pair(zh, en) for zh, en in exc.messages]), 422
    audit.record(session=get_session(), action="plan.import", user=g.user, ip=client_ip(),
                 target=meta["plan_id"],
                 detail=f"{upload.filename}; {len(draft['proposals'])} proposals")
    current_matcher()  # the plan is in the library now: refit in the background
    return redirect(url_for("drafts.review", plan_id=meta["plan_id"]), 303)


def _pair(zh: str, en: str) -> str:
    """A message in the interface language only."""
    return zh if current_lang() == "zh" else en


def _file_missing() -> str:
    return _pair("请选择规划文件（.txt、.docx 或 .pdf）", "choose the plan file (.txt, .docx or .pdf)")


def _draft_or_404(plan_id: str) -> dict:
    try:
        return load_draft(plan_id)
    except DraftError:
        abort(404)


@bp.route("/<plan_id>")
@admin_required
def review(plan_id: str):
    draft = _draft_or_404(plan_id)
    kind = request.args.get("kind") or None
    decision = request.args.get("decision") or None
    shown = [p for p in draft["proposals"] if (kind is None or p["kind"] == kind)
             and (decision is None or p["decision"] == decision)]
    counts: dict[str, int] = {}
    for p in draft["proposals"]:
        counts[p["decision"]] = counts.get(p["decision"], 0) + 1
    return render_template("drafts/review.html", draft=draft, shown=shown, counts=counts,
                           editable=EDITABLE, kind=kind, decision=decision, tx=get_taxonomy(),
                           list_fields=curation_service.LIST_FIELDS)


@bp.route("/<plan_id>", methods=("POST",))
@admin_required
def decide(plan_id: str):
    _draft_or_404(plan_id)
    try:
        curation_service.review(plan_id=plan_id, form=request.form)
    except curation_service.CurationError as exc:
        _flash_all(exc.messages)
        return redirect(url_for("drafts.review", plan_id=plan_id, **_filters()), 303)
    if request.form.get("then") == "apply":
        return _apply(plan_id)
    flash(_pair("审核结果已保存", "review saved"))
    return redirect(url_for("drafts.review", plan_id=plan_id, **_filters()), 303)


def _filters() -> dict:
    return {k: request.form[k] for k in ("kind", "decision") if request.form.get(k)}


@bp.route("/<plan_id>/apply", methods=("POST",))
@admin_required
def apply(plan_id: str):
    _draft_or_404(plan_id)
    return _apply(plan_id)


def _apply(plan_id: str):
    before = get_taxonomy().version
    try:
        result = curation_service.apply(plan_id=plan_id, who=g.user.username)
    except curation_service.CurationError as exc:
        _flash_all(exc.messages)
        return redirect(url_for("drafts.review", plan_id=plan_id), 303)
    audit.record(session=get_session(), action="plan.apply", user=g.user, ip=client_ip(),
                 target=plan_id, detail=f"{len(result['applied'])} proposals; "
                                        f"{before} -> {result['version']}")
    current_matcher()  # the new taxonomy's model is fitted in the background
    flash(_pair(f"已写入 {len(result['applied'])} 条提案，知识库版本 {result['version']}",
                f"{len(result['applied'])} proposals applied, taxonomy version {result['version']}"))
    return redirect(url_for("curate.version_diff", a=before, b=result["version"]), 303)
