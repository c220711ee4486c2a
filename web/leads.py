"""Officers: screen a lead, the pipeline, a lead's page, re-scoring and export."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qsl, quote, urlencode

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import func
from sqlmodel import select

from taxonomy import get_taxonomy
from web.assess import PROFILE_FIELDS, _form_profile
from web.auth import client_ip, login_required
from web.db import get_session
from web.errors import fail
from web.i18n import current_lang, error_text, event_text, source_text
from web.i18n import gettext as _
from web.models import LEAD_STATUSES, Lead, LeadEvent, LeadNote, User
from web.schemas import (
    LeadBulkIn,
    LeadEditIn,
    LeadIn,
    LeadPatch,
    LeadQueryIn,
    ProfileIn,
    form_errors,
)
from web.services import ServiceError, audit
from web.services import lead_duplicates as dup_service
from web.services import leads as lead_service
from web.services.export import export_leads
from web.services.matching import match_profile
from web.validation import explain, texts

bp = Blueprint("leads", __name__, url_prefix="/leads")


def _field_labels(keys: str) -> str:
    from web.validation import label

    side = 0 if current_lang() == "zh" else 1
    shown = [label(k)[side] for k in keys.split(",") if k]
    return ("、" if side == 0 else ", ").join(shown) or _("nothing new")


def _lead_ref(lead_id: str) -> str:
    return f"#{lead_id}"


@bp.app_template_global("lead_event_text")
def lead_event_text(kind: str, detail: str | None, usernames: dict | None = None) -> str:
    """A lead's history entry in words, the pipeline's own kinds (duplicates, edits, bulk
    changes) included; the others as web.i18n.event_text says them."""
    detail = detail or ""
    ids = ", ".join(_lead_ref(i) for i in detail.split(",") if i.isdigit())
    if kind == "linked":
        return _("Linked to lead {ids}", ids=ids)
    if kind == "kept_apart":
        return _("Kept apart from lead {ids} (different companies)", ids=ids)
    if kind == "possible_duplicate":
        return _("Came in looking like lead {ids} (possible duplicate)", ids=ids)
    if kind == "merged":
        parts = detail.split(":")
        if parts[0] == "lead" and len(parts) >= 4:
            return _("Lead {ref} ({name}) merged into this one; added: {fields}",
                     ref=_lead_ref(parts[1]), name=":".join(parts[2:-1]) or "—",
                     fields=_field_labels(parts[-1]))
        return _("A new entry ({source}) merged into this lead; added: {fields}",
                 source=source_text(parts[0]), fields=_field_labels(parts[-1] if len(parts) > 1 else ""))
    if kind == "edited":
        return _("Profile or contacts edited: {fields}", fields=_field_labels(detail))
    return event_text(kind, detail, usernames)


@bp.app_template_filter("local_time")
def local_time(value: dt.datetime | None) -> str:
    """A stored time (UTC) as Shanghai local time, "2026-12-04 18:30" (machine formats keep ISO)."""
    return lead_service.to_shanghai(value).strftime("%Y-%m-%d %H:%M") if value else ""


@bp.route("/screen", methods=("GET", "POST"))
@login_required
def screen():
    if request.method == "GET":
        return render_template("leads/screen.html", form={}, errors=[], record=None)
    raw = _form_profile()
    raw["credit_code"] = request.form.get("credit_code", "")
    try:
        profile = ProfileIn().load(raw)
    except ValidationError as exc:
        return render_template("leads/screen.html", form=raw, errors=form_errors(exc.messages, ProfileIn()),
                               record=None), 422
    profile = {k: v for k, v in profile.items() if v not in (None, "")}
    record = match_profile(session=get_session(), profile=profile)
    errors = [error_text(record)] if "error" in record else []
    return render_template("leads/screen.html", form=raw, errors=errors,
                           record=None if errors else record, lang_repost=True,
                           profile_json=json.dumps(profile, ensure_ascii=False))


@bp.route("/save", methods=("POST",))
@login_required
def save():
    """Save a screened lead. When the pipeline already has the company, the existing leads are
    shown and the officer merges, links or keeps both (nothing is saved until then)."""
    try:
        profile = json.loads(request.form.get("profile_json") or "{}")
        data = LeadIn().load({**profile, "note": request.form.get("note")})
    except (json.JSONDecodeError, ValidationError, TypeError) as exc:
        flash(_("The lead could not be saved: {error}", error=str(exc)))
        return redirect(url_for("leads.screen"))
    session = get_session()
    action = request.form.get("on_duplicate") or None
    target = request.form.get("duplicate_of", "")
    try:
        lead, outcome = dup_service.enter_lead(
            session=session, data=data, user=g.user, source="officer", action=action,
            target_id=int(target) if target.isdigit() else None)
    except dup_service.DuplicateFound as exc:
        owners = {u.id: u.username for u in session.exec(select(User)).all()}
        return render_template("leads/duplicates.html", duplicates=exc.duplicates,
                               profile=profile, profile_json=request.form.get("profile_json"),
                               note=request.form.get("note") or "", owners=owners), 409
    except ServiceError as exc:
        flash(exc.text(current_lang()))
        return redirect(url_for("leads.screen"))
    audit.record(session=session, action="lead.merge" if outcome == "merged" else "lead.create",
                 user=g.user, ip=client_ip(), target=f"lead {lead.id}", detail=outcome)
    flash(SAVED[outcome](lead))
    return redirect(url_for("leads.detail", lead_id=lead.id))


SAVED = {
    "created": lambda lead: _("Lead saved."),
    "merged": lambda lead: _("Merged into lead #{id}: what it lacked was added.", id=lead.id),
    "linked": lambda lead: _("Lead saved and linked to the existing lead."),
    "kept": lambda lead: _("Lead saved; both leads are kept as different companies."),
}


def _lead_or_404(session, lead_id: int):
    try:
        return lead_service.get_lead(session=session, lead_id=lead_id)
    except ServiceError:
        abort(404)


def _query(session) -> tuple[lead_service.LeadQuery | None, list]:
    """The filters of the request, or None and what is wrong with them (FieldErrors)."""
    try:
        args = LeadQueryIn().load(request.args.to_dict())
    except ValidationError as exc:
        return None, explain(exc.messages, LeadQueryIn())
    query = lead_service.LeadQuery(**args)
    errors = lead_service.check_query(session=session, query=query)
    return (None, errors) if errors else (query, [])


@bp.route("/")
@login_required
def index():
    session = get_session()
    query, errors = _query(session)
    leads, total = lead_service.list_leads(session=session, query=query) if query else ([], 0)
    users = session.exec(select(User)).all()
    owners = {u.id: u.username for u in users}
    tx = get_taxonomy()
    sectors = [n for n in tx.industries if n.level == "sector"]
    counts = lead_service.status_counts(session=session, query=query) if query else {}
    return render_template("leads/index.html", leads=leads, total=total, counts=counts,
                           queue=lead_service.queue_count(session=session),
                           assignable=[u for u in users if u.is_active],
                           query=query or lead_service.LeadQuery(), form=request.args,
                           filter_errors=texts(errors, current_lang()),
                           statuses=LEAD_STATUSES, owners=owners, sectors=sectors,
                           districts=tx.districts,
                           overdue={lead.id for lead in leads if lead_service.is_overdue(lead)},
                           flagged=dup_service.flagged_ids(session=session,
                                                            lead_ids=[lead.id for lead in leads])), \
        400 if errors else 200


@bp.route("/export.<fmt>")
@login_required
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    session = get_session()
    query, errors = _query(session)
    if errors:
        fail(400, " ".join(texts(errors, "en")), "".join(texts(errors, "zh")))
    query.page, query.per_page = 1, 100_000
    leads, _total = lead_service.list_leads(session=session, query=query)
    body = export_leads(session=session, leads=leads, fmt=fmt)
    audit.record(session=session, action="lead.export", user=g.user, ip=client_ip(),
                 target=f"{len(leads)} leads", detail=f"{fmt} {json.dumps(query.args(), ensure_ascii=False)}")
    filename = f"线索清单-{dt.date.today().isoformat()}.{fmt}"
    mime = "text/csv; charset=utf-8" if fmt == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime, headers={
        "Content-Disposition": f"attachment; filename=leads.{fmt}; filename*=UTF-8''{quote(filename)}"})


@bp.route("/<int:lead_id>")
@login_required
def detail(lead_id: int):
    session = get_session()
    lead = _lead_or_404(session, lead_id)
    record = lead_service.latest_match(session=session, lead=lead)
    history = lead_service.match_history(session=session, lead=lead)
    notes = session.exec(select(LeadNote).where(LeadNote.lead_id == lead.id)
                         .order_by(LeadNote.id.desc())).all()
    events = session.exec(select(LeadEvent).where(LeadEvent.lead_id == lead.id)
                          .order_by(LeadEvent.id.desc())).all()
    everyone = session.exec(select(User)).all()
    # owners to choose from: the active users, and the current owner even when disabled (else
    # saving a status change would silently unassign the lead)
    users = [u for u in everyone if u.is_active or u.id == lead.owner_id]
    return render_template("leads/detail.html", lead=lead, record=record, history=history,
                           duplicates=dup_service.lead_duplicates(session=session, lead=lead),
                           linked=dup_service.linked_leads(session=session, lead=lead),
                           notes=notes, events=events, users=users, statuses=LEAD_STATUSES,
                           profile=json.loads(lead.profile_json),
                           usernames={u.id: u.username for u in everyone},
                           history_records=[json.loads(h.result_json) for h in history[:10]],
                           current_version=get_taxonomy().version,
                           overdue=lead_service.is_overdue(lead),
                           today=lead_service.shanghai_today().isoformat())


@bp.route("/<int:lead_id>/update", methods=("POST",))
@login_required
def update(lead_id: int):
    session = get_session()
    lead = _lead_or_404(session, lead_id)
    raw = {k: request.form.get(k) for k in ("status", "next_follow_up", "owner_id")
           if k in request.form}
    try:
        changes = LeadPatch().load(raw)
        lead_service.update_lead(session=session, lead=lead, changes=changes, user=g.user)
    except ValidationError as exc:
        flash("; ".join(form_errors(exc.messages)))
        return redirect(url_for("leads.detail", lead_id=lead_id))
    except ServiceError as exc:
        flash(exc.text(current_lang()))
        return redirect(url_for("leads.detail", lead_id=lead_id))
    audit.record(session=session, action="lead.update", user=g.user, ip=client_ip(),
                 target=f"lead {lead.id}", detail=json.dumps(raw, ensure_ascii=False))
    flash(_("Lead updated."))
    return redirect(url_for("leads.detail", lead_id=lead_id))


@bp.route("/<int:lead_id>/notes", methods=("POST",))
@login_required
def note(lead_id: int):
    session = get_session()
    lead = _lead_or_404(session, lead_id)
    try:
        lead_service.add_note(session=session, lead=lead, body=request.form.get("body", ""),
                              user=g.user)
    except ServiceError as exc:
        flash(exc.text(current_lang()))
    else:
        audit.record(session=session, action="lead.note", user=g.user, ip=client_ip(),
                     target=f"lead {lead.id}")
    return redirect(url_for("leads.detail", lead_id=lead_id))


EDIT_FIELDS = ("credit_code", "contact_name", "contact_email", "contact_phone",
               "legal_representative")  # beside the profile form's own (web.assess)


def _edit_form(lead) -> dict:
    """The lead as the edit form's values (lists as "a,b")."""
    profile = json.loads(lead.profile_json)
    form = {k: lead_service._as_text(profile.get(k)) for k in lead_service.PROFILE_KEYS}
    form.update({k: getattr(lead, k) or "" for k in lead_service.CONTACT_KEYS})
    return form


@bp.route("/<int:lead_id>/edit", methods=("GET", "POST"))
@login_required
def edit(lead_id: int):
    """Edit a lead's profile and contacts; a changed profile is scored again."""
    session = get_session()
    lead = _lead_or_404(session, lead_id)
    if request.method == "GET":
        return render_template("leads/edit.html", lead=lead, form=_edit_form(lead), errors=[])
    raw = _form_profile()
    raw.update({k: request.form.get(k, "") for k in EDIT_FIELDS})
    try:
        data = LeadEditIn().load(raw)
        changed = lead_service.edit_lead(session=session, lead=lead, data=data, user=g.user)
    except ValidationError as exc:
        return render_template("leads/edit.html", lead=lead, form=raw,
                               errors=form_errors(exc.messages, LeadEditIn())), 422
    except ServiceError as exc:
        return render_template("leads/edit.html", lead=lead, form=raw,
                               errors=[exc.text(current_lang())]), 422
    if changed:
        audit.record(session=session, action="lead.edit", user=g.user, ip=client_ip(),
                     target=f"lead {lead.id}", detail=",".join(changed))
    flash(_("Lead updated.") if changed else _("Nothing was changed."))
    return redirect(url_for("leads.detail", lead_id=lead.id), 303)


@bp.route("/<int:lead_id>/delete", methods=("GET", "POST"))
@login_required
def delete(lead_id: int):
    """Delete a lead (e.g. on the company's request): a confirmation first, then audited."""
    session = get_session()
    lead = _lead_or_404(session, lead_id)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("leads/delete.html", lead=lead)
    name = lead.name or lead.description[:30]
    lead_service.delete_lead(session=session, lead=lead)
    audit.record(session=session, action="lead.delete", user=g.user, ip=client_ip(),
                 target=f"lead {lead_id}", detail=name)
    flash(_("Lead #{id} ({name}) was deleted with its notes and history.", id=lead_id, name=name))
    return redirect(url_for("leads.index"), 303)


def _back_to_pipeline():
    """The pipeline with the filters it was showing (carried in the form as `back`)."""
    pairs = [(k, v) for k, v in parse_qsl(request.form.get("back", "")) if k in PIPELINE_ARGS]
    return redirect(url_for("leads.index") + ("?" + urlencode(pairs) if pairs else ""), 303)


PIPELINE_ARGS = (*lead_service.LeadQuery.FILTERS, "sort", "page", "lang")


@bp.route("/bulk", methods=("POST",))
@login_required
def bulk():
    """Set the status and/or owner of the leads ticked in the pipeline."""
    session = get_session()
    raw = {"lead_id": [v for v in request.form.getlist("lead_id") if v],
           "status": request.form.get("status", ""), "owner": request.form.get("owner", "")}
    try:
        data = LeadBulkIn().load(raw)
        moved = lead_service.bulk_update(session=session, lead_ids=data["lead_id"], user=g.user,
                                         status=data.get("status"), owner=data.get("owner"))
    except ValidationError as exc:
        flash(" ".join(form_errors(exc.messages, LeadBulkIn())))
        return _back_to_pipeline()
    except ServiceError as exc:
        flash(exc.text(current_lang()))
        return _back_to_pipeline()
    audit.record(session=session, action="lead.bulk_update", user=g.user, ip=client_ip(),
                 target=f"{len(data['lead_id'])} leads",
                 detail=json.dumps({"status": data.get("status"), "owner": data.get("owner"),
                                    "leads": data["lead_id"][:200]}))
    flash(_("{n} of {m} leads changed.", n=moved, m=len(data["lead_id"])))
    return _back_to_pipeline()


@bp.route("/<int:lead_id>/duplicate", methods=("POST",))
@login_required
def duplicate(lead_id: int):
    """Settle a possible duplicate shown on a lead's page: merge this lead into the other one,
    link the two, or keep both as different companies."""
    session = get_session()
    lead = _lead_or_404(session, lead_id)
    other_id = request.form.get("other_id", "")
    action = request.form.get("action", "")
    other = session.get(Lead, int(other_id)) if other_id.isdigit() and int(other_id) < 2**31 else None
    if other is None or action not in dup_service.DUPLICATE_ACTIONS:
        flash(_("Choose one of the duplicates shown."))
        return redirect(url_for("leads.detail", lead_id=lead.id))
    try:
        if action == "merge":
            target = dup_service.merge_leads(session=session, source=lead, target=other, user=g.user)
            audit.record(session=session, action="lead.merge", user=g.user, ip=client_ip(),
                         target=f"lead {target.id}", detail=f"lead {lead_id} merged into it")
            flash(_("Merged into lead #{id}: what it lacked was added.", id=target.id))
            return redirect(url_for("leads.detail", lead_id=target.id), 303)
        if action == "link":
            dup_service.link_leads(session=session, lead=lead, other=other, user=g.user)
            flash(_("The two leads are linked."))
        else:
            dup_service.keep_apart(session=session, lead=lead, other=other, user=g.user)
            flash(_("Both leads are kept as different companies."))
    except ServiceError as exc:
        flash(exc.text(current_lang()))
    audit.record(session=session, action=f"lead.{action}", user=g.user, ip=client_ip(),
                 target=f"lead {lead_id}", detail=f"lead {other.id}")
    return redirect(url_for("leads.detail", lead_id=lead.id))


@bp.route("/<int:lead_id>/rescore", methods=("POST",))
@login_required
def rescore(lead_id: int):
    session = get_session()
    lead = _lead_or_404(session, lead_id)
    move = lead_service.rescore_lead(session=session, lead=lead, user=g.user)
    audit.record(session=session, action="lead.rescore", user=g.user, ip=client_ip(),
                 target=f"lead {lead.id}")
    flash(_("Re-scored.") + (" " + _("The top match changed.") if move["changed"] else ""))
    return redirect(url_for("leads.detail", lead_id=lead_id))


@bp.route("/rescore-all", methods=("GET", "POST"))
@login_required
def rescore_all():
    """Two steps: a confirmation page (GET, or a POST without confirm=yes), then the re-scoring,
    whose outcome is shown by a GET of the history (POST-redirect-GET)."""
    session = get_session()
    if request.method == "GET" or request.form.get("confirm") != "yes":
        count = session.exec(select(func.count()).select_from(Lead)).one()
        return render_template("leads/rescore_confirm.html", count=count,
                               version=get_taxonomy().version)
    after = lead_service.last_match_id(session=session)
    moves = lead_service.rescore_all(session=session, user=g.user)
    audit.record(session=session, action="lead.rescore_all", user=g.user, ip=client_ip(),
                 target=f"{len(moves)} leads")
    return redirect(url_for("leads.rescored", after=after,
                            upto=lead_service.last_match_id(session=session)), 303)


@bp.route("/rescored")
@login_required
def rescored():
    """What a re-scoring run changed, read back from the leads' history."""
    after, upto = request.args.get("after", ""), request.args.get("upto", "")
    if not (after.isdigit() and upto.isdigit()):
        abort(404)
    moves = lead_service.rescore_report(session=get_session(), after_id=int(after),
                                        upto_id=int(upto))
    return render_template("leads/rescored.html", moves=moves,
                           changed=[m for m in moves if m["changed"]])


__all__ = ["PROFILE_FIELDS", "bp"]
