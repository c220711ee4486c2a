"""Fixtures for the taxonomy tests: the mini fixture taxonomy, editable copies of it, the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from taxonomy import find_problems, load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"
SHARED_PLANS = ROOT.parent / "shared" / "plans"


class MiniCopy:
    """A private copy of the mini taxonomy and its plan excerpt, to break on purpose."""

    def __init__(self, base: Path):
        self.tax = base / "taxonomy"
        self.plans = base / "plans"
        shutil.copytree(MINI / "taxonomy", self.tax)
        shutil.copytree(MINI / "plans", self.plans)

    def edit(self, rel: str, old: str, new: str, count: int = 1) -> None:
        """Replace the first `count` occurrences of `old` in one data file (which must contain it)."""
        path = self.tax / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"test setup: {old!r} not in {rel}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def append(self, rel: str, text: str) -> None:
        path = self.tax / rel
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text,
                        encoding="utf-8")

    def load(self):
        return load_taxonomy(self.tax)

    def problems(self) -> list[str]:
        return [str(p) for p in find_problems(self.load(), self.plans)]


@pytest.fixture
def mini(tmp_path) -> MiniCopy:
    return MiniCopy(tmp_path)


@pytest.fixture(scope="session")
def mini_paths() -> tuple[Path, Path]:
    """(taxonomy folder, plans folder) of the read-only mini fixture."""
    return MINI / "taxonomy", MINI / "plans"


@pytest.fixture(scope="session")
def shared_plans() -> Path:
    if not SHARED_PLANS.is_dir():
        pytest.skip(f"{SHARED_PLANS} not present")
    return SHARED_PLANS


@pytest.fixture(scope="session")
def run_taxonomy_cli():
    """Run `python -m taxonomy ARGS...` in a subprocess from the project root."""

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "taxonomy", *map(str, args)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    return run


@pytest.fixture
def real_copy(tmp_path) -> Path:
    """A private copy of the packaged taxonomy folder (with its plan texts) to change freely."""
    from taxonomy import DATA_DIR

    dest = tmp_path / "taxonomy"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("versions", "drafts"))
    return dest


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def real():
    """The taxonomy the product ships (taxonomy/data), loaded once."""
    return load_taxonomy()


@pytest.fixture(scope="session")
def cited(real) -> set[tuple]:
    """Every (industry, place, plan, section, role) statement the shipped relations cite."""
    return {(r.industry, r.zone or r.district, s.plan, s.section, r.role)
            for r in real.relations for s in r.sources}
