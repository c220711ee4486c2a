"""A plan's section tree: headings in every numbering form the plans use, with paths and anchors.

Forms, outermost first (full- and half-width alike): ``第一章`` / ``第一部分`` / ``第一篇``,
``第一节``, ``一、``, ``（一）``, ``1.`` / ``1、`` / ``1．`` / ``１．``, ``（1）`` and ``①``. A heading
is a line that starts with one of them. A section's *path* joins its ancestors' normalised markers
the way citations write them (``三、(二)3``, ``第二章一、(1)``); text before the first top heading is
``序``. Its *anchor* is an ASCII id for URLs (``s-c3-s2-i3``), unique within the plan.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN = "零〇一二两三四五六七八九十百"
PREAMBLE = "序"
PREAMBLE_ANCHOR = "s-preamble"

# kind: (rank, heading-line pattern, anchor letter). Lower rank = outer.
_FORMS = {
    "part": (0, re.compile(rf"^[ \t\u3000]*第([{_CN}]+)(章|部分|篇)"), "p"),
    "division": (1, re.compile(rf"^[ \t\u3000]*第([{_CN}]+)(节)"), "d"),
    "chapter": (2, re.compile(rf"^[ \t\u3000]*([{_CN}]+)[、．]"), "c"),
    "sub": (3, re.compile(rf"^[ \t\u3000]*[（(]([{_CN}]+)[）)]"), "s"),
    "item": (4, re.compile(r"^[ \t\u3000]*([0-9０-９]{1,3})[.．、]"), "i"),
    "paren_item": (5, re.compile(r"^[ \t\u3000]*[（(]([0-9０-９]{1,3})[）)]"), "b"),
    "circled": (6, re.compile(r"^[ \t\u3000]*([\u2460-\u2473])"), "r"),
}
# One token of a citation path, in the same forms (half-width after normalisation).
_TOKEN = re.compile(
    rf"(?P<part>第[{_CN}]+(?:章|部分|篇))|(?P<division>第[{_CN}]+节)|(?P<chapter>[{_CN}]+、)"
    rf"|(?P<sub>\([{_CN}]+\))|(?P<paren_item>\(\d+\))|(?P<item>\d+)|(?P<circled>[\u2460-\u2473])"
)
_TITLE_MAX = 60


def cn_number(text: str) -> int:
    """The value of a Chinese numeral up to the hundreds (``十二`` -> 12, ``二十`` -> 20)."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + CN_DIGITS[ch] if current else CN_DIGITS[ch]
    return total + current


def _half(text: str) -> str:
    """Full-width forms to half-width, leaving circled numbers (NFKC would turn ① into 1)."""
    return "".join(ch if "\u2460" <= ch <= "\u2473" else unicodedata.normalize("NFKC", ch)
                   for ch in text)


@dataclass(frozen=True, slots=True)
class Section:
    """One heading and the text it governs (``start`` to ``end``, heading line included)."""

    index: int
    kind: str            # part | division | chapter | sub | item | paren_item | circled | preamble
    label: str           # the normalised marker as a path writes it: 三、 (二) 3 (1) ① 第一章
    number: int          # the marker's value (1 for 一 / 1 / ①)
    path: str            # 三、(二)3
    anchor: str          # s-c3-s2-i3 (a suffix -n2, -n3 ... when a path repeats)
    title: str           # the heading's words without the marker, up to the first 。
    level: int           # depth in the tree: 1 for a top heading, 0 for the preamble
    start: int
    end: int
    body_start: int      # first character after the heading line
    parent: int | None   # index of the parent section in PlanText.sections

    def to_dict(self) -> dict:
        return {"path": self.path, "anchor": self.anchor, "title": self.title,
                "level": self.level, "kind": self.kind, "start": self.start, "end": self.end,
                "parent": self.parent}


def _label(kind: str, raw: str, suffix: str = "") -> tuple[str, int]:
    if kind in ("part", "division"):
        return f"第{raw}{suffix}", cn_number(raw)
    if kind == "chapter":
        return f"{raw}、", cn_number(raw)
    if kind == "sub":
        return f"({raw})", cn_number(raw)
    if kind == "item":
        return _half(raw), int(_half(raw))
    if kind == "paren_item":
        return f"({_half(raw)})", int(_half(raw))
    return raw, ord(raw) - 0x2460 + 1


def _title(rest: str) -> str:
    rest = rest.strip().lstrip("　 ").rstrip()
    cut = rest.find("。")
    title = rest[:cut] if cut > 0 else rest
    return title if len(title) <= _TITLE_MAX else title[:_TITLE_MAX - 1] + "…"


def is_heading(line: str) -> bool:
    """Whether a line starts with a heading marker of any form."""
    return any(pattern.match(line) for _rank, pattern, _letter in _FORMS.values())


def parse_sections(text: str) -> list[Section]:
    """Every section of the text in document order, the preamble (when not empty) first."""
    found = []  # (kind, rank, label, number, title, start, body_start)
    offset = 0
    for line in text.splitlines(keepends=True):
        for kind, (rank, pattern, _letter) in _FORMS.items():
            m = pattern.match(line)
            if m:
                label, number = _label(kind, m.group(1), m.group(2) if m.re.groups > 1 else "")
                found.append((kind, rank, label, number, _title(line[m.end():]), offset,
                              offset + len(line)))
                break
        offset += len(line)
    sections: list[Section] = []
    first = found[0][5] if found else len(text)
    if text[:first].strip():
        sections.append(Section(0, "preamble", PREAMBLE, 0, PREAMBLE, PREAMBLE_ANCHOR, PREAMBLE,
                                0, 0, first, 0, None))
    stack: list[tuple[int, int]] = []  # (rank, index in sections)
    seen: dict[str, int] = {}
    ends: dict[int, int] = {}
    rows = []
    for kind, rank, label, number, title, start, body in found:
        while stack and stack[-1][0] >= rank:
            ends[stack.pop()[1]] = start
        parent = stack[-1][1] if stack else None
        index = len(sections) + len(rows)
        parent_row = rows[parent - len(sections)] if parent is not None else None
        path = (parent_row["path"] if parent_row else "") + label
        anchor = (parent_row["anchor"] if parent_row else "s") + f"-{_FORMS[kind][2]}{number}"
        seen[anchor] = seen.get(anchor, 0) + 1
        unique = anchor if seen[anchor] == 1 else f"{anchor}-n{seen[anchor]}"
        rows.append({"kind": kind, "label": label, "number": number, "path": path,
                     "anchor": unique, "base_anchor": anchor, "title": title,
                     "level": len(stack) + 1, "start": start, "body": body, "parent": parent})
        stack.append((rank, index))
    for _rank, index in stack:
        ends[index] = len(text)
    base = len(sections)
    for i, r in enumerate(rows):
        sections.append(Section(base + i, r["kind"], r["label"], r["number"], r["path"],
                                r["anchor"], r["title"], r["level"], r["start"],
                                ends[base + i], r["body"], r["parent"]))
    return sections


def path_tokens(path: str) -> list[tuple[str, str]] | None:
    """``三、(二)3`` -> [("chapter", "三、"), ("sub", "(二)"), ("item", "3")]; None if malformed."""
    path = _half(path.strip())
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(path)]
    if not tokens or _TOKEN.sub("", path).strip():
        return None
    return tokens


class PlanText:
    """A plan's text with its section tree; resolves citation paths and finds evidence."""

    def __init__(self, text: str):
        self.text = text
        self.sections: list[Section] = parse_sections(text)
        self._by_anchor = {s.anchor: s for s in self.sections}

    @property
    def headings(self) -> list[Section]:
        """The sections that have a heading line (everything but the preamble)."""
        return [s for s in self.sections if s.kind != "preamble"]

    def section(self, path: str) -> Section | None:
        """The section a citation path names (the first, when a path repeats), or None.

        Each token is looked up among the descendants of the previous one, so ``三、1`` finds the
        first item 1 anywhere in chapter 三、, as citations have always resolved."""
        path = _half(path.strip())
        if path == PREAMBLE:
            return self.preamble()
        tokens = path_tokens(path)
        if tokens is None:
            return None
        lo, hi, found = 0, len(self.text), None
        for kind, label in tokens:
            found = next((s for s in self.sections if s.kind == kind and s.label == label
                          and lo <= s.start < hi), None)
            if found is None:
                return None
            lo, hi = found.start, found.end
        return found

    def preamble(self) -> Section:
        """Text before the first top-level heading (an empty section when there is none)."""
        if self.sections and self.sections[0].kind == "preamble":
            return self.sections[0]
        tops = [s.start for s in self.sections if s.parent is None]
        end = tops[0] if tops else len(self.text)
        return Section(-1, "preamble", PREAMBLE, 0, PREAMBLE, PREAMBLE_ANCHOR, PREAMBLE, 0, 0, end,
                       0, None)

    def by_anchor(self, anchor: str) -> Section | None:
        return self._by_anchor.get(anchor)

    def span(self, section: str) -> tuple[int, int] | None:
        """Character span of ``section`` in the text, or None when the path does not resolve."""
        found = self.section(section)
        return None if found is None else (found.start, found.end)

    def contains(self, evidence: str, section: str | None = None) -> bool:
        if section is None:
            return evidence in self.text
        return bool(self.find(evidence, section))

    def find(self, evidence: str, section: str | None = None) -> list[tuple[int, int]]:
        """Every (start, end) offset of ``evidence`` in the text, or only inside ``section``
        (for highlighting the cited phrase); empty when it does not occur there."""
        if not evidence:
            return []
        lo, hi = 0, len(self.text)
        if section is not None:
            span = self.span(section)
            if span is None:
                return []
            lo, hi = span
        out, pos = [], self.text.find(evidence, lo, hi)
        while pos >= 0:
            out.append((pos, pos + len(evidence)))
            pos = self.text.find(evidence, pos + 1, hi)
        return out

    def section_at(self, offset: int) -> Section | None:
        """The deepest section containing character ``offset``."""
        best = None
        for s in self.sections:
            if s.start > offset:
                break
            if s.start <= offset < s.end and (best is None or s.level >= best.level):
                best = s
        return best

    def locate(self, evidence: str) -> str | None:
        """The path of the deepest section containing the first occurrence of ``evidence``."""
        pos = self.text.find(evidence)
        if pos < 0:
            return None
        found = self.section_at(pos)
        return found.path if found is not None else PREAMBLE

    def children(self, section: Section | None) -> list[Section]:
        """Direct children of ``section`` (top-level sections for None)."""
        want = None if section is None else section.index
        return [s for s in self.headings if s.parent == want]

    def body(self, section: Section) -> str:
        return self.text[section.start:section.end]

    def outline(self) -> list[dict]:
        """The section list as JSON-ready dicts (parent given as the parent's anchor)."""
        rows = []
        for s in self.sections:
            row = s.to_dict()
            row["parent"] = self.sections[s.parent].anchor if s.parent is not None else None
            rows.append(row)
        return rows
