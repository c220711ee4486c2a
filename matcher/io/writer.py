"""Write match records as JSONL, CSV (UTF-8 with BOM for Excel) or XLSX; formula-injection-safe
(CSV: a leading apostrophe; XLSX: text cells, see matcher.io.xlsx)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from matcher.errors import OutputFileError
from matcher.io.xlsx import DANGEROUS_START, SheetWriter, plain_cell

FLAT_COLUMNS = [
    "row", "name", "credit_code", "error", "confidence", "needs_review",
    "industry_1", "industry_1_id", "industry_1_score", "industries",
    "district_1", "district_1_code", "district_1_score", "districts",
    "park_1", "park_1_id", "park_1_score", "parks", "policies", "reasons", "warnings",
    "taxonomy_version",
]
FLAT = "__flat__"  # in place of the extras: the pair's first item is already a flat row


def safe_cell(value) -> str | int | float:
    """A cell value that no spreadsheet will run as a formula (OWASP CSV injection)."""
    cell = plain_cell(value)
    if isinstance(cell, str) and cell.startswith(DANGEROUS_START):
        return "'" + cell
    return cell


def input_column(header: str) -> str:
    """The output column of one of the input's own columns (renamed if it clashes)."""
    return f"{header} (input)" if header in FLAT_COLUMNS else header


def input_columns(headers) -> list[str]:
    """The output columns of the input's own columns, in file order (empty headers left out)."""
    return [input_column(h) for h in headers if h]


def flatten_record(record: dict, extra: dict | None = None) -> dict:
    """One flat row of a §5 record: the top items with scores and short reasons, then the
    input's own columns (from extra["input"])."""
    if extra == FLAT:
        return record
    extra = extra or {}
    row = {"row": record.get("row"), "name": record.get("name") or extra.get("name", ""),
           "credit_code": extra.get("credit_code", ""), "error": record.get("error", ""),
           "taxonomy_version": record.get("taxonomy_version", "")}
    for header, value in (extra.get("input") or {}).items():
        if header:
            row[input_column(header)] = value
    if "error" in record:
        return row
    inds, dists, parks = record["industries"], record["districts"], record["parks"]
    row.update({
        "confidence": record["confidence"], "needs_review": record["needs_review"],
        "industry_1": inds[0]["path_zh"] if inds else "",
        "industry_1_id": inds[0]["id"] if inds else "",
        "industry_1_score": inds[0]["score"] if inds else "",
        "industries": "; ".join(f"{i['name_zh']} ({i['score']:.2f})" for i in inds[:3]),
        "district_1": dists[0]["name_zh"] if dists else "",
        "district_1_code": dists[0]["code"] if dists else "",
        "district_1_score": dists[0]["score"] if dists else "",
        "districts": "; ".join(f"{d['name_zh']} ({d['score']:.2f})" for d in dists[:3]),
        "park_1": parks[0]["name_zh"] if parks else "",
        "park_1_id": parks[0]["id"] if parks else "",
        "park_1_score": parks[0]["score"] if parks else "",
        "parks": "; ".join(f"{p['name_zh']} ({p['score']:.2f})" for p in parks[:5]),
        "policies": "; ".join(p["title_zh"] for p in record["policies"][:5]),
        "reasons": " | ".join(
            ([f"{inds[0]['name_zh']}: {', '.join(inds[0]['evidence'][:3])}"] if inds else [])
            + (dists[0]["reasons"][:1] if dists else [])),
        "warnings": " | ".join(record.get("warnings", [])),
    })
    return row


class _Atomic:
    """Write to a temporary file beside the target; rename into place only on success."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.tmp: str | None = None

    def __enter__(self) -> str:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, self.tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".partial-",
                                            suffix=self.path.suffix)
            os.close(fd)
        except OSError as exc:
            raise OutputFileError(f"cannot write {self.path}: {exc.strerror}") from exc
        return self.tmp

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                os.replace(self.tmp, self.path)
            except OSError as err:
                os.unlink(self.tmp)
                raise OutputFileError(f"cannot write {self.path}: {err.strerror}") from err
            return False
        if self.tmp and os.path.exists(self.tmp):
            os.unlink(self.tmp)
        if isinstance(exc, OSError):
            raise OutputFileError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        return False


def write_results(path: str | Path, records: Iterable[tuple[dict, dict]],
                  fmt: str | None = None, columns: list[str] | None = None) -> int:
    """Write (record, input extras) pairs to `path` (.jsonl, .csv or .xlsx); returns rows
    written. `columns`: those of a CSV or XLSX (default FLAT_COLUMNS)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("jsonl", "csv", "xlsx"):
        raise OutputFileError(f"{path.name}: output must be .jsonl, .csv or .xlsx")
    with _Atomic(path) as tmp:
        if fmt == "jsonl":
            return _jsonl(tmp, iter(records))
        return {"csv": _csv, "xlsx": _xlsx}[fmt](tmp, iter(records), columns or FLAT_COLUMNS)


def _jsonl(tmp: str, records: Iterator) -> int:
    n = 0
    with open(tmp, "wb") as fh:
        for record, extra in records:
            if extra == FLAT:
                raise OutputFileError("flat rows cannot be written as JSONL records")
            fh.write(orjson.dumps(record) + b"\n")
            n += 1
    return n


def csv_lines(rows: Iterable[dict], columns: list[str]) -> str:
    """Flat rows as CSV text (no header), every cell formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([safe_cell(row.get(c)) for c in columns] for row in rows)
    return buffer.getvalue()


def _csv(tmp: str, records: Iterator, columns: list[str]) -> int:
    n = 0
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for record, extra in records:
            flat = flatten_record(record, extra)
            writer.writerow([safe_cell(flat.get(c)) for c in columns])
            n += 1
    return n


class _GuardedFile:
    """The output file for xlsxwriter's ZipFile. After the first write error (a full disk) later
    writes are dropped, so the abandoned ZipFile's finaliser cannot fail a second time."""

    def __init__(self, path: str):
        self._fh = open(path, "wb")  # noqa: SIM115  (closed in close())
        self.failed = False

    def _guard(self, fn, *args):
        if self.failed:
            return len(args[0]) if args else None
        try:
            return fn(*args)
        except OSError:
            self.failed = True
            raise

    def write(self, data):
        return self._guard(self._fh.write, data)

    def flush(self):
        return self._guard(self._fh.flush)

    def tell(self):
        return 0 if self.failed else self._fh.tell()

    def seek(self, *args):
        return 0 if self.failed else self._fh.seek(*args)

    def seekable(self):
        return True

    def close(self):
        if self.failed:
            with contextlib.suppress(OSError):
                self._fh.close()
        else:
            self._fh.close()


def _xlsx(tmp: str, records: Iterator, columns: list[str]) -> int:
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    out = _GuardedFile(tmp)
    # xlsxwriter's own temporary files go beside the target and are removed whatever happens
    scratch = tempfile.mkdtemp(dir=os.path.dirname(tmp) or ".", prefix=".partial-xlsx-")
    wb = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False,
                                   "tmpdir": scratch})
    try:
        sheet = SheetWriter(wb, wb.add_worksheet("matches"), columns)
        n = 0
        for record, extra in records:
            n += 1
            flat = flatten_record(record, extra)
            sheet.write_row([flat.get(name) for name in columns])
        sheet.finish()
        try:
            wb.close()
        except FileCreateError as exc:  # it wraps the OSError (e.g. ENOSPC)
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
            raise (cause or OSError(str(exc))) from exc
    except BaseException:
        out.failed = True  # the half-built zip is abandoned: its finaliser must not write
        raise
    finally:
        for sheet in wb.worksheets():  # row and XML files that a failure left open
            for fh in (getattr(sheet, "row_data_fh", None), getattr(sheet, "fh", None)):
                if hasattr(fh, "closed") and not fh.closed:
                    with contextlib.suppress(OSError):  # its last flush may hit the full disk
                        fh.close()
        out.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return n
