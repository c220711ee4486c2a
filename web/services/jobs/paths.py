"""Where a job's files live, job settings, and atomic file writes."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from web.models import Job


def setting(config, name: str, default):
    """A job setting from the app config, else the environment, else `default` (same type)."""
    value = config.get(name) if config is not None else None
    if value is None:
        value = os.environ.get(name)
    if value is None or value == "":
        return default
    return type(default)(value)


def jobs_dir(config) -> Path:
    path = Path(config["JOBS_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_folder(base: Path, job: Job) -> Path:
    return (Path(base) / job.stored_path).parent


def input_path(base: Path, job: Job) -> Path:
    return Path(base) / job.stored_path


def mapping_of(job: Job) -> dict[str, str]:
    return json.loads(job.mapping_json or "{}")


def chunk_files(folder: Path, index: int) -> tuple[Path, Path, Path]:
    """A chunk's records, flat rows and the catalogue entries its records refer to."""
    chunks = Path(folder) / "chunks"
    return (chunks / f"{index:06d}.jsonl", chunks / f"{index:06d}.flat.jsonl",
            chunks / f"{index:06d}.catalogue.json")


def write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
