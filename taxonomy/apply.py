"""Write accepted draft proposals into the taxonomy's YAML files (called by `drafts.apply_draft`
inside a validated edit). New industries go to their sector's file, relations to the industry's
sector file, zones to zones.yaml, policies to ``policies/<plan-id>.yaml``; each cites its clause.
"""

from __future__ import annotations

from pathlib import Path

from taxonomy.drafts import DraftError
from taxonomy.messages import msg, term
from taxonomy.model import Taxonomy
from taxonomy.naming import slug
from taxonomy.yamlio import YamlFile

_INDUSTRY_KEYS = ("id", "level", "parent", "name_zh", "name_en", "aliases_zh", "aliases_en",
                  "keywords_zh", "keywords_en")
_ZONE_KEYS = ("id", "name_zh", "name_en", "kind", "district_codes", "parent", "aliases_zh",
              "aliases_en")
_POLICY_KEYS = ("id", "title_zh", "title_en", "category", "scope", "scope_districts",
                "scope_zones", "offers_zh", "offers_en", "industries", "project_types", "traits",
                "conditions_zh", "conditions_en")


class _Writer:
    def __init__(self, draft: dict, accepted: list[dict], tx: Taxonomy, folder: Path):
        self.draft, self.tx, self.folder = draft, tx, folder
        self.by_id = {p["id"]: p for p in draft["proposals"]}
        self.accepted = {p["id"] for p in accepted}
        self.ids: dict[str, str] = {}       # proposal id -> the entry id it was given
        self.sectors: dict[str, str] = {}   # new industry id -> its sector
        self.files: dict[Path, YamlFile] = {}
        self.taken = {n.id for n in tx.industries} | {z.id for z in tx.zones} | {
            p.id for p in tx.policies}

    def file(self, rel: str) -> YamlFile:
        path = self.folder / rel
        if path not in self.files:
            self.files[path] = YamlFile(path)
        return self.files[path]

    def ref(self, value, who: dict):
        """A field value, with ``@p00N`` replaced by the id that proposal was given."""
        if isinstance(value, list):
            return [self.ref(v, who) for v in value]
        if not (isinstance(value, str) and value.startswith("@")):
            return value
        target = self.by_id.get(value[1:])
        if target is None:
            raise DraftError(msg("draft.ref_missing", proposal=who["id"], ref=value[1:]))
        if target["id"] not in self.accepted and target["decision"] != "applied":
            raise DraftError(msg("draft.needs_proposal", proposal=who["id"],
                                  kind=term(who["kind"]), other=target["id"],
                                  other_kind=term(target["kind"]),
                                  name=target["entry"].get("name_zh", ""),
                                  decision=term(target["decision"])))
        if target["id"] not in self.ids:
            self.write(target)
        return self.ids[target["id"]]

    def sector(self, industry_id: str) -> str:
        if industry_id in self.sectors:
            return self.sectors[industry_id]
        if industry_id not in self.tx.industry_by_id:
            raise DraftError(msg("draft.industry", industry=industry_id))
        return self.tx.sector_of(industry_id)

    def write(self, p: dict) -> None:
        if p["id"] in self.ids:
            return
        getattr(self, f"_{p['kind']}")(p, dict(p["entry"]), dict(p["citation"]))

    def _industry(self, p, e, cite) -> None:
        if not e.get("name_en"):
            raise DraftError(msg("draft.needs_name_en", proposal=p["id"], name=e["name_zh"],
                                  field="name_en"))
        parent = self.ref(e.get("parent"), p)
        if not parent:
            raise DraftError(msg("draft.needs_parent", proposal=p["id"], name=e["name_zh"]))
        sector = self.sector(parent)
        ident = e.get("id") or slug(e["name_en"], taken=self.taken, prefix=sector)
        self.taken.add(ident)
        self.ids[p["id"]], self.sectors[ident] = ident, sector
        row = {k: e.get(k) for k in _INDUSTRY_KEYS if k in e or k in ("id", "parent")}
        row.update({"id": ident, "parent": parent, "sources": [cite]})
        self.file(f"industries/{sector}.yaml").append(row)

    def _zone(self, p, e, cite) -> None:
        ident = e.get("id") or slug(e.get("name_en") or e["name_zh"], taken=self.taken)
        self.taken.add(ident)
        self.ids[p["id"]] = ident
        row = {k: e[k] for k in _ZONE_KEYS if e.get(k) not in (None, "") or k in (
            "district_codes", "aliases_zh", "aliases_en")}
        row.update({"id": ident, "name_en": e.get("name_en") or e["name_zh"], "sources": [cite]})
        self.file("zones.yaml").append(row)

    def _industry_source(self, p, e, cite) -> None:
        ident = self.ref(e["industry"], p)
        node = self.tx.industry_by_id.get(ident)
        if node is None:
            raise DraftError(msg("draft.proposal_industry", proposal=p["id"], industry=ident))
        doc = self.file(node.file)
        entry = doc.find("id", ident)
        if cite not in [dict(s) for s in entry["sources"]]:
            entry["sources"].append(_node(cite))
        self.ids[p["id"]] = ident

    def _relation(self, p, e, cite) -> None:
        industry = self.ref(e["industry"], p)
        place_key = "zone" if e.get("zone") else "district"
        place = self.ref(e[place_key], p)
        doc = self.file(f"relations/{self.sector(industry)}.yaml")
        for entry in doc.data:
            if (entry.get("industry") == industry and entry.get(place_key) == place
                    and entry.get("role") == e["role"]):
                if cite not in [dict(s) for s in entry["sources"]]:
                    entry["sources"].append(_node(cite))
                break
        else:
            doc.append({"industry": industry, place_key: place, "role": e["role"],
                        "sources": [cite]})
        self.ids[p["id"]] = f"{industry}->{place}"

    def _policy(self, p, e, cite) -> None:
        plan = self.draft["plan"]
        ident = e.get("id") or slug(f"{e['category']}", taken=self.taken, prefix=plan)
        self.taken.add(ident)
        self.ids[p["id"]] = ident
        row = {k: self.ref(e.get(k), p) for k in _POLICY_KEYS if k in e}
        row.update({"id": ident, "sources": [cite]})
        self.file(f"policies/{plan}.yaml").append(row)


def _node(value):
    from taxonomy.yamlio import to_node

    return to_node(value)


def write_accepted(draft: dict, accepted: list[dict], *, taxonomy: Taxonomy,
                   folder: Path) -> list[Path]:
    """Write the accepted proposals; returns the files changed."""
    writer = _Writer(draft, accepted, taxonomy, folder)
    order = {"industry": 0, "zone": 1, "industry_source": 2, "relation": 3, "policy": 4}
    for p in sorted(accepted, key=lambda p: (order[p["kind"]], p["id"])):
        writer.write(p)
    changed = [path for path, doc in writer.files.items() if doc.save()]
    return sorted(changed)
