"""Read a plan's plain text and find the span of a cited section (e.g. ``三、(二)3``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CN_NUMERALS = "一二三四五六七八九十"
_CHAPTER = re.compile(rf"^\s*([{CN_NUMERALS}]+)、")
_SUB = re.compile(rf"^\s*[（(]([{CN_NUMERALS}]+)[）)]")
_ITEM = re.compile(r"^\s*(\d+)[.、．]")
_PATH_TOKEN = re.compile(rf"([{CN_NUMERALS}]+)、|[（(]([{CN_NUMERALS}]+)[）)]|(\d+)")
PREAMBLE = "序"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1 chapter, 2 sub-section, 3 numbered item
    label: str
    start: int  # character offset of the heading line in the text


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


class PlanText:
    """A plan's text with its heading structure."""

    def __init__(self, text: str):
        self.text = text
        self.headings: list[Heading] = []
        offset = 0
        for line in text.splitlines(keepends=True):
            for level, pattern in ((1, _CHAPTER), (2, _SUB), (3, _ITEM)):
                m = pattern.match(line)
                if m:
                    self.headings.append(Heading(level, _nfkc(m.group(1)), offset))
                    break
            offset += len(line)

    def _end_of(self, index: int) -> int:
        level = self.headings[index].level
        for later in self.headings[index + 1:]:
            if later.level <= level:
                return later.start
        return len(self.text)

    def span(self, section: str) -> tuple[int, int] | None:
        """Character span of ``section`` in the text, or None when the path does not resolve."""
        section = _nfkc(section.strip())
        if section == PREAMBLE:
            first = next((h.start for h in self.headings if h.level == 1), len(self.text))
            return (0, first)
        tokens = []
        for m in _PATH_TOKEN.finditer(section):
            if m.group(1):
                tokens.append((1, m.group(1)))
            elif m.group(2):
                tokens.append((2, m.group(2)))
            else:
                tokens.append((3, m.group(3)))
        if not tokens or _PATH_TOKEN.sub("", section).strip():
            return None
        lo, hi = 0, len(self.text)
        for level, label in tokens:
            found = None
            for i, h in enumerate(self.headings):
                if lo <= h.start < hi and h.level == level and h.label == label:
                    found = i
                    break
            if found is None:
                return None
            lo, hi = self.headings[found].start, self._end_of(found)
        return (lo, hi)

    def contains(self, evidence: str, section: str | None = None) -> bool:
        if section is None:
            return evidence in self.text
        span = self.span(section)
        return span is not None and evidence in self.text[span[0]:span[1]]

    def locate(self, evidence: str) -> str | None:
        """The deepest section path whose span contains ``evidence`` (for error messages)."""
        pos = self.text.find(evidence)
        if pos < 0:
            return None
        path: dict[int, str] = {}
        for h in self.headings:
            if h.start > pos:
                break
            path = {k: v for k, v in path.items() if k < h.level}
            path[h.level] = h.label
        if not path:
            return PREAMBLE
        parts = []
        if 1 in path:
            parts.append(f"{path[1]}、")
        if 2 in path:
            parts.append(f"({path[2]})")
        if 3 in path:
            parts.append(path[3])
        return "".join(parts)
