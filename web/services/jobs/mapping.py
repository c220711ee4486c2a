"""The column mapping chosen on the mapping page, and the raw preview beside it."""

from __future__ import annotations

import dataclasses

from matcher.errors import InputFileError
from matcher.io.reader import LeadFile
from matcher.profile import HEADER_ALIASES
from web.services import ServiceError

FIELDS = tuple(HEADER_ALIASES)


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
