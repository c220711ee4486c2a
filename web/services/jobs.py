"""Batch-scoring jobs: stored uploads, column mapping, validation, and chunked scoring with
checkpoints.

The durable state is in the database: a `Job` row (status, progress, heartbeat, owner worker) and
one `JobChunk` row per scored chunk. A chunk's result files are written (atomically, fsynced)
before its `JobChunk` row and the job's progress are committed in one transaction; resuming a job
skips the chunks already recorded. Chunk boundaries are fixed by the job's `chunk_size`, so the
final files, assembled in chunk order, hold every input row exactly once and in order.

Files of a job live in JOBS_DIR/<random token>/: `input.<kind>` (the upload, never under the
user's file name), `chunks/` while it runs, then `result.jsonl`, `result.csv`, `result.xlsx`,
`errors.csv` and `result.flat.jsonl` (the flat rows the import page reads).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import datetime as dt
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from matcher import fields as parse
from matcher.batch import score_chunk
from matcher.errors import InputFileError
from matcher.io.reader import SAMPLE_BYTES, LeadFile, detect_encoding, open_leads, sniff_kind
from matcher.io.writer import FLAT, FLAT_COLUMNS, flatten_record, safe_cell, write_results
from matcher.profile import HEADER_ALIASES, MAX_DESCRIPTION, map_headers
from matcher.settings import MatcherSettings
from web.models import Job, JobChunk, PlanStatus, utcnow
from web.services import NotFound, ServiceError

log = logging.getLogger("web.jobs")

ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16")
FIELDS = tuple(HEADER_ALIASES)
ACTIVE = ("queued", "running")
FINISHED = ("done", "failed", "cancelled")
RESULT_FILES = {"csv": "result.csv", "xlsx": "result.xlsx", "jsonl": "result.jsonl",
                "errors": "errors.csv"}
ERROR_COLUMNS = ["row", "name", "credit_code", "field", "error"]
VALIDATE_MAX_ROWS = 20_000
MAX_REPORTED_PROBLEMS = 500
_PG_CLAIM_LOCK = 5_705_001


# ---- settings ------------------------------------------------------------------------------

def setting(config, name: str, default):
    """A job setting from the app config, else the environment, else `default` (same type)."""
    value = config.get(name) if config is not None else None
    if value is None:
        value = os.environ.get(name)
    if value is None or value == "":
        return default
    return type(default)(value)


def jobs_dir(config) -> Path:
    path = Path(config["JOBS_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_folder(base: Path, job: Job) -> Path:
    return (Path(base) / job.stored_path).parent


def input_path(base: Path, job: Job) -> Path:
    return Path(base) / job.stored_path


def mapping_of(job: Job) -> dict[str, str]:
    return json.loads(job.mapping_json or "{}")


# ---- upload --------------------------------------------------------------------------------

def decode_check(path: Path, encoding: str) -> str | None:
    """None if the whole file decodes strictly in `encoding`, else where it fails (a message)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with path.open("rb") as fh:
        while True:
            block = fh.read(1 << 20)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                line += block[: exc.start].count(b"\n")
                return f"line {line}: bytes not valid in {encoding} ({exc.reason})"
            except UnicodeError as exc:  # e.g. UTF-16 declared but no byte-order mark
                return f"line {line}: not readable as {encoding} ({exc})"
            if not block:
                return None
            line += block.count(b"\n")


def detect_file_encoding(path: Path) -> str:
    """The sample's encoding (BOM, strict UTF-8, strict GB18030, then a restricted guess),
    verified on the whole file; GB18030 when only later bytes prove it is not UTF-8."""
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    guess = detect_encoding(head, complete=len(head) < SAMPLE_BYTES)
    problem = decode_check(path, guess)
    if problem is None:
        return guess
    for alternative in ("gb18030", "utf-8"):
        if alternative != guess and decode_check(path, alternative) is None:
            return alternative
    raise InputFileError(f"the file mixes text encodings ({problem}); save it as UTF-8 or GBK, "
                         "or choose the encoding explicitly")


def store_upload(*, base: Path, stream, max_bytes: int | None = None) -> tuple[str, str]:
    """Save an uploaded file under a generated name; returns (path relative to base, kind)."""
    folder_name = secrets.token_hex(16)
    folder = Path(base) / folder_name
    folder.mkdir(parents=True, exist_ok=False)
    part = folder / "upload.part"
    size = 0
    try:
        with part.open("wb") as out:
            while True:
                block = stream.read(1 << 20)
                if not block:
                    break
                size += len(block)
                if max_bytes is not None and size > max_bytes:
                    raise ServiceError("the file is too large", "file", status=413)
                out.write(block)
        with part.open("rb") as fh:
            head = fh.read(SAMPLE_BYTES)
        if not head.strip():
            raise ServiceError("the file is empty", "file", status=422)
        try:
            kind = sniff_kind(Path("upload"), head)
        except InputFileError as exc:
            raise ServiceError(str(exc), "file", status=422) from exc
        final = folder / f"input.{kind}"
        os.replace(part, final)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return f"{folder_name}/input.{kind}", kind


def _open_any(path: Path, encoding: str | None) -> LeadFile:
    """Open a lead list even when no column maps to `description` (the user will pick one)."""
    try:
        return open_leads(path, encoding=encoding)
    except InputFileError as exc:
        if "no description column" not in str(exc):
            raise
    lead = open_leads(path, encoding=encoding, mapping={"\x00": "description"})
    lead.mapping = map_headers(lead.headers)
    return lead


def inspect_upload(path: Path, encoding: str | None = None) -> tuple[LeadFile, str | None]:
    """(opened file with the automatic mapping, detected encoding or None for XLSX).

    A chosen encoding must decode the whole file strictly: refused otherwise, never garbled."""
    detected = None
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if sniff_kind(path, head) != "xlsx":
        try:
            detected = detect_file_encoding(path)
        except InputFileError:
            if not encoding:
                raise
        if encoding:
            try:
                codecs.lookup(encoding)
            except LookupError as exc:
                raise InputFileError(f"unknown encoding {encoding!r}") from exc
            problem = decode_check(path, encoding)
            if problem:
                raise InputFileError(f"the file cannot be read as {encoding} ({problem})"
                                     + (f"; it looks like {detected}" if detected else ""))
    return _open_any(path, encoding or detected), detected


GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936"}


def same_family(a: str | None, b: str | None) -> bool:
    """True when two encoding names read the same file the same way (GBK within GB18030,
    UTF-8 with or without BOM)."""
    norm = {x: codecs.lookup(x).name if x else "" for x in (a, b)}
    na, nb = norm[a], norm[b]
    if na == nb or {na, nb} <= {"utf-8", "utf-8-sig"}:
        return True
    return na in GB_FAMILY and nb in GB_FAMILY


def create_job(*, session, base: Path, stream, filename: str, owner_id: int | None,
               encoding: str | None = None, source: str = "web", chunk_size: int = 1000,
               max_bytes: int | None = None, queue: bool = False) -> Job:
    """Store the upload, detect format and encoding, map the headers; a draft (or queued) job."""
    encoding = (encoding or "").strip() or None
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise ServiceError(f"unknown encoding {encoding!r}", "encoding", status=422) from exc
    rel, kind = store_upload(base=base, stream=stream, max_bytes=max_bytes)
    path = Path(base) / rel
    try:
        lead, detected = inspect_upload(path, encoding)
        if queue and "description" not in lead.mapping.values():
            raise InputFileError(f"no description column found among headers {lead.headers}; "
                                 "name one 'description' or '经营范围', or map the columns on "
                                 "the web page")
    except InputFileError as exc:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise ServiceError(str(exc), "file", status=422) from exc
    job = Job(owner_id=owner_id, status="queued" if queue else "draft", source=source,
              filename=(Path(filename or "").name or "upload")[:255], stored_path=rel, kind=kind,
              encoding=(encoding or detected) if kind != "xlsx" else None,
              detected_encoding=detected, mapping_json=json.dumps(lead.mapping, ensure_ascii=False),
              chunk_size=max(1, int(chunk_size)))
    session.add(job)
    session.commit()
    session.refresh(job)
    return job


def open_job_file(base: Path, job: Job, *, mapping: dict | None = None) -> LeadFile:
    path = input_path(base, job)
    mapping = mapping if mapping is not None else mapping_of(job)
    if job.kind == "jsonl":
        return open_leads(path, encoding=job.encoding, mapping=mapping or None)
    return open_leads(path, encoding=job.encoding, mapping=mapping)


# ---- mapping, preview, validation ----------------------------------------------------------

def mapping_from_form(headers: list[str], form) -> dict[str, str]:
    """{header: field} from form fields col-<i>; each field once, `description` required."""
    mapping: dict[str, str] = {}
    seen: dict[str, str] = {}
    for i, header in enumerate(headers):
        fld = (form.get(f"col-{i}") or "").strip()
        if not fld:
            continue
        if fld not in FIELDS:
            raise ServiceError(f"column {header!r}: unknown field {fld!r}", f"col-{i}")
        if fld in seen:
            raise ServiceError(f"field {fld!r} is chosen for two columns ({seen[fld]!r} and "
                               f"{header!r}); choose it once", f"col-{i}")
        seen[fld] = header
        mapping[header] = fld
    if "description" not in mapping.values():
        raise ServiceError("choose the column that holds the description (经营范围 or a "
                           "company profile); it is required", "description")
    return mapping


def preview_rows(lead: LeadFile, n: int = 10) -> list[tuple[int, list[str] | str]]:
    """The first rows as raw cell texts per header (or an error message for a broken row)."""
    raw = dataclasses.replace(lead, mapping={h: h for h in lead.headers if h})
    out: list[tuple[int, list[str] | str]] = []
    try:
        for number, item in raw.rows():
            if isinstance(item, Exception):
                out.append((number, str(item)))
            else:
                out.append((number, [str(item.get(h, "")) for h in lead.headers]))
            if len(out) >= n:
                break
    except InputFileError as exc:
        out.append((0, str(exc)))
    return out


_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_problem(value) -> str | None:
    """What is wrong with a 统一社会信用代码 (GB 32100-2015), or None."""
    code = re.sub(r"[\s\-]", "", str(value)).upper()
    if not code:
        return None
    if re.fullmatch(r"\d+(\.\d+)?E\+?\d+", code):
        return (f"{value!r} is a number in scientific notation: the spreadsheet rounded the code; "
                "format the column as text and export again")
    if len(code) != 18:
        return f"{value!r} has {len(code)} characters; a 统一社会信用代码 has 18"
    bad = sorted({c for c in code if c not in _CODE_CHARS})
    if bad:
        return f"{value!r} contains characters a credit code cannot have: {''.join(bad)}"
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(code[:17], _CODE_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    if _CODE_CHARS[check] != code[17]:
        hint = (" (all digits and ending in 000: probably rounded by a spreadsheet; format the "
                "column as text)") if code.isdigit() and code.endswith("000") else ""
        return f"{value!r}: the check character does not match (mistyped?){hint}"
    return None


_RATES: dict | None = None


def row_problems(profile: dict) -> list[tuple[str, str]]:
    """(field, what is wrong) for one mapped row; an empty list when the row is clean."""
    global _RATES
    if _RATES is None:
        _RATES = MatcherSettings().exchange_rates
    rates = _RATES
    problems: list[tuple[str, str]] = []
    description = str(profile.get("description") or "").strip()
    if not description:
        problems.append(("description", "is empty: the row cannot be scored"))
    elif len(description) > MAX_DESCRIPTION:
        problems.append(("description", f"is longer than {MAX_DESCRIPTION} characters"))
    checks = (("investment", lambda v: parse.parse_money(v, rates)), ("land", parse.parse_land),
              ("employees", parse.parse_employees), ("project_type", parse.parse_project_type),
              ("origin", parse.parse_origin))
    for fld, fn in checks:
        value = profile.get(fld)
        if value not in (None, ""):
            result = fn(value)
            if result.warning:
                problems.append((fld, result.warning))
    if profile.get("traits") not in (None, ""):
        _traits, warnings = parse.parse_traits(profile["traits"])
        problems += [("traits", w) for w in warnings]
    if profile.get("credit_code") not in (None, ""):
        problem = credit_code_problem(profile["credit_code"])
        if problem:
            problems.append(("credit_code", problem))
    return problems


@dataclasses.dataclass
class ValidationReport:
    rows_checked: int = 0
    rows_with_problems: int = 0
    complete: bool = True
    problems: list[tuple[int, str, str]] = dataclasses.field(default_factory=list)
    by_field: Counter = dataclasses.field(default_factory=Counter)
    fatal: str | None = None  # the file cannot be read past some point


def validate_file(lead: LeadFile, *, max_rows: int = VALIDATE_MAX_ROWS,
                  max_problems: int = MAX_REPORTED_PROBLEMS) -> ValidationReport:
    """Check every row (up to `max_rows`): row number, field and what is wrong."""
    report = ValidationReport()
    try:
        for number, item in lead.rows():
            if report.rows_checked >= max_rows:
                report.complete = False
                break
            report.rows_checked += 1
            found = ([("row", str(item))] if isinstance(item, Exception) else row_problems(item))
            if found:
                report.rows_with_problems += 1
                for fld, message in found:
                    report.by_field[fld] += 1
                    if len(report.problems) < max_problems:
                        report.problems.append((number, fld, message))
    except InputFileError as exc:
        report.fatal = str(exc)
    return report


def count_rows(lead: LeadFile) -> int:
    return sum(1 for _ in lead.rows())


# ---- ownership, listing, cancel --------------------------------------------------------------

def get_job(*, session, job_id: int, user) -> Job:
    """The job if `user` owns it or is an admin; NotFound otherwise (no hint that it exists)."""
    job = session.get(Job, job_id)
    if job is None or user is None or (job.owner_id != user.id and user.role != "admin"):
        raise NotFound(f"job {job_id}")
    return job


def list_jobs(*, session, user, limit: int = 200) -> list[Job]:
    stmt = select(Job).order_by(Job.id.desc()).limit(limit)
    if user.role != "admin":
        stmt = stmt.where(Job.owner_id == user.id)
    return list(session.scalars(stmt).all())


def start_job(*, session, job: Job, mapping: dict[str, str], encoding: str | None) -> Job:
    if job.status != "draft":
        raise ServiceError("this job has already been started", status=409)
    job.mapping_json = json.dumps(mapping, ensure_ascii=False)
    job.encoding = encoding
    job.status = "queued"
    job.created_at = utcnow()
    session.add(job)
    session.commit()
    session.refresh(job)
    return job


def request_cancel(*, session, job: Job) -> Job:
    """A draft or queued job is cancelled at once; a running one at its next chunk."""
    now = utcnow()
    session.execute(update(Job).where(Job.id == job.id, Job.status.in_(("draft", "queued")))
                    .values(status="cancelled", finished_at=now, cancel_requested=True))
    session.execute(update(Job).where(Job.id == job.id, Job.status == "running")
                    .values(cancel_requested=True))
    session.commit()
    session.refresh(job)
    return job


def delete_job(*, session, base: Path, job: Job) -> None:
    if job.status == "running":
        raise ServiceError("cancel the job before deleting it", status=409)
    folder = job_folder(base, job)
    session.execute(JobChunk.__table__.delete().where(JobChunk.job_id == job.id))
    session.delete(job)
    session.commit()
    if folder.resolve().parent == Path(base).resolve():
        shutil.rmtree(folder, ignore_errors=True)


def progress(job: Job, now: dt.datetime | None = None) -> dict:
    """Status, counts, rate (rows/s) and ETA (s) of a job, for the page and the API."""
    now = now or utcnow()
    started = _aware(job.started_at)
    finished = _aware(job.finished_at)
    rate = eta = None
    if started is not None and job.rows_done:
        seconds = ((finished or now) - started).total_seconds()
        rate = job.rows_done / seconds if seconds > 0 else None
    if rate and job.rows_total and job.status == "running":
        eta = max(0.0, (job.rows_total - job.rows_done) / rate)
    percent = (100.0 * job.rows_done / job.rows_total) if job.rows_total else \
        (100.0 if job.status == "done" else 0.0)
    return {"id": job.id, "status": job.status, "filename": job.filename,
            "rows_total": job.rows_total, "rows_done": job.rows_done,
            "rows_failed": job.rows_failed, "percent": round(min(100.0, percent), 1),
            "rate": round(rate, 1) if rate else None, "eta_seconds": round(eta) if eta is not None
            else None, "cancel_requested": job.cancel_requested, "error": job.error or None,
            "encoding": job.encoding, "kind": job.kind,
            "created_at": _iso(job.created_at), "started_at": _iso(started),
            "finished_at": _iso(finished)}


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _iso(value: dt.datetime | None) -> str | None:
    value = _aware(value)
    return value.isoformat() if value else None


def result_path(base: Path, job: Job, fmt: str) -> Path:
    """The result file of a finished job (XLSX is built on first request if the worker has
    not built it yet)."""
    if fmt not in RESULT_FILES:
        raise ServiceError("format must be csv, xlsx, jsonl or errors", "format", status=422)
    if job.status != "done":
        raise ServiceError(f"the job is {job.status}; results are ready when it is done",
                           status=409)
    folder = job_folder(base, job)
    path = folder / RESULT_FILES[fmt]
    if fmt == "xlsx" and not path.exists():
        build_xlsx(folder)
    if not path.exists():
        raise NotFound(f"result file of job {job.id}")
    return path


# ---- the worker's side: claim, heartbeat, run --------------------------------------------------

def claim_job(engine, *, worker_id: str, concurrency: int, stale_seconds: float) -> int | None:
    """Atomically take the oldest queued job (or a running one whose worker stopped beating),
    if fewer than `concurrency` jobs are running. One UPDATE decides (SQLite serialises it; on
    PostgreSQL a transaction-scoped advisory lock serialises the claims)."""
    now = utcnow()
    stale = now - dt.timedelta(seconds=stale_seconds)
    claimable = or_(Job.status == "queued",
                    and_(Job.status == "running",
                         or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < stale)))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CLAIM_LOCK})
        candidate = conn.execute(select(Job.id).where(claimable).order_by(Job.created_at, Job.id)
                                 .limit(1)).scalar()
        if candidate is None:
            return None
        job_alias = Job.__table__.alias("busy")
        busy = (select(func.count()).select_from(job_alias)
                .where(job_alias.c.status == "running", job_alias.c.heartbeat_at >= stale,
                       job_alias.c.id != candidate)
                .scalar_subquery())
        result = conn.execute(
            update(Job).where(Job.id == candidate, claimable, busy < concurrency)
            .values(status="running", worker_id=worker_id, heartbeat_at=now,
                    started_at=func.coalesce(Job.started_at, now))
            .execution_options(synchronize_session=False))
        return candidate if result.rowcount == 1 else None


def heartbeat(engine, *, worker_id: str, job_ids: Iterable[int]) -> None:
    ids = list(job_ids)
    if not ids:
        return
    with engine.begin() as conn:
        conn.execute(update(Job).where(Job.id.in_(ids), Job.worker_id == worker_id,
                                       Job.status == "running").values(heartbeat_at=utcnow()))


def release_job(engine, *, worker_id: str, job_id: int) -> None:
    """On a graceful stop: hand a running job back to the queue, to resume at once."""
    with engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id, Job.worker_id == worker_id,
                                       Job.status == "running")
                     .values(status="queued", worker_id=None, heartbeat_at=None))


class LostJob(Exception):
    """Another worker owns the job now (this one was thought dead), or it was taken away."""


# Set in the process that scores (the worker, or each pool process after fork).
_MATCHER = None


def set_matcher(matcher) -> None:
    global _MATCHER
    _MATCHER = matcher


def _apply_overrides(records, overrides: dict) -> None:
    if not overrides:
        return
    from web.services.matching import _apply_overrides as apply

    for record, _extra in records:
        apply(record, overrides)


def _write_atomic(path: Path, lines: Iterable[str]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def chunk_files(folder: Path, index: int) -> tuple[Path, Path]:
    chunks = folder / "chunks"
    return chunks / f"{index:06d}.jsonl", chunks / f"{index:06d}.flat.jsonl"


def score_chunk_to_files(index: int, chunk: list, folder: str, overrides: dict,
                         matcher=None) -> tuple[int, int, int, int]:
    """Score one chunk and write its two result files; (index, first row, rows, failed).

    Runs in the worker or in one of its pool processes: only these four numbers travel back."""
    scored = score_chunk(matcher or _MATCHER, chunk)
    _apply_overrides(scored, overrides)
    records_path, flat_path = chunk_files(Path(folder), index)
    records_path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(records_path, (json.dumps(r, ensure_ascii=False) + "\n" for r, _ in scored))
    _write_atomic(flat_path, (json.dumps(flatten_record(r, x), ensure_ascii=False) + "\n"
                              for r, x in scored))
    failed = sum(1 for r, _ in scored if "error" in r)
    first = chunk[0][0] if chunk else 0
    return index, first, len(scored), failed


def plan_overrides(engine) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(select(PlanStatus.plan_id, PlanStatus.status, PlanStatus.note)).all()
    return {r.plan_id: SimpleNamespace(status=r.status, note=r.note) for r in rows}


class JobRun:
    """One claimed job being scored by this worker. `step()` scores and commits the next chunk(s);
    it returns False once the job has reached a final state (or was lost)."""

    def __init__(self, engine, job_id: int, *, worker_id: str, base: Path, matcher=None,
                 pool=None, in_flight: int = 2):
        self.engine = engine
        self.job_id = job_id
        self.worker_id = worker_id
        self.base = Path(base)
        self.matcher = matcher
        self.pool = pool
        self.in_flight_max = max(1, in_flight)
        self.pending: list = []
        self.chunks: Iterator | None = None
        self.done: set[int] = set()
        self.rows_done = 0
        self.rows_failed = 0
        self.next_index = 0
        self.exhausted = False
        self.final: str | None = None

    # -- helpers
    def _job(self) -> Job:
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as s:
            job = s.get(Job, self.job_id)
        if job is None:
            raise LostJob(f"job {self.job_id} no longer exists")
        return job

    def _fenced(self, conn, **values) -> None:
        result = conn.execute(update(Job).where(Job.id == self.job_id,
                                                Job.worker_id == self.worker_id,
                                                Job.status == "running").values(**values))
        if result.rowcount != 1:
            raise LostJob(f"job {self.job_id} is no longer ours")

    def _finish(self, status: str, error: str = "") -> None:
        with self.engine.begin() as conn:
            self._fenced(conn, status=status, error=error[:4000], finished_at=utcnow(),
                         heartbeat_at=utcnow(), rows_done=self.rows_done,
                         rows_failed=self.rows_failed)
        self.final = status
        if status in ("cancelled", "failed") and getattr(self, "folder", None) is not None:
            shutil.rmtree(self.folder / "chunks", ignore_errors=True)  # no resume after these

    # -- lifecycle
    def start(self) -> None:
        job = self._job()
        self.job = job
        self.folder = job_folder(self.base, job)
        (self.folder / "chunks").mkdir(parents=True, exist_ok=True)
        self.overrides = plan_overrides(self.engine)
        lead = open_job_file(self.base, job)
        with self.engine.begin() as conn:
            recorded = conn.execute(select(JobChunk.chunk_index, JobChunk.n_rows,
                                           JobChunk.n_failed)
                                    .where(JobChunk.job_id == job.id)).all()
            missing = []
            for index, n_rows, n_failed in recorded:
                if all(p.exists() for p in chunk_files(self.folder, index)):
                    self.done.add(index)
                    self.rows_done += n_rows
                    self.rows_failed += n_failed
                else:
                    missing.append(index)
            if missing:  # a result file was lost: score that chunk again
                conn.execute(JobChunk.__table__.delete().where(JobChunk.job_id == job.id,
                                                                JobChunk.chunk_index.in_(missing)))
            values = {"rows_done": self.rows_done, "rows_failed": self.rows_failed,
                      "heartbeat_at": utcnow()}
            if job.rows_total is None:
                values["rows_total"] = count_rows(lead)
            self._fenced(conn, **values)
        self.rows_total = values.get("rows_total", job.rows_total)
        self.chunks = enumerate(lead.chunks(job.chunk_size))
        if self.done:
            log.info("job %s: resuming, %d chunks (%d rows) already done", job.id,
                     len(self.done), self.rows_done)

    def _cancel_requested(self) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.execute(select(Job.cancel_requested)
                                     .where(Job.id == self.job_id)).scalar())

    def _next_chunk(self):
        for index, chunk in self.chunks:
            if index not in self.done:
                return index, chunk
        self.exhausted = True
        return None

    def _commit(self, index: int, first: int, n_rows: int, failed: int) -> None:
        records_path, _flat = chunk_files(self.folder, index)
        try:
            with self.engine.begin() as conn:
                conn.execute(JobChunk.__table__.insert().values(
                    job_id=self.job_id, chunk_index=index, first_row=first, n_rows=n_rows,
                    n_failed=failed, result_path=str(records_path.relative_to(self.folder)),
                    done_at=utcnow()))
                self._fenced(conn, rows_done=self.rows_done + n_rows,
                             rows_failed=self.rows_failed + failed, heartbeat_at=utcnow())
        except IntegrityError as exc:  # another worker recorded this chunk: it owns the job
            raise LostJob(f"job {self.job_id}: chunk {index} recorded by another worker") from exc
        self.done.add(index)
        self.rows_done += n_rows
        self.rows_failed += failed

    def step(self) -> bool:
        """Score and commit the next chunk(s); False when the job has ended here."""
        if self.final is not None:
            return False
        try:
            if self._cancel_requested():
                self._drain()
                self._finish("cancelled")
                return False
            if self.pool is None:
                item = self._next_chunk()
                if item is not None:
                    index, chunk = item
                    self._commit(*score_chunk_to_files(index, chunk, str(self.folder),
                                                       self.overrides, self.matcher))
                    return True
            else:
                while not self.exhausted and len(self.pending) < self.in_flight_max:
                    item = self._next_chunk()
                    if item is None:
                        break
                    index, chunk = item
                    self.pending.append(self.pool.apply_async(
                        score_chunk_to_files, (index, chunk, str(self.folder), self.overrides)))
                if self.pending:
                    self._commit(*self.pending.pop(0).get())
                    return True
            self._finalize()
            return False
        except LostJob:
            self._drain()
            self.final = "lost"
            raise
        except InputFileError as exc:
            self._drain()
            self._finish("failed", str(exc))
            return False

    def _drain(self) -> None:
        for pending in self.pending:  # results of an abandoned step do not matter
            with contextlib.suppress(Exception):
                pending.get()
        self.pending = []

    def _finalize(self) -> None:
        """All chunks scored: assemble the result files in chunk order, then mark done."""
        with self.engine.connect() as conn:
            indexes = sorted(conn.execute(select(JobChunk.chunk_index)
                                          .where(JobChunk.job_id == self.job_id)).scalars())
        expected = list(range(len(indexes)))
        if indexes != expected:
            raise LostJob(f"job {self.job_id}: chunk records {indexes[:5]}... are not contiguous")
        heartbeat(self.engine, worker_id=self.worker_id, job_ids=[self.job_id])
        assemble_results(self.folder, indexes)
        self._finish("done")
        shutil.rmtree(self.folder / "chunks", ignore_errors=True)
        try:
            build_xlsx(self.folder)
        except Exception:  # the download builds it on demand
            log.exception("job %s: building the XLSX result failed", self.job_id)

    def run(self) -> str:
        """Run to the end in this thread; returns the final status."""
        self.start()
        while self.step():
            pass
        return self.final or "lost"

    def fail(self, error: str) -> None:
        self._drain()
        try:
            self._finish("failed", error)
        except LostJob:
            self.final = "lost"


def assemble_results(folder: Path, indexes: list[int]) -> None:
    """result.jsonl, result.csv, errors.csv and result.flat.jsonl from the chunks, in order."""
    folder = Path(folder)

    def target(name: str) -> tuple[Path, str]:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-", suffix=Path(name).suffix)
        os.close(fd)
        return folder / name, tmp

    outputs = [target(n) for n in ("result.jsonl", "result.csv", "errors.csv",
                                   "result.flat.jsonl")]
    try:
        (_, t_jsonl), (_, t_csv), (_, t_err), (_, t_flat) = outputs
        with open(t_jsonl, "wb") as out:
            for index in indexes:
                with chunk_files(folder, index)[0].open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        with open(t_csv, "w", encoding="utf-8-sig", newline="") as f_csv, \
                open(t_err, "w", encoding="utf-8-sig", newline="") as f_err, \
                open(t_flat, "w", encoding="utf-8") as f_flat:
            writer = csv.DictWriter(f_csv, fieldnames=FLAT_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            errors = csv.writer(f_err)
            errors.writerow(ERROR_COLUMNS)
            for index in indexes:
                with chunk_files(folder, index)[1].open("r", encoding="utf-8") as src:
                    for line in src:
                        f_flat.write(line)
                        flat = json.loads(line)
                        writer.writerow({k: safe_cell(v) for k, v in flat.items()})
                        if flat.get("error"):
                            errors.writerow([safe_cell(v) for v in (
                                flat.get("row"), flat.get("name"), flat.get("credit_code"),
                                error_field(flat["error"]), flat["error"])])
        for final, tmp in outputs:
            os.replace(tmp, final)
    finally:
        for _final, tmp in outputs:
            if os.path.exists(tmp):
                os.unlink(tmp)


def error_field(message: str) -> str:
    """The field an error record names ("description: is empty" -> description)."""
    head = message.split(":", 1)[0].strip()
    if head in FIELDS or head == "profile":
        return head
    return "row"


def read_flat(folder: Path) -> Iterator[dict]:
    path = Path(folder) / "result.flat.jsonl"
    with path.open("r", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def build_xlsx(folder: Path) -> Path:
    """result.xlsx from the flat rows, with the engine's own safe writer: text cells stay text
    (never formulas), cells starting like a formula get a leading ', written atomically."""
    final = Path(folder) / "result.xlsx"
    write_results(final, ((flat, FLAT) for flat in read_flat(folder)), fmt="xlsx")
    return final
