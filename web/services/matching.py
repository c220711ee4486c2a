"""Matching for the web: the shared engine on the current taxonomy.

Plan status lives in the taxonomy (plans.yaml), so the web, the CLI and batch jobs all see the
same status. When a curator changes the taxonomy, the new version's model is fitted in a
background thread while the previous matcher keeps answering (its records name the version they
were made with); requests are never held for the refit.
"""

from __future__ import annotations

import threading

from sqlmodel import Session

from matcher import Matcher, get_matcher
from taxonomy import get_taxonomy

_lock = threading.Lock()
_state: dict = {"current": None, "building": None, "thread": None, "folder": None}


def _build() -> None:
    """Fit (or load) the current taxonomy's matcher and serve it; a build for a version the
    taxonomy has moved past never replaces the matcher of the current one (builds started for
    versions in between may end in any order)."""
    matcher = get_matcher()
    with _lock:
        current = _state["current"]
        tx = get_taxonomy()
        if matcher.version == tx.version:
            _state["current"] = matcher
            _state["building"] = None
            _state["folder"] = tx.data_dir  # a cached matcher may come from a same-content copy
        elif current is None:
            _state["current"] = matcher  # stale, but something to serve; a refit follows
            _state["folder"] = tx.data_dir


def current_matcher() -> Matcher:
    """The matcher for the current taxonomy, or, while a changed version of the same folder is
    being fitted, the previous one (a first use, or another folder, waits for its matcher)."""
    tx = get_taxonomy()
    with _lock:
        current = _state["current"]
        if current is not None and current.version == tx.version:
            _state["folder"] = tx.data_dir  # same content (a copy of the folder): same matcher
            return current
        if current is not None and _state["folder"] == tx.data_dir:
            if _state["building"] != tx.version:
                _state["building"] = tx.version
                _state["thread"] = threading.Thread(target=_build, name="matcher-refit",
                                                    daemon=True)
                _state["thread"].start()
            return current
    _build()
    return _state["current"]


def refitting() -> str | None:
    """The taxonomy version whose model is being fitted now, if any."""
    return _state["building"]


def wait_until_current(timeout: float = 120.0) -> Matcher:
    """Block until the matcher serves the current taxonomy (for commands and tests), also when
    the taxonomy changed again while a build was running."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        matcher = current_matcher()
        if matcher.version == get_taxonomy().version or time.monotonic() >= deadline:
            return matcher
        thread = _state["thread"]
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()))


def match_profile(*, session: Session | None, profile: dict, row: int = 0) -> dict:
    """One §5 record for a profile dict (`session` is kept for the callers' symmetry)."""
    return current_matcher().match(profile, row=row)


def match_profiles(*, session: Session | None, profiles: list[dict]) -> list[dict]:
    return current_matcher().match_many(profiles)
