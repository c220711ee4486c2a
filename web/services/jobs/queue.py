"""The queue in the database: ownership and listing, start and cancel, progress, and the
worker's atomic claim, heartbeat and release."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import and_, func, or_, select, text, update

from web.models import Job, JobChunk, utcnow
from web.services import NotFound, ServiceError
from web.services.jobs.paths import job_folder

_PG_CLAIM_LOCK = 5_705_001


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
    from taxonomy import get_taxonomy

    job.mapping_json = json.dumps(mapping, ensure_ascii=False)
    job.encoding = encoding
    job.taxonomy_version = get_taxonomy().version  # the worker may pick up a newer one at start
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
            "encoding": job.encoding, "header_row": job.header_row, "kind": job.kind,
            "taxonomy_version": job.taxonomy_version,
            "created_at": _iso(job.created_at), "started_at": _iso(started),
            "finished_at": _iso(finished)}


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _iso(value: dt.datetime | None) -> str | None:
    value = _aware(value)
    return value.isoformat() if value else None


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
