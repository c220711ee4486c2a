"""Public self-assessment for companies (no login): match, printable report, opt-in submission."""

from __future__ import annotations

import json

from flask import Blueprint, render_template, request
from marshmallow import ValidationError

from web.auth import client_ip
from web.db import get_session
from web.errors import fail
from web.i18n import error_text
from web.ratelimit import throttle_caller
from web.schemas import ProfileIn, SubmitIn, form_errors
from web.services import ServiceError, audit
from web.services.leads import create_lead
from web.services.matching import match_profile

bp = Blueprint("assess", __name__, url_prefix="/assess")
PROFILE_FIELDS = ("name", "description", "project_type", "investment", "land", "employees",
                  "origin", "traits", "preferred_districts")


def throttle_public() -> None:
    """The public per-address limit; a caller with a valid API token has its own."""
    throttle_caller()


def _form_profile() -> dict:
    data = {k: request.form.get(k, "") for k in PROFILE_FIELDS}
    data["traits"] = ",".join(request.form.getlist("traits")) or None
    return data


@bp.route("", methods=("GET", "POST"))
def form():
    if request.method == "GET":
        return render_template("assess/form.html", form={}, errors=[])
    throttle_public()
    raw = _form_profile()
    try:
        profile = ProfileIn().load(raw)
    except ValidationError as exc:
        return render_template("assess/form.html", form=raw, errors=form_errors(exc.messages, ProfileIn())), 422
    profile = {k: v for k, v in profile.items() if v not in (None, "")}
    record = match_profile(session=get_session(), profile=profile)
    if "error" in record:
        return render_template("assess/form.html", form=raw, errors=[error_text(record)]), 422
    return render_template("assess/result.html", record=record, profile=profile,
                           profile_json=json.dumps(profile, ensure_ascii=False))


@bp.route("/submit", methods=("POST",))
def submit():
    throttle_public()
    try:
        profile = json.loads(request.form.get("profile_json") or "{}")
    except json.JSONDecodeError:
        fail(400, "The profile could not be read; please assess again.", "无法读取企业资料，请重新评估。")
    if not isinstance(profile, dict):
        fail(400, "The profile could not be read; please assess again.", "无法读取企业资料，请重新评估。")
    raw = {**{k: profile.get(k) for k in PROFILE_FIELDS},
           "contact_name": request.form.get("contact_name"),
           "contact_email": request.form.get("contact_email"),
           "contact_phone": request.form.get("contact_phone"),
           "consent": request.form.get("consent") or False}
    try:
        data = SubmitIn().load(raw)
    except ValidationError as exc:
        record = match_profile(session=get_session(), profile=profile) if profile.get("description") else None
        return render_template("assess/result.html", record=record, profile=profile,
                               profile_json=json.dumps(profile, ensure_ascii=False),
                               submit_errors=form_errors(exc.messages, SubmitIn()), contact=raw), 422
    session = get_session()
    try:
        lead = create_lead(session=session, data={**data, "consent": True}, source="public")
    except ServiceError as exc:
        fail(400, exc.message, exc.zh)
    audit.record(session=session, action="lead.public_submit", ip=client_ip(),
                 target=f"lead {lead.id}")
    return render_template("assess/thanks.html", lead=lead)
