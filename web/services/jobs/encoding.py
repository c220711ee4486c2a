"""Text encodings of uploaded lists: strict whole-file checks and detection."""

from __future__ import annotations

import codecs
from pathlib import Path

from matcher.errors import InputFileError
from matcher.io.reader import SAMPLE_BYTES, detect_encoding

ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16")
GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936"}


def decode_check(path: Path, encoding: str) -> tuple[int, str] | None:
    """None if the whole file decodes strictly in `encoding`, else where it fails: (line,
    what is wrong, in English)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with path.open("rb") as fh:
        while True:
            block = fh.read(1 << 20)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                line += block[: exc.start].count(b"\n")
                return line, f"bytes not valid in {encoding}"
            except UnicodeError:  # e.g. UTF-16 declared but no byte-order mark
                return line, f"not readable as {encoding}"
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
    line, reason = problem
    raise InputFileError(f"the file mixes text encodings (line {line}: {reason}); save it as "
                         "UTF-8 or GBK, or choose the encoding explicitly",
                         f"该文件混用了多种文本编码（第 {line} 行：{reason_zh(reason)}）；请另存为 "
                         "UTF-8 或 GBK，或手动选择编码")


def reason_zh(reason: str) -> str:
    """A `decode_check` reason in Chinese."""
    kind, _, encoding = reason.rpartition(" ")
    if kind == "bytes not valid in":
        return f"出现 {encoding} 编码中无效的字节"
    return f"无法按 {encoding} 编码读取"


def same_family(a: str | None, b: str | None) -> bool:
    """True when two encoding names read the same file the same way (GBK within GB18030,
    UTF-8 with or without BOM)."""
    norm = {x: codecs.lookup(x).name if x else "" for x in (a, b)}
    na, nb = norm[a], norm[b]
    if na == nb or {na, nb} <= {"utf-8", "utf-8-sig"}:
        return True
    return na in GB_FAMILY and nb in GB_FAMILY
