"""Batch-scoring jobs through the JSON API (officer token): upload, status, cancel, results.

Registered on the API blueprint `web.api.blp`; imported by `web.api.init_app`."""

from __future__ import annotations

from flask import current_app, g, request, url_for
from flask_smorest import abort
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from web.api import blp
from web.auth import client_ip, login_required
from web.db import get_session
from web.services import NotFound, ServiceError, audit
from web.services import jobs as job_service


class JobUploadIn(Schema):
    """multipart/form-data: the file, and optionally the encoding (a form field)."""

    file = Upload(required=True, metadata={"description": "the lead list: .csv (UTF-8, "
                                           "UTF-8 with BOM, GBK, GB18030; comma, tab or "
                                           "semicolon), .xlsx or .jsonl"})
    encoding = fields.String(load_default=None, allow_none=True,
                             validate=validate.OneOf([*job_service.ENCODINGS, ""]),
                             metadata={"description": "override the detected text encoding: "
                                       + ", ".join(job_service.ENCODINGS)})
    header_row = fields.String(load_default=None, allow_none=True,
                               metadata={"description": "the file's row (1, 2, ...) that holds "
                                         "the column headers; default auto: the first row that "
                                         "maps to known headers, below any title or blank "
                                         "line (a form field)"})


class ResultQueryIn(Schema):
    format = fields.String(load_default="csv",
                           validate=validate.OneOf(list(job_service.RESULT_FILES)),
                           metadata={"description": "csv, xlsx, jsonl (one list record per "
                                     "line), catalogue (what the list records refer to: "
                                     "citations, reasons, policy texts) or errors (the rows "
                                     "that could not be scored, as CSV)"})


class RecordQueryIn(Schema):
    detail = fields.String(load_default="full", validate=validate.OneOf(["full", "list"]),
                           metadata={"description": "full (default): the §5 record with every "
                                     "citation and text; list: the row's line of result.jsonl"})


class JobOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "queued, running, done, failed, cancelled"})
    filename = fields.String()
    rows_total = fields.Integer(allow_none=True)
    rows_done = fields.Integer()
    rows_failed = fields.Integer()
    percent = fields.Float()
    rate = fields.Float(allow_none=True, metadata={"description": "rows per second"})
    eta_seconds = fields.Integer(allow_none=True)
    cancel_requested = fields.Boolean()
    error = fields.String(allow_none=True)
    encoding = fields.String(allow_none=True)
    taxonomy_version = fields.String(allow_none=True, metadata={
        "description": "taxonomy version: current at submission while queued; the one every "
                       "row is scored on once the job runs (the records and catalogue carry it)"})
    header_row = fields.Integer(allow_none=True, metadata={"description": "the file's row with "
                                                           "the column headers"})
    kind = fields.String()
    mapping = fields.Dict()
    created_at = fields.String(allow_none=True)
    started_at = fields.String(allow_none=True)
    finished_at = fields.String(allow_none=True)
    links = fields.Dict()


class JobListOut(Schema):
    items = fields.List(fields.Nested(JobOut))


def _out(job) -> dict:
    body = job_service.progress(job)
    body["mapping"] = job_service.mapping_of(job)
    body["links"] = {"self": url_for("api.jobs_get", job_id=job.id),
                     "page": url_for("batch.detail", job_id=job.id)}
    if job.status == "done":
        body["links"].update({fmt: url_for("api.jobs_result", job_id=job.id, format=fmt)
                              for fmt in job_service.RESULT_FILES})
    return body


def _job(job_id: int):
    try:
        return job_service.get_job(session=get_session(), job_id=job_id, user=g.user)
    except NotFound as exc:
        abort(404, message=exc.message)


@blp.route("/jobs", methods=["POST"])
@login_required
@blp.arguments(JobUploadIn(), location="files")
@blp.response(202, JobOut)
@blp.alt_response(422, description="the file cannot be read; the message says why")
def jobs_create(files):
    """Upload a lead list to score in the background; returns at once with the job's id.

    The header row is found below any title line (or give `header_row`), the columns are mapped
    automatically (English or Chinese headers); poll GET /jobs/{id}. A refusal's `message` is
    English, `errors.message_zh` the same in Chinese."""
    encoding = (request.form.get("encoding") or "").strip() or None
    if encoding is not None and encoding not in job_service.ENCODINGS:
        abort(422, message=f"encoding must be one of {', '.join(job_service.ENCODINGS)}",
              errors={"form": {"encoding": ["unknown encoding"]},
                      "message_zh": "encoding 须为以下之一：" + "、".join(job_service.ENCODINGS)})
    header_row = (request.form.get("header_row") or "").strip().lower()
    if header_row in ("", "auto"):
        header_row = None
    elif header_row.isdigit() and int(header_row) >= 1:
        header_row = int(header_row)
    else:
        abort(422, message="header_row must be a row number (1, 2, ...) or auto",
              errors={"form": {"header_row": ["not a row number"]},
                      "message_zh": "header_row 须为行号（1、2……）或 auto"})
    session = get_session()
    cfg = current_app.config
    try:
        job = job_service.create_job(
            session=session, base=job_service.jobs_dir(cfg), stream=files["file"].stream,
            filename=files["file"].filename or "", owner_id=g.user.id,
            encoding=encoding, header_row=header_row, source="api", queue=True,
            chunk_size=job_service.setting(cfg, "JOB_CHUNK_SIZE", 1000))
    except ServiceError as exc:
        abort(exc.status if exc.status >= 400 else 422, message=exc.message,
              errors={"files": {exc.field or "file": [exc.message]},
                      "message_zh": job_service.message_in(exc, "zh")})
    audit.record(session=session, action="job.upload", user=g.user, ip=client_ip(),
                 target=f"job {job.id}", detail=f"api {job.filename}")
    return _out(job)


@blp.route("/jobs", methods=["GET"])
@login_required
@blp.response(200, JobListOut)
def jobs_list():
    """Your jobs, newest first (an admin sees everyone's)."""
    return {"items": [_out(j) for j in job_service.list_jobs(session=get_session(), user=g.user)]}


@blp.route("/jobs/<int:job_id>", methods=["GET"])
@login_required
@blp.response(200, JobOut)
def jobs_get(job_id):
    """A job's status and progress: rows_done of rows_total, rate, ETA."""
    return _out(_job(job_id))


@blp.route("/jobs/<int:job_id>/cancel", methods=["POST"])
@login_required
@blp.response(200, JobOut)
def jobs_cancel(job_id):
    """Cancel a job: at once when queued, after the current chunk when running."""
    session = get_session()
    job = job_service.request_cancel(session=session, job=_job(job_id))
    audit.record(session=session, action="job.cancel", user=g.user, ip=client_ip(),
                 target=f"job {job.id}")
    return _out(job)


@blp.route("/jobs/<int:job_id>/result", methods=["GET"])
@login_required
@blp.arguments(ResultQueryIn(), location="query")
@blp.alt_response(200, description="the result file (attachment)")
@blp.alt_response(409, description="the job is not done")
def jobs_result(args, job_id):
    """Download the results: format=csv (default), xlsx, jsonl (one §5 record per line) or
    errors."""
    from web.batch import send_result

    job = _job(job_id)
    try:
        return send_result(job, args["format"])
    except ServiceError as exc:
        abort(exc.status, message=exc.message)


@blp.route("/jobs/<int:job_id>/records/<int:row>", methods=["GET"])
@login_required
@blp.arguments(RecordQueryIn(), location="query")
@blp.alt_response(200, description="one row's record")
@blp.alt_response(404, description="no such job or row")
@blp.alt_response(409, description="the job is not done")
def jobs_record(args, job_id, row):
    """One row of a finished job: its full §5 record (the list record resolved with the job's
    catalogue), or with detail=list its list record."""
    job = _job(job_id)
    if job.status != "done":
        abort(409, message=f"the job is {job.status}; results are ready when it is done")
    folder = job_service.job_folder(job_service.jobs_dir(current_app.config), job)
    found = job_service.records_for(folder, {row}, full=args["detail"] == "full").get(row)
    if found is None:
        abort(404, message=f"row {row} not found in the results of job {job.id}")
    return found
