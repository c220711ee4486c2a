"""Import a new plan: store its text, add it to plans.yaml, write a draft of proposals.

    import_plan(source=path_or_bytes, filename=..., plan_id=..., title_zh=..., issuer=...,
                date=..., horizon="2026-2030", status="draft", supersedes=[...])

The text goes to ``plans/<plan-id>.txt`` (UTF-8), the plan to plans.yaml (a plan it supersedes
is marked superseded when the new one is issued), the folder is validated and the version
recorded; then `taxonomy.proposer` reads the text and the draft is written to
``drafts/<plan-id>.yaml`` for review (`taxonomy.drafts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from taxonomy.convert import read_plan_file, to_text
from taxonomy.errors import TaxonomyError
from taxonomy.loader import load_taxonomy, taxonomy_dir
from taxonomy.messages import field_texts, joined, msg
from taxonomy.schemas import SLUG
from taxonomy.sections import PlanText
from taxonomy.store import edit, plans_dir
from taxonomy.yamlio import YamlFile


class PlanImportError(TaxonomyError):
    """The plan's metadata or file is not acceptable; the message names the field."""


class ImportSchema(Schema):
    """The metadata of a plan to import (the CLI's and the web form's input)."""

    plan_id = fields.String(required=True, validate=SLUG)
    title_zh = fields.String(required=True, validate=validate.Length(min=2, max=200))
    title_en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    issuer = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    doc_number = fields.String(load_default=None, allow_none=True)
    date = fields.String(load_default=None, allow_none=True,
                         validate=validate.Regexp(r"^\d{4}-\d{2}-\d{2}$",
                                                  error="must be YYYY-MM-DD"))
    horizon = fields.String(load_default=None, allow_none=True)
    horizon_start = fields.Integer(load_default=None, allow_none=True,
                                   validate=validate.Range(1949, 2100))
    horizon_end = fields.Integer(load_default=None, allow_none=True,
                                 validate=validate.Range(1949, 2100))
    horizon_note = fields.String(load_default=None, allow_none=True)
    scope = fields.String(load_default=None, allow_none=True,
                          validate=validate.OneOf(["city", "district", "zone"]))
    status = fields.String(load_default="draft", validate=validate.OneOf(["draft", "issued"]))
    supersedes = fields.List(fields.String(validate=SLUG), load_default=list)

    @validates_schema
    def _horizon(self, data, **kwargs):
        text = data.get("horizon")
        if text:
            years = _horizon_years(text)
            if years is None:
                raise ValidationError("write the horizon as YYYY-YYYY or YYYY", "horizon")
            if years[0] and years[0] > years[1]:
                raise ValidationError("the horizon ends before it starts", "horizon")

    @post_load
    def _years(self, data, **kwargs):
        if data.get("horizon"):
            start, end = _horizon_years(data["horizon"])
            data["horizon_start"] = data.get("horizon_start") or start
            data["horizon_end"] = data.get("horizon_end") or end
            data["horizon_note"] = data.get("horizon_note") or data["horizon"].strip()
        return data


def _horizon_years(text: str) -> tuple[int | None, int] | None:
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~至到]\s*(\d{4}))?\s*", text)
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2))) if m.group(2) else (None, int(m.group(1)))


def _messages(exc: ValidationError) -> str:
    parts = []
    for field, msgs in sorted(exc.messages.items()):
        text = "; ".join(map(str, msgs if isinstance(msgs, list) else [msgs]))
        parts.append(f"{field}: {text}")
    return ", ".join(parts)


def _scope_from(issuer: str | None) -> str:
    if issuer and re.search(r"区人民政府|区政府|区委", issuer):
        return "district"
    if issuer and re.search(r"管委会|管理委员会", issuer):
        return "zone"
    return "city"


@dataclass
class ImportResult:
    plan_id: str
    version: str           # the taxonomy version with the plan added
    text_path: Path
    draft_path: Path
    draft: dict
    sections: int          # headings found in the text


def import_plan(*, source: str | Path | bytes, filename: str | None = None,
                data_dir: str | Path | None = None, who: str = "", **metadata) -> ImportResult:
    """Import a plan file (see the module docstring); `metadata` as in `ImportSchema`.

    `source` is a path, or the file's bytes with `filename` (its suffix picks the reader).
    Raises `PlanImportError` (bad metadata), `ConversionError` (unreadable file) or a
    validation error; the folder is then unchanged."""
    try:
        meta = ImportSchema().load(metadata)
    except ValidationError as exc:
        raise PlanImportError(msg("import.metadata", problems=joined(field_texts(exc.messages))),
                              log=f"plan metadata: {_messages(exc)}") from exc
    if isinstance(source, bytes):
        text = to_text(source, filename or "plan.txt")
    else:
        text = read_plan_file(source)
        filename = filename or Path(source).name
    parsed = PlanText(text)
    folder = taxonomy_dir(data_dir)
    plan_id = meta["plan_id"]
    note = f"imported plan {plan_id} ({meta['status']})"
    with edit(data_dir=folder, note=note, who=who) as change:
        plans = YamlFile(change.folder / "plans.yaml")
        if plans.find("id", plan_id) is not None:
            raise PlanImportError(msg("import.exists", field="plan_id", plan=plan_id))
        for old in meta["supersedes"]:
            if plans.find("id", old) is None:
                raise PlanImportError(msg("import.supersedes", field="supersedes", plan=old))
        text_path = plans_dir(change.folder) / f"{plan_id}.txt"
        text_path.parent.mkdir(parents=True, exist_ok=True)
        text_path.write_text(text, encoding="utf-8")
        plans.append({
            "id": plan_id, "file": text_path.name, "title_zh": meta["title_zh"],
            "title_en": meta["title_en"] or meta["title_zh"], "doc_number": meta["doc_number"],
            "issuer": meta["issuer"], "scope": meta["scope"] or _scope_from(meta["issuer"]),
            "date": meta["date"], "horizon_start": meta["horizon_start"],
            "horizon_end": meta["horizon_end"], "horizon_note": meta["horizon_note"] or "",
            "status": meta["status"], "supersedes": meta["supersedes"],
        })
        if meta["status"] == "issued":
            from taxonomy.plans import set_key

            for old in meta["supersedes"]:
                entry = plans.find("id", old)
                set_key(entry, "status", "superseded")
                set_key(entry, "superseded_by", plan_id)
        plans.save()
    from taxonomy.drafts import load_draft, write_draft
    from taxonomy.proposer import propose

    tx = change.taxonomy or load_taxonomy(folder)
    proposals = propose(text=parsed, plan=tx.plan_by_id[plan_id], taxonomy=tx)
    draft_path, _ = write_draft(data_dir=folder, plan_id=plan_id, proposals=proposals,
                                taxonomy_version=tx.version, source_file=filename or "")
    draft = load_draft(plan_id, data_dir=folder)
    return ImportResult(plan_id=plan_id, version=change.version.id, text_path=text_path,
                        draft_path=draft_path, draft=draft, sections=len(parsed.headings))
