"""Uploads: store the file under a generated name, detect its format and encoding, map the
headers, and create the draft (or queued) job."""

from __future__ import annotations

import codecs
import json
import os
import secrets
import shutil
from pathlib import Path

from matcher.errors import InputFileError
from matcher.io.reader import SAMPLE_BYTES, LeadFile, open_leads, sniff_kind
from matcher.profile import map_headers
from web.models import Job
from web.services import ServiceError
from web.services.jobs.encoding import decode_check, detect_file_encoding
from web.services.jobs.paths import input_path, mapping_of


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
