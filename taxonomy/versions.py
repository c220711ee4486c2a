"""Every taxonomy version kept: a snapshot of its YAML files plus who, when, why and what changed.

Where: `$TAXONOMY_VERSIONS_DIR` if set; for a folder inside the project (the packaged data, test
fixtures) `var/taxonomy-versions/<its path>/` at the project root, so that using the repository's
own data never writes into it; for any other taxonomy folder its own `versions/` subfolder (it
travels with the folder and its backups).
Inside: `history.jsonl` (one line per recorded version, oldest first) and one
`<version>.json.gz` snapshot per version. Neither is part of the content hash.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from taxonomy.errors import TaxonomyError
from taxonomy.loader import DATA_DIR, content_version, data_files, load_taxonomy, taxonomy_dir
from taxonomy.messages import msg
from taxonomy.model import Taxonomy

HISTORY = "history.jsonl"
_memo: dict[str, Taxonomy] = {}  # a few recently seen versions, by id (content-addressed)


def _remember(tx: Taxonomy) -> Taxonomy:
    from dataclasses import replace

    _memo[tx.version] = replace(tx, data_dir="") if tx.data_dir else tx
    while len(_memo) > 4:
        _memo.pop(next(iter(_memo)))
    return _memo[tx.version]


class UnknownVersionError(TaxonomyError):
    """A version id (or folder) that the history does not hold."""


@dataclass(frozen=True, slots=True)
class Version:
    """One recorded version: its content hash id, when, by whom, why, and a change summary."""

    id: str
    recorded_at: str                 # ISO 8601, UTC
    note: str = ""
    who: str = ""
    parent: str | None = None        # the version recorded before it
    changes: dict = field(default_factory=dict)  # {"relations": {"added": 3, ...}, ...}

    def to_dict(self) -> dict:
        return asdict(self)


def versions_dir(data_dir: str | Path | None = None) -> Path:
    """Where the version history of a taxonomy folder is kept (see the module docstring)."""
    env = os.environ.get("TAXONOMY_VERSIONS_DIR", "").strip()
    if env:
        return Path(env)
    folder = taxonomy_dir(data_dir).resolve()
    root = DATA_DIR.resolve().parent.parent
    if folder.is_relative_to(root):
        return root / "var" / "taxonomy-versions" / "-".join(folder.relative_to(root).parts)
    return folder / "versions"


def snapshot_files(data_dir: str | Path) -> dict[str, str]:
    """The taxonomy's YAML files as {relative path: text}."""
    data_dir = Path(data_dir)
    return {str(p.relative_to(data_dir)): p.read_text(encoding="utf-8")
            for p in data_files(data_dir)}


def list_versions(data_dir: str | Path | None = None) -> list[Version]:
    """The recorded versions, oldest first."""
    path = versions_dir(data_dir) / HISTORY
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(Version(**json.loads(line)))
    return out


def latest(data_dir: str | Path | None = None) -> Version | None:
    history = list_versions(data_dir)
    return history[-1] if history else None


def _snapshot_path(folder: Path, version_id: str) -> Path:
    return folder / f"{version_id}.json.gz"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record(*, data_dir: str | Path | None = None, note: str = "", who: str = "",
           taxonomy: Taxonomy | None = None) -> Version:
    """Record the folder's current content as a version (snapshot + history line); returns it.

    Recording the version that is already the latest again only returns it."""
    folder = taxonomy_dir(data_dir)
    store = versions_dir(folder)
    files = snapshot_files(folder)
    version_id = content_version(folder)
    head = latest(folder)
    if head is not None and head.id == version_id:
        return head
    snap = _snapshot_path(store, version_id)
    if not snap.is_file():
        body = json.dumps({"version": version_id, "files": files}, ensure_ascii=False)
        _write_atomic(snap, gzip.compress(body.encode("utf-8"), mtime=0))
    changes = {}
    if head is not None:
        try:
            from taxonomy.diff import diff_taxonomies, summarize

            current = taxonomy if taxonomy is not None else load_taxonomy(folder)
            _remember(current)
            changes = summarize(diff_taxonomies(load_version(head.id, data_dir=folder), current))
        except TaxonomyError as exc:  # an older snapshot that no longer loads: say so
            changes = {"error": str(exc)}
    entry = Version(id=version_id, recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    note=note, who=who, parent=head.id if head else None, changes=changes)
    if taxonomy is not None and taxonomy.version == version_id:
        _remember(taxonomy)
    store.mkdir(parents=True, exist_ok=True)
    with (store / HISTORY).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")
    return entry


def ensure_recorded(taxonomy: Taxonomy, *, note: str = "first use", who: str = "") -> Version:
    """Record `taxonomy`'s version unless the history already holds it (a cheap file check)."""
    folder = Path(taxonomy.data_dir) if taxonomy.data_dir else taxonomy_dir()
    store = versions_dir(folder)
    if _snapshot_path(store, taxonomy.version).is_file():
        known = [v for v in list_versions(folder) if v.id == taxonomy.version]
        if known:
            return known[-1]
    return record(data_dir=folder, note=note, who=who, taxonomy=taxonomy)


def version_files(version_id: str, *, data_dir: str | Path | None = None) -> dict[str, str]:
    """The YAML files of a recorded version (a unique id prefix is enough)."""
    store = versions_dir(data_dir)
    matches = sorted(store.glob(f"{version_id}*.json.gz")) if store.is_dir() else []
    if len(matches) != 1:
        code = "version.ambiguous" if matches else "version.unknown"
        raise UnknownVersionError(msg(code, version=version_id, store=str(store)))
    return json.loads(gzip.decompress(matches[0].read_bytes()).decode("utf-8"))["files"]


def load_version(version_id: str, *, data_dir: str | Path | None = None) -> Taxonomy:
    """The taxonomy as it was at a recorded version."""
    if version_id in _memo:
        return _memo[version_id]
    files = version_files(version_id, data_dir=data_dir)
    with tempfile.TemporaryDirectory(prefix="taxonomy-version-") as tmp:
        for rel, text in files.items():
            path = Path(tmp) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        tx = load_taxonomy(tmp)
    return _remember(tx)


def resolve(ref: str, *, data_dir: str | Path | None = None) -> Taxonomy:
    """A version id (or unique prefix), ``current``, or a taxonomy folder -> that taxonomy."""
    if ref == "current":
        return load_taxonomy(taxonomy_dir(data_dir))
    path = Path(ref)
    if path.is_dir():
        return load_taxonomy(path)
    return load_version(ref, data_dir=data_dir)
