"""Result files of a finished job: assembled from the chunks in order, read back, downloaded."""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from matcher.io.writer import FLAT, FLAT_COLUMNS, safe_cell, write_results
from web.models import Job
from web.services import NotFound, ServiceError
from web.services.jobs.mapping import FIELDS
from web.services.jobs.paths import chunk_files, job_folder

RESULT_FILES = {"csv": "result.csv", "xlsx": "result.xlsx", "jsonl": "result.jsonl",
                "errors": "errors.csv"}
ERROR_COLUMNS = ["row", "name", "credit_code", "field", "error"]


def result_path(base: Path, job: Job, fmt: str) -> Path:
    """The result file of a finished job (XLSX is built on first request if the worker has
    not built it yet)."""
    if fmt not in RESULT_FILES:
        raise ServiceError("format must be csv, xlsx, jsonl or errors", "format", status=422)
    if job.status != "done":
        raise ServiceError(f"the job is {job.status}; results are ready when it is done",
                           status=409)
    folder = job_folder(base, job)
    path = folder / RESULT_FILES[fmt]
    if fmt == "xlsx" and not path.exists():
        build_xlsx(folder)
    if not path.exists():
        raise NotFound(f"result file of job {job.id}")
    return path


def assemble_results(folder: Path, indexes: list[int]) -> None:
    """result.jsonl, result.csv, errors.csv and result.flat.jsonl from the chunks, in order."""
    folder = Path(folder)

    def target(name: str) -> tuple[Path, str]:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-", suffix=Path(name).suffix)
        os.close(fd)
        return folder / name, tmp

    outputs = [target(n) for n in ("result.jsonl", "result.csv", "errors.csv",
                                   "result.flat.jsonl")]
    try:
        (_, t_jsonl), (_, t_csv), (_, t_err), (_, t_flat) = outputs
        with open(t_jsonl, "wb") as out:
            for index in indexes:
                with chunk_files(folder, index)[0].open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        with open(t_csv, "w", encoding="utf-8-sig", newline="") as f_csv, \
                open(t_err, "w", encoding="utf-8-sig", newline="") as f_err, \
                open(t_flat, "w", encoding="utf-8") as f_flat:
            writer = csv.DictWriter(f_csv, fieldnames=FLAT_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            errors = csv.writer(f_err)
            errors.writerow(ERROR_COLUMNS)
            for index in indexes:
                with chunk_files(folder, index)[1].open("r", encoding="utf-8") as src:
                    for line in src:
                        f_flat.write(line)
                        flat = json.loads(line)
                        writer.writerow({k: safe_cell(v) for k, v in flat.items()})
                        if flat.get("error"):
                            errors.writerow([safe_cell(v) for v in (
                                flat.get("row"), flat.get("name"), flat.get("credit_code"),
                                error_field(flat["error"]), flat["error"])])
        for final, tmp in outputs:
            os.replace(tmp, final)
    finally:
        for _final, tmp in outputs:
            if os.path.exists(tmp):
                os.unlink(tmp)


def error_field(message: str) -> str:
    """The field an error record names ("description: is empty" -> description)."""
    head = message.split(":", 1)[0].strip()
    if head in FIELDS or head == "profile":
        return head
    return "row"


def read_flat(folder: Path) -> Iterator[dict]:
    path = Path(folder) / "result.flat.jsonl"
    with path.open("r", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def build_xlsx(folder: Path) -> Path:
    """result.xlsx from the flat rows, with the engine's own safe writer: text cells stay text
    (never formulas), cells starting like a formula get a leading ', written atomically."""
    final = Path(folder) / "result.xlsx"
    write_results(final, ((flat, FLAT) for flat in read_flat(folder)), fmt="xlsx")
    return final
