"""Record shapes for lead lists: the list record (default), the full §5 record, the catalogue.

A full record repeats every citation, reason and policy text in every row (about 25 KB). The
*list record* keeps what an officer reads: per industry, district, park and policy its id, both
names (titles), its score, plus the row's confidence, warnings and parsed fields, and each item's
`details`, an id into the run's *catalogue*. The catalogue, written once per run, holds each
item's details (reasons in both languages, evidence, policy conditions, why it may apply ...)
with citations referred to by id, the parts of items that never change (an industry's path and
sources, a policy's offer and citation), and the citations themselves.

`expand(list_record, catalogue)` gives back exactly the full record: nothing is dropped, so every
consumer can read either shape. Ids are content hashes, the same in every process and run.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

FORMAT = "matcher-catalogue/1"
DETAILS = ("list", "full")
ITEM_KEY = {"industries": "id", "districts": "code", "parks": "id", "policies": "id"}
# what an officer reads of each item, kept in the list record (besides the key)
SHOWN = {"industries": ("name_zh", "name_en", "score", "evidence"),
         "districts": ("name_zh", "name_en", "score"),
         "parks": ("name_zh", "name_en", "score"),
         "policies": ("title_zh", "title_en", "relevance")}
# how many items of each list the list record shows; the others are in the list's details
INLINE = {"industries": 3, "districts": 3, "parks": 3, "policies": 5}
CITATION_FIELDS = ("sources",)  # lists of citation dicts, stored as citation ids


def _id(prefix: str, value) -> str:
    digest = hashlib.blake2b(orjson.dumps(value, option=orjson.OPT_SORT_KEYS), digest_size=6)
    return prefix + digest.hexdigest()


def _static_parts(matcher) -> dict[str, dict]:
    """The parts of items that are the same in every record of this matcher, per kind and id."""
    cached = matcher.__dict__.get("_static_record_parts")
    if cached is not None:
        return cached
    tx = matcher.taxonomy
    parts: dict[str, dict] = {"industries": {}, "districts": {}, "parks": {}, "policies": {}}
    for node in tx.industries:
        parts["industries"][node.id] = {"path_zh": tx.path_zh(node.id),
                                        "path_en": tx.path_en(node.id),
                                        "sources": [s.to_dict() for s in node.sources]}
    for zone in tx.zones:
        parts["parks"][zone.id] = {"kind": zone.kind, "district_code": zone.district_codes[0]
                                   if zone.district_codes else None}
    for static in getattr(matcher.policies, "static", []):
        parts["policies"][static["id"]] = {k: v for k, v in static.items()
                                          if k != "id" and k not in SHOWN["policies"]}
    matcher.__dict__["_static_record_parts"] = parts
    return parts


class Catalogue:
    """Citations, static item parts and item details referred to by list records."""

    TABLES = ("citations", "texts", "static", "details")

    def __init__(self, matcher=None, taxonomy_version: str | None = None):
        self.matcher = matcher
        self.taxonomy_version = taxonomy_version or (matcher.version if matcher else None)
        self.citations: dict[str, dict] = {}
        self.static: dict[str, dict] = {}   # "kind:id" -> static parts (citations as ids)
        self.details: dict[str, list] = {}
        self.texts: dict[str, str] = {}
        self._tids: dict[str, str] = {}
        self._new: dict[str, dict] = {t: {} for t in self.TABLES}
        self._cids: dict[tuple, str] = {}      # citation items -> id, without hashing again
        self._dids: dict[bytes, str] = {}      # details as JSON -> id
        self._static_refs: dict[str, dict] = {}
        self._lists: dict[tuple, tuple] = {}   # a list as JSON -> its compact form

    # ---- building ------------------------------------------------------------------------
    def _put(self, table: str, key: str, value) -> None:
        store = getattr(self, table)
        if key not in store:
            store[key] = value
            self._new[table][key] = value

    def cite(self, citation: dict) -> str:
        key = tuple(citation.items())
        cid = self._cids.get(key)
        if cid is None:
            cid = self._cids[key] = _id("c", citation)
            self._put("citations", cid, dict(citation))
        return cid

    def text(self, value: str) -> str:
        tid = self._tids.get(value)
        if tid is None:
            if len(self._tids) > 50_000:
                self._tids.clear()
            tid = self._tids[value] = _id("t", value)
            self._put("texts", tid, value)
        return tid

    def _refs(self, item: dict) -> dict:
        """The item with its citation lists as citation ids."""
        return {k: ([self.cite(c) for c in v] if k in CITATION_FIELDS and isinstance(v, list)
                    else v) for k, v in item.items()}

    def _texts(self, rest: dict, key_field: str) -> dict:
        """Citations as citation ids, every text (and list of texts) as a text id."""
        out = {}
        for k, v in rest.items():
            if k in CITATION_FIELDS and isinstance(v, list):
                out[k] = [self.cite(c) for c in v]
            elif k == "static" or k == key_field:
                out[k] = v
            elif isinstance(v, str):
                out[k] = self.text(v)
            elif isinstance(v, list) and all(isinstance(x, str) for x in v):
                out[k] = [self.text(x) for x in v]
            else:
                out[k] = v
        return out

    def compact(self, record: dict) -> dict:
        """The list record of a full §5 record (an error record stays as it is)."""
        if "error" in record:
            return record
        out = {}
        refs = {}
        for key, value in record.items():
            if key in ITEM_KEY and isinstance(value, list):
                out[key], ref = self._compact_list(key, value)
                if ref:
                    refs[key] = ref
            else:
                out[key] = value
        out["detail"] = "list"
        if refs:
            out["details"] = refs
        return out

    def _compact_list(self, kind: str, items: list[dict]) -> tuple[list[dict], str | None]:
        """(the items an officer reads, shown fields only; the id of the rest of the list)."""
        try:
            raw = orjson.dumps(items)
        except TypeError:
            return self._compact_list_now(kind, items)
        found = self._lists.get((kind, raw))
        if found is None:
            if len(self._lists) > 4_000:
                self._lists.clear()
            found = self._lists[(kind, raw)] = self._compact_list_now(kind, items)
        shown, did = found
        return [dict(x) for x in shown], did

    def _compact_list_now(self, kind: str, items: list[dict]) -> tuple[list[dict], str | None]:
        key_field, shown_fields, n = ITEM_KEY[kind], SHOWN[kind], INLINE[kind]
        statics = _static_parts(self.matcher).get(kind, {}) if self.matcher else {}
        shown, rests, empty = [], [], True
        for i, item in enumerate(items):
            key = item.get(key_field)
            inline = i < n
            if inline:
                shown.append({key_field: key, **{k: item[k] for k in shown_fields if k in item}})
            static = statics.get(key)
            rest, same = {}, 0
            for k, v in item.items():
                if inline and (k == key_field or k in shown_fields):
                    continue
                if static is not None and k in static and static[k] == v:
                    same += 1
                else:
                    rest[k] = v
            if same:
                self._static_entry(kind, key, static)
            if static is not None and same != len(static):
                rest["static"] = sorted(k for k in static if k in item and item[k] == static[k])
            if rest:
                empty = False
                rest = self._texts(rest, key_field)
            rests.append(rest)
        if empty:
            return shown, None
        raw = orjson.dumps(rests)
        did = self._dids.get(raw)
        if did is None:
            if len(self._dids) > 20_000:  # bounded: the ids are content hashes anyway
                self._dids.clear()
            did = self._dids[raw] = _id("d", rests)
            self._put("details", did, rests)
        return shown, did

    def _static_entry(self, kind: str, key, static: dict) -> None:
        sid = f"{kind}:{key}"
        if sid not in self._static_refs:
            self._static_refs[sid] = self._refs(static)
            self._put("static", sid, self._static_refs[sid])

    # ---- exchanging between processes ------------------------------------------------------
    def take_new(self) -> dict:
        """The entries added since the last call (what a worker sends with its chunk)."""
        new, self._new = self._new, {t: {} for t in self.TABLES}
        return {t: v for t, v in new.items() if v}

    def merge(self, tables: dict) -> None:
        for table, entries in tables.items():
            if table in self.TABLES:
                for key, value in entries.items():
                    self._put(table, key, value)

    def to_dict(self) -> dict:
        return {"format": FORMAT, "taxonomy_version": self.taxonomy_version,
                "citations": dict(sorted(self.citations.items())),
                "texts": dict(sorted(self.texts.items())),
                "static": dict(sorted(self.static.items())),
                "details": dict(sorted(self.details.items()))}

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())


def expand(record: dict, catalogue: dict) -> dict:
    """The full §5 record of a list record, with the run's catalogue (a dict as written)."""
    if record.get("detail") != "list":
        return record
    refs = record.get("details") or {}
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("detail", "details"):
            continue
        if key in ITEM_KEY and isinstance(value, list):
            out[key] = _expand_list(key, value, catalogue, refs.get(key))
        else:
            out[key] = value
    return out


def _expand_list(kind: str, shown: list[dict], catalogue: dict, ref: str | None) -> list[dict]:
    rests = catalogue["details"][ref] if ref else [{} for _ in shown]
    citations, statics, texts = catalogue["citations"], catalogue["static"], catalogue["texts"]
    out = []
    for i, rest in enumerate(rests):
        base = shown[i] if i < len(shown) else {}
        key = base.get(ITEM_KEY[kind], rest.get(ITEM_KEY[kind]))
        static = statics.get(f"{kind}:{key}") or {}
        full = {k: static[k] for k in rest.get("static", static)}
        for k in CITATION_FIELDS:
            if k in full:
                full[k] = [dict(citations[c]) for c in full[k]]
        for k, v in rest.items():
            if k == "static":
                continue
            if k == ITEM_KEY[kind]:
                full[k] = v
                continue
            if k in CITATION_FIELDS and isinstance(v, list):
                v = [dict(citations[c]) for c in v]
            elif isinstance(v, str):
                v = texts[v]
            elif isinstance(v, list) and all(isinstance(x, str) for x in v):
                v = [texts[x] for x in v]
            full[k] = v
        full.update(base)
        out.append(full)
    return out


def resolve(catalogue: dict, ref: str) -> dict | None:
    """One catalogue entry by its id: a citation (c...), a text (t...), a list's details (d...)
    or an item's static parts (kind:id)."""
    for table in ("citations", "texts", "details", "static"):
        found = catalogue.get(table, {}).get(ref)
        if found is not None:
            return found
    return None
