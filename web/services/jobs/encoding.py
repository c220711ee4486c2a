"""Text encodings of uploaded lists: strict whole-file checks and detection."""

from __future__ import annotations

import codecs
from pathlib import Path

from matcher.errors import InputFileError
from matcher.io.reader import SAMPLE_BYTES, detect_encoding

ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16")
GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936"}


def decode_check(path: Path, encoding: str) -> str | None:
    """None if the whole file decodes strictly in `encoding`, else where it fails (a message)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with path.open("rb") as fh:
        while True:
            block = fh.read(1 << 20)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                line += block[: exc.start].count(b"\n")
                return f"line {line}: bytes not valid in {encoding} ({exc.reason})"
            except UnicodeError as exc:  # e.g. UTF-16 declared but no byte-order mark
                return f"line {line}: not readable as {encoding} ({exc})"
            if not block:
                return None
            line += block.count(b"\n")


def detect_file_encoding(path: Path) -> str:
    """The sample's encoding (BOM, strict UTF-8, strict GB18030, then a restricted guess),
    verified on the whole file; GB18030 when only later bytes prove it is not UTF-8."""
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    guess = detect_encoding(head, complete=len(head) < SAMPLE_BYTES)
    problem = decode_check(path, guess)
    if problem is None:
        return guess
    for alternative in ("gb18030", "utf-8"):
        if alternative != guess and decode_check(path, alternative) is None:
            return alternative
    raise InputFileError(f"the file mixes text encodings ({problem}); save it as UTF-8 or GBK, "
                         "or choose the encoding explicitly")


def same_family(a: str | None, b: str | None) -> bool:
    """True when two encoding names read the same file the same way (GBK within GB18030,
    UTF-8 with or without BOM)."""
    norm = {x: codecs.lookup(x).name if x else "" for x in (a, b)}
    na, nb = norm[a], norm[b]
    if na == nb or {na, nb} <= {"utf-8", "utf-8-sig"}:
        return True
    return na in GB_FAMILY and nb in GB_FAMILY
