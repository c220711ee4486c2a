"""A deleted batch job's id is never given to a new job (its links, audit entries and files
name it), on a fresh database and on one migrated with jobs and chunks in it."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, select

from web.models import Job, JobChunk


def _new_job(session: Session) -> int:
    job = Job(stored_path="x/input.csv")
    session.add(job)
    session.commit()
    return job.id


def test_a_deleted_jobs_id_is_not_reused(app, db):
    with db() as s:
        first = _new_job(s)
        second = _new_job(s)
        s.delete(s.get(Job, second))
        s.commit()
        third = _new_job(s)
    assert third not in (first, second) and third > second


def test_deleting_the_newest_job_through_the_service(app, db, officer, tmp_path):
    from web.services import jobs as job_service

    base = Path(app.config["JOBS_DIR"]) if app.config.get("JOBS_DIR") else tmp_path / "jobs"
    body = "企业名称,经营范围\n示例公司,集成电路设计\n".encode()
    with db() as s:
        job = job_service.create_job(session=s, base=base, stream=io.BytesIO(body),
                                     filename="a.csv", owner_id=officer.id, encoding=None,
                                     chunk_size=100)
        old = job.id
        job_service.delete_job(session=s, base=base, job=job)
        again = job_service.create_job(session=s, base=base, stream=io.BytesIO(body),
                                       filename="b.csv", owner_id=officer.id, encoding=None,
                                       chunk_size=100)
    assert again.id != old


def test_migration_keeps_jobs_and_chunks(tmp_path):
    from alembic import command
    from alembic.config import Config

    from web.cli import __file__ as cli_file
    from web.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(cli_file).resolve().parent / "migrations"))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "0007")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO job (id, status, source, filename, stored_path, kind, "
                          "mapping_json, rows_done, rows_failed, chunk_size, created_at, error, "
                          "cancel_requested) VALUES (7, 'done', 'web', 'a.csv', 'x/input.csv', "
                          "'csv', '{}', 1, 0, 100, '2026-12-01 00:00:00', '', 0)"))
        conn.execute(text("INSERT INTO jobchunk (job_id, chunk_index, first_row, n_rows, "
                          "n_failed, result_path, done_at) VALUES (7, 0, 2, 1, 0, 'c0', "
                          "'2026-12-01 00:00:00')"))
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name='job'")).scalar()
        assert "AUTOINCREMENT" in sql.upper()
        indexes = {r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='job'"))}
        assert "ix_job_status_heartbeat" in indexes
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    with Session(engine) as s:
        assert [c.job_id for c in s.exec(select(JobChunk)).all()] == [7]
        assert s.get(Job, 7).filename == "a.csv"
        s.delete(s.exec(select(JobChunk)).one())
        s.delete(s.get(Job, 7))
        s.commit()
        assert _new_job(s) == 8
    command.downgrade(cfg, "0007")
    engine.dispose()
