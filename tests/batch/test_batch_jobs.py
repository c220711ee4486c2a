"""Jobs: run end to end by the worker's code in this process; the same output as the CLI's engine;
cancel; resume from the last committed chunk; the concurrency limit; who may see a job."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import update

from matcher import get_matcher
from matcher.batch import score_file
from web.models import Job, JobChunk, utcnow
from web.services import jobs as job_service

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _write_list(path: Path, n: int) -> None:
    topics = ["集成电路设计；芯片封装测试", "生物医药研发；抗体药物生产", "工业机器人制造；智能装备",
              "动力电池研发与生产", "", "软件开发；人工智能应用软件开发"]
    lines = ["企业名称,经营范围,注册资本"]
    lines += [f"示例公司{i:05d},{topics[i % len(topics)]},{i % 90 + 1}00万元" for i in range(1, n + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="gbk")


def _queue(app, path: Path, *, owner_id=None, chunk_size=1000) -> int:
    from web.db import session_scope

    with session_scope(app.extensions["db_engine"]) as session, path.open("rb") as fh:
        job = job_service.create_job(session=session, base=job_service.jobs_dir(app.config),
                                     stream=fh, filename=path.name, owner_id=owner_id,
                                     chunk_size=chunk_size, queue=True, source="api")
        return job.id


def _rows(folder: Path) -> list[int]:
    with (folder / "result.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line)["row"] for line in fh]


def test_job_end_to_end_matches_the_local_engine(app, auth_client, upload, start, run_jobs,
                                                 job_of, fetch, tmp_path):
    job_id, page = upload(auth_client, SEEDS / "lead_list_gbk.csv")
    response = start(auth_client, job_id, page)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/batch/{job_id}")
    assert job_of(job_id).status == "queued"
    page = auth_client.get(f"/batch/{job_id}").get_data(as_text=True)
    assert 'data-job-url="/api/v1/jobs/' in page and "<script>" not in page

    run_jobs()
    job = job_of(job_id)
    assert (job.status, job.rows_total, job.rows_done, job.rows_failed) == ("done", 30, 30, 1)
    assert job.started_at and job.finished_at and not job.error

    # byte for byte what `python -m matcher score` writes for the same file and columns
    mapping = json.loads(job.mapping_json)
    for fmt in ("csv", "jsonl"):
        expected = tmp_path / f"expected.{fmt}"
        score_file(SEEDS / "lead_list_gbk.csv", expected, matcher=get_matcher(), mapping=mapping)
        status, body, headers = fetch(auth_client, f"/batch/{job_id}/download/{fmt}")
        assert status == 200 and headers["Content-Disposition"].startswith("attachment")
        assert body == expected.read_bytes(), fmt
    status, body, _h = fetch(auth_client, f"/batch/{job_id}/download/errors")
    errors = body.decode("utf-8-sig").splitlines()
    assert errors[0] == "row,name,credit_code,field,error"
    assert len(errors) == 2 and errors[1].startswith("21,上海示例数据科技有限公司,")
    assert ",description," in errors[1]
    status, body, headers = fetch(auth_client, f"/batch/{job_id}/download/xlsx")
    assert status == 200 and body[:2] == b"PK"

    page = auth_client.get(f"/batch/{job_id}").get_data(as_text=True)
    assert 'data-testid="download-xlsx"' in page and 'data-testid="import-link"' in page
    listing = auth_client.get("/batch/").get_data(as_text=True)
    assert "lead_list_gbk.csv" in listing


def test_cancel_a_queued_job_at_once(app, auth_client, upload, start, csrf, job_of):
    job_id, page = upload(auth_client, SEEDS / "lead_list_utf8.csv")
    start(auth_client, job_id, page)
    response = auth_client.post(f"/batch/{job_id}/cancel",
                                data={"csrf_token": csrf(auth_client, f"/batch/{job_id}")})
    assert response.status_code == 302
    job = job_of(job_id)
    assert job.status == "cancelled" and job.finished_at is not None
    assert job_service.claim_job(app.extensions["db_engine"], worker_id="w", concurrency=1,
                                 stale_seconds=30) is None


def test_cancel_a_running_job_between_chunks(app, tmp_path, job_of):
    engine = app.extensions["db_engine"]
    src = tmp_path / "list.csv"
    _write_list(src, 60)
    job_id = _queue(app, src, chunk_size=10)
    assert job_service.claim_job(engine, worker_id="w1", concurrency=1, stale_seconds=30) == job_id
    run = job_service.JobRun(engine, job_id, worker_id="w1", base=job_service.jobs_dir(app.config),
                             matcher=get_matcher())
    run.start()
    assert run.step() and run.step()
    from sqlmodel import Session

    with Session(engine) as s:
        job_service.request_cancel(session=s, job=s.get(Job, job_id))
    assert job_of(job_id).status == "running"  # stops at the next chunk boundary
    assert run.step() is False
    job = job_of(job_id)
    assert job.status == "cancelled" and job.rows_done == 20 and job.rows_total == 60
    with pytest.raises(job_service.ServiceError):
        job_service.result_path(job_service.jobs_dir(app.config), job, "csv")


def test_resume_after_a_worker_died_scores_each_row_once(app, tmp_path, job_of):
    """In process: a worker scores 3 chunks and vanishes; another takes over once its heartbeat
    is stale. (The real kill -9 case is in test_batch_kill.py.)"""
    engine = app.extensions["db_engine"]
    base = job_service.jobs_dir(app.config)
    src = tmp_path / "list.csv"
    _write_list(src, 95)
    job_id = _queue(app, src, chunk_size=10)
    assert job_service.claim_job(engine, worker_id="dead", concurrency=1, stale_seconds=30) == job_id
    run = job_service.JobRun(engine, job_id, worker_id="dead", base=base, matcher=get_matcher())
    run.start()
    for _ in range(3):
        assert run.step()
    # a chunk scored but never committed (killed between the file and the commit)
    folder = job_service.job_folder(base, job_of(job_id))
    job_service.score_chunk_to_files(3, next(run.chunks)[1], str(folder), get_matcher())
    assert job_of(job_id).rows_done == 30

    # the heartbeat is fresh: nobody else may take the job
    assert job_service.claim_job(engine, worker_id="new", concurrency=1, stale_seconds=30) is None
    with engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id)
                     .values(heartbeat_at=utcnow() - dt.timedelta(minutes=5)))
    assert job_service.claim_job(engine, worker_id="new", concurrency=1, stale_seconds=30) == job_id

    # the old worker wakes up: its next commit is refused, it stops
    with pytest.raises(job_service.LostJob):
        run.step()

    new = job_service.JobRun(engine, job_id, worker_id="new", base=base, matcher=get_matcher())
    assert new.run() == "done"
    assert _rows(folder) == list(range(2, 97))  # the file's own rows: row 1 is the header
    job = job_of(job_id)
    assert (job.rows_done, job.rows_total, job.status) == (95, 95, "done")
    from sqlmodel import Session, select

    with Session(engine) as s:
        chunks = s.exec(select(JobChunk).where(JobChunk.job_id == job_id)).all()
    assert sorted(c.chunk_index for c in chunks) == list(range(10))
    assert sum(c.n_rows for c in chunks) == 95


def test_concurrency_limit_and_queue_order(app, tmp_path):
    engine = app.extensions["db_engine"]
    src = tmp_path / "list.csv"
    _write_list(src, 5)
    first, second, third = (_queue(app, src) for _ in range(3))
    claim = job_service.claim_job
    assert claim(engine, worker_id="a", concurrency=2, stale_seconds=30) == first
    assert claim(engine, worker_id="b", concurrency=2, stale_seconds=30) == second
    assert claim(engine, worker_id="c", concurrency=2, stale_seconds=30) is None  # limit reached
    job_service.release_job(engine, worker_id="a", job_id=first)  # graceful stop: back in queue
    assert claim(engine, worker_id="c", concurrency=2, stale_seconds=30) == first
    assert claim(engine, worker_id="d", concurrency=3, stale_seconds=30) == third


def test_many_jobs_run_round_robin_to_completion(app, tmp_path, job_of):
    src = tmp_path / "list.csv"
    _write_list(src, 25)
    ids = [_queue(app, src, chunk_size=10) for _ in range(3)]
    from web.worker import Worker

    worker = Worker(app, matcher=get_matcher(), processes=1, concurrency=2)
    worker.run(once=True)
    for job_id in ids:
        job = job_of(job_id)
        assert (job.status, job.rows_done) == ("done", 25)
        assert _rows(job_service.job_folder(job_service.jobs_dir(app.config), job)) == \
            list(range(2, 27))


def test_a_file_that_breaks_mid_way_fails_the_job_with_its_reason(app, tmp_path, job_of):
    src = tmp_path / "list.csv"
    _write_list(src, 5)
    job_id = _queue(app, src)
    stored = job_service.jobs_dir(app.config) / job_of(job_id).stored_path
    stored.write_bytes(stored.read_bytes() + b'\xff\xfe\xfa,"broken\n')  # not GB18030
    from web.worker import run_pending_jobs

    run_pending_jobs(app, matcher=get_matcher())
    job = job_of(job_id)
    assert job.status == "failed" and "gb18030" in job.error


def test_jobs_belong_to_their_owner(app, auth_client, upload, start, run_jobs, make_user,
                                    login, fetch):
    job_id, page = upload(auth_client, SEEDS / "lead_list_utf8.csv")
    start(auth_client, job_id, page)
    run_jobs()
    other = make_user("officer2")
    admin = make_user("boss", role="admin")
    for user, expected in ((other, 404), (admin, 200)):
        c = app.test_client()
        login(c, user.username, user.password)
        assert c.get(f"/batch/{job_id}").status_code == expected
        assert fetch(c, f"/batch/{job_id}/download/csv")[0] == expected
        assert c.get(f"/api/v1/jobs/{job_id}").status_code == expected
        assert c.get(f"/batch/{job_id}/import").status_code == expected
        listing = c.get("/batch/").get_data(as_text=True)
        assert ("lead_list_utf8.csv" in listing) == (expected == 200)
    anonymous = app.test_client()
    assert anonymous.get(f"/batch/{job_id}").status_code == 302  # to the sign-in page
    assert anonymous.get(f"/api/v1/jobs/{job_id}").status_code == 401


def test_progress_figures():
    now = utcnow()
    job = Job(stored_path="x/input.csv", status="running", rows_total=1000, rows_done=250,
              started_at=now - dt.timedelta(seconds=10))
    p = job_service.progress(job, now=now)
    assert p["percent"] == 25.0 and p["rate"] == 25.0 and p["eta_seconds"] == 30


def _claim_race(app, tmp_path, threads: int = 6) -> list[int | None]:
    import threading

    engine = app.extensions["db_engine"]
    src = tmp_path / "race.csv"
    _write_list(src, 3)
    for _ in range(3):
        _queue(app, src)
    barrier = threading.Barrier(threads)
    got: list[int | None] = []

    def claim(i):
        barrier.wait()
        got.append(job_service.claim_job(engine, worker_id=f"w{i}", concurrency=1,
                                         stale_seconds=30))

    workers = [threading.Thread(target=claim, args=(i,)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return got


def test_concurrent_claims_respect_the_limit_on_sqlite(app, tmp_path):
    got = _claim_race(app, tmp_path)
    assert len([g for g in got if g is not None]) == 1


@pytest.mark.postgres
def test_claims_on_postgresql(pg_url, tmp_path):
    from web import create_app
    from web.cli import migrate_database

    app = create_app({"TESTING": True, "DATABASE_URL": pg_url, "SECRET_KEY": "t",
                      "JOBS_DIR": str(tmp_path / "jobs")})
    with app.app_context():
        migrate_database(app)
    try:
        got = _claim_race(app, tmp_path)
        assert len([g for g in got if g is not None]) == 1  # the advisory lock serialises claims
        engine = app.extensions["db_engine"]
        running = next(g for g in got if g is not None)
        with engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == running)
                         .values(heartbeat_at=utcnow() - dt.timedelta(minutes=5)))
        assert job_service.claim_job(engine, worker_id="next", concurrency=1,
                                     stale_seconds=30) == running  # a dead worker's job first
        run = job_service.JobRun(engine, running, worker_id="next",
                                 base=job_service.jobs_dir(app.config), matcher=get_matcher())
        assert run.run() == "done"
    finally:
        app.extensions["db_engine"].dispose()
