"""Officers: score a whole lead list in the background (upload, mapping, progress, results,
import into the pipeline). The work itself is done by the worker (web/worker.py)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import click
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from matcher.errors import InputFileError
from web.auth import client_ip, login_required
from web.db import get_session
from web.i18n import current_lang
from web.i18n import gettext as _
from web.services import NotFound, ServiceError, audit, dedup
from web.services import jobs as job_service

bp = Blueprint("batch", __name__, url_prefix="/batch", cli_group=None)

MIME = {"csv": "text/csv; charset=utf-8", "errors": "text/csv; charset=utf-8",
        "jsonl": "application/x-ndjson; charset=utf-8", "catalogue": "application/json",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
@bp.context_processor
def _labels():
    return {"field_label": lambda f: job_service.field_label(f, current_lang())}


def _base() -> Path:
    return job_service.jobs_dir(current_app.config)


def _job(job_id: int):
    try:
        return job_service.get_job(session=get_session(), job_id=job_id, user=g.user)
    except NotFound:
        abort(404)


def _chunk_size() -> int:
    return job_service.setting(current_app.config, "JOB_CHUNK_SIZE", 1000)


@bp.route("/")
@login_required
def index():
    session = get_session()
    jobs = job_service.list_jobs(session=session, user=g.user)
    owners = {}
    if g.user.role == "admin":
        from sqlmodel import select

        from web.models import User

        owners = {u.id: u.username for u in session.exec(select(User)).all()}
    return render_template("batch/index.html", jobs=jobs, owners=owners,
                           progress={j.id: job_service.progress(j) for j in jobs})


@bp.route("/new", methods=("GET", "POST"))
@login_required
def upload():
    if request.method == "GET":
        return render_template("batch/upload.html", encodings=job_service.ENCODINGS, error=None)
    file = request.files.get("file")
    encoding = (request.form.get("encoding") or "").strip() or None
    if encoding and encoding not in job_service.ENCODINGS:
        encoding = None
    if file is None or not file.filename:
        return render_template("batch/upload.html", encodings=job_service.ENCODINGS,
                               error=_("Choose a CSV or Excel file.")), 422
    session = get_session()
    try:
        job = job_service.create_job(session=session, base=_base(), stream=file.stream,
                                     filename=file.filename, owner_id=g.user.id,
                                     encoding=encoding, chunk_size=_chunk_size())
    except ServiceError as exc:
        return render_template("batch/upload.html", encodings=job_service.ENCODINGS,
                               error=_message(exc)), exc.status if exc.status >= 400 else 422
    audit.record(session=session, action="job.upload", user=g.user, ip=client_ip(),
                 target=f"job {job.id}", detail=job.filename)
    return redirect(url_for("batch.mapping", job_id=job.id))


def _message(exc: Exception) -> str:
    """A file or job error in the interface language."""
    return job_service.message_in(exc, current_lang())


def _mapping_context(job, *, mapping=None, encoding=None, errors=None):
    """Everything the mapping page shows: header row, columns, preview, validation report."""
    base = _base()
    path = job_service.input_path(base, job)
    encoding = encoding if encoding is not None else job.encoding
    ctx = {"job": job, "encodings": job_service.ENCODINGS, "fields": job_service.FIELDS,
           "errors": list(errors or []), "encoding": encoding, "top": [], "header_row": None,
           "detected_header_row": None, "headers": [], "mapping": {}, "preview": [],
           "report": None, "fatal": None, "samples": {}, "can_start": False,
           "encoding_warning": None}
    try:
        lead, detected = job_service.inspect_upload(path, encoding, job.header_row)
    except InputFileError as exc:
        ctx["errors"].append(_message(exc))
        return ctx
    ctx["top"], ctx["header_row"] = job_service.top_rows(lead), lead.header_row
    ctx["detected_header_row"] = lead.detected_header_row
    if job.kind != "xlsx" and encoding and detected and \
            not job_service.same_family(encoding, detected):
        ctx["encoding_warning"] = _(
            "The file looks like {detected}; reading it as {encoding} may garble the text. "
            "Check the preview below.", detected=detected, encoding=encoding)
    mapping = mapping if mapping is not None else (job_service.mapping_of(job) or lead.mapping)
    ctx["headers"], ctx["mapping"] = lead.headers, mapping
    ctx["preview"] = [(n, c if isinstance(c, list) else _message(c))
                      for n, c in job_service.preview_rows(lead, 10)]
    for _number, cells in ctx["preview"]:
        if isinstance(cells, list):
            for h, v in zip(lead.headers, cells, strict=False):
                if v and len(ctx["samples"].setdefault(h, [])) < 2:
                    ctx["samples"][h].append(v)
    if "description" in mapping.values():
        lead.mapping = mapping
        ctx["report"] = job_service.validate_file(lead)
        ctx["can_start"] = not ctx["errors"] and ctx["report"].fatal is None
        if ctx["report"].fatal is not None:
            ctx["fatal"] = _message(ctx["report"].fatal)
    else:
        ctx["errors"].append(_("No column is mapped to the description; choose one."))
    return ctx


@bp.route("/<int:job_id>/mapping", methods=("GET", "POST"))
@login_required
def mapping(job_id: int):
    job = _job(job_id)
    if job.status != "draft":
        return redirect(url_for("batch.detail", job_id=job.id))
    if request.method == "GET":
        return render_template("batch/mapping.html", **_mapping_context(job))
    session = get_session()
    encoding = (request.form.get("encoding") or "").strip() or None
    if encoding and encoding not in job_service.ENCODINGS:
        encoding = None
    if job.kind == "xlsx":
        encoding = None
    elif encoding is None:
        encoding = job.detected_encoding
    path = job_service.input_path(_base(), job)
    try:
        lead, _detected = job_service.inspect_upload(path, encoding, job.header_row)
        header_row = job_service.header_row_from_form(request.form, lead)
        if encoding != job.encoding or header_row != lead.header_row:
            # another encoding or header row changes the headers: map them afresh
            lead, _detected = job_service.inspect_upload(path, encoding, header_row)
    except (InputFileError, ServiceError) as exc:
        return render_template("batch/mapping.html",
                               **_mapping_context(job, encoding=encoding,
                                                  errors=[_message(exc)])), 422
    if encoding != job.encoding or header_row != job.header_row:
        changed = [_("The file is now read as {encoding}.", encoding=encoding)] \
            if encoding != job.encoding else []
        if header_row != job.header_row:
            changed.append(_("The column headers are now taken from row {n}.", n=header_row))
        job.encoding, job.header_row = encoding, header_row
        job.mapping_json = json.dumps(lead.mapping, ensure_ascii=False)
        session.add(job)
        session.commit()
        flash(" ".join([*changed, _("Check the columns and the preview.")]))
        return redirect(url_for("batch.mapping", job_id=job.id))
    try:
        mapping = job_service.mapping_from_form(lead.headers, request.form)
    except ServiceError as exc:
        raw = {h: request.form.get(f"col-{i}") for i, h in enumerate(lead.headers)
               if request.form.get(f"col-{i}")}
        return render_template("batch/mapping.html",
                               **_mapping_context(job, mapping=raw, encoding=encoding,
                                                  errors=[_message(exc)])), 422
    if request.form.get("action") == "start":
        ctx = _mapping_context(job, mapping=mapping, encoding=encoding)
        if not ctx["can_start"]:
            return render_template("batch/mapping.html", **ctx), 422
        job_service.start_job(session=session, job=job, mapping=mapping, encoding=encoding)
        audit.record(session=session, action="job.start", user=g.user, ip=client_ip(),
                     target=f"job {job.id}", detail=json.dumps(mapping, ensure_ascii=False))
        return redirect(url_for("batch.detail", job_id=job.id))
    job.mapping_json = json.dumps(mapping, ensure_ascii=False)
    job.encoding = encoding
    session.add(job)
    session.commit()
    return redirect(url_for("batch.mapping", job_id=job.id))


@bp.route("/<int:job_id>")
@login_required
def detail(job_id: int):
    job = _job(job_id)
    if job.status == "draft":
        return redirect(url_for("batch.mapping", job_id=job.id))
    folder = job_service.job_folder(_base(), job)
    return render_template("batch/detail.html", job=job, p=job_service.progress(job),
                           mapping=job_service.mapping_of(job),
                           xlsx_ready=(folder / "result.xlsx").exists())


@bp.route("/<int:job_id>/cancel", methods=("POST",))
@login_required
def cancel(job_id: int):
    session = get_session()
    job = job_service.request_cancel(session=session, job=_job(job_id))
    audit.record(session=session, action="job.cancel", user=g.user, ip=client_ip(),
                 target=f"job {job.id}")
    flash(_("The job is cancelled.") if job.status == "cancelled"
          else _("Cancelling: the job stops after the chunk it is scoring."))
    return redirect(url_for("batch.detail", job_id=job.id))


@bp.route("/<int:job_id>/delete", methods=("POST",))
@login_required
def delete(job_id: int):
    session = get_session()
    job = _job(job_id)
    try:
        job_service.delete_job(session=session, base=_base(), job=job)
    except ServiceError as exc:
        flash(_message(exc))
        return redirect(url_for("batch.detail", job_id=job_id))
    audit.record(session=session, action="job.delete", user=g.user, ip=client_ip(),
                 target=f"job {job_id}")
    flash(_("The job and its files are deleted."))
    return redirect(url_for("batch.index"))


def send_result(job, fmt: str):
    """The result file as an attachment (shared with the API)."""
    path = job_service.result_path(_base(), job, fmt)
    stem = Path(job.filename).stem or "leads"
    suffix = {"errors": "errors.csv", "catalogue": "scored.catalogue.json"}.get(fmt,
                                                                          f"scored.{fmt}")
    nice = f"{stem}-{suffix}"
    response = send_file(path, mimetype=MIME[fmt], as_attachment=True,
                         download_name=f"job{job.id}-{suffix}", max_age=0)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=job{job.id}-{suffix}; filename*=UTF-8''{quote(nice)}")
    audit.record(session=get_session(), action="job.download", user=g.user, ip=client_ip(),
                 target=f"job {job.id}", detail=fmt)
    return response


@bp.route("/<int:job_id>/download/<fmt>")
@login_required
def download(job_id: int, fmt: str):
    job = _job(job_id)
    if fmt not in job_service.RESULT_FILES:
        abort(404)
    try:
        response = send_result(job, fmt)
    except ServiceError as exc:
        if exc.status == 404:
            abort(404)
        flash(_message(exc))
        return redirect(url_for("batch.detail", job_id=job.id))
    return response


def _import_filter():
    """The import page's filters from the query (GET) or the form (POST), and their errors."""
    from marshmallow import ValidationError

    from web.schemas import ImportFilterIn
    from web.services.import_select import RowFilter
    from web.validation import explain, texts

    source = request.form if request.method == "POST" else request.args
    raw = {k: source.get(k) for k in ("min_confidence", "industry", "district",
                                      "not_duplicate", "page") if k in source}
    schema = ImportFilterIn()
    try:
        data = schema.load(raw)
    except ValidationError as exc:
        bad = set(exc.messages)
        data = schema.load({k: v for k, v in raw.items() if k not in bad})
        errors = texts(explain(exc.messages, schema), current_lang())
    else:
        errors = []
    flt = RowFilter(min_confidence=data.get("min_confidence"), industry=data.get("industry") or "",
                    district=data.get("district") or "", not_duplicate=bool(data.get("not_duplicate")))
    return flt, max(1, request.args.get("page", type=int) or data.get("page") or 1), errors


def _place_names(chosen) -> tuple[dict, dict]:
    """Names in the interface language of the industries and districts the page shows (one
    look at the taxonomy, not one per row)."""
    from taxonomy import get_taxonomy
    from web.i18n import nm

    tx = get_taxonomy()
    ids = set(chosen.industries) | {v.industry_id for v in chosen.rows}
    codes = set(chosen.districts) | {v.district_code for v in chosen.rows}
    return ({i: nm(tx.industry_by_id[i]) for i in ids if i in tx.industry_by_id},
            {c: nm(tx.district_by_code[c]) for c in codes if c in tx.district_by_code})


IMPORT_OUTCOME_KEY = "import_outcome"
SHOWN_OUTCOME = 40  # rows named on the page after an import (the counts are always whole)


def _remember_outcome(job, outcome) -> None:
    """What the import did, for the page the redirect leads to (kept small: a cookie)."""
    from flask import session as flask_session

    flask_session[IMPORT_OUTCOME_KEY] = {
        "job": job.id, "user": g.user.id, "n_imported": len(outcome.imported),
        "n_skipped": len(outcome.skipped), "imported": outcome.imported[:SHOWN_OUTCOME],
        "skipped": [(row, why[:160]) for row, why in outcome.skipped[:SHOWN_OUTCOME]]}


def _recalled_outcome(job) -> dict | None:
    from flask import session as flask_session

    found = flask_session.pop(IMPORT_OUTCOME_KEY, None)
    if not found or found.get("job") != job.id or found.get("user") != g.user.id:
        return None
    return found


@bp.route("/<int:job_id>/import", methods=("GET", "POST"))
@login_required
def import_rows(job_id: int):
    """Choose rows to import (filters and select-all over every page), then import them and
    redirect (POST-redirect-GET: a reload imports nothing again)."""
    from web.services import import_select

    job = _job(job_id)
    if job.status != "done":
        flash(_("Results can be imported when the job is done."))
        return redirect(url_for("batch.detail", job_id=job.id))
    session = get_session()
    flt, page, filter_errors = _import_filter()
    if request.method == "POST" and not (filter_errors and request.form.get("all") == "1"):
        if request.form.get("all") == "1":
            rows = import_select.select(session=session, base=_base(), job=job,
                                        flt=flt).importable
        else:
            rows = [int(v) for v in request.form.getlist("row") if v.isdigit()]
        try:
            outcome = import_select.import_selected(session=session, base=_base(), job=job,
                                                    rows=rows, user=g.user)
        except ServiceError as exc:
            flash(_(exc.message) if exc.zh == exc.message else _message(exc))
        else:
            audit.record(session=session, action="job.import", user=g.user, ip=client_ip(),
                         target=f"job {job.id}",
                         detail=f"{len(outcome.imported)} imported, {len(outcome.skipped)} skipped"
                                + (f" (all matching {flt.args()})" if request.form.get("all") == "1"
                                   else ""))
            flash(_("{n} leads imported; {m} rows skipped.", n=len(outcome.imported),
                    m=len(outcome.skipped)))
            _remember_outcome(job, outcome)
        return redirect(url_for("batch.import_rows", job_id=job.id, page=page, **flt.args()),
                        code=303)
    chosen = import_select.select(session=session, base=_base(), job=job, flt=flt, page=page)
    pages = max(1, -(-chosen.matching // dedup.PAGE_SIZE))
    names = _place_names(chosen)
    return render_template("batch/import.html", job=job, sel=chosen, total=chosen.total,
                           page=page, pages=pages, outcome=_recalled_outcome(job), flt=flt,
                           filter_errors=filter_errors, threshold=dedup.FUZZY_THRESHOLD,
                           industry_names=names[0], district_names_of=names[1],
                           skip_reason=lambda why: import_select.skip_reason(why, current_lang())), \
        (422 if filter_errors else 200)


@bp.cli.command("worker")
@click.option("--once", is_flag=True, help="exit when no job is left to run")
def worker_cmd(once: bool):
    """Run the background worker for batch-scoring jobs (`make run` starts one)."""
    from web.worker import main

    raise SystemExit(main(["--once"] if once else []))
