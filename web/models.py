"""Database tables (SQLModel). Only tables here; logic lives in web/services."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text
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


class PlanStatus(SQLModel, table=True):
    """An officer's override of a plan's status (e.g. marked superseded)."""

    plan_id: str = Field(primary_key=True, max_length=64)
    status: str = Field(max_length=16)
    note: str = Field(default="", max_length=500)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: dt.datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None)
    username: str = Field(default="", max_length=64)
    ip: str = Field(default="", max_length=64)
    action: str = Field(max_length=64, index=True)
    target: str = Field(default="", max_length=128)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
