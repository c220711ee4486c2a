"""Persistence of the fitted industry scorer, keyed by the taxonomy version it was built from."""

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
FORMAT = 2


def code_version() -> str:
    """A hash of the code that defines the model's features: changing it forces a refit."""
    import hashlib

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("industry.py", "training.py", "terms.py", "text.py", "scope.py",
                 "data/scope_corpus.txt"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:10]


def model_path(model_dir: Path, version: str) -> Path:
    return Path(model_dir) / f"industry-scorer-{version}-{code_version()}.pkl"


def save(scorer: IndustryScorer, model_dir: Path) -> Path:
    """Write atomically: a crash never leaves a half-written model behind."""
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    path = model_path(model_dir, scorer.taxonomy_version_)
    payload = {"format": FORMAT, "code_version": code_version(),
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


def load(model_dir: Path, version: str) -> IndustryScorer:
    path = model_path(model_dir, version)
    try:
        with path.open("rb") as fh:
            payload = pickle.load(fh)
    except FileNotFoundError as exc:
        raise ModelError(f"no model for taxonomy {version} in {model_dir}") from exc
    except Exception as exc:  # unreadable or from an incompatible library version
        raise ModelError(f"model {path} cannot be read: {exc}") from exc
    if (payload.get("format") != FORMAT or payload.get("taxonomy_version") != version
            or payload.get("code_version") != code_version()
            or payload.get("sklearn_version") != sklearn.__version__):
        raise ModelError(f"model {path} was built for another taxonomy or library version")
    return payload["model"]


def load_or_build(taxonomy: Taxonomy, model_dir: Path | None = None, *,
                  rebuild: bool = False) -> IndustryScorer:
    """The scorer for this taxonomy version: loaded when saved, else fitted and saved."""
    model_dir = Path(model_dir or DEFAULT_MODEL_DIR)
    if not rebuild:
        try:
            return load(model_dir, taxonomy.version)
        except ModelError:
            pass
    scorer = IndustryScorer().fit(taxonomy)
    with contextlib.suppress(OSError):  # a read-only install still works, fitting at start-up
        save(scorer, model_dir)
    return scorer
