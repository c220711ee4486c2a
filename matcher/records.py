"""Record shapes for lead lists: the list record (default), the full §5 record, the catalogue.

A full record repeats every citation, reason and policy text in every row (about 25 KB). The
*list record* keeps what an officer reads and what is the row's own: every ranked item's id and
its scores (industries also their evidence), both names (titles) of the first few, and the row's
confidence, warnings, parsed fields (those that hold nothing, null or [], left out) and input. Everything else, the explanations (reasons,
sources, why a policy may apply, what to verify, stale-plan notes) and the parts of items that
never change (names, an industry's path, a policy's offer and citation), is in the run's
*catalogue*, written once per run, each piece once:

    citations  "c…" -> {plan, section, evidence}
    texts      "t…" -> a reason, a why, a condition, a note …
    static     "<kind>:<id>" -> the item's unchanging fields (citations as "c…")
    items      "i…" -> one item's explanation (texts as "t…", citations as "c…")
    details    "d…" -> the "i…" of every item of one list, in order

A list record's `details` maps each list (industries, districts, parks, policies) to its "d…".
The catalogue holds explanations, never a row's numbers, so it grows with the distinct
explanations of a run, not with its rows. `expand(list_record, catalogue)` gives back exactly the
full record; ids are content hashes, the same in every process and run.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

FORMAT = "matcher-catalogue/2"
DETAILS = ("list", "full")
ITEM_KEY = {"industries": "id", "districts": "code", "parks": "id", "policies": "id"}
# what an officer reads of the first items of each list (besides the key and the row's values)
SHOWN = {"industries": ("name_zh", "name_en"),
         "districts": ("name_zh", "name_en"),
         "parks": ("name_zh", "name_en"),
         "policies": ("title_zh", "title_en")}
# the row's own values of every item: in the list record, never in the catalogue
ROW_VALUES = {"industries": ("score", "evidence"), "districts": ("score",),
              "parks": ("score",), "policies": ("relevance", "match_strength")}
# a row value left out of the list record when it equals another one (read back by `expand`)
SAME_AS = {"match_strength": "relevance"}
# how many items of each list show their names in the list record
INLINE = {"industries": 3, "districts": 3, "parks": 3, "policies": 3}
_SKIP = {kind: frozenset((*ROW_VALUES[kind], ITEM_KEY[kind])) for kind in ITEM_KEY}
CITATION_FIELDS = ("sources",)  # lists of citation dicts, stored as citation ids
# texts of the parsed block kept as text ids; the current district's names come from `static`
PARSED_TEXTS = ("notes", "notes_zh")
# parsed fields left out of the list record when they hold nothing (restored by `expand`);
# the company type (origin) and the stated traits are always there
PARSED_EMPTY = {"project_type": None, "investment_cny": None, "land_mu": None, "employees": None,
                "traits_inferred": [], "preferred_districts": [], "preferred_parks": [],
                "notes": [], "notes_zh": []}
CURRENT_NAMES = ("name_zh", "name_en")


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
        parts["industries"][node.id] = {"name_zh": node.name_zh, "name_en": node.name_en,
                                        "path_zh": tx.path_zh(node.id),
                                        "path_en": tx.path_en(node.id),
                                        "sources": [s.to_dict() for s in node.sources]}
    for district in tx.districts:
        parts["districts"][district.code] = {"name_zh": district.name_zh,
                                             "name_en": district.name_en}
    for zone in tx.zones:
        parts["parks"][zone.id] = {"name_zh": zone.name_zh, "name_en": zone.name_en,
                                   "kind": zone.kind, "district_code": zone.district_codes[0]
                                   if zone.district_codes else None}
    for static in getattr(matcher.policies, "static", []):
        parts["policies"][static["id"]] = {k: v for k, v in static.items() if k != "id"}
    matcher.__dict__["_static_record_parts"] = parts
    return parts


class Catalogue:
    """Citations, texts, static item parts, item explanations and lists of them, referred to
    by list records."""

    TABLES = ("citations", "texts", "static", "items", "details")

    def __init__(self, matcher=None, taxonomy_version: str | None = None):
        self.matcher = matcher
        self.taxonomy_version = taxonomy_version or (matcher.version if matcher else None)
        self.citations: dict[str, dict] = {}
        self.texts: dict[str, str] = {}
        self.static: dict[str, dict] = {}   # "kind:id" -> static parts (citations as ids)
        self.items: dict[str, dict] = {}
        self.details: dict[str, list] = {}
        self._new: dict[str, dict] = {t: {} for t in self.TABLES}
        self._cids: dict[tuple, str] = {}      # citation items -> id, without hashing again
        self._tids: dict[str, str] = {}
        self._iids: dict[bytes, str] = {}      # an item's explanation as JSON -> its id
        self._dids: dict[tuple, str] = {}
        self._statics = _static_parts(matcher) if matcher is not None else {}

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

    def _refs(self, item: dict, keep: tuple = ()) -> dict:
        """The item with its citation lists as citation ids and its texts as text ids (but the
        fields in `keep`)."""
        out = {}
        for k, v in item.items():
            if k in keep:
                out[k] = v
            elif k in CITATION_FIELDS and isinstance(v, list):
                out[k] = [self.cite(c) for c in v]
            elif isinstance(v, str):
                out[k] = self.text(v)
            elif isinstance(v, list) and v and all(isinstance(x, str) for x in v):
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
            elif key == "parsed" and isinstance(value, dict):
                out[key] = {k: ([self.text(x) for x in v] if k in PARSED_TEXTS
                                and isinstance(v, list) else v) for k, v in value.items()
                            if k not in PARSED_EMPTY or v != PARSED_EMPTY[k]
                            or type(v) is not type(PARSED_EMPTY[k])}
            elif key == "current_district" and isinstance(value, dict):
                out[key] = self._current(value)
            else:
                out[key] = value
        out["detail"] = "list"
        if refs:
            out["details"] = refs
        return out

    def _current(self, current: dict) -> dict:
        static = self._statics.get("districts", {}).get(current.get("code"))
        if static is None or any(current.get(k) != static[k] for k in CURRENT_NAMES):
            return current
        self._static_entry("districts", current["code"], static)
        return {k: v for k, v in current.items() if k not in CURRENT_NAMES}

    def _compact_list(self, kind: str, items: list[dict]) -> tuple[list[dict], str | None]:
        """(the items as the list record shows them; the id of the list's explanations)."""
        key_field, row_values, n = ITEM_KEY[kind], ROW_VALUES[kind], INLINE[kind]
        statics = self._statics.get(kind, {})
        shown, iids = [], []
        for i, item in enumerate(items):
            key = item.get(key_field)
            small = {key_field: key}
            if i < n:
                small.update((k, item[k]) for k in SHOWN[kind] if k in item)
            for k in row_values:
                if k in item:
                    other = SAME_AS.get(k)
                    if other is None or other not in item or item[other] != item[k]:
                        small[k] = item[k]
                    elif other is not None:
                        small.setdefault(other, item[other])
            shown.append(small)
            iids.append(self._item(kind, key, item, statics.get(key)))
        if not any(iids):
            return shown, None
        key = tuple(iids)
        did = self._dids.get(key)
        if did is None:
            if len(self._dids) > 20_000:  # bounded: the ids are content hashes anyway
                self._dids.clear()
            did = self._dids[key] = _id("d", iids)
            self._put("details", did, iids)
        return shown, did

    def _item(self, kind: str, key, item: dict, static: dict | None) -> str | None:
        """The id of one item's explanation (what is neither static nor the row's own), or None
        when the item has nothing else."""
        skip = _SKIP[kind]
        rest, same = {}, []
        if static is None:
            rest = {k: v for k, v in item.items() if k not in skip}
        else:
            for k, v in item.items():
                if k in skip:
                    continue
                if k in static and static[k] == v:
                    same.append(k)
                else:
                    rest[k] = v
        if same:
            self._static_entry(kind, key, static)
        if static is not None and len(same) != len(static):
            rest["static"] = same
        elif not rest:
            return None
        try:
            raw = orjson.dumps([kind, key, rest])
        except TypeError:
            raw = None
        iid = self._iids.get(raw) if raw is not None else None
        if iid is None:
            entry = {ITEM_KEY[kind]: key, **self._refs(rest, keep=("static",))}
            iid = _id("i", entry)
            if raw is not None:
                if len(self._iids) > 50_000:
                    self._iids.clear()
                self._iids[raw] = iid
            self._put("items", iid, entry)
        return iid

    def _static_entry(self, kind: str, key, static: dict) -> None:
        sid = f"{kind}:{key}"
        if sid not in self.static:
            keep = tuple(k for k in static if k not in CITATION_FIELDS)
            self._put("static", sid, self._refs(static, keep=keep))

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
                **{t: dict(sorted(getattr(self, t).items())) for t in self.TABLES}}

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())


def expand(record: dict, catalogue: dict) -> dict:
    """The full §5 record of a list record, with the run's catalogue (a dict as written)."""
    if record.get("detail") != "list":
        return record
    refs = record.get("details") or {}
    texts = catalogue["texts"]
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("detail", "details"):
            continue
        if key in ITEM_KEY and isinstance(value, list):
            out[key] = _expand_list(key, value, catalogue, refs.get(key))
        elif key == "parsed" and isinstance(value, dict):
            parsed = {k: ([texts[x] for x in v] if k in PARSED_TEXTS and isinstance(v, list)
                          else v) for k, v in value.items()}
            out[key] = {**{k: (None if v is None else []) for k, v in PARSED_EMPTY.items()
                           if k not in parsed}, **parsed}
        elif key == "current_district" and isinstance(value, dict) and "name_zh" not in value:
            static = catalogue["static"].get(f"districts:{value.get('code')}", {})
            out[key] = {"code": value.get("code"),
                        **{k: static.get(k) for k in CURRENT_NAMES},
                        **{k: v for k, v in value.items() if k != "code"}}
        else:
            out[key] = value
    return out


def _expand_list(kind: str, shown: list[dict], catalogue: dict, ref: str | None) -> list[dict]:
    iids = catalogue["details"][ref] if ref else [None] * len(shown)
    citations, statics, texts = catalogue["citations"], catalogue["static"], catalogue["texts"]
    items = catalogue.get("items", {})
    key_field = ITEM_KEY[kind]
    out = []
    for small, iid in zip(shown, iids, strict=True):
        key = small[key_field]
        entry = items[iid] if iid else {}
        static = statics.get(f"{kind}:{key}") or {}
        full = {key_field: key}
        full.update((k, static[k]) for k in entry.get("static", static))
        for k in CITATION_FIELDS:
            if k in full:
                full[k] = [dict(citations[c]) for c in full[k]]
        for k, v in entry.items():
            if k in ("static", key_field):
                continue
            if k in CITATION_FIELDS and isinstance(v, list):
                v = [dict(citations[c]) for c in v]
            elif isinstance(v, str):
                v = texts[v]
            elif isinstance(v, list) and v and all(isinstance(x, str) for x in v):
                v = [texts[x] for x in v]
            full[k] = v
        full.update(small)
        for k, other in SAME_AS.items():
            if k in ROW_VALUES[kind] and k not in small and other in small:
                full[k] = small[other]
        out.append(full)
    return out


def resolve(catalogue: dict, ref: str) -> dict | None:
    """One catalogue entry by its id: a citation (c...), a text (t...), an item's explanation
    (i...), a list's explanations (d...) or an item's static parts (kind:id)."""
    for table in ("citations", "texts", "items", "details", "static"):
        found = catalogue.get(table, {}).get(ref)
        if found is not None:
            return found
    return None
