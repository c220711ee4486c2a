"""The plan library for the web: plan texts, their section tree with anchors, cited clauses.

A citation (plan, section, evidence) resolves to a section anchor and the evidence's character
offsets in the plan text; the reader page renders the text with headings as anchors and the
cited phrase inside a <mark>.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from taxonomy import get_taxonomy
from taxonomy.plantext import PREAMBLE, PlanText

CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
HEADING_MAX = 40  # characters: longer heading lines are numbered paragraphs
LEVEL_NAMES = {1: ("chapter", "章"), 2: ("section", "节"), 3: ("item", "条")}


def cn_number(label: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十 -> 20; digits as they are; None when not a number."""
    if label.isdigit():
        return int(label)
    if not label or any(c not in CN_DIGITS and c != "十" for c in label):
        return None
    if "十" not in label:
        return CN_DIGITS.get(label) if len(label) == 1 else None
    tens, _, ones = label.partition("十")
    return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)


@dataclass
class Section:
    """One heading of a plan with its path (e.g. ``三、(一)1``), anchor and span."""

    level: int
    label: str
    path: str
    anchor: str
    title: str
    start: int
    end: int
    children: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"path": self.path, "anchor": self.anchor, "level": self.level,
                "title": self.title, "start": self.start, "end": self.end,
                "children": [c.to_dict() for c in self.children]}


def _path_part(level: int, label: str) -> str:
    return {1: f"{label}、", 2: f"({label})", 3: label}[level]


def _anchor_part(level: int, label: str) -> str:
    n = cn_number(label)
    return "csi"[level - 1] + (str(n) if n is not None else label)


def section_gloss_en(section: str) -> str:
    """A cited section path in English words: ``三、(一)1`` -> ``chapter 3, section 1, item 1``."""
    section = unicodedata.normalize("NFKC", section.strip())
    if section == PREAMBLE:
        return "preamble"
    words = []
    for m in re.finditer(r"([一二三四五六七八九十]+)、|\(([一二三四五六七八九十]+)\)|(\d+)", section):
        level = 1 if m.group(1) else 2 if m.group(2) else 3
        n = cn_number(m.group(level))
        words.append(f"{LEVEL_NAMES[level][0]} {n if n is not None else m.group(level)}")
    return ", ".join(words) or section


class PlanDocument:
    """A plan's text and its section tree."""

    def __init__(self, plan_id: str, text: str):
        self.plan_id = plan_id
        self.text = text
        self._parsed = PlanText(text)
        self.sections: list[Section] = []  # flat, in text order
        self.roots: list[Section] = []
        stack: list[Section] = []
        headings = self._parsed.headings
        for index, h in enumerate(headings):
            while stack and stack[-1].level >= h.level:
                stack.pop()
            path = "".join(_path_part(s.level, s.label) for s in stack) + _path_part(h.level, h.label)
            anchor = "-".join([*(_anchor_part(s.level, s.label) for s in stack),
                               _anchor_part(h.level, h.label)])
            line_end = text.find("\n", h.start)
            title = text[h.start:line_end if line_end >= 0 else len(text)].strip()
            title = re.split(r"(?<=[。；;:：])", title, maxsplit=1)[0][:60]
            section = Section(h.level, h.label, path, anchor, title, h.start,
                              self._parsed._end_of(index))
            (stack[-1].children if stack else self.roots).append(section)
            self.sections.append(section)
            stack.append(section)
        self.by_anchor = {s.anchor: s for s in self.sections}
        self._by_start = {s.start: s.anchor for s in self.sections}

    def locate(self, section: str | None, evidence: str | None) -> tuple[str | None, tuple | None]:
        """(anchor, (start, end) of the evidence) for a citation; None parts when not found."""
        span = self._parsed.span(section) if section else None
        anchor = None
        if span is not None:
            anchor = self._by_start.get(span[0], "preamble" if span[0] == 0 else None)
        lo, hi = span if span is not None else (0, len(self.text))
        hit = None
        if evidence:
            pos = self.text.find(evidence, lo, hi)
            if pos < 0 and span is not None:  # a cited phrase outside its section: still show it
                pos = self.text.find(evidence)
            if pos >= 0:
                hit = (pos, pos + len(evidence))
        return anchor, hit

    def render(self, mark: tuple[int, int] | None = None, anchor: str | None = None) -> Markup:
        """The text as HTML: headings with their anchors, paragraphs, the cited span marked
        (or, when only the section was found, a `cited` target at its heading)."""
        heads = {s.start: s for s in self.sections}
        out = ['<div id="preamble" class="preamble">']
        opened = True
        offset = 0
        for line in self.text.splitlines(keepends=True):
            start, body = offset, line.rstrip("\r\n")
            offset += len(line)
            if not body.strip():
                continue
            html = _marked(body, start, mark)
            head = heads.get(start)
            if head is None:
                out.append(f"<p>{html}</p>")
                continue
            if opened:
                out.append("</div>")
                opened = False
            if mark is None and anchor == head.anchor:
                out.append('<span id="cited"></span>')
            # a short line is a heading; a numbered paragraph stays a paragraph
            tag = f"h{head.level + 1}" if len(body) <= HEADING_MAX else "p"
            out.append(f'<{tag} id="{head.anchor}" class="plan-heading level{head.level}">'
                       f'{html} <a class="anchor" href="#{head.anchor}" '
                       f'aria-hidden="true">#</a></{tag}>')
        if opened:
            out.append("</div>")
        return Markup("\n".join(out))


def _marked(line: str, start: int, mark: tuple[int, int] | None) -> str:
    if mark is None:
        return str(escape(line))
    lo, hi = max(mark[0] - start, 0), min(mark[1] - start, len(line))
    if lo >= hi:
        return str(escape(line))
    first = ' id="cited"' if mark[0] >= start else ""
    return (f"{escape(line[:lo])}<mark{first} data-testid=\"cited\">{escape(line[lo:hi])}</mark>"
            f"{escape(line[hi:])}")


# ---- plan texts -----------------------------------------------------------------------------

def plan_dirs() -> list[Path]:
    """Where plan texts are looked for: the taxonomy's own plans folder, then the shared one."""
    from taxonomy.loader import DATA_DIR

    root = Path(DATA_DIR).parent
    return [root / "plans", root.parent.parent / "shared" / "plans"]


@functools.lru_cache(maxsize=16)
def _document(plan_id: str, path: str, mtime_ns: int) -> PlanDocument:
    return PlanDocument(plan_id, Path(path).read_text(encoding="utf-8"))


def plan_document(plan_id: str) -> PlanDocument | None:
    """The plan's parsed text, or None when the plan or its text file is unknown."""
    plan = get_taxonomy().plan_by_id.get(plan_id)
    if plan is None:
        return None
    for folder in plan_dirs():
        path = folder / plan.file
        if path.is_file():
            return _document(plan_id, str(path), path.stat().st_mtime_ns)
    return None


# ---- plan facts ----------------------------------------------------------------------------

def _supersedes(plan) -> tuple[str, ...]:
    """The ids a plan replaces (plans.yaml `supersedes`: one id or a list; absent = none)."""
    value = getattr(plan, "supersedes", None) or ()
    return (value,) if isinstance(value, str) else tuple(value)


def plan_state(plan, *, today: dt.date | None = None) -> dict:
    """Status facts of a plan: draft, past its horizon, superseded (and by which plan)."""
    year = (today or dt.date.today()).year
    superseded_by = [p.id for p in get_taxonomy().plans if plan.id in _supersedes(p)]
    return {"status": plan.status, "draft": plan.status == "draft",
            "expired": bool(plan.horizon_end and plan.horizon_end < year),
            "superseded": plan.status == "superseded" or bool(superseded_by),
            "supersedes": list(_supersedes(plan)), "superseded_by": superseded_by}


def plan_meta(plan) -> dict:
    """A plan's metadata for the API and the reader."""
    return {"id": plan.id, "title_zh": plan.title_zh, "title_en": plan.title_en,
            "doc_number": plan.doc_number, "issuer": plan.issuer, "scope": plan.scope,
            "date": plan.date, "horizon_start": plan.horizon_start,
            "horizon_end": plan.horizon_end, "horizon_note": plan.horizon_note,
            **plan_state(plan)}


def citation_gloss_en(source) -> str:
    """Where a citation is, in English: the plan's English title and the section path."""
    plan = get_taxonomy().plan_by_id.get(_get(source, "plan"))
    title = plan.title_en if plan else _get(source, "plan")
    return f"{title}, {section_gloss_en(_get(source, 'section') or '')}"


def _get(source, key: str):
    return source.get(key) if isinstance(source, dict) else getattr(source, key, None)
