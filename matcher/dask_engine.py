"""Score a lead list on a Dask cluster: `python -m matcher score IN -o OUT --engine dask`.

The file is read here, in order, chunk by chunk (memory stays bounded by the chunk size and the
number of chunks in flight, not by the file's size); each chunk is scored on a cluster worker,
which builds its own `Matcher` once and keeps it, scores the chunk with the same remembering
renderer as a local worker and sends back the chunk's output bytes (list records, CSV lines or
flat rows) and its new catalogue entries; they are assembled here in input order with the same
code as the local engine, so the output and its catalogue are byte-identical to
`--engine local` for the same input.

Needs the optional extra: `pip install -e '.[dask]'`. Without `--scheduler` a LocalCluster with
one single-threaded worker process per core is started (and stopped) for the run; with
`--scheduler tcp://host:8786` the chunks go to an existing cluster, whose workers must have this
project installed (same taxonomy and model version) to import `matcher`.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path

from matcher.batch import CHUNK_SIZE, BatchSummary, ChunkRenderer, RunSpec, assemble, open_run
from matcher.errors import MatcherError
from matcher.records import Catalogue

_worker_lock = threading.Lock()
_worker_matchers: dict = {}
_worker_renderers: dict = {}


def _matcher_for(taxonomy_dir, model_dir):
    """The matcher of this worker process for (taxonomy, model dir), built on first use."""
    key = (str(taxonomy_dir or ""), str(model_dir or ""))
    with _worker_lock:
        matcher = _worker_matchers.get(key)
        if matcher is None:
            from matcher.engine import Matcher
            from taxonomy import get_taxonomy

            matcher = Matcher(get_taxonomy(taxonomy_dir), model_dir=model_dir)
            _worker_matchers[key] = matcher
        return matcher


def score_chunk_remote(chunk: list, taxonomy_dir, model_dir, spec: RunSpec,
                       run: str) -> tuple[bytes, dict]:
    """Runs on a Dask worker: score and render one chunk with the worker's cached matcher and
    this run's renderer (its memories and catalogue); the same bytes as the local engine's."""
    matcher = _matcher_for(taxonomy_dir, model_dir)
    with _worker_lock:
        renderer = _worker_renderers.get(run)
        if renderer is None:
            for old in list(_worker_renderers)[:-3]:  # a few recent runs at most
                del _worker_renderers[old]
            renderer = _worker_renderers[run] = ChunkRenderer(matcher, spec)
    return renderer.chunk(chunk)


def _client(scheduler: str | None, n_workers: int | None):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise MatcherError("the dask engine needs the optional extra: "
                           "pip install -e '.[dask]'") from exc
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1,
                           processes=True, dashboard_address=None)
    return Client(cluster), cluster


def score_file_dask(input_path: str | Path, output_path: str | Path, *,
                    scheduler: str | None = None, encoding: str | None = None,
                    chunk_size: int = CHUNK_SIZE, errors_path: str | Path | None = None,
                    taxonomy_dir=None, model_dir=None,
                    progress: Callable[[int], None] | None = None,
                    mapping: dict | None = None, n_workers: int | None = None,
                    max_in_flight: int | None = None, header_row: int | None = None,
                    detail: str = "list") -> BatchSummary:
    """Score a whole lead list on a Dask cluster into `output_path`; same output as
    `matcher.batch.score_file`."""
    started = time.perf_counter()
    lead, spec, summary, folder = open_run(input_path, output_path, encoding=encoding,
                                           mapping=mapping, header_row=header_row, detail=detail)
    taxonomy_dir = str(taxonomy_dir) if taxonomy_dir else None
    model_dir = str(model_dir) if model_dir else None
    run = uuid.uuid4().hex
    try:
        client, cluster = _client(scheduler, n_workers)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or (n_workers or 1))
        limit = max_in_flight or 2 * workers
        catalogue = None
        if detail == "list":
            version = client.submit(_version, taxonomy_dir, model_dir, pure=False).result()
            catalogue = Catalogue(taxonomy_version=version)

        def metas():
            pending: deque = deque()

            def finish(index, future):
                data, meta = future.result()
                part = folder / f"{index:06d}.part"
                part.write_bytes(data)
                meta["path"] = str(part)
                return meta

            for index, chunk in enumerate(lead.chunks(chunk_size)):
                pending.append((index, client.submit(score_chunk_remote, chunk, taxonomy_dir,
                                                     model_dir, spec, run, pure=False)))
                if len(pending) >= limit:
                    yield finish(*pending.popleft())
            while pending:
                yield finish(*pending.popleft())

        assemble(output_path, spec, metas(), summary, progress=progress, errors_path=errors_path,
                 catalogue=catalogue)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        client.close()
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _version(taxonomy_dir, model_dir) -> str:
    return _matcher_for(taxonomy_dir, model_dir).version


__all__ = ["score_chunk_remote", "score_file_dask"]
