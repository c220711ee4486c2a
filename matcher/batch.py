"""Batch scoring of lead lists: read in chunks, score, write; per-row errors never stop a run."""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from matcher.engine import Matcher
from matcher.errors import InputFileError
from matcher.io import flatten_record, open_leads, write_results
from matcher.io.writer import FLAT

PASSTHROUGH = ("name", "credit_code")


@dataclass
class BatchSummary:
    rows: int = 0
    errors: int = 0
    seconds: float = 0.0
    encoding: str | None = None
    mapping: dict = field(default_factory=dict)
    header_row: int | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def score_chunk(matcher: Matcher, chunk: list[tuple[int, dict | Exception]]) -> list[tuple[dict, dict]]:
    """(record, passthrough) pairs for one chunk, in order; file errors become error records."""
    good = [(n, item) for n, item in chunk if isinstance(item, dict)]
    records = {}
    for (n, raw), rec in zip(good, matcher.match_many([raw for _, raw in good]), strict=True):
        rec["row"] = n
        records[n] = (rec, {k: raw.get(k, "") for k in PASSTHROUGH})
    out = []
    for n, item in chunk:
        if isinstance(item, dict):
            out.append(records[n])
        else:
            out.append(({"row": n, "error": str(item), "error_zh": getattr(item, "zh", "")
                         or str(item)}, {}))
    return out


# Set in the parent just before the pool forks: workers inherit the loaded matcher (no reload).
_worker_matcher: Matcher | None = None
_worker_flat = False


def _score_in_worker(chunk):
    scored = score_chunk(_worker_matcher, chunk)
    if _worker_flat:  # flatten where the work is done: far less to send back
        return [(flatten_record(record, extra), FLAT) for record, extra in scored]
    return scored


def score_chunks(chunks: Iterable[list], *, matcher: Matcher | None = None, workers: int = 1,
                 taxonomy_dir=None, model_dir=None,
                 flat: bool = False) -> Iterator[list[tuple[dict, dict]]]:
    """Score chunks in order, in this process or in a pool of `workers` processes.

    With `flat=True` the pairs are (flat row, FLAT) ready for a CSV or XLSX writer."""
    global _worker_matcher, _worker_flat
    if matcher is None:
        from taxonomy import get_taxonomy

        matcher = Matcher(get_taxonomy(taxonomy_dir), model_dir=model_dir)
    if workers <= 1 or mp.get_start_method(allow_none=True) not in (None, "fork"):
        for chunk in chunks:
            scored = score_chunk(matcher, chunk)
            yield [(flatten_record(r, e), FLAT) for r, e in scored] if flat else scored
        return
    _worker_matcher, _worker_flat = matcher, flat
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            pending: deque = deque()  # at most 2 chunks per worker in flight: bounded memory
            for chunk in chunks:
                pending.append(pool.apply_async(_score_in_worker, (chunk,)))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _worker_matcher, _worker_flat = None, False


def score_file(input_path: str | Path, output_path: str | Path, *, matcher: Matcher | None = None,
               encoding: str | None = None, mapping: dict | None = None, chunk_size: int = 1000,
               header_row: int | None = None, workers: int = 1, progress: Callable[[int], None] | None = None,
               errors_path: str | Path | None = None, taxonomy_dir=None,
               model_dir=None) -> BatchSummary:
    """Score a whole lead list into `output_path`; returns counts and timing."""
    started = time.perf_counter()
    lead = open_leads(input_path, encoding=encoding, mapping=mapping, header_row=header_row)
    summary = BatchSummary(encoding=lead.encoding, mapping=dict(lead.mapping),
                           header_row=lead.header_row)
    flat = Path(output_path).suffix.lower() in (".csv", ".xlsx")
    scored = score_chunks(lead.chunks(chunk_size), matcher=matcher, workers=workers,
                          taxonomy_dir=taxonomy_dir, model_dir=model_dir, flat=flat)
    write_scored(scored, output_path, summary, progress=progress, errors_path=errors_path)
    summary.seconds = time.perf_counter() - started
    return summary


def write_scored(scored_chunks: Iterable[list[tuple[dict, dict]]], output_path, summary, *,
                 progress: Callable[[int], None] | None = None, errors_path=None) -> None:
    """Write scored chunks in order, counting rows and errors into `summary` (both engines)."""
    error_rows: list[dict] = []

    def records():
        for scored in scored_chunks:
            for record, extra in scored:
                summary.rows += 1
                if record.get("error"):
                    summary.errors += 1
                    error_rows.append(record)
                yield record, extra
            if progress:
                progress(len(scored))

    write_results(output_path, records())
    if errors_path is not None:
        write_results(errors_path, ((r, {}) for r in error_rows))


__all__ = ["BatchSummary", "InputFileError", "score_chunk", "score_chunks", "score_file",
           "write_scored"]
