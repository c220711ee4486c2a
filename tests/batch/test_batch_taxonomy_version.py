"""A batch job is scored on one taxonomy version, recorded on the job (page, API, records,
catalogue); a worker picks up a curator's change before its next job (its scoring processes
too), and a job resumed across a change is scored again from its first row on the new version."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import select

from web.models import JobChunk
from web.services import jobs as job_service

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"
PLAN = "sh-advanced-manufacturing-14fyp"
TOPICS = ["集成电路设计；芯片封装测试", "生物医药研发；抗体药物生产", "处理器芯片设计与销售"]


@pytest.fixture
def mini_copy(tmp_path, monkeypatch) -> Path:
    """An editable copy of the mini taxonomy (with its plan text) as TAXONOMY_DIR."""
    folder = tmp_path / "taxonomy"
    shutil.copytree(MINI / "taxonomy", folder)
    shutil.copytree(MINI / "plans", folder / "plans")
    monkeypatch.setenv("TAXONOMY_DIR", str(folder))
    return folder


def _list(path: Path, n: int) -> Path:
    lines = ["企业名称,经营范围"] + [f"示例公司{i:03d},{TOPICS[i % len(TOPICS)]}"
                                  for i in range(1, n + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _queue(app, path: Path, chunk_size: int = 1000, owner_id: int | None = None) -> int:
    from web.db import session_scope

    with session_scope(app.extensions["db_engine"]) as session, path.open("rb") as fh:
        return job_service.create_job(session=session, base=job_service.jobs_dir(app.config),
                                      stream=fh, filename=path.name, owner_id=owner_id,
                                      chunk_size=chunk_size, queue=True, source="api").id


def _change_status(folder: Path, status: str) -> str:
    from taxonomy.plans import set_plan_status

    return set_plan_status(plan_id=PLAN, status=status, data_dir=folder, who="curator")


def _results(app, job) -> tuple[list[dict], dict]:
    folder = job_service.job_folder(job_service.jobs_dir(app.config), job)
    with (folder / "result.jsonl").open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    catalogue = json.loads((folder / "result.catalogue.json").read_text(encoding="utf-8"))
    return records, catalogue


def test_a_job_submitted_before_a_change_is_scored_on_the_new_version(
        app, mini_copy, mini_model_dir, tmp_path, job_of, auth_client, officer):
    from taxonomy import get_taxonomy
    from web.worker import run_pending_jobs

    before = get_taxonomy().version
    job_id = _queue(app, _list(tmp_path / "leads.csv", 6), owner_id=officer.id)
    assert job_of(job_id).taxonomy_version == before  # recorded at submission
    page = auth_client.get(f"/batch/{job_id}?lang=en").get_data(as_text=True)
    assert "Submitted on taxonomy version" in page and before in page

    after = _change_status(mini_copy, "draft")  # a curator's change while the job waits
    assert after != before
    run_pending_jobs(app, taxonomy_dir=mini_copy, model_dir=mini_model_dir)
    job = job_of(job_id)
    assert (job.status, job.taxonomy_version) == ("done", after)
    records, catalogue = _results(app, job)
    assert len(records) == 6 and {r["taxonomy_version"] for r in records} == {after}
    assert catalogue["taxonomy_version"] == after
    assert auth_client.get(f"/api/v1/jobs/{job_id}").get_json()["taxonomy_version"] == after
    for lang, words in (("en", "Scored on taxonomy version"), ("zh", "匹配所用的知识库版本")):
        page = auth_client.get(f"/batch/{job_id}?lang={lang}").get_data(as_text=True)
        assert words in page and after in page


def _wait_done(job_of, job_id: int, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while (job := job_of(job_id)).status not in ("done", "failed", "cancelled"):
        assert time.monotonic() < deadline, f"job {job_id} is still {job.status}"
        time.sleep(0.05)
    return job


def test_a_running_worker_reloads_after_a_change_processes_included(
        app, mini_copy, mini_model_dir, tmp_path, job_of):
    from taxonomy import get_taxonomy
    from web.worker import Worker

    worker = Worker(app, processes=2, poll=0.05, heartbeat_seconds=1, taxonomy_dir=mini_copy,
                    model_dir=mini_model_dir)
    thread = threading.Thread(target=worker.run, name="job-worker", daemon=True)
    thread.start()
    try:
        first_version = get_taxonomy().version
        first = _wait_done(job_of, _queue(app, _list(tmp_path / "a.csv", 8), chunk_size=2))
        assert first.status == "done" and first.taxonomy_version == first_version

        second_version = _change_status(mini_copy, "draft")
        second = _wait_done(job_of, _queue(app, _list(tmp_path / "b.csv", 8), chunk_size=2))
    finally:
        worker.stop.set()
        thread.join(timeout=60)
    assert second.status == "done" and second.taxonomy_version == second_version
    assert worker.matcher.version == second_version
    # every chunk was scored by a freshly forked process on the new matcher
    records, catalogue = _results(app, second)
    assert {r["taxonomy_version"] for r in records} == {second_version}
    assert catalogue["taxonomy_version"] == second_version
    old_records, _ = _results(app, first)
    assert {r["taxonomy_version"] for r in old_records} == {first_version}


def test_a_job_resumed_across_a_change_is_scored_again_on_one_version(
        app, mini_copy, mini_model_dir, tmp_path, job_of, caplog):
    from matcher import Matcher
    from taxonomy import get_taxonomy
    from web.db import session_scope
    from web.worker import run_pending_jobs

    engine = app.extensions["db_engine"]
    job_id = _queue(app, _list(tmp_path / "leads.csv", 6), chunk_size=2)
    old = Matcher(get_taxonomy(mini_copy), model_dir=mini_model_dir)
    assert job_service.claim_job(engine, worker_id="w-old", concurrency=1,
                                 stale_seconds=30) == job_id
    run = job_service.JobRun(engine, job_id, worker_id="w-old",
                             base=job_service.jobs_dir(app.config), matcher=old)
    run.start()
    assert run.step() is True  # one chunk of three scored on the old version, then it stops
    job_service.release_job(engine, worker_id="w-old", job_id=job_id)
    assert (job_of(job_id).rows_done, job_of(job_id).taxonomy_version) == (2, old.version)

    new_version = _change_status(mini_copy, "draft")
    with caplog.at_level("INFO", logger="web.jobs"):
        run_pending_jobs(app, taxonomy_dir=mini_copy, model_dir=mini_model_dir)
    job = job_of(job_id)
    assert (job.status, job.rows_done, job.taxonomy_version) == ("done", 6, new_version)
    assert "scoring again from the first row" in caplog.text
    records, catalogue = _results(app, job)
    assert [r["row"] for r in records] == list(range(2, 8))  # each row once, in order
    assert {r["taxonomy_version"] for r in records} == {new_version}
    assert catalogue["taxonomy_version"] == new_version
    with session_scope(engine) as s:
        chunks = s.exec(select(JobChunk).where(JobChunk.job_id == job_id)).all()
        assert sorted(c.chunk_index for c in chunks) == [0, 1, 2]
