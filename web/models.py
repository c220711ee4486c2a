"""Database tables (SQLModel). Only tables here; logic lives in web/services."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

LEAD_STATUSES = ("new", "contacted", "visit", "negotiation", "signed", "landed", "lost")
ROLES = ("admin", "officer")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=64)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="officer", max_length=16)
    display_name: str = Field(default="", max_length=128)
    is_active: bool = Field(default=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_login_at: dt.datetime | None = None
    password_changed_at: dt.datetime = Field(default_factory=utcnow)


class UserSession(SQLModel, table=True):
    """A signed-in browser session, kept server-side so logout and disabling end it."""

    id: str = Field(primary_key=True, max_length=64)  # sha256 of the cookie's random value
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    csrf_token: str = Field(max_length=64)


class ApiToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=100)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    prefix: str = Field(max_length=12)
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


class Lead(SQLModel, table=True):
    __table_args__ = (Index("ix_lead_status_updated", "status", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=255, index=True)
    credit_code: str | None = Field(default=None, max_length=32, index=True)
    description: str = Field(sa_column=Column(Text, nullable=False))
    profile_json: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="new", max_length=16, index=True)
    source: str = Field(default="officer", max_length=16)  # officer | public | import | api
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    next_follow_up: dt.date | None = None
    contact_name: str = Field(default="", max_length=128)
    contact_email: str = Field(default="", max_length=255)
    contact_phone: str = Field(default="", max_length=64)
    legal_representative: str = Field(default="", max_length=128)
    consent_at: dt.datetime | None = None
    top_industry_id: str = Field(default="", max_length=64, index=True)
    top_industry_name: str = Field(default="", max_length=128)
    top_sector_id: str = Field(default="", max_length=64, index=True)
    top_district_code: str = Field(default="", max_length=8, index=True)
    top_district_name: str = Field(default="", max_length=32)
    confidence: float = Field(default=0.0)
    taxonomy_version: str = Field(default="", max_length=32)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class LeadMatch(SQLModel, table=True):
    """One scoring of a lead: the full §5 record, kept as history."""

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    taxonomy_version: str = Field(max_length=32)
    trigger: str = Field(default="created", max_length=16)  # created | rescore | edit
    result_json: str = Field(sa_column=Column(Text, nullable=False))


class LeadNote(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)


class LeadEvent(SQLModel, table=True):
    """Status changes and other pipeline events of a lead."""

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    kind: str = Field(max_length=32)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: dt.datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None)
    username: str = Field(default="", max_length=64)
    ip: str = Field(default="", max_length=64)
    action: str = Field(max_length=64, index=True)
    target: str = Field(default="", max_length=128)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


JOB_STATUSES = ("draft", "queued", "running", "done", "failed", "cancelled")


class Job(SQLModel, table=True):
    """A batch-scoring job: an uploaded lead list scored in the background, chunk by chunk.

    `draft` = uploaded, the mapping not yet confirmed; the worker takes `queued` jobs (and
    `running` ones whose heartbeat is stale, i.e. whose worker died)."""

    # AUTOINCREMENT on SQLite: a deleted job's id is never given to a new one
    __table_args__ = (Index("ix_job_status_heartbeat", "status", "heartbeat_at"),
                      {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    status: str = Field(default="draft", max_length=16, index=True)
    source: str = Field(default="web", max_length=16)  # web | api
    filename: str = Field(default="", max_length=255)  # the user's file name: display only
    stored_path: str = Field(max_length=500)  # relative to JOBS_DIR; a generated name
    kind: str = Field(default="csv", max_length=8)  # csv | xlsx | jsonl (sniffed from content)
    encoding: str | None = Field(default=None, max_length=32)
    detected_encoding: str | None = Field(default=None, max_length=32)
    mapping_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    header_row: int | None = None  # the file's row with the headers; None: detect (older jobs)
    rows_total: int | None = None
    rows_done: int = Field(default=0)
    rows_failed: int = Field(default=0)
    chunk_size: int = Field(default=1000)
    created_at: dt.datetime = Field(default_factory=utcnow)
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    heartbeat_at: dt.datetime | None = None
    worker_id: str | None = Field(default=None, max_length=64)
    error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    cancel_requested: bool = Field(default=False)
    # the taxonomy version current at submission; once the worker starts, the one it scores on
    taxonomy_version: str | None = Field(default=None, max_length=32)


class JobChunk(SQLModel, table=True):
    """One scored chunk of a job, committed with its result file: resume skips these."""

    __table_args__ = (UniqueConstraint("job_id", "chunk_index", name="uq_jobchunk_job_chunk"),)

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job.id", index=True)
    chunk_index: int
    first_row: int
    n_rows: int
    n_failed: int = Field(default=0)
    result_path: str = Field(max_length=500)  # relative to the job's folder
    done_at: dt.datetime = Field(default_factory=utcnow)


OUTCOMES = ("signed", "landed", "lost")
LOST_TO = ("other_district", "other_city", "no_project")


class LeadOutcome(SQLModel, table=True):
    """Where a closed lead ended: signed or landed in a district and park (and the industry the
    project really is), or lost (why, and to another district, another city or no project).
    `match_id` is the scoring the lead carried when it closed: the report judges that one."""

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", unique=True, index=True)
    outcome: str = Field(max_length=16, index=True)  # signed | landed | lost
    district_code: str = Field(default="", max_length=8)
    zone_id: str = Field(default="", max_length=64)
    industry_id: str = Field(default="", max_length=64)
    lost_to: str = Field(default="", max_length=16)  # other_district | other_city | no_project
    lost_city: str = Field(default="", max_length=64)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    closed_on: dt.date = Field(index=True)
    source: str = Field(default="officer", max_length=16)  # officer | import
    match_id: int | None = Field(default=None, foreign_key="leadmatch.id")
    taxonomy_version: str = Field(default="", max_length=32)
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
