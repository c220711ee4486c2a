"""JSON API under /api/v1 (flask-smorest: marshmallow bodies, OpenAPI 3 document)."""

from __future__ import annotations

import json

from flask import g, jsonify, render_template
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import Schema, fields

from taxonomy import get_taxonomy, to_json
from web.assess import throttle_public
from web.auth import client_ip, csrf_exempt, login_required
from web.db import get_session
from web.jsonio import PlainDump
from web.schemas import BatchMatchIn, LeadIn, LeadPatch, LeadQueryIn, NoteIn, ProfileIn
from web.services import NotFound, ServiceError, audit
from web.services import lead_duplicates as dup_service
from web.services import leads as lead_service
from web.services.matching import match_profile, match_profiles

blp = ApiBlueprint("api", __name__, url_prefix="/api/v1",
                   description="Match profiles, manage leads, read the taxonomy.")


class MatchRecord(Schema):
    row = fields.Integer()
    name = fields.String()
    taxonomy_version = fields.String()
    industries = fields.List(fields.Dict())
    districts = fields.List(fields.Dict())
    parks = fields.List(fields.Dict())
    policies = fields.List(fields.Dict())
    confidence = fields.Float()
    needs_review = fields.Boolean()
    warnings = fields.List(fields.String(), metadata={"description": "English"})
    warnings_zh = fields.List(fields.String(), metadata={"description": "the same, in Chinese"})
    parsed = fields.Dict()
    error = fields.String(metadata={"description": "field: message (English)"})
    field = fields.String(metadata={"description": "the field an error names"})
    error_en = fields.String()
    error_zh = fields.String()


class BatchOut(Schema):
    results = fields.List(fields.Nested(MatchRecord))


_dump_record = PlainDump(MatchRecord())  # what @blp.response(200, MatchRecord) would write


class LeadOut(Schema):
    id = fields.Integer()
    name = fields.String()
    credit_code = fields.String(allow_none=True)
    description = fields.String()
    status = fields.String()
    source = fields.String()
    owner_id = fields.Integer(allow_none=True)
    next_follow_up = fields.Date(allow_none=True)
    top_industry_id = fields.String()
    top_industry_name = fields.String()
    top_district_code = fields.String()
    top_district_name = fields.String()
    confidence = fields.Float()
    taxonomy_version = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    profile = fields.Method("_profile")
    match = fields.Method("_match")

    def _profile(self, lead):
        return json.loads(lead.profile_json)

    def _match(self, lead):
        return getattr(lead, "match_record", None)


class _LeadWithMatch:
    """A lead seen together with its latest match record, for LeadOut."""

    def __init__(self, lead, match_record):
        self._lead = lead
        self.match_record = match_record

    def __getattr__(self, name):
        return getattr(self._lead, name)


class LeadPage(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(LeadOut))


class NoteOut(Schema):
    id = fields.Integer()
    lead_id = fields.Integer()
    body = fields.String()
    created_at = fields.DateTime()


def _service_error(exc: ServiceError):
    from flask_smorest import abort

    abort(exc.status, message=exc.message, message_zh=exc.zh,
          errors={"json": {exc.field: [exc.message]}} if exc.field else None)


@blp.route("/match", methods=["POST"])
@csrf_exempt
@blp.arguments(ProfileIn())
@blp.response(200, MatchRecord)
@blp.alt_response(422, description="a field is invalid; errors name the field")
@blp.alt_response(429, description="rate limit exceeded")
def match(profile):
    """Match one profile (public, rate-limited)."""
    throttle_public()
    record = match_profile(session=None,  # the engine needs no database session
                           profile={k: v for k, v in profile.items() if v is not None})
    return jsonify(_dump_record(record))  # a Response: flask-smorest sends it as it is


@blp.route("/match/batch", methods=["POST"])
@csrf_exempt
@blp.arguments(BatchMatchIn())
@blp.response(200, BatchOut)
def match_batch(body):
    """Match up to 500 profiles at once (public, rate-limited); results in input order."""
    throttle_public()
    profiles = [{k: v for k, v in p.items() if v is not None} for p in body["profiles"]]
    records = match_profiles(session=get_session(), profiles=profiles)
    return jsonify({"results": [_dump_record(r) for r in records]})  # = BatchOut's dump


@blp.route("/leads", methods=["GET"])
@login_required
@blp.arguments(LeadQueryIn(), location="query")
@blp.response(200, LeadPage)
def leads_list(args):
    """List leads (officer token): search q, filters status/sector/industry/district, sort."""
    query = lead_service.LeadQuery(**args)
    items, total = lead_service.list_leads(session=get_session(), query=query)
    return {"total": total, "page": query.page, "per_page": query.per_page, "items": items}


@blp.route("/leads", methods=["POST"])
@login_required
@blp.arguments(LeadIn())
@blp.response(201, LeadOut)
def leads_create(data):
    """Create a lead from a profile; it is scored at once. When the pipeline already has the
    company (same credit code or a similar name): 409 listing the duplicates, unless
    `on_duplicate` says merge (into `duplicate_of`, default the best), link or keep."""
    session = get_session()
    action, target = data.pop("on_duplicate", None), data.pop("duplicate_of", None)
    try:
        lead, _outcome = dup_service.enter_lead(session=session, data=data, user=g.user,
                                                 source="api", action=action, target_id=target)
    except dup_service.DuplicateFound as exc:
        from flask_smorest import abort

        abort(409, message=exc.message, message_zh=exc.zh, errors={
            "json": {"on_duplicate": [exc.message]},
            "duplicates": [{"id": d.lead.id, "name": d.lead.name, "credit_code": d.lead.credit_code,
                            "reason": d.reason, "score": d.score} for d in exc.duplicates]})
    except ServiceError as exc:
        _service_error(exc)
    audit.record(session=session, action="lead.create", user=g.user, ip=client_ip(),
                 target=f"lead {lead.id}")
    return lead


def _lead(lead_id: int):
    try:
        return lead_service.get_lead(session=get_session(), lead_id=lead_id)
    except NotFound as exc:
        _service_error(exc)


@blp.route("/leads/<int:lead_id>", methods=["GET"])
@login_required
@blp.response(200, LeadOut)
def leads_get(lead_id):
    """One lead with its profile and latest match."""
    lead = _lead(lead_id)
    return _LeadWithMatch(lead, lead_service.latest_match(session=get_session(), lead=lead))


@blp.route("/leads/<int:lead_id>", methods=["PATCH"])
@login_required
@blp.arguments(LeadPatch())
@blp.response(200, LeadOut)
def leads_patch(changes, lead_id):
    """Change status, owner or next follow-up date."""
    session = get_session()
    lead = _lead(lead_id)
    try:
        lead = lead_service.update_lead(session=session, lead=lead, changes=changes, user=g.user)
    except ServiceError as exc:
        _service_error(exc)
    audit.record(session=session, action="lead.update", user=g.user, ip=client_ip(),
                 target=f"lead {lead.id}", detail=json.dumps(changes, default=str))
    return lead


@blp.route("/leads/<int:lead_id>", methods=["DELETE"])
@login_required
@blp.response(204)
def leads_delete(lead_id):
    """Delete a lead and its history (scorings, notes, events, recorded outcome)."""
    session = get_session()
    lead_service.delete_lead(session=session, lead=_lead(lead_id))
    audit.record(session=session, action="lead.delete", user=g.user, ip=client_ip(),
                 target=f"lead {lead_id}")


@blp.route("/leads/<int:lead_id>/notes", methods=["POST"])
@login_required
@blp.arguments(NoteIn())
@blp.response(201, NoteOut)
def leads_note(data, lead_id):
    """Add a note to a lead."""
    session = get_session()
    lead = _lead(lead_id)
    note = lead_service.add_note(session=session, lead=lead, body=data["body"], user=g.user)
    audit.record(session=session, action="lead.note", user=g.user, ip=client_ip(),
                 target=f"lead {lead.id}")
    return note


@blp.route("/leads/<int:lead_id>/rescore", methods=["POST"])
@login_required
@blp.response(200, MatchRecord)
def leads_rescore(lead_id):
    """Score a lead again on the current taxonomy."""
    session = get_session()
    lead = _lead(lead_id)
    lead_service.rescore_lead(session=session, lead=lead, user=g.user)
    audit.record(session=session, action="lead.rescore", user=g.user, ip=client_ip(),
                 target=f"lead {lead.id}")
    return lead_service.latest_match(session=session, lead=lead)


class TaxonomyOut(Schema):
    taxonomy_version = fields.String()
    counts = fields.Dict()
    items = fields.List(fields.Dict())


@blp.route("/taxonomy/<kind>", methods=["GET"])
@blp.response(200, TaxonomyOut)
def taxonomy_read(kind):
    """Read the taxonomy: kind = plans, industries, districts, zones, relations or policies."""
    from flask_smorest import abort

    doc = to_json(get_taxonomy())
    if kind not in ("plans", "industries", "districts", "zones", "relations", "policies"):
        abort(404, message=f"unknown taxonomy kind {kind!r}")
    return {"taxonomy_version": doc["taxonomy_version"], "counts": doc["counts"], "items": doc[kind]}


class ErrorSchema(Schema):
    """The body of every API error (written by web._errors); documented as it is sent."""

    error = fields.String(metadata={"description": "HTTP status name, e.g. Not Found"})
    code = fields.Integer(metadata={"description": "HTTP status code"})
    message = fields.String(metadata={"description": "what went wrong, for a person (English)"})
    message_zh = fields.String(metadata={"description": "the same, in Chinese"})
    title = fields.String(metadata={"description": "a short title (English)"})
    title_zh = fields.String()
    errors = fields.Dict(metadata={"description": "per location and field (the machine-readable "
                                   "keys), readable English messages, e.g. "
                                   "{\"json\": {\"description\": [\"...\"]}}"})
    details = fields.List(fields.Dict(), metadata={
        "description": "one item per problem: field, code (required, too_long, choice, range, "
                       "invalid, consent ...), message (English), message_zh"})


class _Api(Api):
    ERROR_SCHEMA = ErrorSchema


def init_app(app) -> None:
    # batch-job and plan-library endpoints live on the same blueprint
    import web.api_jobs
    import web.api_plans  # noqa: F401

    api = _Api(app, spec_kwargs={"info": {"description": "Every result carries its reasons and "
                                         "the plan clauses it rests on."}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(blp)

    @app.route("/api/v1/docs")
    def api_docs():
        return render_template("api/docs.html")


__all__ = ["ProfileIn", "blp", "init_app"]
