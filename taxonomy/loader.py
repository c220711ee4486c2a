"""Load the taxonomy's YAML files into an immutable, versioned `Taxonomy`.

The folder is the packaged `DATA_DIR` unless the `TAXONOMY_DIR` environment variable (or an
explicit argument) names another: the engine, batch worker processes and the web app all read
`taxonomy_dir()`, so one curator-edited folder serves them all.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from pathlib import Path

import yaml
from marshmallow import ValidationError

from taxonomy import schemas
from taxonomy.errors import TaxonomyFormatError
from taxonomy.messages import field_texts, joined, msg
from taxonomy.model import Taxonomy

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_SUBDIRS = ("industries", "relations", "policies")
DATA_FILES = ("plans.yaml", "districts.yaml", "zones.yaml", "gbt4754.yaml")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
log = logging.getLogger("taxonomy")


def taxonomy_dir(data_dir: str | Path | None = None) -> Path:
    """The taxonomy folder: `data_dir` if given, else `$TAXONOMY_DIR`, else the packaged data."""
    if data_dir:
        return Path(data_dir)
    env = os.environ.get("TAXONOMY_DIR", "").strip()
    return Path(env) if env else DATA_DIR


def data_files(data_dir: Path) -> list[Path]:
    """The YAML files that make up the taxonomy (and its content hash), sorted.

    Only these: drafts, version snapshots and plan texts in the same folder are not hashed."""
    files = [data_dir / name for name in DATA_FILES if (data_dir / name).is_file()]
    for sub in DATA_SUBDIRS:
        files += (data_dir / sub).glob("*.yaml")
    return sorted(files)


def _read_yaml(path: Path) -> list:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise TaxonomyFormatError(yaml_text(path, exc),
                                  log=f"{path}: not valid YAML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise TaxonomyFormatError(msg("format.not_utf8", path=str(path)),
                                  log=f"{path}: not UTF-8: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise TaxonomyFormatError(msg("format.not_list", path=str(path)))
    return data


def _load_entries(path: Path, schema: schemas.Schema, *, with_file: bool = False) -> list:
    """Validate each entry of one file; an error names the file, the entry and the field."""
    entries = []
    for index, raw in enumerate(_read_yaml(path)):
        label = raw.get("id") or raw.get("code") or raw.get("industry") if isinstance(raw, dict) else None
        try:
            obj = schema.load(raw)
        except ValidationError as exc:
            where = f"{path.name} entry {index + 1}" + (f" ({label})" if label else "")
            raise TaxonomyFormatError(entry_text(path.name, index + 1, label, exc.messages),
                                      log=f"{where}: {_flatten(exc.messages)}") from exc
        if with_file:
            obj = _with_file(obj, path)
        entries.append(obj)
    return entries


def yaml_text(path, exc):
    """A YAML parser's error as a bilingual text naming the file and line (its own English
    wording is only logged)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else "?"
    return msg("format.not_yaml", path=str(path), line=line)


def entry_text(file: str, n: int, label, messages):
    """A file's entry that breaks its schema, with marshmallow's messages, in both languages."""
    problems = joined(field_texts(messages))
    if label:
        return msg("format.entry_named", file=file, n=n, label=label, problems=problems)
    return msg("format.entry", file=file, n=n, problems=problems)


def _with_file(obj, path: Path):
    from dataclasses import replace

    return replace(obj, file=f"{path.parent.name}/{path.name}")


def _flatten(messages, prefix="") -> str:
    if isinstance(messages, dict):
        return "; ".join(_flatten(v, f"{prefix}{k}." ) for k, v in messages.items())
    if isinstance(messages, list):
        return f"{prefix.rstrip('.')}: " + ", ".join(str(m) for m in messages)
    return f"{prefix.rstrip('.')}: {messages}"


def _glob(data_dir: Path, sub: str) -> list[Path]:
    return sorted((data_dir / sub).glob("*.yaml"))


def content_version(data_dir: Path) -> str:
    """A stable content hash of every data file (names and bytes), e.g. ``tx-3f2a9c0d1b7e``."""
    digest = hashlib.sha256()
    for path in data_files(Path(data_dir)):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return "tx-" + digest.hexdigest()[:12]


def load_taxonomy(data_dir: str | Path | None = None) -> Taxonomy:
    """Load and schema-check every data file. Integrity rules are checked by `validate`."""
    data_dir = taxonomy_dir(data_dir)
    if not (data_dir / "plans.yaml").is_file():
        raise TaxonomyFormatError(msg("format.no_plans", path=str(data_dir)))
    industries = []
    for path in _glob(data_dir, "industries"):
        industries += _load_entries(path, schemas.IndustrySchema(), with_file=True)
    relations = []
    for path in _glob(data_dir, "relations"):
        relations += _load_entries(path, schemas.RelationSchema(), with_file=True)
    policies = []
    for path in _glob(data_dir, "policies"):
        policies += _load_entries(path, schemas.PolicySchema(), with_file=True)
    return Taxonomy(
        version=content_version(data_dir),
        plans=tuple(_load_entries(data_dir / "plans.yaml", schemas.PlanSchema())),
        industries=tuple(industries),
        districts=tuple(_optional(data_dir / "districts.yaml", schemas.DistrictSchema())),
        zones=tuple(_optional(data_dir / "zones.yaml", schemas.ZoneSchema())),
        relations=tuple(relations),
        policies=tuple(policies),
        data_dir=str(data_dir),
        industry_classes=tuple(_optional(data_dir / "gbt4754.yaml", schemas.IndustryClassSchema())),
    )


def _optional(path: Path, schema) -> list:
    return _load_entries(path, schema) if path.is_file() else []


@functools.lru_cache(maxsize=4)
def _cached(data_dir: str, version: str) -> Taxonomy:
    return load_taxonomy(data_dir)


_stamps: dict[str, tuple] = {}


def _stamp(data_dir: Path) -> tuple:
    """Names, sizes and modification times of the data files (those `data_files` lists): cheap
    to take (one stat per file, no path objects: it runs on every request), changes on edit."""
    root = str(data_dir)
    out = []
    for name in DATA_FILES:
        try:
            st = os.stat(os.path.join(root, name))
        except FileNotFoundError:
            continue
        out.append((os.path.join(root, name), st.st_size, st.st_mtime_ns))
    for sub in DATA_SUBDIRS:
        try:
            entries = os.scandir(os.path.join(root, sub))
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                if entry.name.endswith(".yaml") and not entry.name.startswith(".") \
                        and entry.is_file():
                    st = entry.stat()
                    out.append((entry.path, st.st_size, st.st_mtime_ns))
    out.sort()
    return tuple(out)


def get_taxonomy(data_dir: str | Path | None = None) -> Taxonomy:
    """The taxonomy, cached per folder and content version (reloaded when files change).

    Each call only stats the files; their content is hashed again only when a file's size or
    modification time changed. A version seen for the first time is recorded in the folder's
    version history (`taxonomy.versions`); a folder that cannot be written is only logged."""
    data_dir = taxonomy_dir(data_dir)
    key = str(data_dir)
    stamp = _stamp(data_dir)
    seen = _stamps.get(key)
    version = seen[1] if seen is not None and seen[0] == stamp else content_version(data_dir)
    _stamps[key] = (stamp, version)
    tx = _cached(key, version)
    if (key, version) not in _recorded:
        _record_first_use(tx)
        _recorded.add((key, version))
    return tx


_recorded: set[tuple[str, str]] = set()


def _record_first_use(tx: Taxonomy) -> None:
    from taxonomy import versions

    try:
        versions.ensure_recorded(tx, note="first use")
    except OSError as exc:
        log.warning("taxonomy version %s not recorded: %s", tx.version, exc)


def to_json(taxonomy: Taxonomy) -> dict:
    """The whole taxonomy as one JSON-ready document (DESIGN §3 fields, with sources)."""
    from dataclasses import asdict

    def rows(items):
        return [asdict(item) for item in items]

    doc = {
        "taxonomy_version": taxonomy.version,
        "plans": rows(taxonomy.plans),
        "industries": [
            {**asdict(n), "path_zh": taxonomy.path_zh(n.id), "path_en": taxonomy.path_en(n.id)}
            for n in taxonomy.industries
        ],
        "districts": rows(taxonomy.districts),
        "zones": rows(taxonomy.zones),
        "relations": rows(taxonomy.relations),
        "policies": rows(taxonomy.policies),
        "industry_classes": rows(taxonomy.industry_classes),
        "counts": taxonomy.counts(),
    }
    return json.loads(json.dumps(doc, ensure_ascii=False))
