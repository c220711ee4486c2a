"""Running a claimed job: chunks scored (in this process or a pool), each chunk's files written
before its checkpoint is committed, resume after a crash, cancel, and the final assembly."""

from __future__ import annotations

import contextlib
import logging
import shutil
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import orjson
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from matcher.batch import ChunkRenderer, RunSpec, description_header
from matcher.errors import InputFileError
from matcher.io.writer import flatten_record
from matcher.memo import remembering
from web.models import Job, JobChunk, utcnow
from web.services.jobs.paths import chunk_files, job_folder, write_atomic
from web.services.jobs.queue import heartbeat
from web.services.jobs.results import assemble_results, build_xlsx, result_columns
from web.services.jobs.upload import open_job_file
from web.services.jobs.validation import count_rows

log = logging.getLogger("web.jobs")


class LostJob(Exception):
    """Another worker owns the job now (this one was thought dead), or it was taken away."""


# Set in the process that scores (the worker, or each pool process after fork).
_MATCHER = None


def set_matcher(matcher) -> None:
    """The matcher this process scores with; a new one forgets the old one's memories."""
    global _MATCHER
    if matcher is not _MATCHER:
        _FAST.clear()
        _RUNS.clear()
    _MATCHER = matcher


# Per process: the remembering copy of each matcher (its memories serve every job) and one
# renderer per job run (its catalogue holds what that run's chunks refer to), newest last.
_FAST: dict[int, object] = {}
_RUNS: OrderedDict[str, ChunkRenderer] = OrderedDict()


def _renderer(matcher, run_key: str, description_header: str | None) -> ChunkRenderer:
    renderer = _RUNS.get(run_key)
    if renderer is None:
        fast = _FAST.get(id(matcher))
        if fast is None:
            _FAST.clear()
            fast = _FAST[id(matcher)] = remembering(matcher)
        renderer = ChunkRenderer(matcher, RunSpec(fmt="jsonl", detail="list",
                                                  description_header=description_header),
                                 fast=fast)
        _RUNS[run_key] = renderer
        while len(_RUNS) > 8:
            _RUNS.popitem(last=False)
    return renderer


def score_chunk_to_files(index: int, chunk: list, folder: str, matcher=None,
                         run_key: str = "", description_header: str | None = None
                         ) -> tuple[int, int, int, int]:
    """Score one chunk and write its result files (list records, flat rows, the catalogue
    entries new to this run in this process); (index, first row, rows, failed).

    Runs in the worker or in one of its pool processes: only these four numbers travel back."""
    renderer = _renderer(matcher or _MATCHER, run_key, description_header)
    scored = renderer.score(chunk)
    records_path, flat_path, catalogue_path = chunk_files(Path(folder), index)
    records_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(records_path, b"".join(orjson.dumps(renderer.record_of(r, x)) + b"\n"
                                        for r, x in scored))
    write_atomic(flat_path, b"".join(orjson.dumps(flatten_record(r, x)) + b"\n"
                                     for r, x in scored))
    write_atomic(catalogue_path, orjson.dumps({"taxonomy_version": renderer.matcher.version,
                                               **renderer.catalogue.take_new()}))
    failed = sum(1 for r, _ in scored if "error" in r)
    first = chunk[0][0] if chunk else 0
    return index, first, len(scored), failed


class JobRun:
    """One claimed job being scored by this worker. `step()` scores and commits the next chunk(s);
    it returns False once the job has reached a final state (or was lost)."""

    def __init__(self, engine, job_id: int, *, worker_id: str, base: Path, matcher=None,
                 pool=None, in_flight: int = 2):
        self.engine = engine
        self.job_id = job_id
        self.worker_id = worker_id
        self.base = Path(base)
        self.matcher = matcher
        self.pool = pool
        self.in_flight_max = max(1, in_flight)
        self.pending: list = []
        self.chunks: Iterator | None = None
        self.done: set[int] = set()
        self.rows_done = 0
        self.rows_failed = 0
        self.next_index = 0
        self.exhausted = False
        self.final: str | None = None

    # -- helpers
    def _job(self) -> Job:
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as s:
            job = s.get(Job, self.job_id)
        if job is None:
            raise LostJob(f"job {self.job_id} no longer exists")
        return job

    def _fenced(self, conn, **values) -> None:
        result = conn.execute(update(Job).where(Job.id == self.job_id,
                                                Job.worker_id == self.worker_id,
                                                Job.status == "running").values(**values))
        if result.rowcount != 1:
            raise LostJob(f"job {self.job_id} is no longer ours")

    def _finish(self, status: str, error: str = "") -> None:
        with self.engine.begin() as conn:
            self._fenced(conn, status=status, error=error[:4000], finished_at=utcnow(),
                         heartbeat_at=utcnow(), rows_done=self.rows_done,
                         rows_failed=self.rows_failed)
        self.final = status
        if status in ("cancelled", "failed") and getattr(self, "folder", None) is not None:
            shutil.rmtree(self.folder / "chunks", ignore_errors=True)  # no resume after these

    # -- lifecycle
    def start(self) -> None:
        job = self._job()
        self.job = job
        self.folder = job_folder(self.base, job)
        (self.folder / "chunks").mkdir(parents=True, exist_ok=True)
        lead = open_job_file(self.base, job)
        lead.keep_input = True
        self.run_key = f"{job.id}:{uuid.uuid4().hex}"
        self.description_header = description_header(lead.mapping)
        self.columns = result_columns(lead)
        version = (self.matcher or _MATCHER).version
        with self.engine.begin() as conn:
            recorded = conn.execute(select(JobChunk.chunk_index, JobChunk.n_rows,
                                           JobChunk.n_failed)
                                    .where(JobChunk.job_id == job.id)).all()
            if recorded and job.taxonomy_version not in (None, version):
                # scored in part on another taxonomy: start again, every row on this one
                log.info("job %s: taxonomy changed from %s to %s; scoring again from the "
                         "first row", job.id, job.taxonomy_version, version)
                conn.execute(JobChunk.__table__.delete().where(JobChunk.job_id == job.id))
                shutil.rmtree(self.folder / "chunks", ignore_errors=True)
                (self.folder / "chunks").mkdir(parents=True, exist_ok=True)
                recorded = []
            missing = []
            for index, n_rows, n_failed in recorded:
                if all(p.exists() for p in chunk_files(self.folder, index)):
                    self.done.add(index)
                    self.rows_done += n_rows
                    self.rows_failed += n_failed
                else:
                    missing.append(index)
            if missing:  # a result file was lost: score that chunk again
                conn.execute(JobChunk.__table__.delete().where(JobChunk.job_id == job.id,
                                                                JobChunk.chunk_index.in_(missing)))
            values = {"rows_done": self.rows_done, "rows_failed": self.rows_failed,
                      "heartbeat_at": utcnow(), "taxonomy_version": version}
            if job.rows_total is None:
                values["rows_total"] = count_rows(lead)
            self._fenced(conn, **values)
        self.rows_total = values.get("rows_total", job.rows_total)
        self.chunks = enumerate(lead.chunks(job.chunk_size))
        if self.done:
            log.info("job %s: resuming, %d chunks (%d rows) already done", job.id,
                     len(self.done), self.rows_done)

    def _cancel_requested(self) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.execute(select(Job.cancel_requested)
                                     .where(Job.id == self.job_id)).scalar())

    def _next_chunk(self):
        for index, chunk in self.chunks:
            if index not in self.done:
                return index, chunk
        self.exhausted = True
        return None

    def _commit(self, index: int, first: int, n_rows: int, failed: int) -> None:
        records_path = chunk_files(self.folder, index)[0]
        try:
            with self.engine.begin() as conn:
                conn.execute(JobChunk.__table__.insert().values(
                    job_id=self.job_id, chunk_index=index, first_row=first, n_rows=n_rows,
                    n_failed=failed, result_path=str(records_path.relative_to(self.folder)),
                    done_at=utcnow()))
                self._fenced(conn, rows_done=self.rows_done + n_rows,
                             rows_failed=self.rows_failed + failed, heartbeat_at=utcnow())
        except IntegrityError as exc:  # another worker recorded this chunk: it owns the job
            raise LostJob(f"job {self.job_id}: chunk {index} recorded by another worker") from exc
        self.done.add(index)
        self.rows_done += n_rows
        self.rows_failed += failed

    def step(self) -> bool:
        """Score and commit the next chunk(s); False when the job has ended here."""
        if self.final is not None:
            return False
        try:
            if self._cancel_requested():
                self._drain()
                self._finish("cancelled")
                return False
            if self.pool is None:
                item = self._next_chunk()
                if item is not None:
                    index, chunk = item
                    self._commit(*score_chunk_to_files(index, chunk, str(self.folder),
                                                       self.matcher,
                                                       self.run_key, self.description_header))
                    return True
            else:
                while not self.exhausted and len(self.pending) < self.in_flight_max:
                    item = self._next_chunk()
                    if item is None:
                        break
                    index, chunk = item
                    self.pending.append(self.pool.apply_async(
                        score_chunk_to_files, (index, chunk, str(self.folder), None,
                                               self.run_key, self.description_header)))
                if self.pending:
                    self._commit(*self.pending.pop(0).get())
                    return True
            self._finalize()
            return False
        except LostJob:
            self._drain()
            self.final = "lost"
            raise
        except InputFileError as exc:
            self._drain()
            self._finish("failed", str(exc))
            return False

    def _drain(self) -> None:
        for pending in self.pending:  # results of an abandoned step do not matter
            with contextlib.suppress(Exception):
                pending.get()
        self.pending = []

    def _finalize(self) -> None:
        """All chunks scored: assemble the result files in chunk order, then mark done."""
        with self.engine.connect() as conn:
            indexes = sorted(conn.execute(select(JobChunk.chunk_index)
                                          .where(JobChunk.job_id == self.job_id)).scalars())
        expected = list(range(len(indexes)))
        if indexes != expected:
            raise LostJob(f"job {self.job_id}: chunk records {indexes[:5]}... are not contiguous")
        heartbeat(self.engine, worker_id=self.worker_id, job_ids=[self.job_id])
        assemble_results(self.folder, indexes, self.columns)
        self._finish("done")
        shutil.rmtree(self.folder / "chunks", ignore_errors=True)
        try:
            build_xlsx(self.folder, self.columns)
        except Exception:  # the download builds it on demand
            log.exception("job %s: building the XLSX result failed", self.job_id)

    def run(self) -> str:
        """Run to the end in this thread; returns the final status."""
        self.start()
        while self.step():
            pass
        return self.final or "lost"

    def fail(self, error: str) -> None:
        self._drain()
        try:
            self._finish("failed", error)
        except LostJob:
            self.final = "lost"
