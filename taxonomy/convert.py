"""A plan document to plain UTF-8 text: .txt in any common encoding, .docx, .pdf.

.txt: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK/GB2312, Big5, detected with
charset-normalizer. .docx: python-docx, paragraphs and table cells in document order. .pdf:
pypdf text extraction; lines a page broke in the middle of a sentence are joined again. Line
ends become ``\\n``; the wording is not changed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from taxonomy.errors import TaxonomyError
from taxonomy.messages import msg
from taxonomy.sections import is_heading

SUFFIXES = (".txt", ".docx", ".pdf")
_CODECS = ("utf-8", "gb18030", "big5")


class ConversionError(TaxonomyError):
    """The document cannot be read as a plan text."""


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for codec in _CODECS[:2]:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ConversionError(msg("convert.encoding", name=name))
    return str(best)


def _docx(data: bytes, name: str) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ConversionError(msg("convert.docx", name=name)) from exc
    lines = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iter():
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(t.text or "" for t in cell.iter()
                                                 if t.tag.endswith("}t")))
                    lines.append("\t".join(cells))
    return "\n".join(lines)


_SENTENCE_END = re.compile(r"[。；：！？:;）)”」]$")


def reflow(text: str) -> str:
    """Join lines that a PDF page broke mid-sentence: a line as long as a full page line that
    does not end a sentence continues on the next one, unless that one starts a heading."""
    lines = [raw.strip() for raw in text.splitlines()]
    lengths = sorted(len(x) for x in lines if x)
    full = lengths[int(len(lengths) * 0.75)] if lengths else 0
    out: list[str] = []
    open_line = False
    for line in lines:
        if not line:
            open_line = False
            if out and out[-1]:
                out.append("")
            continue
        if open_line and not is_heading(line):
            out[-1] += line
        else:
            out.append(line)
        open_line = len(line) >= 0.8 * full and not _SENTENCE_END.search(line)
    return "\n".join(out)


def _pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ConversionError(msg("convert.pdf", name=name),
                              log=f"{name}: not a readable PDF ({type(exc).__name__})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise ConversionError(msg("convert.no_text_layer", name=name))
    return reflow(text)


def to_text(data: bytes, filename: str) -> str:
    """The plan's text from a file's bytes; the suffix of `filename` picks the reader."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ConversionError(msg("convert.suffix", name=filename))
    if not data:
        raise ConversionError(msg("convert.empty", name=filename))
    if suffix == ".docx":
        text = _docx(data, filename)
    elif suffix == ".pdf":
        text = _pdf(data, filename)
    else:
        text = _decode(data, filename)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ConversionError(msg("convert.no_text", name=filename))
    return text if text.endswith("\n") else text + "\n"


def read_plan_file(path: str | Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(msg("convert.unreadable", name=str(path)),
                              log=f"{path}: cannot be read ({exc.strerror})") from exc
    return to_text(data, path.name)
