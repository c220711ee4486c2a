"""Changing a taxonomy folder safely: one writer at a time, validate, roll back or record.

    with edit(data_dir=folder, note="accepted draft x", who="alice") as change:
        ...write YAML files / plan texts in change.folder...
    change.version  # the recorded taxonomy.versions.Version

If the changed folder does not load or fails any check (citations included), every file is put
back as it was, files the edit created are removed, and the error is raised.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from taxonomy.errors import TaxonomyValidationError
from taxonomy.loader import data_files, load_taxonomy, taxonomy_dir
from taxonomy.model import Taxonomy
from taxonomy.validate import find_problems
from taxonomy.versions import Version, record, versions_dir

PLANS_SUBDIR = "plans"


def plans_dir(data_dir: str | Path | None = None) -> Path:
    """The folder of plan texts that ships with a taxonomy folder (``<folder>/plans``)."""
    return taxonomy_dir(data_dir) / PLANS_SUBDIR


@dataclass
class Change:
    folder: Path
    taxonomy: Taxonomy | None = None
    version: Version | None = None


@contextlib.contextmanager
def locked(data_dir: str | Path | None = None) -> Iterator[Path]:
    """Hold the folder's writer lock (a file in its versions folder) for the block."""
    folder = taxonomy_dir(data_dir)
    store = versions_dir(folder)
    store.mkdir(parents=True, exist_ok=True)
    with (store / ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _files(folder: Path) -> dict[Path, bytes]:
    paths = list(data_files(folder))
    if (folder / PLANS_SUBDIR).is_dir():
        paths += [p for p in (folder / PLANS_SUBDIR).iterdir() if p.is_file()]
    return {p: p.read_bytes() for p in paths}


def _restore(folder: Path, saved: dict[Path, bytes]) -> None:
    for path in set(_files(folder)) - set(saved):
        path.unlink(missing_ok=True)
    for path, data in saved.items():
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)


def check_folder(folder: Path) -> Taxonomy:
    """Load and fully validate a folder against its own plan texts; raise on any problem."""
    tx = load_taxonomy(folder)
    problems = find_problems(tx, plans_dir(folder))
    if problems:
        raise TaxonomyValidationError(problems)
    return tx


@contextlib.contextmanager
def edit(*, data_dir: str | Path | None = None, note: str, who: str = "") -> Iterator[Change]:
    """Change the folder inside the block; validated and recorded after it (see module doc)."""
    with locked(data_dir) as folder:
        saved = _files(folder)
        change = Change(folder=folder)
        try:
            yield change
            change.taxonomy = check_folder(folder)
        except BaseException:
            _restore(folder, saved)
            raise
        change.version = record(data_dir=folder, note=note, who=who, taxonomy=change.taxonomy)
