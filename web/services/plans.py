"""The plan library for the web: plan texts rendered with their section anchors, cited clauses
found and marked, plan facts and English glosses of citations.

Texts, section trees and status come from the taxonomy library (`taxonomy.plans`,
`taxonomy.sections`); this module only turns them into pages.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from taxonomy import get_taxonomy
from taxonomy.plans import PlanTextError, plan_status, plan_text, successors
from taxonomy.sections import PREAMBLE, PREAMBLE_ANCHOR, PlanText, Section, cn_number, path_tokens

HEADING_MAX = 40  # characters: a longer heading line is a numbered paragraph, shown as one
KIND_EN = {"part": "part", "division": "division", "chapter": "chapter", "sub": "section",
           "item": "item", "paren_item": "item", "circled": "point"}


def plan_document(plan_id: str) -> PlanText | None:
    """The plan's parsed text, or None when the plan or its text is unknown here."""
    try:
        return plan_text(plan_id)
    except PlanTextError:
        return None


def locate(doc: PlanText, section: str | None, evidence: str | None):
    """(cited Section or None, (start, end) of the evidence or None) for one citation: the
    phrase inside its section first, anywhere in the text otherwise."""
    cited = doc.section(section) if section else None
    hits = doc.find(evidence, section) if evidence and cited is not None else []
    if evidence and not hits:
        hits = doc.find(evidence)
    return cited, (hits[0] if hits else None)


def render(doc: PlanText, mark: tuple[int, int] | None = None,
           cited: Section | None = None) -> Markup:
    """The text as HTML: headings with their anchors, paragraphs, the cited phrase in a <mark>
    (or, when only the section was found, a `cited` target at its heading)."""
    heads = {s.start: s for s in doc.headings}
    out = [f'<div id="{PREAMBLE_ANCHOR}" class="preamble">']
    opened = True
    offset = 0
    for line in doc.text.splitlines(keepends=True):
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
        if mark is None and cited is not None and cited.anchor == head.anchor:
            out.append('<span id="cited"></span>')
        tag = f"h{min(head.level + 1, 6)}" if len(body) <= HEADING_MAX else "p"
        out.append(f'<{tag} id="{head.anchor}" class="plan-heading level{head.level}">{html} '
                   f'<a class="anchor" href="#{head.anchor}" aria-hidden="true">#</a></{tag}>')
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


def section_tree(doc: PlanText) -> list[dict]:
    """The headings as a nested tree (path, anchor, title, level, kind, offsets, children)."""
    nodes = {s.index: {**s.to_dict(), "children": []} for s in doc.headings}
    roots = []
    for s in doc.headings:
        node = nodes[s.index]
        node.pop("parent", None)
        (nodes[s.parent]["children"] if s.parent in nodes else roots).append(node)
    return roots


def section_gloss_en(section: str) -> str:
    """A cited section path in English words: ``三、(一)1`` -> ``chapter 3, section 1, item 1``."""
    if section.strip() == PREAMBLE:
        return "preamble"
    tokens = path_tokens(section)
    if not tokens:
        return section
    words = []
    for kind, label in tokens:
        digits = "".join(c for c in label if c.isdigit())
        if kind == "circled":
            number = ord(label) - 0x2460 + 1
        elif digits:
            number = int(digits)
        else:
            number = cn_number(label.strip("第章部分篇节、()"))
        words.append(f"{KIND_EN.get(kind, kind)} {number}")
    return ", ".join(words)


def plan_meta(plan) -> dict:
    """A plan's facts for the API and the reader: metadata, effective status, supersession."""
    tx = get_taxonomy()
    status = plan_status(plan)  # issued | draft | superseded | expired (derived)
    after = [p.id for p in successors(tx, plan.id)]
    if plan.superseded_by and plan.superseded_by not in after:
        after.insert(0, plan.superseded_by)
    return {"id": plan.id, "title_zh": plan.title_zh, "title_en": plan.title_en,
            "doc_number": plan.doc_number, "issuer": plan.issuer, "scope": plan.scope,
            "date": plan.date, "horizon_start": plan.horizon_start,
            "horizon_end": plan.horizon_end, "horizon_note": plan.horizon_note,
            "status": plan.status, "effective_status": status,
            "draft": plan.status == "draft", "expired": _past(plan),
            "superseded": status == "superseded",
            "supersedes": list(plan.supersedes), "superseded_by": after}


def _past(plan) -> bool:
    """Past its horizon (whether or not also superseded)."""
    import datetime as dt

    return plan.horizon_end is not None and plan.horizon_end < dt.date.today().year


def citation_gloss_en(source) -> str:
    """Where a citation is, in English: the plan's English title and the section path."""
    plan = get_taxonomy().plan_by_id.get(_get(source, "plan"))
    title = plan.title_en if plan else _get(source, "plan")
    return f"{title}, {section_gloss_en(_get(source, 'section') or '')}"


def _get(source, key: str):
    return source.get(key) if isinstance(source, dict) else getattr(source, key, None)


def plan_error_text(exc: Exception) -> str:
    """A taxonomy library refusal in the interface language (the error's own text in that
    language: it names the file, entry and field)."""
    from taxonomy import TaxonomyError, TaxonomyValidationError
    from web.i18n import current_lang
    from web.i18n import gettext as _

    zh = current_lang() == "zh"
    texts = exc.texts if isinstance(exc, TaxonomyError) else []
    words = ("；" if zh else "; ").join(t.zh if zh else t.en for t in texts[:5])
    if isinstance(exc, TaxonomyValidationError):
        return _("the taxonomy would not be valid: {problems}", problems=words)
    if isinstance(exc, OSError) or not texts:
        return _("the taxonomy folder cannot be written on this server")
    return _("the taxonomy refused the change: {detail}", detail=words)


def form_messages(messages: dict, schema) -> list[str]:
    """A plan form's validation messages in the interface language: the schema's own texts
    (written "中文 / English") kept, marshmallow's generic ones made readable, naming the field."""
    from web.schemas import form_errors

    return form_errors(messages, schema)
