"""Matching for the web: the shared engine on the current taxonomy.

Plan status lives in the taxonomy (plans.yaml), so the web, the CLI and batch jobs all see the
same status. When a curator changes the taxonomy, the new version's model is fitted in a
background thread while the previous matcher keeps answering (its records name the version they
were made with); requests are never held for the refit.

Matching calls (`match_profile`, `match_profiles`: the API, the forms, leads) look at the
taxonomy's files at most once per CHECK_SECONDS per folder (a stat of each of its ~34 data files
was a fifth of the web's own CPU per API match): a change made by another process (another
gunicorn worker, the CLI, an editor) is matched on within that second plus the refit. A change
made through the web is followed by `current_matcher()` (curate, drafts, plan admin), which
always looks, so this process sees it at once.
"""

from __future__ import annotations

import os
import threading
import time

from sqlmodel import Session

from matcher import Matcher, get_matcher
from taxonomy import get_taxonomy

_lock = threading.Lock()
_state: dict = {"current": None, "building": None, "thread": None, "folder": None}
CHECK_SECONDS = 1.0
# (the TAXONOMY_DIR it was for, when, the matcher current_matcher() answered): one tuple,
# replaced whole, so a thread reads a consistent triple without the lock
_looked: tuple = ("", float("-inf"), None)


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
    being fitted, the previous one (a first use, or another folder, waits for its matcher).
    Always looks at the taxonomy's files (see `serving_matcher` for the matching calls)."""
    global _looked
    folder, now = os.environ.get("TAXONOMY_DIR", ""), time.monotonic()
    tx = get_taxonomy()
    with _lock:
        current = _state["current"]
        if current is not None and current.version == tx.version:
            _state["folder"] = tx.data_dir  # same content (a copy of the folder): same matcher
            _looked = (folder, now, current)
            return current
        if current is not None and _state["folder"] == tx.data_dir:
            if _state["building"] != tx.version:
                _state["building"] = tx.version
                _state["thread"] = threading.Thread(target=_build, name="matcher-refit",
                                                    daemon=True)
                _state["thread"].start()
            _looked = (folder, now, current)
            return current
    _build()
    matcher = _state["current"]
    _looked = (folder, now, matcher)
    return matcher


def serving_matcher() -> Matcher:
    """`current_matcher()`, looking at the taxonomy's files at most once per CHECK_SECONDS for
    the same TAXONOMY_DIR (in between: the matcher it answered last)."""
    folder, at, matcher = _looked
    if matcher is not None and time.monotonic() - at < CHECK_SECONDS \
            and folder == os.environ.get("TAXONOMY_DIR", ""):
        return matcher
    return current_matcher()


def refitting() -> str | None:
    """The taxonomy version whose model is being fitted now, if any."""
    return _state["building"]


def wait_until_current(timeout: float = 120.0) -> Matcher:
    """Block until the matcher serves the current taxonomy (for commands and tests), also when
    the taxonomy changed again while a build was running."""
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
    return serving_matcher().match(profile, row=row)


def match_profiles(*, session: Session | None, profiles: list[dict]) -> list[dict]:
    return serving_matcher().match_many(profiles)
