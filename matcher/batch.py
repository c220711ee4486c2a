"""Batch scoring of lead lists: read in chunks, score, write; per-row errors never stop a run.

The parent reads the list and hands out chunks; each chunk is scored by a remembering copy of
the matcher (`matcher.memo`: identical inputs scored once per process) and rendered to the
output's bytes where it was scored. In a local pool every worker process writes its own chunk
file, so only counts and new catalogue entries travel back; the parent appends the files in
order (the XLSX writer reads the flat rows back). Records are list records by default
(`detail="list"`, see `matcher.records`), with the run's catalogue written beside a JSONL output
as `<name>.catalogue.json`; `detail="full"` writes full §5 records. Every row also carries the
input's own columns (`input` in a record, the same columns after the scores in CSV and XLSX).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from matcher.engine import Matcher
from matcher.errors import InputFileError, OutputFileError
from matcher.io import open_leads
from matcher.io.reader import INPUT_KEY
from matcher.io.writer import (
    FLAT,
    FLAT_COLUMNS,
    _Atomic,
    csv_lines,
    flatten_record,
    input_columns,
    write_results,
)
from matcher.memo import remembering
from matcher.records import DETAILS, Catalogue

PASSTHROUGH = ("name", "credit_code")
# rows per chunk: large enough that a chunk's feature product is one matrix product, small
# enough that a worker's records and features of one chunk stay a few tens of MB
CHUNK_SIZE = 500
FORMATS = ("jsonl", "csv", "xlsx")


@dataclass
class BatchSummary:
    rows: int = 0
    errors: int = 0
    seconds: float = 0.0
    encoding: str | None = None
    mapping: dict = field(default_factory=dict)
    header_row: int | None = None
    detail: str = "list"
    catalogue_path: Path | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _own_columns(raw: dict, description_header: str | None) -> dict:
    cells = raw.get(INPUT_KEY)
    if not cells:
        return {}
    return {k: v for k, v in cells.items() if k and k != description_header}


def score_chunk(matcher: Matcher, chunk: list[tuple[int, dict | Exception]],
                description_header: str | None = None) -> list[tuple[dict, dict]]:
    """(record, extras) pairs for one chunk, in order; file errors become error records. The
    extras are the passthrough fields and the row's own columns (`input`) when it has them.
    With a remembering matcher (`matcher.memo.remembering`), rows whose scoring inputs were
    seen before in the run (or earlier in the chunk) are scored once and copied."""
    rows = getattr(matcher, "rows", None)
    if rows is not None and rows.idle:
        rows = None
    good = [(n, item) for n, item in chunk if isinstance(item, dict)]
    keys = [rows.key(raw) for _, raw in good] if rows is not None else [None] * len(good)
    todo, fresh, copies = [], {}, []
    for (n, raw), key in zip(good, keys, strict=True):
        seen = None if key is None or key in fresh else rows.get(key)
        if key in fresh:
            rows.memory.hits += 1  # a repeat within the chunk is one the memory saves too
        if seen is not None or key in fresh:
            copies.append((n, raw, key, seen))
        else:
            if key is not None:
                fresh[key] = None
            todo.append((n, raw, key))
    records = {}
    for (n, _raw, key), rec in zip(todo, matcher.match_many([raw for _, raw, _ in todo]),
                                  strict=True):
        rec["row"] = n
        records[n] = rec
        if key is not None:
            fresh[key] = orjson.dumps(rec)
            rows.put(key, fresh[key])
    for n, raw, key, seen in copies:
        records[n] = rows.copy_for(seen or fresh[key], n, raw)
    out = []
    for n, item in chunk:
        if isinstance(item, dict):
            extra = {k: item.get(k, "") for k in PASSTHROUGH}
            own = _own_columns(item, description_header)
            if own:
                extra["input"] = own
            out.append((records[n], extra))
        else:
            out.append(({"row": n, "error": str(item), "error_en": str(item),
                         "error_zh": getattr(item, "zh", "") or str(item)}, {}))
    return out


def description_header(mapping: dict) -> str | None:
    return next((h for h, f in mapping.items() if f == "description"), None)


@dataclass
class RunSpec:
    """What a chunk is rendered to: output format, record detail, the flat columns."""

    fmt: str
    detail: str = "list"
    columns: list[str] = field(default_factory=lambda: list(FLAT_COLUMNS))
    description_header: str | None = None


class ChunkRenderer:
    """Scores chunks with a remembering matcher and renders them to output bytes (one per
    process: its memories and catalogue last for the whole run)."""

    def __init__(self, matcher: Matcher, spec: RunSpec, fast: Matcher | None = None):
        if spec.detail not in DETAILS:
            raise OutputFileError(f"detail must be one of {', '.join(DETAILS)}")
        self.spec = spec
        self.matcher = fast or remembering(matcher)
        self.catalogue = Catalogue(matcher) if spec.detail == "list" else None

    def score(self, chunk: list) -> list[tuple[dict, dict]]:
        return score_chunk(self.matcher, chunk, self.spec.description_header)

    def record_of(self, record: dict, extra: dict) -> dict:
        """The record as written: list or full, with the row's own columns."""
        out = self.catalogue.compact(record) if self.catalogue is not None else record
        if extra.get("input"):
            out = {**out, "input": extra["input"]}
        return out

    def render(self, scored: list[tuple[dict, dict]]) -> bytes:
        fmt = self.spec.fmt
        if fmt == "jsonl":
            return b"".join(orjson.dumps(self.record_of(r, x)) + b"\n" for r, x in scored)
        flats = [flatten_record(r, x) for r, x in scored]
        if fmt == "csv":
            return csv_lines(flats, self.spec.columns).encode("utf-8")
        return b"".join(orjson.dumps(f) + b"\n" for f in flats)  # read back by the XLSX writer

    def chunk(self, chunk: list) -> tuple[bytes, dict]:
        """(output bytes, what the parent needs: rows, errors, error records, catalogue)."""
        scored = self.score(chunk)
        errors = [r for r, _ in scored if r.get("error")]
        data = self.render(scored)  # rendering list records adds the catalogue's new entries
        meta = {"rows": len(scored), "errors": errors,
                "catalogue": self.catalogue.take_new() if self.catalogue is not None else {}}
        return data, meta


# Set in the parent just before the pool forks: workers inherit the loaded matcher (no reload).
_worker_job: tuple | None = None
_worker_renderer: ChunkRenderer | None = None


def _render_to_file(index: int, chunk: list) -> dict:
    """In a worker: score and render one chunk into its own file; returns only its meta."""
    global _worker_renderer
    matcher, spec, folder, renderer_class = _worker_job
    if _worker_renderer is None:
        _worker_renderer = renderer_class(matcher, spec)
    data, meta = _worker_renderer.chunk(chunk)
    part = Path(folder) / f"{index:06d}.part"
    part.write_bytes(data)
    meta["path"] = str(part)
    return meta


def render_chunks(chunks: Iterable[list], spec: RunSpec, folder: Path, *,
                  matcher: Matcher | None = None, workers: int = 1, taxonomy_dir=None,
                  model_dir=None, renderer_class=ChunkRenderer) -> Iterator[dict]:
    """Score and render chunks into part files in `folder`, in this process or a pool of
    `workers` processes (at most two chunks per worker in flight); metas in input order.
    `renderer_class` is for benchmarks (scripts/bench_score.py replays records through the same
    path to measure its reading and writing alone)."""
    global _worker_job, _worker_renderer
    if matcher is None:
        from taxonomy import get_taxonomy

        matcher = Matcher(get_taxonomy(taxonomy_dir), model_dir=model_dir)
    _worker_job, _worker_renderer = (matcher, spec, str(folder), renderer_class), None
    try:
        if workers <= 1 or mp.get_start_method(allow_none=True) not in (None, "fork"):
            for index, chunk in enumerate(chunks):
                yield _render_to_file(index, chunk)
            return
        with mp.get_context("fork").Pool(workers) as pool:
            pending: deque = deque()
            for index, chunk in enumerate(chunks):
                pending.append(pool.apply_async(_render_to_file, (index, chunk)))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _worker_job, _worker_renderer = None, None


def catalogue_path_for(output_path: str | Path) -> Path:
    path = Path(output_path)
    return path.with_name(path.stem + ".catalogue.json")


def assemble(output_path: str | Path, spec: RunSpec, metas: Iterable[dict], summary: BatchSummary,
             *, progress: Callable[[int], None] | None = None, errors_path=None,
             catalogue: Catalogue | None = None) -> None:
    """Append the part files, in order, into the output (atomically); count rows and errors;
    merge the catalogue entries; write the error rows and the catalogue."""
    error_rows: list[dict] = []

    def parts() -> Iterator[Path]:
        for meta in metas:
            summary.rows += meta["rows"]
            summary.errors += len(meta["errors"])
            error_rows.extend(meta["errors"])
            if catalogue is not None:
                catalogue.merge(meta["catalogue"])
            yield Path(meta["path"])
            if progress:
                progress(meta["rows"])

    path = Path(output_path)
    if spec.fmt == "xlsx":
        def flat_rows():
            for part in parts():
                with part.open("rb") as fh:
                    for line in fh:
                        yield orjson.loads(line), FLAT
                part.unlink()

        write_results(path, flat_rows(), fmt="xlsx", columns=spec.columns)
    else:
        with _Atomic(path) as tmp, open(tmp, "wb") as out:
            if spec.fmt == "csv":
                out.write(csv_lines([dict(zip(spec.columns, spec.columns, strict=True))],
                                    spec.columns).encode("utf-8-sig"))
            for part in parts():
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
                part.unlink()
    if errors_path is not None:
        write_results(errors_path, ((r, {}) for r in error_rows))
    if catalogue is not None and spec.fmt == "jsonl":
        target = catalogue_path_for(path)
        with _Atomic(target) as tmp:
            Path(tmp).write_bytes(catalogue.to_json())
        summary.catalogue_path = target


def run_spec(lead, output_path, detail: str = "list") -> RunSpec:
    fmt = Path(output_path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise OutputFileError(f"{Path(output_path).name}: output must be .jsonl, .csv or .xlsx")
    if detail not in DETAILS:
        raise OutputFileError(f"detail must be one of {', '.join(DETAILS)}")
    skip = description_header(lead.mapping)
    own = [h for h in lead.headers if h and h != skip]
    return RunSpec(fmt=fmt, detail=detail, columns=FLAT_COLUMNS + input_columns(own),
                   description_header=skip)


def open_run(input_path, output_path, *, encoding=None, mapping=None, header_row=None,
             detail: str = "list") -> tuple:
    """(lead file keeping each row's cells, run spec, summary, a scratch folder for the chunk
    files beside the output): what both engines start a run with."""
    lead = open_leads(input_path, encoding=encoding, mapping=mapping, header_row=header_row)
    lead.keep_input = True
    spec = run_spec(lead, output_path, detail)
    summary = BatchSummary(encoding=lead.encoding, mapping=dict(lead.mapping),
                           header_row=lead.header_row, detail=detail)
    parent = Path(output_path).parent
    folder = Path(tempfile.mkdtemp(prefix=".partial-chunks-",
                                   dir=parent if parent.is_dir() else None))
    return lead, spec, summary, folder


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """The objects alive when a run starts (the loaded model, the taxonomy: ~160k) kept out of
    the collector's sight for the run, as `gc.freeze` does (forked workers inherit it): each
    full collection otherwise walks them all again (about a tenth of a run's CPU). A process
    that froze its own heap already (web/wsgi.py) keeps it as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def score_file(input_path: str | Path, output_path: str | Path, *, matcher: Matcher | None = None,
               encoding: str | None = None, mapping: dict | None = None, chunk_size: int = CHUNK_SIZE,
               header_row: int | None = None, workers: int = 1,
               progress: Callable[[int], None] | None = None,
               errors_path: str | Path | None = None, taxonomy_dir=None, model_dir=None,
               detail: str = "list", renderer_class=ChunkRenderer) -> BatchSummary:
    """Score a whole lead list into `output_path`; returns counts and timing."""
    started = time.perf_counter()
    if matcher is None:
        from taxonomy import get_taxonomy

        matcher = Matcher(get_taxonomy(taxonomy_dir), model_dir=model_dir)
    lead, spec, summary, folder = open_run(input_path, output_path, encoding=encoding,
                                           mapping=mapping, header_row=header_row, detail=detail)
    catalogue = Catalogue(taxonomy_version=matcher.version) if detail == "list" else None
    with _frozen_heap():
        try:
            metas = render_chunks(lead.chunks(chunk_size), spec, folder, matcher=matcher,
                                  workers=workers, taxonomy_dir=taxonomy_dir, model_dir=model_dir,
                                  renderer_class=renderer_class)
            assemble(output_path, spec, metas, summary, progress=progress, errors_path=errors_path,
                     catalogue=catalogue)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


__all__ = ["BatchSummary", "ChunkRenderer", "InputFileError", "RunSpec", "assemble", "open_run",
           "render_chunks", "run_spec", "score_chunk", "score_file"]
