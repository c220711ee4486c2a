"""Durability with real processes: `python -m web.worker` is killed with SIGKILL in the middle of
a job; a new worker takes the job over once its heartbeat is stale and finishes it from the last
committed chunk: every input row scored exactly once, in order."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINI_TAX = ROOT / "tests" / "data" / "mini" / "taxonomy"
ROWS = 3000
CHUNK = 50


@pytest.fixture(scope="module")
def mini_model_dir(tmp_path_factory) -> Path:
    """Fit the mini taxonomy's model once, so each worker process only loads it."""
    from matcher import Matcher
    from taxonomy import load_taxonomy

    path = tmp_path_factory.mktemp("models")
    Matcher(load_taxonomy(MINI_TAX), model_dir=path)
    return path


def _pids_with(marker: str) -> list[int]:
    """Processes whose environment holds `marker` (the worker and its forked pool)."""
    found = []
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _job(engine, job_id):
    from sqlmodel import Session

    from web.models import Job

    with Session(engine) as s:
        return s.get(Job, job_id)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_worker_killed_mid_job_resumes_without_loss_or_duplicates(tmp_path, mini_model_dir):
    from tests_batch_support import make_app_and_job  # noqa: F401  (see below)


def _unused():  # placeholder removed below
    pass
