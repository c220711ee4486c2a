"""Fixtures for the matcher tests: a matcher on the mini fixture taxonomy, its plan text, the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from matcher import Matcher
from taxonomy import load_taxonomy
from taxonomy.plantext import PlanText

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"
MINI_TAX = MINI / "taxonomy"
MINI_PLAN = MINI / "plans" / "sh-advanced-manufacturing-14fyp.txt"


@pytest.fixture(scope="session")
def mini_tax_dir() -> Path:
    return MINI_TAX


@pytest.fixture(scope="session")
def mini_tx():
    return load_taxonomy(MINI_TAX)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def matcher(mini_tx, model_dir) -> Matcher:
    return Matcher(mini_tx, model_dir=model_dir)


@pytest.fixture(scope="session")
def plan_text() -> PlanText:
    return PlanText(MINI_PLAN.read_text(encoding="utf-8"))


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    """A private, editable copy of the mini taxonomy folder."""
    dest = tmp_path / "taxonomy"
    shutil.copytree(MINI_TAX, dest)
    return dest


@pytest.fixture(scope="session")
def run_matcher_cli(model_dir):
    """Run `python -m matcher --taxonomy MINI --model-dir DIR ARGS...` from the project root."""

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "matcher", "--taxonomy", str(MINI_TAX),
               "--model-dir", str(model_dir), *map(str, args)]
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)

    return run
