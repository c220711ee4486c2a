"""A short-lived, per-process memory of API tokens verified against the database.

A read call (GET/HEAD, or a CSRF-exempt POST such as /api/v1/match) with a token verified in
the last TOKEN_CACHE_SECONDS (default 5) is let in without the two queries that verify it.
Revoking a token, or disabling, demoting or changing a user, in this process forgets every
remembered token at once (an ORM flush touching ApiToken or User rows); a change made by another
process (the other gunicorn workers, the CLI) takes effect here within TOKEN_CACHE_SECONDS.
0 turns the memory off. State-changing calls always verify the token in the database.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session, configure_mappers, make_transient_to_detached

from web.models import ApiToken, User

_now = time.monotonic  # the tests move the clock


@dataclass(frozen=True)
class _Entry:
    expires: float
    generation: int
    token_id: int
    user: dict  # the user's column values when verified


class TokenCache:
    """Token hash -> the token id and its user's columns, for `seconds` after verification."""

    MAX = 10_000

    def __init__(self, seconds: float):
        self.seconds = float(seconds)
        self._entries: dict[str, _Entry] = {}

    def get(self, token_hash: str) -> tuple[int, User] | None:
        """(token id, a detached copy of its user) if verified recently and nothing changed."""
        if self.seconds <= 0:
            return None
        entry = self._entries.get(token_hash)
        if entry is None or entry.generation != _generation or entry.expires <= _now():
            return None
        return entry.token_id, _detached_user(entry.user)

    def put(self, token_hash: str, token: ApiToken, user: User) -> None:
        if self.seconds <= 0:
            return
        configure_mappers()  # no-op once configured; new_instance needs it
        if len(self._entries) >= self.MAX:
            self._entries.clear()
        self._entries[token_hash] = _Entry(
            expires=_now() + self.seconds, generation=_generation, token_id=token.id,
            user={name: getattr(user, name) for name in User.model_fields})


def _detached_user(columns: dict) -> User:
    """A fresh detached User per request (never shared between threads), built as the ORM
    builds a loaded row: without User.__init__, several times cheaper."""
    user = User._sa_class_manager.new_instance()
    user.__dict__.update(columns)  # what the ORM's loader does with a row's values
    make_transient_to_detached(user)
    return user


_generation = 0
_lock = threading.Lock()


def forget_all() -> None:
    """Every process-local memory of verified tokens is void from now on."""
    global _generation
    with _lock:
        _generation += 1


@event.listens_for(Session, "after_flush")
def _tokens_or_users_changed(session, _context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (ApiToken, User)):
            forget_all()
            return


@event.listens_for(Session, "do_orm_execute")
def _bulk_change(state) -> None:
    if (state.is_update or state.is_delete) and any(
            getattr(m, "class_", None) in (ApiToken, User) for m in state.all_mappers):
        forget_all()
