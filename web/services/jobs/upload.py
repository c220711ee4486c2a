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
from web.services.jobs.encoding import decode_check, detect_file_encoding, reason_zh
from web.services.jobs.errors import JobError
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
                    raise JobError("the file is too large", "文件过大", "file", status=413)
                out.write(block)
        with part.open("rb") as fh:
            head = fh.read(SAMPLE_BYTES)
        if not head.strip():
            raise JobError("the file is empty", "文件是空的", "file", status=422)
        try:
            kind = sniff_kind(Path("upload"), head)
        except InputFileError as exc:
            raise JobError.of(exc) from exc
        final = folder / f"input.{kind}"
        os.replace(part, final)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return f"{folder_name}/input.{kind}", kind


def _open_any(path: Path, encoding: str | None, header_row: int | None = None) -> LeadFile:
    """Open a lead list even when no column maps to `description` (the user will pick one)."""
    try:
        return open_leads(path, encoding=encoding, header_row=header_row)
    except InputFileError as exc:
        if "no description column" not in str(exc):
            raise
    lead = open_leads(path, encoding=encoding, mapping={"\x00": "description"},
                      header_row=header_row)
    lead.mapping = map_headers(lead.headers)
    return lead


def inspect_upload(path: Path, encoding: str | None = None,
                   header_row: int | None = None) -> tuple[LeadFile, str | None]:
    """(opened file with the automatic mapping, detected encoding or None for XLSX).

    A chosen encoding must decode the whole file strictly: refused otherwise, never garbled.
    The header row is the one given, else the first row that maps to known headers."""
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
                raise InputFileError(f"unknown encoding {encoding!r}",
                                     f"未知的文本编码“{encoding}”") from exc
            problem = decode_check(path, encoding)
            if problem:
                line, reason = problem
                raise InputFileError(
                    f"the file cannot be read as {encoding} (line {line}: {reason})"
                    + (f"; it looks like {detected}" if detected else ""),
                    f"无法按 {encoding} 编码读取该文件（第 {line} 行：{reason_zh(reason)}）"
                    + (f"；它看起来是 {detected} 编码" if detected else ""))
    return _open_any(path, encoding or detected, header_row), detected


def create_job(*, session, base: Path, stream, filename: str, owner_id: int | None,
               encoding: str | None = None, source: str = "web", chunk_size: int = 1000,
               max_bytes: int | None = None, queue: bool = False,
               header_row: int | None = None) -> Job:
    """Store the upload, detect format, encoding and header row (or take `header_row`), map the
    headers; a draft (or queued) job."""
    encoding = (encoding or "").strip() or None
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise JobError(f"unknown encoding {encoding!r}", f"未知的文本编码“{encoding}”",
                           "encoding", status=422) from exc
    rel, kind = store_upload(base=base, stream=stream, max_bytes=max_bytes)
    path = Path(base) / rel
    try:
        lead, detected = inspect_upload(path, encoding, header_row)
        if queue and "description" not in lead.mapping.values():
            raise InputFileError(
                f"no description column found among headers {lead.headers} (row "
                f"{lead.header_row}); name one 'description' or '经营范围', give header_row, or "
                "map the columns on the web page",
                f"表头（第 {lead.header_row} 行）{lead.headers} 中没有描述列；请将一列命名为"
                "“经营范围”或“description”，或指定 header_row，或在网页上选择列对应")
    except InputFileError as exc:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise JobError.of(exc) from exc
    job = Job(owner_id=owner_id, status="queued" if queue else "draft", source=source,
              filename=(Path(filename or "").name or "upload")[:255], stored_path=rel, kind=kind,
              encoding=(encoding or detected) if kind != "xlsx" else None,
              detected_encoding=detected, mapping_json=json.dumps(lead.mapping, ensure_ascii=False),
              header_row=lead.header_row if kind != "jsonl" else None,
              chunk_size=max(1, int(chunk_size)),
              taxonomy_version=_current_version() if queue else None)
    session.add(job)
    session.commit()
    session.refresh(job)
    return job


def _current_version() -> str:
    from taxonomy import get_taxonomy

    return get_taxonomy().version


def open_job_file(base: Path, job: Job, *, mapping: dict | None = None) -> LeadFile:
    path = input_path(base, job)
    mapping = mapping if mapping is not None else mapping_of(job)
    if job.kind == "jsonl":
        return open_leads(path, encoding=job.encoding, mapping=mapping or None)
    return open_leads(path, encoding=job.encoding, mapping=mapping, header_row=job.header_row)
