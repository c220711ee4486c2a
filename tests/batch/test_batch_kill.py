"""Durability with real processes: `python -m web.worker` is killed with SIGKILL in the middle of
a job; a new worker takes the job over once its heartbeat is stale and finishes it from the last
committed chunk: every input row scored exactly once, in order."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINI_TAX = ROOT / "tests" / "data" / "mini" / "taxonomy"
ROWS = 1000
CHUNK = 50
STALE = 1.5  # seconds without a heartbeat before another worker takes a job over
TOPICS = ["集成电路设计；芯片封装测试", "生物医药研发；抗体药物生产", "医疗器械研发生产；体外诊断试剂",
          "处理器芯片设计与销售", ""]


def _pids_with(marker: str) -> list[int]:
    """Live processes whose environment holds `marker` (a worker and its forked pool)."""
    found = []
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes():
                status = (entry / "status").read_text()
                if "\nState:\tZ" not in status:
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def _job(engine, job_id):
    from sqlmodel import Session

    from web.models import Job

    with Session(engine) as s:
        return s.get(Job, job_id)


KILL_AFTER_ROWS = 4 * CHUNK
# The first worker is the real `python -m web.worker`, with one change: right after it has
# committed KILL_AFTER_ROWS rows it sends itself SIGKILL, so the kill falls mid-job at a known
# point (its pool may hold later chunks in flight) instead of wherever a polling test catches it.
SELF_KILLING_WORKER = """
import os, signal, sys
from web.services.jobs import runner
commit = runner.JobRun._commit
def _commit(self, *args):
    commit(self, *args)
    if self.rows_done >= int(os.environ["KILL_AFTER_ROWS"]):
        os.kill(os.getpid(), signal.SIGKILL)
runner.JobRun._commit = _commit
from web.worker import main
sys.exit(main(sys.argv[1:]))
"""


def _worker_cmd(model_dir: Path, *extra: str, code: str | None = None) -> list[str]:
    start = ["-c", code] if code else ["-m", "web.worker"]
    return [sys.executable, *start, "--taxonomy", str(MINI_TAX), "--model-dir", str(model_dir),
            "--poll", "0.2", *extra]


@pytest.fixture
def app_config(tmp_path) -> dict:
    return {"JOBS_DIR": str(tmp_path / "jobs")}


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_worker_killed_mid_job_resumes_without_loss_or_duplicates(app, tmp_path, mini_model_dir):
    from sqlmodel import Session, select

    from web.db import session_scope
    from web.models import JobChunk
    from web.services import jobs as job_service

    engine = app.extensions["db_engine"]
    src = tmp_path / "leads.csv"
    with src.open("w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["企业名称", "经营范围", "注册资本"])
        for i in range(1, ROWS + 1):
            writer.writerow([f"示例公司{i:05d}", TOPICS[i % len(TOPICS)], f"{i % 90 + 1}00万元"])
    with session_scope(engine) as session, src.open("rb") as fh:
        job_id = job_service.create_job(session=session, base=job_service.jobs_dir(app.config),
                                        stream=fh, filename=src.name, owner_id=None,
                                        chunk_size=CHUNK, queue=True, source="api").id

    marker = uuid.uuid4().hex  # unique across concurrent test runs
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
           "JOBS_DIR": app.config["JOBS_DIR"], "JOB_STALE_SECONDS": str(STALE),
           "JOB_HEARTBEAT_SECONDS": "0.3", "JOB_NICE": "0", "PYTHONHASHSEED": "0",
           "JOB_TEST_MARKER": marker, "KILL_AFTER_ROWS": str(KILL_AFTER_ROWS)}
    log = tmp_path / "worker.log"

    # 1. a worker with a pool of two scoring processes dies by SIGKILL mid-job
    with log.open("ab") as out:
        first = subprocess.run(_worker_cmd(mini_model_dir, code=SELF_KILLING_WORKER),
                               cwd=ROOT, env={**env, "JOB_PROCESSES": "2"}, stdout=out,
                               stderr=subprocess.STDOUT, timeout=180)
    assert first.returncode == -signal.SIGKILL, log.read_text()
    killed_at = _job(engine, job_id)
    assert killed_at.status == "running", log.read_text()
    assert killed_at.rows_done == KILL_AFTER_ROWS < ROWS, "the job must be killed in the middle"
    # its pool processes die with it (no orphans scoring on); the kernel signals them at once
    # but reaping takes a moment, so wait for it (bounded)
    deadline = time.monotonic() + 30
    while _pids_with(f"JOB_TEST_MARKER={marker}") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _pids_with(f"JOB_TEST_MARKER={marker}") == []

    # 2. a new worker takes the job over once the dead worker's heartbeat is stale (a fixed
    # time: nothing beats it any more), resumes from the last committed chunk and finishes it;
    # --once: it exits when no job is left
    beat = killed_at.heartbeat_at.replace(tzinfo=dt.UTC)
    wait = (beat + dt.timedelta(seconds=STALE + 0.5) - dt.datetime.now(dt.UTC)).total_seconds()
    time.sleep(max(0.0, wait))
    with log.open("ab") as out:
        second = subprocess.run(_worker_cmd(mini_model_dir, "--once"), cwd=ROOT,
                                env={**env, "JOB_PROCESSES": "1"}, stdout=out,
                                stderr=subprocess.STDOUT, timeout=300)
    assert second.returncode == 0, log.read_text()
    job = _job(engine, job_id)
    assert (job.status, job.rows_total, job.rows_done) == ("done", ROWS, ROWS), log.read_text()
    assert "resuming, 4 chunks (200 rows) already done" in log.read_text()

    folder = job_service.job_folder(job_service.jobs_dir(app.config), job)
    with (folder / "result.jsonl").open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    assert [r["row"] for r in records] == list(range(2, ROWS + 2))  # row 1 is the header
    named = [r for r in records if "error" not in r]
    assert all(r["name"] == f"示例公司{r['row'] - 1:05d}" for r in named)
    with (folder / "result.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["row"]) for r in rows] == list(range(2, ROWS + 2))
    assert len({r["name"] for r in rows if r["name"]}) == len([r for r in rows if r["name"]])
    with Session(engine) as s:
        chunks = s.exec(select(JobChunk).where(JobChunk.job_id == job_id)).all()
    assert sorted(c.chunk_index for c in chunks) == list(range(ROWS // CHUNK))
    assert sum(c.n_rows for c in chunks) == ROWS
