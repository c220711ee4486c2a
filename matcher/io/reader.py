"""Open a lead list and iterate its rows as raw profile dicts, in chunks, without loading it all."""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from matcher.errors import InputFileError
from matcher.profile import map_headers

SAMPLE_BYTES = 4 << 20
MAX_XLSX_UNCOMPRESSED = 400 << 20
MAX_XLSX_RATIO = 200
csv.field_size_limit(1 << 24)


def detect_encoding(sample: bytes, *, complete: bool = False) -> str:
    """BOM, then strict UTF-8, then strict GB18030 (covers GBK/GB2312), then a restricted guess.

    Never falls back to latin-1, which would silently garble Chinese."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not complete:  # do not judge by a multi-byte character cut at the sample's end
        cut = sample.rfind(b"\n")
        sample = sample[: cut + 1] if cut > 0 else sample
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["utf_8", "gb18030", "big5"]).best()
    if best is None:
        raise InputFileError("the file's text encoding could not be recognised; save it as "
                             "UTF-8 or GBK, or choose the encoding explicitly")
    return best.encoding


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


@dataclass
class LeadFile:
    """An opened lead list: its format, encoding, headers and header-to-field mapping."""

    path: Path
    kind: str                       # csv | xlsx | jsonl
    encoding: str | None = None
    delimiter: str | None = None
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)

    def rows(self) -> Iterator[tuple[int, dict | InputFileError]]:
        """(row number, profile dict or error) for each data row; row numbers start at 1."""
        if self.kind == "csv":
            yield from self._csv_rows()
        elif self.kind == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._jsonl_rows()

    def chunks(self, size: int = 1000) -> Iterator[list[tuple[int, dict | InputFileError]]]:
        chunk = []
        for item in self.rows():
            chunk.append(item)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _profile(self, values: dict) -> dict:
        out: dict = {}
        for header, fld in self.mapping.items():
            value = values.get(header)
            if value is not None and value != "":
                out[fld] = value
        return out

    def _csv_rows(self):
        with self.path.open("r", encoding=self.encoding, errors="strict", newline="") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter or ",")
            try:
                next(reader)
                for number, cells in enumerate(reader, start=1):
                    if not any(c.strip() for c in cells):
                        continue
                    if len(cells) > len(self.headers):
                        extra = [c for c in cells[len(self.headers):] if c.strip()]
                        if extra:
                            yield number, InputFileError(
                                f"row {number}: {len(cells)} cells but {len(self.headers)} headers "
                                f"(a delimiter inside an unquoted field?)")
                            continue
                    yield number, self._profile(dict(zip(self.headers, cells, strict=False)))
            except UnicodeError as exc:
                raise InputFileError(
                    f"after row {reader.line_num}: bytes not valid in {self.encoding} "
                    f"({getattr(exc, 'reason', exc)}); "
                    "the file mixes encodings; choose the encoding explicitly") from exc
            except csv.Error as exc:
                raise InputFileError(f"line {reader.line_num}: malformed CSV ({exc})") from exc

    def _xlsx_rows(self):
        from openpyxl import load_workbook

        fh = self.path.open("rb")  # a handle: openpyxl judges a path by its extension
        wb = load_workbook(fh, read_only=True, data_only=True)
        try:
            sheet = wb.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            next(rows, None)
            for number, cells in enumerate(rows, start=1):
                values = [_cell_text(c) for c in cells]
                if not any(values):
                    continue
                yield number, self._profile(dict(zip(self.headers, values, strict=False)))
        finally:
            wb.close()
            fh.close()

    def _jsonl_rows(self):
        encoding = self.encoding or "utf-8-sig"
        with self.path.open("r", encoding=encoding) as fh:
            number = 0
            try:
                for line in fh:
                    if not line.strip():
                        continue
                    number += 1
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as exc:
                        yield number, InputFileError(f"row {number}: not valid JSON ({exc.msg})")
                        continue
                    if not isinstance(obj, dict):
                        yield number, InputFileError(f"row {number}: expected a JSON object")
                        continue
                    yield number, {self.mapping.get(k, k): v for k, v in obj.items()}
            except UnicodeError as exc:
                raise InputFileError(
                    f"after row {number}: bytes not valid in {encoding} "
                    f"({getattr(exc, 'reason', exc)}); the file "
                    "mixes encodings; choose the encoding explicitly") from exc


def _cell_text(value) -> str:
    """Spreadsheet cell as text; whole numbers lose the '.0' so credit codes and phones stay intact."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_xlsx_safe(path: Path) -> None:
    """Refuse zip bombs and non-workbooks before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        raise InputFileError("not a valid .xlsx workbook (not a zip archive)") from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise InputFileError("not an .xlsx workbook")
    if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
        raise InputFileError("the workbook expands to an unreasonable size; refused")


def sniff_kind(path: Path, head: bytes) -> str:
    """By content first: a zip with xl/ is XLSX; '{' starts JSONL; otherwise CSV text."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if stripped.startswith(b"{") and path.suffix.lower() in (".jsonl", ".json", ".ndjson", ""):
        return "jsonl"
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError("binary file: upload a .csv, .xlsx or .jsonl lead list")
    return "csv"


def open_leads(path: str | Path, *, encoding: str | None = None,
               mapping: dict[str, str] | None = None) -> LeadFile:
    """Open a lead list, detect its format, encoding and delimiter, and map its headers."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
        complete = len(head) < SAMPLE_BYTES
    if not head.strip():
        raise InputFileError(f"{path.name}: the file is empty")
    kind = sniff_kind(path, head)
    lead = LeadFile(path=path, kind=kind)
    if kind == "xlsx":
        check_xlsx_safe(path)
        from openpyxl import load_workbook

        try:
            with path.open("rb") as fh:
                wb = load_workbook(fh, read_only=True, data_only=True)
                try:
                    first = next(wb.worksheets[0].iter_rows(values_only=True, max_row=1), ())
                finally:
                    wb.close()
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise InputFileError(f"{path.name}: the workbook cannot be read ({exc})") from exc
        lead.headers = [_cell_text(c) for c in first]
    elif kind == "jsonl":
        lead.encoding = encoding or detect_encoding(head, complete=complete)
        keys: list[str] = []
        for line in head.decode(lead.encoding, errors="ignore").splitlines()[:50]:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                keys += [k for k in obj if k not in keys]
        lead.headers = keys
    else:
        try:
            lead.encoding = encoding or detect_encoding(head, complete=complete)
            codecs.lookup(lead.encoding)
        except LookupError as exc:
            raise InputFileError(f"unknown encoding {encoding!r}") from exc
        text = head.decode(lead.encoding, errors="replace")
        first_line = text.splitlines()[0] if text else ""
        lead.delimiter = _sniff_delimiter(first_line)
        lead.headers = next(csv.reader(io.StringIO(first_line), delimiter=lead.delimiter), [])
        lead.headers = [h.strip().lstrip("\ufeff") for h in lead.headers]
    lead.mapping = dict(mapping) if mapping else map_headers(lead.headers)
    if kind != "jsonl" and "description" not in lead.mapping.values():
        raise InputFileError(
            f"{path.name}: no description column found among headers {lead.headers}; "
            "name one 'description' or '经营范围' (or map it explicitly)")
    return lead
