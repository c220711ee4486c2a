"""The matching engine: profiles in, explained matches out. No web framework here.

Public surface: `Matcher`, `MatcherSettings`, `parse_profile`, `map_headers`, the errors, and
`get_matcher()` for a shared instance on the packaged taxonomy.
"""

from __future__ import annotations

import threading

from matcher.engine import Matcher
from matcher.errors import InputFileError, MatcherError, ModelError, OutputFileError, ProfileError
from matcher.profile import HEADER_ALIASES, map_headers, parse_profile
from matcher.settings import MatcherSettings

_lock = threading.Lock()
_shared: dict[str, Matcher] = {}


def get_matcher() -> Matcher:
    """A shared matcher on the packaged taxonomy, rebuilt when the taxonomy's content changes."""
    from taxonomy import get_taxonomy

    tx = get_taxonomy()
    with _lock:
        m = _shared.get(tx.version)
        if m is None:
            _shared.clear()
            m = _shared[tx.version] = Matcher(tx)
        return m


__all__ = [
    "HEADER_ALIASES", "InputFileError", "Matcher", "MatcherError", "MatcherSettings",
    "ModelError", "OutputFileError", "ProfileError", "get_matcher", "map_headers",
    "parse_profile",
]
