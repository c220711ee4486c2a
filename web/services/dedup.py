"""Import scored rows of a job into the lead pipeline, deduplicated.

A row is a duplicate when its 统一社会信用代码 equals an existing lead's (or an earlier row's in
the same list): such rows are never imported. Without a code match, a company name whose
normalised form is at least 90 similar (rapidfuzz token_sort_ratio) to an existing lead's or an
earlier row's is a *possible* duplicate: shown, unticked, for the officer to confirm.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from sqlmodel import select

from matcher.text import normalize
from web.models import Lead
from web.services import ServiceError
from web.services.jobs import job_folder, open_job_file, read_flat, records_for

FUZZY_THRESHOLD = 90
PAGE_SIZE = 200
MAX_IMPORT = 500

_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
_NOISE = re.compile(
    "|".join([
        r"股份有限公司", r"有限责任公司", r"有限公司", r"集团", r"公司", r"分公司",
        r"^上海市?", r"^中国", r"科技", r"技术", r"实业", r"控股",
        r"\bco\b", r"\bltd\b", r"\binc\b", r"\bllc\b", r"\blimited\b", r"\bcorp(oration)?\b",
        r"\bcompany\b", r"\bgroup\b", r"\bshanghai\b", r"\bchina\b", r"\bgmbh\b", r"\bag\b",
        r"\bholdings?\b", r"\btechnology\b", r"\btechnologies\b",
    ]))
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_name(name: str | None) -> str:
    """Company name without legal form, location prefix, brackets and punctuation."""
    text = normalize(name or "")
    text = _BRACKETS.sub(" ", text)
    previous = None
    while previous != text:
        previous = text
        text = _NOISE.sub(" ", text).strip()
    return _PUNCT.sub("", text)


def normalise_code(code: str | None) -> str:
    return re.sub(r"[\s\-]", "", str(code or "")).upper()


@dataclasses.dataclass
class Candidate:
    row: int
    name: str
    credit_code: str
    error: str
    industry: str
    district: str
    confidence: float | None
    existing_code: Lead | None = None      # exact credit-code match in the pipeline
    existing_fuzzy: Lead | None = None     # similar name in the pipeline
    existing_score: float = 0.0
    list_code: int | None = None           # an earlier row of this list with the same code
    list_fuzzy: int | None = None          # an earlier row of this list with a similar name
    list_score: float = 0.0

    @property
    def importable(self) -> bool:
        return not self.error and self.existing_code is None and self.list_code is None

    @property
    def needs_confirmation(self) -> bool:
        return self.importable and (self.existing_fuzzy is not None or self.list_fuzzy is not None)

    @property
    def default_checked(self) -> bool:
        return self.importable and not self.needs_confirmation


def _existing(session) -> tuple[list[Lead], dict[str, Lead], list[str]]:
    leads = list(session.exec(select(Lead).order_by(Lead.id)).all())
    by_code: dict[str, Lead] = {}
    for lead in leads:
        code = normalise_code(lead.credit_code)
        if code:
            by_code.setdefault(code, lead)
    return leads, by_code, [normalise_name(lead.name) for lead in leads]


def candidates(*, session, base: Path, job, page: int = 1,
               page_size: int = PAGE_SIZE) -> tuple[list[Candidate], int]:
    """The rows of one page with their duplicate findings; (rows, number of rows in the list).

    Only the page's rows are kept whole; of the others, the normalised name and code."""
    start = max(0, (page - 1) * page_size)
    page_rows: list[dict] = []
    all_names: list[str] = []
    first_code_row: dict[str, int] = {}
    for i, flat in enumerate(read_flat(job_folder(base, job))):
        code = normalise_code(flat.get("credit_code"))
        if code and code not in first_code_row:
            first_code_row[code] = flat["row"]
        all_names.append(normalise_name(flat.get("name")))
        if start <= i < start + page_size:
            page_rows.append(flat)
    total = len(all_names)
    row_numbers: list[int] | None = None
    leads, by_code, lead_names = _existing(session)
    page_names = all_names[start:start + page_size]
    usable = [len(n) >= 2 for n in page_names]

    list_scores = lead_scores = None
    if page_rows and any(usable):
        list_scores = process.cdist(page_names, all_names[:start + len(page_rows)],
                                    scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_THRESHOLD,
                                    dtype=np.uint8, workers=1)
        if lead_names:
            lead_scores = process.cdist(page_names, lead_names, scorer=fuzz.token_sort_ratio,
                                        score_cutoff=FUZZY_THRESHOLD, dtype=np.uint8, workers=1)

    out: list[Candidate] = []
    for i, flat in enumerate(page_rows):
        gi = start + i
        cand = Candidate(row=flat["row"], name=flat.get("name") or "",
                         credit_code=flat.get("credit_code") or "", error=flat.get("error") or "",
                         industry=flat.get("industry_1") or "", district=flat.get("district_1") or "",
                         confidence=flat.get("confidence"))
        code = normalise_code(cand.credit_code)
        if code:
            cand.existing_code = by_code.get(code)
            if first_code_row.get(code) != cand.row:
                cand.list_code = first_code_row.get(code)
        if usable[i] and cand.existing_code is None and list_scores is not None:
            if lead_scores is not None:
                best = int(np.argmax(lead_scores[i]))
                if lead_scores[i][best] >= FUZZY_THRESHOLD:
                    cand.existing_fuzzy = leads[best]
                    cand.existing_score = float(lead_scores[i][best])
            if cand.list_code is None and gi > 0:
                earlier = np.nonzero(list_scores[i][:gi] >= FUZZY_THRESHOLD)[0]
                if earlier.size:
                    j = int(earlier[0])
                    if row_numbers is None:
                        row_numbers = [f["row"] for f in read_flat(job_folder(base, job))]
                    cand.list_fuzzy = row_numbers[j]
                    cand.list_score = float(list_scores[i][j])
        out.append(cand)
    return out, total


def _profiles_for(base: Path, job, rows: set[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    for number, item in open_job_file(base, job).rows():
        if number in rows and isinstance(item, dict):
            found[number] = item
            if len(found) == len(rows):
                break
    return found


CONTACT_SIZES = {"contact_name": 128, "contact_phone": 64, "contact_email": 255,
                 "legal_representative": 128}


def _contacts(raw: dict) -> dict:
    """The row's contact person, phone, e-mail and legal representative (the '-' of an empty
    export cell is none), cut to the lead's column sizes."""
    from marshmallow import ValidationError

    from web.schemas import ImportContactIn

    try:
        found = ImportContactIn().load({k: (str(raw[k]) if isinstance(raw[k], (int, float))
                                            else raw[k]) for k in CONTACT_SIZES if k in raw})
    except ValidationError:
        return {}
    return {k: v.strip()[:CONTACT_SIZES[k]] for k, v in found.items()
            if isinstance(v, str) and v.strip() not in ("", "-", "—")}


@dataclasses.dataclass
class ImportResult:
    imported: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # (row, lead id)
    skipped: list[tuple[int, str]] = dataclasses.field(default_factory=list)   # (row, why)


def import_rows(*, session, base: Path, job, rows: list[int], user) -> ImportResult:
    """Create leads for the chosen rows, re-checking exact credit-code duplicates (in the
    pipeline and among the rows imported now); fuzzy matches were confirmed by the user."""
    from marshmallow import ValidationError

    from web.schemas import ProfileIn
    from web.services.leads import create_lead

    wanted = sorted(set(rows))
    if not wanted:
        raise ServiceError("tick at least one row to import", "rows")
    if len(wanted) > MAX_IMPORT:
        raise ServiceError(f"import at most {MAX_IMPORT} rows at a time", "rows")
    if job.status != "done":
        raise ServiceError("the job has not finished", status=409)
    folder = job_folder(base, job)
    records = records_for(folder, set(wanted))
    profiles = _profiles_for(base, job, set(wanted))
    _leads, by_code, _names = _existing(session)
    taken: set[str] = set(by_code)
    result = ImportResult()
    for row in wanted:
        record, raw = records.get(row), profiles.get(row)
        if record is None or raw is None:
            result.skipped.append((row, "row not found in the results"))
            continue
        if "error" in record:
            result.skipped.append((row, f"not scored: {record['error']}"))
            continue
        code = normalise_code(raw.get("credit_code"))
        if code and code in taken:
            lead = by_code.get(code)
            result.skipped.append((row, f"same credit code as lead {lead.id}" if lead else
                                   "same credit code as another row of this import"))
            continue
        try:
            data = ProfileIn().load({k: (str(v) if isinstance(v, (int, float)) else v)
                                     for k, v in raw.items()})
        except ValidationError as exc:
            fld, messages = next(iter(exc.messages.items()))
            result.skipped.append((row, f"{fld}: {messages[0] if isinstance(messages, list) else messages}"))
            continue
        data = {k: v for k, v in data.items() if v not in (None, "")}
        data.update(_contacts(raw))
        data["note"] = f"imported from batch job {job.id} ({job.filename}), row {row}"
        lead = create_lead(session=session, data=data, user=user, source="import",
                           record=record, commit=False)
        if code:
            taken.add(code)
        result.imported.append((row, lead.id))
    session.commit()
    return result


@dataclasses.dataclass
class Duplicate:
    """An existing lead that looks like the same company: same credit code, or a similar name."""

    lead: Lead
    reason: str  # "code" | "identical" (the very same name) | "name" (a similar one)
    score: float  # 100 for the same code; the normalised names' similarity otherwise


def find_duplicates(*, session, name: str | None, credit_code: str | None,
                    exclude: set[int] | frozenset = frozenset(), limit: int = 5) -> list[Duplicate]:
    """Leads of the pipeline that are the same company by the rule batch import applies (same
    credit code; else a normalised name at least FUZZY_THRESHOLD similar), best first: one
    duplicate check for every way a lead enters."""
    leads, _by_code, names = _existing(session)
    found: dict[int, Duplicate] = {}
    code = normalise_code(credit_code)
    if code:
        for lead in leads:
            if lead.id not in exclude and normalise_code(lead.credit_code) == code:
                found[lead.id] = Duplicate(lead, "code", 100.0)
    wanted = normalise_name(name)
    if len(wanted) >= 2 and names:
        hits = process.extract(wanted, names, scorer=fuzz.token_sort_ratio,
                               score_cutoff=FUZZY_THRESHOLD, limit=limit + len(exclude) + len(found))
        for _text, score, i in hits:
            lead = leads[i]
            if lead.id not in exclude and lead.id not in found:
                same = (lead.name or "").strip() == (name or "").strip()
                found[lead.id] = Duplicate(lead, "identical" if same else "name", float(score))
    ranked = sorted(found.values(), key=lambda d: (d.reason != "code", -d.score, d.lead.id))
    return ranked[:limit]
