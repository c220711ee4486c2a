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
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINI_TAX = ROOT / "tests" / "data" / "mini" / "taxonomy"
ROWS = 3000
CHUNK = 50
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


def _worker(env: dict, model_dir: Path, log: Path, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "web.worker", "--taxonomy", str(MINI_TAX),
           "--model-dir", str(model_dir), "--poll", "0.2", *extra]
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


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

    marker = f"JOB_TEST_MARKER={uuid.uuid4().hex}"  # unique across concurrent test runs
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
           "JOBS_DIR": app.config["JOBS_DIR"], "JOB_STALE_SECONDS": "1.5",
           "JOB_HEARTBEAT_SECONDS": "0.3", "JOB_NICE": "0", "PYTHONHASHSEED": "0",
           "JOB_TEST_MARKER": tmp_path.name}
    log = tmp_path / "worker.log"

    # 1. a worker with a pool of two scoring processes, killed with SIGKILL mid-job
    first = _worker({**env, "JOB_PROCESSES": "2"}, mini_model_dir, log)
    deadline = time.monotonic() + 90
    while True:
        job = _job(engine, job_id)
        if job.rows_done >= 4 * CHUNK:
            break
        assert first.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.02)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    killed_at = _job(engine, job_id)
    assert killed_at.status == "running", log.read_text()
    assert 0 < killed_at.rows_done < ROWS, "the job must be killed in the middle"
    # its pool processes die with it (no orphans scoring on)
    deadline = time.monotonic() + 10
    while _pids_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _pids_with(marker) == []

    # 2. a new worker (started at once, as `make run` restarts it): takes the job over when
    # the dead worker's heartbeat is stale, resumes from the last committed chunk, finishes
    second = _worker({**env, "JOB_PROCESSES": "1"}, mini_model_dir, log)
    try:
        deadline = time.monotonic() + 120
        while _job(engine, job_id).status != "done":
            assert second.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, log.read_text()
    job = _job(engine, job_id)
    assert (job.status, job.rows_total, job.rows_done) == ("done", ROWS, ROWS), log.read_text()
    assert "resuming" in log.read_text()

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
