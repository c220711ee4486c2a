"""Score a lead list on a Dask cluster: `python -m matcher score IN -o OUT --engine dask`.

The file is read here, in order, chunk by chunk (memory stays bounded by the chunk size and the
number of chunks in flight, not by the file's size); each chunk is scored on a cluster worker,
which builds its own `Matcher` once and keeps it; results are gathered in input order and written
here with the same writer as the local engine, so the output is byte-identical to
`--engine local` for the same input.

Needs the optional extra: `pip install -e '.[dask]'`. Without `--scheduler` a LocalCluster with
one single-threaded worker process per core is started (and stopped) for the run; with
`--scheduler tcp://host:8786` the chunks go to an existing cluster, whose workers must have this
project installed (same taxonomy and model version) to import `matcher`.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from matcher.batch import BatchSummary, score_chunk, write_scored
from matcher.errors import MatcherError
from matcher.io import open_leads

_worker_lock = threading.Lock()
_worker_matchers: dict = {}


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


# What a flat (CSV/XLSX) row reads of a record: matcher.io.writer.flatten_record uses the first
# few items of each list and none of their citations; the rest need not travel back.
_FLAT_ITEMS = {"industries": 3, "districts": 3, "parks": 5, "policies": 5}
_FLAT_DROP = {"sources", "why", "conditions", "title_en", "name_en", "path_en", "why_en",
              "conditions_en", "verify", "verify_en", "reasons_en"}


def slim_record(record: dict) -> dict:
    """The part of a §5 record that a CSV or XLSX row is made of (same flat row)."""
    if "error" in record:
        return record
    slim = {k: v for k, v in record.items() if k not in _FLAT_ITEMS and k != "parsed"}
    for key, n in _FLAT_ITEMS.items():
        slim[key] = [{k: v for k, v in item.items() if k not in _FLAT_DROP}
                     for item in record.get(key, [])[:n]]
    return slim


def score_chunk_remote(chunk: list, taxonomy_dir=None, model_dir=None,
                       slim: bool = False) -> list[tuple[dict, dict]]:
    """Runs on a Dask worker: score one chunk with the worker's cached matcher."""
    scored = score_chunk(_matcher_for(taxonomy_dir, model_dir), chunk)
    if slim:
        scored = [(slim_record(record), extra) for record, extra in scored]
    return scored


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
                    chunk_size: int = 1000, errors_path: str | Path | None = None,
                    taxonomy_dir=None, model_dir=None,
                    progress: Callable[[int], None] | None = None,
                    mapping: dict | None = None, n_workers: int | None = None,
                    max_in_flight: int | None = None,
                    header_row: int | None = None) -> BatchSummary:
    """Score a whole lead list on a Dask cluster into `output_path`; same output as
    `matcher.batch.score_file`."""
    started = time.perf_counter()
    lead = open_leads(input_path, encoding=encoding, mapping=mapping, header_row=header_row)
    summary = BatchSummary(encoding=lead.encoding, mapping=dict(lead.mapping),
                           header_row=lead.header_row)
    taxonomy_dir = str(taxonomy_dir) if taxonomy_dir else None
    model_dir = str(model_dir) if model_dir else None
    # a CSV or XLSX row needs a small part of each record: only that comes back from the cluster
    slim = Path(output_path).suffix.lower() in (".csv", ".xlsx")
    client, cluster = _client(scheduler, n_workers)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or (n_workers or 1))
        limit = max_in_flight or 2 * workers

        def scored_chunks():
            pending: deque = deque()
            for chunk in lead.chunks(chunk_size):
                pending.append(client.submit(score_chunk_remote, chunk, taxonomy_dir,
                                             model_dir, slim, pure=False))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

        write_scored(scored_chunks(), output_path, summary, progress=progress,
                     errors_path=errors_path)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - started
    return summary


__all__ = ["score_chunk_remote", "score_file_dask"]
