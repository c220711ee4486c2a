"""Faults: SQLite under concurrent web writes, other processes and a running batch job (WAL,
busy timeout, never 'database is locked'); a full disk during an export (a clear error, no
half-written file); PostgreSQL restarted under the running app. (A worker killed mid-job is
proven in tests/batch/test_batch_kill.py.)"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from web.models import Job, Lead

ROOT = Path(__file__).resolve().parents[2]
CHIP = "拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件和模拟芯片代工。"

# a writer process: its own engine (same pragmas as the app), leads written directly
WRITER = """
import sys
from web.db import make_engine, session_scope
from web.services.leads import create_lead
url, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
engine = make_engine(url)
record = {"industries": [], "districts": [], "confidence": 0.5, "taxonomy_version": "test"}
for i in range(n):
    with session_scope(engine) as s:
        create_lead(session=s, data={"name": f"{tag}-{i}", "description": "进程写入"},
                    source="import", record=record)
engine.dispose()
print("ok")
"""


def start_writers(url: str, processes: int, rows: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", WRITER, url, f"proc{p}", str(rows)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for p in range(processes)]


def web_load(app, headers: dict, threads: int, rounds: int) -> list[str]:
    """Threads that create, change, annotate and list leads through the API; their errors."""
    errors: list[str] = []

    def work(t: int) -> None:
        client = app.test_client()
        for i in range(rounds):
            r = client.post("/api/v1/leads", headers=headers,
                            json={"name": f"web{t}-{i}", "description": CHIP})
            if r.status_code != 201:
                errors.append(f"create {r.status_code} {r.get_data(as_text=True)[:200]}")
                continue
            lead_id = r.get_json()["id"]
            for method, path, body in (
                    ("patch", f"/api/v1/leads/{lead_id}", {"status": "contacted"}),
                    ("post", f"/api/v1/leads/{lead_id}/notes", {"body": f"note {t}-{i}"}),
                    ("get", "/api/v1/leads?per_page=20", None)):
                r = getattr(client, method)(path, headers=headers, json=body)
                if r.status_code >= 300:
                    errors.append(f"{method} {path} {r.status_code} "
                                  f"{r.get_data(as_text=True)[:200]}")

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join(300)
    return errors


def count_leads(app, prefix: str) -> int:
    with Session(app.extensions["db_engine"]) as s:
        return s.exec(select(func.count()).select_from(Lead)
                      .where(Lead.name.like(f"{prefix}%"))).one()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    with app.extensions["db_engine"].connect() as conn:
        assert conn.execute(text("pragma journal_mode")).scalar() == "wal"
        assert conn.execute(text("pragma busy_timeout")).scalar() >= 5000


def test_concurrent_web_and_process_writers_never_see_a_locked_database(app, bearer, caplog):
    url = app.config["DATABASE_URL"]
    writers = start_writers(url, processes=2, rows=40)
    errors = web_load(app, bearer, threads=4, rounds=8)
    outputs = [w.communicate(timeout=120) for w in writers]
    for w, (out, err) in zip(writers, outputs, strict=True):
        assert w.returncode == 0 and out.strip() == "ok", err[-2000:]
        assert "locked" not in err
    assert errors == []
    assert "database is locked" not in caplog.text
    assert count_leads(app, "web") == 32
    assert count_leads(app, "proc") == 80


@pytest.mark.slow
def test_web_writes_while_a_batch_job_runs(app, tmp_path, bearer, caplog):
    """The worker (a real process) scores 3000 rows in 30 chunks, committing each, while the
    web app takes writes from threads and two other processes write leads too."""
    jobs = tmp_path / "jobs"
    app.config.update(JOBS_DIR=str(jobs), JOB_CHUNK_SIZE=100)
    client = app.test_client()
    rows = "".join(f"企业{i},集成电路设计与制造；新能源汽车零部件{i}\n" for i in range(3000))
    r = client.post("/api/v1/jobs", headers=bearer, content_type="multipart/form-data",
                    data={"file": (io.BytesIO(("企业名称,经营范围\n" + rows).encode()),
                                   "list.csv")})
    assert r.status_code == 202, r.get_json()
    job_id = r.get_json()["id"]
    url = app.config["DATABASE_URL"]
    env = {**os.environ, "DATABASE_URL": url, "JOBS_DIR": str(jobs), "JOB_PROCESSES": "1",
           "JOB_CHUNK_SIZE": "100"}
    env.pop("APP_ENV", None)
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([sys.executable, "-m", "web.worker", "--once", "--poll", "0.2",
                                   "--nice", "0"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120  # wait until it is really scoring
        while time.monotonic() < deadline:
            with Session(app.extensions["db_engine"]) as s:
                if s.get(Job, job_id).rows_done > 0:
                    break
            assert worker.poll() is None, log.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        writers = start_writers(url, processes=2, rows=60)
        errors = web_load(app, bearer, threads=4, rounds=10)
        for w in writers:
            out, err = w.communicate(timeout=180)
            assert w.returncode == 0 and out.strip() == "ok", err[-2000:]
        assert worker.wait(timeout=300) == 0, log.read_text(errors="replace")[-3000:]
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert errors == []
    assert "locked" not in log.read_text(errors="replace")
    assert "database is locked" not in caplog.text
    with Session(app.extensions["db_engine"]) as s:
        job = s.get(Job, job_id)
        assert (job.status, job.rows_done, job.rows_total) == ("done", 3000, 3000)
    assert count_leads(app, "web") == 40 and count_leads(app, "proc") == 120


# --- a full disk --------------------------------------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path):
    """tiny_disk(size) -> a folder on a tmpfs of that size (skipped where mounting is not
    allowed; the monkeypatched tests below cover the same code paths there)."""
    mounted = []

    def _mount(size: str) -> Path:
        folder = tmp_path / f"disk{len(mounted)}"
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                               str(folder)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield _mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the file system under `folder`, leaving about `leave` bytes free."""
    path = folder / "filler"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    if leave:
        os.truncate(path, max(0, path.stat().st_size - leave))


RECORD = {"row": 0, "name": "名" * 100, "error": "description: " + "很长的错误说明" * 300}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx"])
def test_write_results_on_a_full_disk(tiny_disk, fmt):
    from matcher.errors import OutputFileError
    from matcher.io import write_results

    disk = tiny_disk("2m")
    target = disk / f"result.{fmt}"
    target.write_bytes(b"the previous result")
    fill(disk, leave=32 * 1024)
    with pytest.raises(OutputFileError, match="No space left on device"):
        write_results(target, ((RECORD, {}) for _ in range(3000)))
    assert target.read_bytes() == b"the previous result"  # untouched
    assert sorted(p.name for p in disk.iterdir()) == ["filler", target.name]  # no leftovers


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx"])
def test_write_results_when_a_write_fails_with_enospc(tmp_path, monkeypatch, fmt):
    """The same without a tmpfs: every write after the first 64 KB fails with ENOSPC."""
    import builtins

    from matcher.errors import OutputFileError
    from matcher.io import write_results

    real_open = builtins.open
    budget = {"left": 64 * 1024}

    class Full(io.BufferedWriter):
        def write(self, data):
            budget["left"] -= len(data)
            if budget["left"] < 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return super().write(data)

    def fake_open(file, mode="r", *args, **kwargs):
        if str(file).startswith(str(tmp_path)) and "w" in mode and "b" in mode:
            return Full(real_open(file, mode.replace("b", "") + "b", buffering=0))
        if str(file).startswith(str(tmp_path)) and "w" in mode:
            raw = Full(real_open(file, "wb", buffering=0))
            return io.TextIOWrapper(raw, encoding=kwargs.get("encoding") or "utf-8",
                                    newline=kwargs.get("newline"))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    target = tmp_path / f"result.{fmt}"
    with pytest.raises(OutputFileError, match="No space left on device"):
        write_results(target, ((RECORD, {}) for _ in range(3000)))
    monkeypatch.undo()
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


@pytest.fixture
def app_on_tiny_disk(tiny_disk, make_app):
    disk = tiny_disk("4m")
    app = make_app(f"sqlite:///{disk}/app.db")
    yield app, disk
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("leave", [0, 8 * 1024])
def test_export_on_a_full_disk_is_a_clear_error(app_on_tiny_disk, login, leave):
    from web.db import session_scope
    from web.services.users import create_user

    app, disk = app_on_tiny_disk
    with session_scope(app.extensions["db_engine"]) as s:
        create_user(session=s, username="full1", password="Tr0ub4dor&3-horse-staple")
    client = app.test_client()
    assert login(client, "full1", "Tr0ub4dor&3-horse-staple").status_code == 302
    app.extensions["db_engine"].dispose()  # SQLite folds its WAL back in: the disk is all that
    fill(disk, leave=leave)                # is left to write on
    for fmt in ("csv", "xlsx"):
        r = client.get(f"/leads/export.{fmt}")
        assert r.status_code == 507, r.status_code
        body = r.get_data(as_text=True)
        assert "服务器磁盘已满" in body and "未保存或导出任何内容" in body
        assert "Content-Disposition" not in r.headers and r.mimetype == "text/html"
        assert "Traceback" not in body and "sqlite" not in body.lower()
    (disk / "filler").unlink()
    with client.get("/leads/export.csv") as r:  # space again: it works again
        assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("attachment")


def test_export_when_the_audit_write_hits_a_full_disk(app, officer, signed_in, bearer,
                                                      monkeypatch):
    """Without a tmpfs: SQLite reports a full disk when the export is being audited. The
    export is not handed out unaudited."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    import web.leads

    def full(**_kwargs):
        raise OperationalError("INSERT INTO auditevent ...", {},
                               sqlite3.OperationalError("database or disk is full"))

    browser = signed_in(officer)
    monkeypatch.setattr(web.leads.audit, "record", full)
    r = browser.get("/leads/export.xlsx")
    assert r.status_code == 507 and "Content-Disposition" not in r.headers
    assert "服务器磁盘已满" in r.get_data(as_text=True)


def test_api_writes_on_a_full_disk_answer_507_json(app, client, bearer, monkeypatch):
    from web.services import leads as lead_service

    def full(**_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(lead_service, "create_lead", full)
    r = client.post("/api/v1/leads", headers=bearer, json={"description": CHIP})
    assert r.status_code == 507
    body = r.get_json()
    assert body["code"] == 507 and "disk is full" in body["message"]


# --- PostgreSQL restarted under the app -------------------------------------------------------

def _cluster() -> list[str] | None:
    versions = sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").is_dir() \
        else []
    if not versions or not Path("/usr/bin/pg_ctlcluster").exists():
        return None
    return [versions[-1].parent.name, "main"]


def _pg_ctl(action: str) -> subprocess.CompletedProcess:
    return subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *_cluster(), action],
                          capture_output=True, text=True, check=False, timeout=120)


@pytest.fixture
def pg_schema_url():
    """Like `pg_url`, but holding no connection across the test (the restart would cut it):
    a fresh schema, dropped afterwards over a new connection."""
    import secrets

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from web.db import normalize_url

    base = normalize_url(os.environ.get("TEST_DATABASE_URL")
                         or "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    schema = f"t_{secrets.token_hex(6)}"

    def run(sql: str) -> None:
        engine = create_engine(base, connect_args={"connect_timeout": 3})
        try:
            with engine.begin() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    try:
        run(f'CREATE SCHEMA "{schema}"')
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    try:
        yield make_url(base).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        for _ in range(30):  # the server may still be coming back
            try:
                run(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                break
            except OperationalError:
                time.sleep(1)


@pytest.mark.slow
@pytest.mark.postgres
def test_the_app_survives_a_postgresql_restart(pg_schema_url, make_app, login):
    if _cluster() is None or os.geteuid() != 0:
        pytest.skip("needs a local pg_ctlcluster cluster and root")
    app = make_app(pg_schema_url)
    try:
        from web.db import session_scope
        from web.services.users import create_token, create_user

        with session_scope(app.extensions["db_engine"]) as s:
            user = create_user(session=s, username="pgrestart", password="Pg-officer-Pa55word")
            _tok, raw = create_token(session=s, user=user)
        headers = {"Authorization": f"Bearer {raw}"}
        client = app.test_client()
        assert client.post("/api/v1/leads", headers=headers,
                           json={"description": CHIP}).status_code == 201
        # every pooled connection is open and will be cut by the restart
        with contextlib.ExitStack() as stack:
            for _ in range(3):
                stack.enter_context(app.extensions["db_engine"].connect())
        statuses: list[int] = []
        stop = threading.Event()

        def poll():
            c = app.test_client()
            while not stop.is_set():
                r = c.get("/api/v1/leads", headers=headers)
                statuses.append(r.status_code)
                if r.status_code >= 500:
                    assert r.status_code == 503 and r.headers.get("Retry-After")
                    assert r.get_json()["code"] == 503
                time.sleep(0.05)

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            done = _pg_ctl("restart")
            assert done.returncode == 0, done.stderr
        finally:
            time.sleep(1.0)
            stop.set()
            poller.join(30)
            if "online" not in subprocess.run(["pg_lsclusters", "-h"], capture_output=True,
                                              text=True, check=False).stdout:
                _pg_ctl("start")  # never leave the shared server down
        assert set(statuses) <= {200, 503}, statuses
        # after the restart: stale pooled connections are replaced (pool_pre_ping)
        for _ in range(5):
            assert client.get("/api/v1/leads", headers=headers).status_code == 200
        r = client.post("/api/v1/leads", headers=headers, json={"description": CHIP})
        assert r.status_code == 201
        assert client.get("/api/v1/leads", headers=headers).get_json()["total"] == 2
        assert login(app.test_client(), "pgrestart", "Pg-officer-Pa55word").status_code == 302
    finally:
        app.extensions["db_engine"].dispose()
