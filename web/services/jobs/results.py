"""Result files of a finished job: assembled from the chunks in order, read back, downloaded."""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import orjson

from matcher.batch import description_header
from matcher.io.writer import FLAT, FLAT_COLUMNS, input_columns, safe_cell, write_results
from matcher.records import Catalogue, expand
from web.models import Job
from web.services import NotFound, ServiceError
from web.services.jobs.mapping import FIELDS
from web.services.jobs.paths import chunk_files, job_folder

RESULT_FILES = {"csv": "result.csv", "xlsx": "result.xlsx", "jsonl": "result.jsonl",
                "errors": "errors.csv", "catalogue": "result.catalogue.json"}
ERROR_COLUMNS = ["row", "name", "credit_code", "field", "error"]
COLUMNS_FILE = "result.columns.json"


def result_path(base: Path, job: Job, fmt: str) -> Path:
    """The result file of a finished job (XLSX is built on first request if the worker has
    not built it yet)."""
    if fmt not in RESULT_FILES:
        raise ServiceError("format must be csv, xlsx, jsonl, catalogue or errors", "format",
                           status=422)
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


def result_columns(lead) -> list[str]:
    """The CSV and XLSX columns of a job: the scores, then the input's own columns (all but
    the description)."""
    skip = description_header(lead.mapping)
    return FLAT_COLUMNS + input_columns([h for h in lead.headers if h and h != skip])


def assemble_results(folder: Path, indexes: list[int], columns: list[str] | None = None) -> None:
    """result.jsonl, result.catalogue.json, result.csv, errors.csv and result.flat.jsonl from
    the chunks, in order."""
    folder = Path(folder)
    columns = columns or FLAT_COLUMNS
    catalogue = Catalogue()
    for index in indexes:
        part = orjson.loads(chunk_files(folder, index)[2].read_bytes())
        catalogue.taxonomy_version = catalogue.taxonomy_version or part.get("taxonomy_version")
        catalogue.merge(part)
    with open(folder / COLUMNS_FILE, "wb") as fh:
        fh.write(orjson.dumps(columns))

    def target(name: str) -> tuple[Path, str]:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-", suffix=Path(name).suffix)
        os.close(fd)
        return folder / name, tmp

    outputs = [target(n) for n in ("result.jsonl", "result.csv", "errors.csv",
                                   "result.flat.jsonl", "result.catalogue.json")]
    try:
        (_, t_jsonl), (_, t_csv), (_, t_err), (_, t_flat), (_, t_cat) = outputs
        with open(t_cat, "wb") as out:
            out.write(catalogue.to_json())
        with open(t_jsonl, "wb") as out:
            for index in indexes:
                with chunk_files(folder, index)[0].open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        with open(t_csv, "w", encoding="utf-8-sig", newline="") as f_csv, \
                open(t_err, "w", encoding="utf-8-sig", newline="") as f_err, \
                open(t_flat, "w", encoding="utf-8") as f_flat:
            writer = csv.writer(f_csv)
            writer.writerow(columns)
            errors = csv.writer(f_err)
            errors.writerow(ERROR_COLUMNS)
            for index in indexes:
                with chunk_files(folder, index)[1].open("r", encoding="utf-8") as src:
                    for line in src:
                        f_flat.write(line)
                        flat = orjson.loads(line)
                        writer.writerow([safe_cell(flat.get(c)) for c in columns])
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
    with path.open("rb") as fh:
        for line in fh:
            yield orjson.loads(line)


def read_catalogue(folder: Path) -> dict:
    """The job's catalogue (what its list records refer to); empty for an older job."""
    path = Path(folder) / RESULT_FILES["catalogue"]
    if not path.exists():
        return {"citations": {}, "texts": {}, "static": {}, "details": {}}
    return orjson.loads(path.read_bytes())


def records_for(folder: Path, rows: set[int], *, full: bool = True) -> dict[int, dict]:
    """The records of the given rows from result.jsonl (only those lines are parsed); with
    `full`, list records expanded with the job's catalogue into full §5 records (without the
    input's own columns)."""
    head = re.compile(rb'^\{"row": ?(\d+)')
    found: dict[int, dict] = {}
    with (Path(folder) / RESULT_FILES["jsonl"]).open("rb") as fh:
        for line in fh:
            m = head.match(line)
            if m and int(m.group(1)) in rows:
                found[int(m.group(1))] = orjson.loads(line)
                if len(found) == len(rows):
                    break
    if full:
        catalogue = None
        for n, record in found.items():
            if record.get("detail") == "list":
                catalogue = catalogue or read_catalogue(folder)
                record = found[n] = expand(record, catalogue)
            record.pop("input", None)
    return found


def build_xlsx(folder: Path, columns: list[str] | None = None) -> Path:
    """result.xlsx from the flat rows, with the engine's own safe writer: text cells stay text
    (never formulas), cells starting like a formula get a leading ', written atomically."""
    final = Path(folder) / "result.xlsx"
    if columns is None:
        saved = Path(folder) / COLUMNS_FILE
        columns = orjson.loads(saved.read_bytes()) if saved.exists() else FLAT_COLUMNS
    write_results(final, ((flat, FLAT) for flat in read_flat(folder)), fmt="xlsx",
                  columns=columns)
    return final
