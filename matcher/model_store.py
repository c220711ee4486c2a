"""Persistence of the fitted industry scorer, keyed by the content it was fitted from: the
industry tree (names, aliases, keywords, levels, parents, cited evidence) and the feature code.

Only what the scorer reads is in the key: a change of plan status, a relation or a policy gives
a new taxonomy version but the same model file (no refit)."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path

import sklearn

from matcher.errors import ModelError
from matcher.industry import IndustryScorer
from taxonomy import Taxonomy

DEFAULT_MODEL_DIR = Path(os.environ.get("MATCHER_MODEL_DIR")
                         or Path(__file__).resolve().parent.parent / "var" / "models")
FORMAT = 3


def code_version() -> str:
    """A hash of the code that defines the model's features: changing it forces a refit."""
    import hashlib

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("industry.py", "training.py", "terms.py", "text.py", "scope.py",
                 "data/scope_corpus.txt", "data/zh_variants.txt"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:10]


def model_key(taxonomy: Taxonomy) -> str:
    """A hash of what the industry scorer is fitted from: every industry node (but the file it
    is written in), in taxonomy order."""
    import hashlib
    import json
    from dataclasses import asdict

    nodes = [{k: v for k, v in asdict(n).items() if k != "file"} for n in taxonomy.industries]
    body = json.dumps(nodes, ensure_ascii=False, sort_keys=True, default=list)
    return "ind-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def model_path(model_dir: Path, taxonomy: Taxonomy | str) -> Path:
    """The model file for a taxonomy (or a `model_key`)."""
    key = taxonomy if isinstance(taxonomy, str) else model_key(taxonomy)
    return Path(model_dir) / f"industry-scorer-{key}-{code_version()}.pkl"


def save(scorer: IndustryScorer, model_dir: Path, key: str) -> Path:
    """Write atomically: a crash never leaves a half-written model behind."""
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    path = model_path(model_dir, key)
    payload = {"format": FORMAT, "code_version": code_version(), "model_key": key,
               "taxonomy_version": scorer.taxonomy_version_,
               "sklearn_version": sklearn.__version__, "model": scorer}
    fd, tmp = tempfile.mkstemp(dir=model_dir, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load(model_dir: Path, key: str) -> IndustryScorer:
    """The saved scorer of a `model_key`; ModelError when missing, unreadable or stale."""
    path = model_path(model_dir, key)
    try:
        with path.open("rb") as fh:
            payload = pickle.load(fh)
    except FileNotFoundError as exc:
        raise ModelError(f"no model {key} in {model_dir}") from exc
    except Exception as exc:  # unreadable or from an incompatible library version
        raise ModelError(f"model {path} cannot be read: {exc}") from exc
    if (not isinstance(payload, dict) or payload.get("format") != FORMAT
            or payload.get("model_key") != key
            or payload.get("code_version") != code_version()
            or payload.get("sklearn_version") != sklearn.__version__):
        raise ModelError(f"model {path} was built for another taxonomy or library version")
    return payload["model"]


def load_or_build(taxonomy: Taxonomy, model_dir: Path | None = None, *,
                  rebuild: bool = False) -> IndustryScorer:
    """The scorer for this taxonomy's industry tree: loaded when saved, else fitted and saved."""
    model_dir = Path(model_dir or DEFAULT_MODEL_DIR)
    key = model_key(taxonomy)
    if not rebuild:
        try:
            return load(model_dir, key)
        except ModelError:
            pass
    scorer = IndustryScorer().fit(taxonomy)
    with contextlib.suppress(OSError):  # a read-only install still works, fitting at start-up
        save(scorer, model_dir, key)
    return scorer
