"""The background worker for batch-scoring jobs: `python -m web.worker` (or
`flask --app web worker`); `make run` starts it beside the web server.

A loop: claim queued jobs (or running jobs whose worker stopped beating) with one atomic UPDATE,
at most JOB_CONCURRENCY running at once across all workers; score each chunk by chunk, round
robin between the claimed jobs, committing every chunk's results with its progress; check for
cancellation between chunks. A killed worker's jobs are taken over once their heartbeat is older
than JOB_STALE_SECONDS and resume from their last committed chunk. No broker: the database is the
queue (SQLite or PostgreSQL).

Each job is scored on one taxonomy version, recorded on the job (`Job.taxonomy_version`; the
records and the catalogue carry it too). Before taking a new job the worker compares the current
taxonomy with its matcher's: after a change (a curator applied a draft, an admin changed a plan's
status) it lets the jobs running on the old version finish, then loads the new matcher and forks
its scoring processes again. A job resumed after a crash on a version that is no longer current
is scored again from its first row on the current one.

Settings (app config or environment): JOB_CONCURRENCY (default 1), JOB_PROCESSES (scoring
processes per worker, default: one per core), JOB_POLL_SECONDS (1), JOB_HEARTBEAT_SECONDS (5),
JOB_STALE_SECONDS (30), JOBS_DIR.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import multiprocessing as mp
import os
import signal
import socket
import sys
import threading
import uuid
from pathlib import Path

from sqlalchemy.exc import OperationalError

from web.services import jobs as job_service

log = logging.getLogger("web.worker")


def _die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Linux: ask the kernel to signal this process when its parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, sig)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        parent = os.getppid()

        def watch():
            while True:
                if os.getppid() != parent:
                    os._exit(0)
                threading.Event().wait(1.0)

        threading.Thread(target=watch, daemon=True).start()


def _pool_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(signal.SIGKILL)


def _load_matcher(taxonomy_dir=None, model_dir=None):
    if taxonomy_dir or model_dir:
        from matcher import Matcher
        from taxonomy import get_taxonomy

        return Matcher(get_taxonomy(taxonomy_dir), model_dir=model_dir)
    from matcher import get_matcher

    return get_matcher()


class Worker:
    """Claims and runs jobs until stopped (or, with once=True, until no job is left)."""

    def __init__(self, app, *, matcher=None, concurrency: int | None = None,
                 processes: int | None = None, poll: float | None = None,
                 stale_seconds: float | None = None, heartbeat_seconds: float | None = None,
                 taxonomy_dir=None, model_dir=None, worker_id: str | None = None):
        cfg = app.config
        self.engine = app.extensions["db_engine"]
        self.base = job_service.jobs_dir(cfg)
        self.concurrency = concurrency or job_service.setting(cfg, "JOB_CONCURRENCY", 1)
        self.processes = processes or job_service.setting(cfg, "JOB_PROCESSES",
                                                          os.cpu_count() or 1)
        self.poll = poll if poll is not None else job_service.setting(cfg, "JOB_POLL_SECONDS", 1.0)
        self.stale = stale_seconds or job_service.setting(cfg, "JOB_STALE_SECONDS", 30.0)
        self.beat = heartbeat_seconds or job_service.setting(cfg, "JOB_HEARTBEAT_SECONDS",
                                                             min(5.0, self.stale / 3))
        self.worker_id = worker_id or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.matcher = matcher
        self.pinned = matcher is not None  # a given matcher is used as it is, never reloaded
        self.taxonomy_dir, self.model_dir = taxonomy_dir, model_dir
        self.stop = threading.Event()
        self.runs: dict[int, job_service.JobRun] = {}
        self._lock = threading.Lock()
        self.pool = None

    # -- setup
    def _setup(self) -> None:
        if self.matcher is None:
            self.matcher = _load_matcher(self.taxonomy_dir, self.model_dir)
        job_service.set_matcher(self.matcher)
        self._start_pool()
        threading.Thread(target=self._heartbeat, name="job-heartbeat", daemon=True).start()

    def _start_pool(self) -> None:
        if self.processes > 1:  # forked after the matcher is loaded: the pages are shared
            self.pool = mp.get_context("fork").Pool(self.processes, initializer=_pool_init)

    def _stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def _taxonomy_changed(self) -> bool:
        """Whether the taxonomy now differs from the one the loaded matcher scores on."""
        if self.pinned:
            return False
        from taxonomy import TaxonomyError, get_taxonomy

        try:
            return get_taxonomy(self.taxonomy_dir).version != self.matcher.version
        except TaxonomyError:  # a folder being edited that does not load: keep what works
            log.exception("the taxonomy cannot be loaded; scoring on %s", self.matcher.version)
            return False

    def _reload(self) -> None:
        """Load the current taxonomy's matcher (its model fitted or loaded) and fork the
        scoring processes again, so that no job is scored on a stale model."""
        old = self.matcher.version
        self.matcher = _load_matcher(self.taxonomy_dir, self.model_dir)
        self._stop_pool()
        job_service.set_matcher(self.matcher)
        self._start_pool()
        log.info("taxonomy changed from %s to %s: matcher reloaded", old, self.matcher.version)

    def _heartbeat(self) -> None:
        while not self.stop.wait(self.beat):
            with self._lock:
                ids = list(self.runs)
            try:
                job_service.heartbeat(self.engine, worker_id=self.worker_id, job_ids=ids)
            except Exception:
                log.exception("heartbeat failed")

    # -- the loop
    def _claim(self) -> None:
        """Take new jobs up to the concurrency; after a taxonomy change, first let the jobs
        running on the previous one finish, then reload (a job is scored on one version)."""
        if len(self.runs) < self.concurrency and self._taxonomy_changed():
            if self.runs:
                return
            self._reload()
        while len(self.runs) < self.concurrency and not self.stop.is_set():
            job_id = job_service.claim_job(self.engine, worker_id=self.worker_id,
                                           concurrency=self.concurrency,
                                           stale_seconds=self.stale)
            if job_id is None:
                return
            run = job_service.JobRun(self.engine, job_id, worker_id=self.worker_id,
                                     base=self.base, matcher=self.matcher, pool=self.pool,
                                     in_flight=2 * self.processes)
            with self._lock:
                self.runs[job_id] = run
            log.info("job %s: claimed by %s", job_id, self.worker_id)
            try:
                run.start()
            except job_service.LostJob:
                self._forget(job_id)
            except Exception as exc:
                log.exception("job %s: cannot start", job_id)
                run.fail(str(exc) if isinstance(exc, job_service.InputFileError)
                         else f"internal error: {exc}")
                self._forget(job_id)

    def _forget(self, job_id: int) -> None:
        with self._lock:
            self.runs.pop(job_id, None)

    def run(self, *, once: bool = False) -> int:
        self._setup()
        log.info("worker %s: concurrency %s, %s scoring process(es)", self.worker_id,
                 self.concurrency, self.processes)
        try:
            while not self.stop.is_set():
                try:
                    self._claim()
                except OperationalError:
                    log.exception("cannot look at the queue; trying again")
                    self.stop.wait(max(self.poll, 2.0))
                    continue
                if not self.runs:
                    if once:
                        break
                    self.stop.wait(self.poll)
                    continue
                for job_id, run in list(self.runs.items()):
                    if self.stop.is_set():
                        break
                    try:
                        more = run.step()
                    except job_service.LostJob as exc:
                        log.warning("%s", exc)
                        more = False
                    except OperationalError:
                        # the database is unreachable or locked: leave the job as it is; it is
                        # taken up again (here or by another worker) once its heartbeat is stale
                        log.exception("job %s: database error; will resume later", job_id)
                        run._drain()
                        self._forget(job_id)
                        self.stop.wait(self.poll)
                        continue
                    except Exception as exc:
                        log.exception("job %s: failed", job_id)
                        run.fail(f"internal error: {exc}")
                        more = False
                    if not more:
                        log.info("job %s: %s", job_id, run.final)
                        self._forget(job_id)
        finally:
            self._shutdown()
        return 0

    def _shutdown(self) -> None:
        self.stop.set()
        for job_id, run in list(self.runs.items()):
            run._drain()
            try:
                job_service.release_job(self.engine, worker_id=self.worker_id, job_id=job_id)
            except Exception:
                log.exception("job %s: could not hand it back to the queue", job_id)
        self.runs.clear()
        self._stop_pool()


def run_pending_jobs(app, *, matcher=None, processes: int = 1, **kwargs) -> None:
    """Run every claimable job to its end in this process, then return (tests, scripts)."""
    Worker(app, matcher=matcher, processes=processes, **kwargs).run(once=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m web.worker", description=__doc__.split("\n\n")[0])
    ap.add_argument("--once", action="store_true", help="exit when no job is left to run")
    ap.add_argument("--concurrency", type=int, help="jobs running at once (JOB_CONCURRENCY)")
    ap.add_argument("--processes", type=int, help="scoring processes (JOB_PROCESSES)")
    ap.add_argument("--poll", type=float, help="seconds between looks at the queue")
    ap.add_argument("--taxonomy", help="taxonomy data folder (default: the packaged one)")
    ap.add_argument("--model-dir", default=os.environ.get("MATCHER_MODEL_DIR"))
    ap.add_argument("--nice", type=int, default=int(os.environ.get("JOB_NICE", "5")),
                    help="lower this worker's CPU priority so web requests come first (default 5)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s worker[%(process)d] %(levelname)s %(message)s")
    if args.nice > 0:
        with contextlib.suppress(OSError):
            os.nice(args.nice)
    from web import create_app

    app = create_app()
    worker = Worker(app, concurrency=args.concurrency, processes=args.processes, poll=args.poll,
                    taxonomy_dir=args.taxonomy and Path(args.taxonomy), model_dir=args.model_dir)

    def _stop(signum, _frame):
        log.info("signal %s: stopping after the current chunk", signum)
        worker.stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    return worker.run(once=args.once)


if __name__ == "__main__":
    sys.exit(main())
