"""Public self-assessment for companies (no login): match, printable report, opt-in submission."""

from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import ValidationError

from web.auth import client_ip
from web.db import get_session
from web.errors import fail
from web.i18n import error_text
from web.ratelimit import throttle_caller
from web.schemas import ProfileIn, SubmitIn, form_errors
from web.services import ServiceError, audit
from web.services.lead_duplicates import enter_lead
from web.services.matching import match_profile

bp = Blueprint("assess", __name__, url_prefix="/assess")
PROFILE_FIELDS = ("name", "description", "project_type", "investment", "land", "employees",
                  "origin", "traits", "preferred_districts", "address", "industry_label", "lead_kind")


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
    return _result(record, profile)


SHANGHAI = dt.timezone(dt.timedelta(hours=8), "CST")  # no daylight saving time


def _result(record, profile: dict, status: int = 200, **extra):
    """The result page: the record, what was entered, the date; the language switch shows the
    same result again (lang_repost)."""
    return render_template("assess/result.html", record=record, profile=profile,
                           profile_json=json.dumps(profile, ensure_ascii=False),
                           assessed_on=dt.datetime.now(SHANGHAI).date().isoformat(),
                           again=_again_fields(profile), lang_repost=True, **extra), status


def _again_fields(profile: dict) -> dict:
    """The profile as the form's fields (for "assess again")."""
    out = {}
    for key in PROFILE_FIELDS:
        value = profile.get(key)
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        out[key] = "" if value is None else str(value)
    return out


@bp.route("/edit", methods=("POST",))
def edit():
    """"Assess again": the form filled with what was entered."""
    raw = _form_profile()
    raw["traits"] = request.form.get("traits") or raw["traits"]
    return render_template("assess/form.html", form=raw, errors=[])


@bp.route("/thanks/<int:lead_id>")
def thanks(lead_id: int):
    """After a submission (POST-redirect-GET): the reference number to quote."""
    return render_template("assess/thanks.html", ref=lead_id)


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
        return _result(record, profile, 422, contact=raw,
                       submit_errors=form_errors(exc.messages, SubmitIn()))
    session = get_session()
    try:
        lead, outcome = enter_lead(session=session, data={**data, "consent": True}, user=None,
                                   source="public")  # a duplicate is flagged for officers only
    except ServiceError as exc:
        fail(400, exc.message, exc.zh)
    audit.record(session=session, action="lead.public_submit", ip=client_ip(),
                 target=f"lead {lead.id}", detail=outcome)
    return redirect(url_for("assess.thanks", lead_id=lead.id), code=303)
