"""The curator's path for the web: import a plan file, review its draft, apply it.

Thin over the taxonomy library (`taxonomy.importer`, `taxonomy.drafts`): this module turns the
review form into decisions, checks what a curator must still fill (so the message names the
proposal and the field in both languages), and words the library's refusals for the page.
"""

from __future__ import annotations

import logging

from taxonomy import TaxonomyError, TaxonomyValidationError
from taxonomy.drafts import EDITABLE, apply_draft, decide, load_draft
from taxonomy.importer import import_plan
from taxonomy.messages import TERMS

LIST_FIELDS = {"aliases_zh", "aliases_en", "keywords_zh", "keywords_en", "district_codes",
               "scope_districts", "scope_zones", "industries", "project_types", "traits"}
FIELD_LABELS = {  # field -> (Chinese, English) for messages
    "id": ("编号", "id"), "name_zh": ("中文名称", "Chinese name"),
    "name_en": ("英文名称", "English name"), "parent": ("上级产业", "parent industry"),
    "level": ("层级", "level"), "industry": ("产业", "industry"), "zone": ("园区", "zone"),
    "district": ("区", "district"), "role": ("布局角色", "role"),
    "title_zh": ("中文标题", "Chinese title"), "title_en": ("英文标题", "English title"),
    "offers_en": ("英文支持内容", "English offer"), "conditions_en": ("英文条件", "English conditions"),
    "kind": ("类型", "kind"), "district_codes": ("所在区", "districts"),
    "category": ("类别", "category"), "scope": ("适用范围", "scope"),
    "aliases_zh": ("中文别名", "Chinese aliases"), "aliases_en": ("英文别名", "English aliases"),
    "keywords_zh": ("中文关键词", "Chinese keywords"),
    "keywords_en": ("英文关键词", "English keywords"),
    "scope_districts": ("适用的区", "districts in scope"),
    "scope_zones": ("适用的园区", "zones in scope"), "offers_zh": ("中文支持内容", "Chinese offer"),
    "industries": ("适用产业", "industries"), "project_types": ("项目类型", "project types"),
    "traits": ("企业特征", "company traits"), "conditions_zh": ("中文条件", "Chinese conditions"),
}
# The proposer's notes (taxonomy.proposer, English) in both languages: (pattern, zh, en); the
# named groups are codes shown by their label or Chinese names kept as quotes
NOTES = (
    (r"heading the industry tree does not have", "产业目录中尚无的标题",
     "heading the industry tree does not have"),
    (r"the plan names (?P<name>.+) as a focus", "规划将{name}列为重点", "the plan names {name} as a focus"),
    (r"a place name by its form; English name romanised", "按名称形式识别的地名；英文名为拼音",
     "a place name by its form; English name romanised"),
    (r"role from the clause's wording: (?P<role>\w+)", "布局角色依据条款措辞判断：{role}",
     "role from the clause's wording: {role}"),
    (r"support measure \((?P<category>\w+)\); English is a template, translate it",
     "支持措施（{category}）；英文内容为模板，请翻译", "support measure ({category}); English is a "
     "template, translate it"),
)
IMPORT_SUFFIXES = (".txt", ".docx", ".pdf")
log = logging.getLogger(__name__)


class CurationError(Exception):
    """A curator's action that cannot be done; `messages` are (Chinese, English) pairs."""

    def __init__(self, messages: list[tuple[str, str]]):
        self.messages = messages
        super().__init__("; ".join(en for _zh, en in messages))


def proposal_note(note: str, lang: str):
    """A proposer's note in the interface language (HTML: Chinese names it quotes are marked);
    a note it does not know is shown as written, marked as English."""
    import re

    from markupsafe import Markup, escape

    from matcher import labels

    for pattern, zh, en in NOTES:
        found = re.fullmatch(pattern, note)
        if found is None:
            continue
        values = {}
        for key, value in found.groupdict().items():
            kind = {"role": "role", "category": "category"}.get(key)
            if kind:
                pair = labels.KINDS[kind].get(value, (value, value.replace("_", " ")))
                values[key] = escape(pair[0] if lang == "zh" else pair[1])
            else:
                values[key] = Markup('<span lang="zh-CN">{}</span>').format(value)
        return Markup(escape(zh if lang == "zh" else en)).format(**values)
    return Markup('<span lang="en">{}</span>').format(note)


def field_text(field: str, lang: str) -> str:
    """A draft entry's field by its label in the interface language."""
    zh, en = _label(field)
    return zh if lang == "zh" else en


def _label(field: str) -> tuple[str, str]:
    return FIELD_LABELS.get(field, (field, field))


def library_messages(exc: Exception) -> list[tuple[str, str]]:
    """A refusal of the taxonomy library as (Chinese, English) lines, from the error's own
    bilingual texts (which name the file, entry or proposal and the field); its English
    ``str`` is only logged."""
    log.info("taxonomy refused: %s", exc)
    if isinstance(exc, TaxonomyValidationError):
        return [(f"校验未通过：{t.zh}", f"check failed: {t.en}") for t in exc.texts[:20]]
    if isinstance(exc, OSError):
        return [("本服务器上的知识库文件夹不可写", "the taxonomy folder cannot be written here")]
    if isinstance(exc, TaxonomyError):
        return [(f"知识库拒绝了该操作：{t.zh}", f"the taxonomy refused: {t.en}") for t in exc.texts]
    return [("知识库拒绝了该操作", "the taxonomy refused the operation")]


def import_uploaded_plan(*, data: bytes, filename: str, meta: dict, who: str) -> dict:
    """Store an uploaded plan file and its metadata, and propose a draft; returns the draft."""
    if not filename.lower().endswith(IMPORT_SUFFIXES):
        raise CurationError([("文件须为 .txt、.docx 或 .pdf", "the file must be .txt, .docx or .pdf")])
    if not data:
        raise CurationError([("上传的文件是空的", "the uploaded file is empty")])
    try:
        result = import_plan(source=data, filename=filename, who=who, **meta)
    except (TaxonomyError, OSError) as exc:
        raise CurationError(library_messages(exc)) from exc
    return result.draft


def decisions_from_form(draft: dict, form) -> list[dict]:
    """Review decisions from the posted form: `decision-<pid>`, `entry-<pid>-<field>`,
    `section-<pid>`, `evidence-<pid>`; only what changed is sent."""
    out = []
    for p in draft["proposals"]:
        if p["decision"] == "applied":
            continue
        pid = p["id"]
        decision = form.get(f"decision-{pid}", p["decision"])
        entry = {}
        for field in EDITABLE[p["kind"]]:
            key = f"entry-{pid}-{field}"
            if key not in form:
                continue
            value = _value(field, form.get(key, ""))
            if value != p["entry"].get(field) and not (value in ("", []) and
                                                       p["entry"].get(field) in (None, "", [])):
                entry[field] = value
        citation = None
        section = (form.get(f"section-{pid}") or "").strip()
        evidence = (form.get(f"evidence-{pid}") or "").strip()
        if (section and section != p["citation"]["section"]) or \
                (evidence and evidence != p["citation"]["evidence"]):
            citation = {"plan": p["citation"]["plan"],
                        "section": section or p["citation"]["section"],
                        "evidence": evidence or p["citation"]["evidence"]}
        if decision != p["decision"] or entry or citation:
            out.append({"proposal": pid, "decision": decision, "entry": entry,
                        "citation": citation})
    return out


def _value(field: str, raw: str):
    raw = raw.strip()
    if field in LIST_FIELDS:
        return [x.strip() for x in raw.replace("，", ",").replace("、", ",").split(",") if x.strip()]
    return raw


def review(*, plan_id: str, form) -> dict:
    """Record the form's decisions and edits; returns the saved draft."""
    draft = load_draft(plan_id)
    decisions = decisions_from_form(draft, form)
    if not decisions:
        return draft
    try:
        return decide(plan_id=plan_id, decisions=decisions)
    except (TaxonomyError, OSError) as exc:
        raise CurationError(library_messages(exc)) from exc


def missing_fields(draft: dict) -> list[tuple[str, str]]:
    """For each accepted proposal, the fields a curator must still fill (named, both languages)."""
    out = []
    for p in draft["proposals"]:
        if p["decision"] != "accepted":
            continue
        for field in p.get("needs") or []:
            value = p["entry"].get(field)
            if value in (None, "", []) or "[machine summary" in str(value):
                zh, en = _label(field)
                kind = TERMS.get(p["kind"], p["kind"])
                out.append((f"提案 {p['id']}（{kind}）：请填写{zh}（{field}）",
                            f"proposal {p['id']} ({p['kind']}): fill in the {en} ({field})"))
    return out


def apply(*, plan_id: str, who: str) -> dict:
    """Write the accepted proposals to the taxonomy; returns {"version", "applied", "files"}."""
    draft = load_draft(plan_id)
    if not any(p["decision"] == "accepted" for p in draft["proposals"]):
        raise CurationError([("没有已接受的提案可以写入", "no accepted proposal to apply")])
    missing = missing_fields(draft)
    if missing:
        raise CurationError(missing)
    try:
        return apply_draft(plan_id=plan_id, who=who)
    except (TaxonomyError, OSError) as exc:
        raise CurationError(library_messages(exc)) from exc


PLAN_FIELDS = ("title_zh", "title_en", "issuer", "doc_number", "date", "horizon", "status",
               "superseded_by", "supersedes")


def horizon_text(plan) -> str:
    """A plan's horizon as the form shows it: ``2021-2025`` or ``2030``."""
    if plan.horizon_end is None:
        return ""
    return f"{plan.horizon_start}-{plan.horizon_end}" if plan.horizon_start else str(plan.horizon_end)


def plan_form(plan) -> dict:
    """A plan's metadata as the edit form holds it."""
    return {"title_zh": plan.title_zh, "title_en": plan.title_en, "issuer": plan.issuer or "",
            "doc_number": plan.doc_number or "", "date": plan.date or "",
            "horizon": horizon_text(plan), "status": plan.status,
            "superseded_by": plan.superseded_by or "", "supersedes": list(plan.supersedes)}


def _same_horizon(text: str | None, plan) -> bool:
    from taxonomy.importer import _horizon_years

    years = _horizon_years(text) if text else (None, None)
    return years == (plan.horizon_start if plan.horizon_end is not None else None,
                     plan.horizon_end)


def plan_changes(plan, data: dict) -> dict:
    """What the validated form changes: {field: (before, after)} (a horizon of the same years
    is no change, so that its curated note stays)."""
    before = plan_form(plan)
    out = {}
    for field in PLAN_FIELDS:
        old, new = before[field], data.get(field)
        if field == "horizon":
            if not _same_horizon(new, plan):
                out[field] = (old, new or "")
        elif field == "supersedes":
            if list(new or []) != old:
                out[field] = (old, list(new or []))
        elif (new or "") != (old or ""):
            out[field] = (old, new or "")
    if "superseded_by" in out and "status" not in out:
        out["status"] = (before["status"], data.get("status"))
    return out


def edit_plan(*, plan_id: str, data: dict, who: str, note: str = "") -> tuple[str | None, dict]:
    """Write a plan's changed metadata to plans.yaml; (new version or None, the changes)."""
    from taxonomy import get_taxonomy
    from taxonomy.plans import update_plan

    tx = get_taxonomy()
    plan = tx.plan_by_id.get(plan_id)
    if plan is None:
        raise CurationError([("规划库中没有该规划", "no such plan in the library")])
    problems = []
    for other in [data.get("superseded_by"), *(data.get("supersedes") or [])]:
        if other and (other == plan_id or other not in tx.plan_by_id):
            problems.append((f"规划库中没有另一个编号为 {other} 的规划",
                             f"{other} is not another plan in the library"))
    if problems:
        raise CurationError(problems)
    changes = plan_changes(plan, data)
    if not changes:
        return None, {}
    kwargs = {k: new for k, (_old, new) in changes.items()
              if k not in ("status", "superseded_by")}
    if "status" in changes:
        kwargs["status"] = data["status"]
        kwargs["superseded_by"] = data.get("superseded_by") or None
    try:
        version = update_plan(plan_id=plan_id, who=who, note=note or f"plan {plan_id}: "
                              f"{', '.join(changes)} edited", **kwargs)
    except (TaxonomyError, OSError) as exc:
        raise CurationError(library_messages(exc)) from exc
    return version, changes


def withdrawal_preview(*, plan_id: str) -> dict:
    """What withdrawing a plan takes out and what stays: counts and the entries kept."""
    from taxonomy import get_taxonomy
    from taxonomy.withdraw import removal_sets, still_cited

    tx = get_taxonomy()
    industries, zones = removal_sets(tx, plan_id)

    def only(sources) -> bool:
        return bool(sources) and all(s.plan == plan_id for s in sources)

    return {"industries": len(industries), "zones": len(zones),
            "relations": sum(1 for r in tx.relations
                             if only(r.sources) or r.industry in industries or r.zone in zones),
            "policies": sum(1 for p in tx.policies if only(p.sources)),
            "cited_elsewhere": sum(1 for kind in (tx.industries, tx.zones, tx.relations,
                                                  tx.policies)
                                   for e in kind if any(s.plan == plan_id for s in e.sources)
                                   and not only(e.sources)),
            "kept": still_cited(tx, plan_id)}


def withdraw_plan(*, plan_id: str, who: str) -> str:
    """Take the plan out of the library (its entries, citations, text and any draft); returns
    the new taxonomy version."""
    from taxonomy.drafts import draft_path
    from taxonomy.withdraw import remove_plan

    try:
        version = remove_plan(plan_id=plan_id, who=who, note=f"plan {plan_id} withdrawn")
    except (TaxonomyError, OSError) as exc:
        raise CurationError(library_messages(exc)) from exc
    draft_path(plan_id).unlink(missing_ok=True)
    return version
