"""Open a lead list and iterate its rows as raw profile dicts, in chunks, without loading it all.

Row numbers are the file's own: the header is on row `header_row` (1 unless a title line or a
blank line comes first), the first data row is the next one, and a row of a CSV is a record as a
spreadsheet shows it (a quoted cell with a line break does not start a new row).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from matcher.company_type import is_placeholder
from matcher.errors import InputFileError
from matcher.profile import map_headers

SAMPLE_BYTES = 4 << 20
INPUT_KEY = "__input__"  # with keep_input: the row's own cells, {header: text}, in file order
HEADER_SCAN_ROWS = 30   # the header row is looked for among the file's first rows
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
                             "UTF-8 or GBK, or choose the encoding explicitly",
                             "无法识别文件的文本编码；请另存为 UTF-8 或 GBK，或手动选择编码")
    return best.encoding


DELIMITERS = (",", "\t", ";", "|")


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def _mapped(cells: list[str]) -> int:
    return len(map_headers([c.strip().lstrip("\ufeff") for c in cells]))


def find_header_row(top: list[tuple[int, list[str]]]) -> int | None:
    """The number of the first row that maps to known headers: at least two of its cells, or all
    of its non-empty cells (a one-column list); None when no row does."""
    for number, cells in top:
        filled = [c for c in cells if c.strip()]
        mapped = _mapped(cells) if filled else 0
        if mapped >= 2 or (mapped and mapped == len(filled)):
            return number
    return None


def _csv_top(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The first rows of a decoded sample, numbered as the file's rows."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    top = []
    try:
        for number, cells in enumerate(reader, start=1):
            top.append((number, cells))
            if number >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass  # a sample cut inside a quoted cell: the rows read so far are enough
    return top


def _csv_layout(text: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """(delimiter, first rows): the delimiter whose header row maps the most known headers,
    else the one the first non-empty line uses most."""
    best, best_score = None, 0
    for delimiter in DELIMITERS:
        top = _csv_top(text, delimiter)
        found = find_header_row(top)
        score = _mapped(dict(top)[found]) if found else 0
        if score > best_score:
            best, best_score = delimiter, score
    if best is None:
        first = next((line for line in text.splitlines() if line.strip()), "")
        best = _sniff_delimiter(first)
    return best, _csv_top(text, best)


@dataclass
class LeadFile:
    """An opened lead list: its format, encoding, headers and header-to-field mapping."""

    path: Path
    kind: str                       # csv | xlsx | jsonl
    encoding: str | None = None
    delimiter: str | None = None
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    header_row: int = 1             # the file's row that holds the headers
    detected_header_row: int | None = None
    top: list[tuple[int, list[str]]] = field(default_factory=list)  # the first rows, raw
    keep_input: bool = False        # each profile also carries its row's cells (INPUT_KEY)

    def rows(self) -> Iterator[tuple[int, dict | InputFileError]]:
        """(row number, profile dict or error) for each data row below the header row; the row
        numbers are the file's own."""
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
        """The mapped fields of one row; empty cells, and the '-' exports print in them, left out."""
        out: dict = {}
        for header, fld in self.mapping.items():
            value = values.get(header)
            if value is not None and value != "" and not is_placeholder(value):
                out[fld] = value
        if self.keep_input:
            out[INPUT_KEY] = values
        return out

    def _csv_rows(self):
        with self.path.open("r", encoding=self.encoding, errors="strict", newline="") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter or ",")
            try:
                for number, cells in enumerate(reader, start=1):
                    if number <= self.header_row or not any(c.strip() for c in cells):
                        continue
                    if len(cells) > len(self.headers):
                        extra = [c for c in cells[len(self.headers):] if c.strip()]
                        if extra:
                            yield number, InputFileError(
                                f"row {number}: {len(cells)} cells but {len(self.headers)} headers "
                                f"(a delimiter inside an unquoted field, or the wrong header "
                                f"row?)",
                                f"第 {number} 行：有 {len(cells)} 个单元格，但表头只有 "
                                f"{len(self.headers)} 列（未加引号的单元格中含分隔符，或表头行选错了？）")
                            continue
                    yield number, self._profile(dict(zip(self.headers, cells, strict=False)))
            except UnicodeError as exc:
                raise InputFileError(
                    f"after row {reader.line_num}: bytes not valid in {self.encoding}; "
                    "the file mixes encodings; choose the encoding explicitly",
                    f"第 {reader.line_num} 行之后：出现 {self.encoding} 编码中无效的字节；"
                    "文件混用了多种编码，请手动选择编码") from exc
            except csv.Error as exc:
                raise InputFileError(f"line {reader.line_num}: malformed CSV (an unclosed "
                                     "quote or a stray character)",
                                     f"第 {reader.line_num} 行：CSV 格式有误（引号未闭合或含异常字符）") from exc

    def _xlsx_rows(self):
        from openpyxl import load_workbook

        fh = self.path.open("rb")  # a handle: openpyxl judges a path by its extension
        wb = load_workbook(fh, read_only=True, data_only=True)
        try:
            sheet = wb.worksheets[0]
            rows = sheet.iter_rows(values_only=True)  # from row 1, empty rows included
            for number, cells in enumerate(rows, start=1):
                values = [_cell_text(c) for c in cells]
                if number <= self.header_row or not any(values):
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
                    number += 1
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as exc:
                        yield number, InputFileError(f"row {number}: not valid JSON ({exc.msg})",
                                                     f"第 {number} 行：不是有效的 JSON")
                        continue
                    if not isinstance(obj, dict):
                        yield number, InputFileError(f"row {number}: expected a JSON object",
                                                     f"第 {number} 行：应为一个 JSON 对象")
                        continue
                    row = {self.mapping.get(k, k): v for k, v in obj.items()}
                    if self.keep_input:
                        row[INPUT_KEY] = obj
                    yield number, row
            except UnicodeError as exc:
                raise InputFileError(
                    f"after row {number}: bytes not valid in {encoding}; the file "
                    "mixes encodings; choose the encoding explicitly",
                    f"第 {number} 行之后：出现 {encoding} 编码中无效的字节；文件混用了多种编码，"
                    "请手动选择编码") from exc


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
        raise InputFileError("not a valid .xlsx workbook (not a zip archive)",
                             "不是有效的 .xlsx 工作簿（不是 zip 压缩文件）") from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise InputFileError("not an .xlsx workbook", "不是 .xlsx 工作簿")
    if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
        raise InputFileError("the workbook expands to an unreasonable size; refused",
                             "该工作簿解压后大得不合理，已拒绝")


def sniff_kind(path: Path, head: bytes) -> str:
    """By content first: a zip with xl/ is XLSX; '{' starts JSONL; otherwise CSV text."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if stripped.startswith(b"{") and path.suffix.lower() in (".jsonl", ".json", ".ndjson", ""):
        return "jsonl"
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError("binary file: upload a .csv, .xlsx or .jsonl lead list",
                             "这是二进制文件：请上传 .csv、.xlsx 或 .jsonl 格式的线索清单")
    return "csv"


def open_leads(path: str | Path, *, encoding: str | None = None,
               mapping: dict[str, str] | None = None,
               header_row: int | None = None) -> LeadFile:
    """Open a lead list, detect its format, encoding, delimiter and header row (the first row
    that maps to known headers, unless `header_row` names one), and map its headers."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file", f"{path}：文件不存在")
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
        complete = len(head) < SAMPLE_BYTES
    if not head.strip():
        raise InputFileError(f"{path.name}: the file is empty", f"{path.name}：文件是空的")
    kind = sniff_kind(path, head)
    lead = LeadFile(path=path, kind=kind)
    if kind == "xlsx":
        check_xlsx_safe(path)
        lead.top = _xlsx_top(path)
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
            raise InputFileError(f"unknown encoding {encoding!r}",
                                 f"未知的文本编码“{encoding}”") from exc
        text = head.decode(lead.encoding, errors="replace").lstrip("\ufeff")
        lead.delimiter, lead.top = _csv_layout(text)
    if kind != "jsonl":
        _choose_header(lead, header_row)
    lead.mapping = dict(mapping) if mapping else map_headers(lead.headers)
    if kind != "jsonl" and "description" not in lead.mapping.values():
        raise InputFileError(
            f"{path.name}: no description column found among headers {lead.headers} "
            f"(row {lead.header_row}); name one 'description' or '经营范围' (or map it "
            "explicitly, or choose another header row)",
            f"{path.name}：表头（第 {lead.header_row} 行）{lead.headers} 中没有描述列；请将一列命名为"
            "“经营范围”或“description”（或手动指定列对应，或另选表头行）")
    return lead


def _xlsx_top(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with path.open("rb") as fh:
            wb = load_workbook(fh, read_only=True, data_only=True)
            try:
                rows = wb.worksheets[0].iter_rows(values_only=True, max_row=HEADER_SCAN_ROWS)
                return [(n, [_cell_text(c) for c in cells])
                        for n, cells in enumerate(rows, start=1)]
            finally:
                wb.close()
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputFileError(f"{path.name}: the workbook cannot be read ({exc})",
                             f"{path.name}：无法读取该工作簿（文件可能已损坏）") from exc


def _choose_header(lead: LeadFile, header_row: int | None) -> None:
    """Take the header row given, else the detected one, else the first non-empty row."""
    lead.detected_header_row = find_header_row(lead.top)
    rows = dict(lead.top)
    if header_row is not None:
        if not isinstance(header_row, int) or isinstance(header_row, bool) or \
                not 1 <= header_row <= max(rows, default=0):
            last = max(rows, default=0)
            raise InputFileError(
                f"header row {header_row!r} is not one of the file's first {last} rows",
                f"表头行“{header_row}”不在文件的前 {last} 行之内")
        lead.header_row = header_row
    elif lead.detected_header_row is not None:
        lead.header_row = lead.detected_header_row
    else:
        lead.header_row = next((n for n, cells in lead.top if any(c.strip() for c in cells)), 1)
    lead.headers = [h.strip().lstrip("\ufeff") for h in rows.get(lead.header_row, [])]
