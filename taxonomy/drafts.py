"""Drafts of proposed entries from an imported plan, and their review.

A draft is ``drafts/<plan-id>.yaml`` in the taxonomy folder (not hashed): the plan, the version it
was proposed against, and a list of proposals (see FORMAT.md "Drafts"). Reviewing sets each
proposal's ``decision`` (``pending`` | ``accepted`` | ``rejected``; ``applied`` once written) and
may edit its entry; `apply_draft` writes the accepted ones into the YAML files, validates the
folder (refusing and leaving every file untouched when it fails), records the new version and
marks them applied. Editors may also edit the draft file by hand and run `apply`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml
from marshmallow import Schema, ValidationError, fields, validate

from taxonomy.errors import TaxonomyError
from taxonomy.loader import load_taxonomy, taxonomy_dir
from taxonomy.messages import field_texts, joined, msg, term
from taxonomy.proposer import EVIDENCE_MAX
from taxonomy.schemas import SLUG

DRAFTS = "drafts"
KINDS = ("industry", "industry_source", "zone", "relation", "policy")
DECISIONS = ("pending", "accepted", "rejected", "applied")
# Entry fields an editor may change, per kind (ids of references stay as proposed).
EDITABLE = {
    "industry": ("id", "name_zh", "name_en", "parent", "level", "aliases_zh", "aliases_en",
                 "keywords_zh", "keywords_en"),
    "industry_source": ("industry",),
    "zone": ("id", "name_zh", "name_en", "kind", "district_codes", "parent", "aliases_zh",
             "aliases_en"),
    "relation": ("industry", "zone", "district", "role"),
    "policy": ("id", "title_zh", "title_en", "category", "scope", "scope_districts",
               "scope_zones", "offers_zh", "offers_en", "industries", "project_types", "traits",
               "conditions_zh", "conditions_en"),
}


class DraftError(TaxonomyError):
    """A draft or a decision that cannot be used (unknown plan or proposal, bad edit)."""


class CitationSchema(Schema):
    plan = fields.String(required=True, validate=SLUG)
    section = fields.String(required=True, validate=validate.Length(min=1))
    evidence = fields.String(required=True, validate=validate.Length(min=2, max=EVIDENCE_MAX))


class DecisionSchema(Schema):
    """One review decision: the web form's and the CLI's input."""

    proposal = fields.String(required=True, validate=validate.Regexp(r"^p\d{3,}$"))
    decision = fields.String(required=True, validate=validate.OneOf(["pending", "accepted",
                                                                     "rejected"]))
    entry = fields.Dict(keys=fields.String(), load_default=dict)
    citation = fields.Nested(CitationSchema, load_default=None, allow_none=True)


class ProposalSchema(Schema):
    """A proposal as stored in a draft file."""

    id = fields.String(required=True, validate=validate.Regexp(r"^p\d{3,}$"))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    entry = fields.Dict(required=True)
    citation = fields.Nested(CitationSchema, required=True)
    clause = fields.String(load_default="")
    note = fields.String(load_default="")
    needs = fields.List(fields.String(), load_default=list)
    applied_version = fields.String(load_default=None, allow_none=True)


class DraftSchema(Schema):
    plan = fields.String(required=True, validate=SLUG)
    taxonomy_version = fields.String(required=True)
    created_at = fields.String(load_default="")
    source_file = fields.String(load_default="")
    proposals = fields.List(fields.Nested(ProposalSchema), required=True)


def draft_path(plan_id: str, data_dir: str | Path | None = None) -> Path:
    return taxonomy_dir(data_dir) / DRAFTS / f"{plan_id}.yaml"


def _dump(draft: dict) -> str:
    head = ("# Proposals from the plan's text, for review. Set each `decision` to accepted or\n"
            "# rejected (edit an `entry` where needed), then: python -m taxonomy apply "
            f"{draft['plan']}\n")
    return head + yaml.safe_dump(draft, allow_unicode=True, sort_keys=False, width=200)


def save_draft(draft: dict, *, data_dir: str | Path | None = None) -> Path:
    path = draft_path(draft["plan"], data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(_dump(draft), encoding="utf-8")
    tmp.replace(path)
    return path


def write_draft(*, data_dir: str | Path | None, plan_id: str, proposals: list[dict],
                taxonomy_version: str, source_file: str = "") -> tuple[Path, dict]:
    """Write a new draft for a plan (replacing an older one); returns (path, draft)."""
    draft = {"plan": plan_id, "taxonomy_version": taxonomy_version,
             "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
             "source_file": source_file, "proposals": proposals}
    return save_draft(draft, data_dir=data_dir), draft


def load_draft(plan_id: str, *, data_dir: str | Path | None = None) -> dict:
    """The draft of a plan, schema-checked (a hand-edited file that breaks it says where)."""
    path = draft_path(plan_id, data_dir)
    if not path.is_file():
        raise DraftError(msg("draft.none", plan=plan_id, folder=str(path.parent)))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return DraftSchema().load(raw)
    except yaml.YAMLError as exc:
        from taxonomy.loader import yaml_text

        raise DraftError(yaml_text(path, exc), log=f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise DraftError(msg("format.file", path=str(path),
                              problems=joined(field_texts(exc.messages))),
                         log=f"{path}: {exc.messages}") from exc


def list_drafts(*, data_dir: str | Path | None = None) -> list[dict]:
    """Every draft in the folder with its counts: ``[{"plan", "created_at", "counts"}]``."""
    folder = taxonomy_dir(data_dir) / DRAFTS
    out = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        draft = load_draft(path.stem, data_dir=data_dir)
        counts: dict[str, int] = {}
        for p in draft["proposals"]:
            counts[p["decision"]] = counts.get(p["decision"], 0) + 1
        out.append({"plan": draft["plan"], "created_at": draft["created_at"], "counts": counts,
                    "taxonomy_version": draft["taxonomy_version"]})
    return out


def proposals(plan_id: str, *, data_dir: str | Path | None = None, kind: str | None = None,
              decision: str | None = None) -> list[dict]:
    """The draft's proposals, optionally of one kind and/or decision."""
    return [p for p in load_draft(plan_id, data_dir=data_dir)["proposals"]
            if (kind is None or p["kind"] == kind) and (decision is None or p["decision"] == decision)]


def decide(*, plan_id: str, decisions: list[dict], data_dir: str | Path | None = None) -> dict:
    """Record review decisions (each as `DecisionSchema`): accept, reject or reset a proposal,
    optionally editing its entry fields and citation. Returns the saved draft."""
    draft = load_draft(plan_id, data_dir=data_dir)
    by_id = {p["id"]: p for p in draft["proposals"]}
    try:
        loaded = DecisionSchema(many=True).load(decisions)
    except ValidationError as exc:
        raise DraftError(msg("draft.decisions", problems=joined(field_texts(exc.messages))),
                         log=f"decisions: {exc.messages}") from exc
    for d in loaded:
        p = by_id.get(d["proposal"])
        if p is None:
            raise DraftError(msg("draft.not_in", proposal=d["proposal"], plan=plan_id))
        if p["decision"] == "applied":
            raise DraftError(msg("draft.applied", proposal=p["id"]))
        bad = sorted(set(d["entry"]) - set(EDITABLE[p["kind"]]))
        if bad:
            raise DraftError(msg("draft.cannot_edit", proposal=p["id"], kind=term(p["kind"]),
                                  fields=bad))
        p["entry"].update(d["entry"])
        if d["citation"]:
            if d["citation"]["plan"] != plan_id:
                raise DraftError(msg("draft.citation_plan", proposal=p["id"], plan=plan_id))
            p["citation"] = d["citation"]
        p["decision"] = d["decision"]
    save_draft(draft, data_dir=data_dir)
    return draft


def apply_draft(*, plan_id: str, data_dir: str | Path | None = None, who: str = "",
                note: str = "") -> dict:
    """Write the accepted proposals into the taxonomy (see module doc).

    Returns ``{"version", "applied": [ids], "files": [paths]}``; raises `DraftError` when an
    accepted proposal needs a field or a proposal that is not accepted, or the validation error
    when the result does not pass the check (nothing is then changed)."""
    from taxonomy.apply import write_accepted
    from taxonomy.store import edit

    folder = taxonomy_dir(data_dir)
    draft = load_draft(plan_id, data_dir=folder)
    accepted = [p for p in draft["proposals"] if p["decision"] == "accepted"]
    if not accepted:
        raise DraftError(msg("draft.none_accepted", plan=plan_id))
    tx = load_taxonomy(folder)
    message = note or f"applied {len(accepted)} proposal(s) from the draft of {plan_id}"
    with edit(data_dir=folder, note=message, who=who) as change:
        files = write_accepted(draft, accepted, taxonomy=tx, folder=change.folder)
    for p in accepted:
        p["decision"] = "applied"
        p["applied_version"] = change.version.id
    save_draft(draft, data_dir=folder)
    return {"version": change.version.id, "applied": [p["id"] for p in accepted],
            "files": [str(f) for f in files]}
