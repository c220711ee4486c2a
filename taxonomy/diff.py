"""What changed between two taxonomies: plans, industries, places, relations and policies.

`diff_taxonomies(a, b)` returns plain data (for the web page and JSON); `format_diff` prints it;
`diff(ref_a, ref_b)` takes version ids, ``current`` or folders (see `taxonomy.versions.resolve`).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from taxonomy.model import Taxonomy

KINDS = ("plans", "industries", "districts", "zones", "relations", "policies")
_IGNORED = {"file"}  # which YAML file holds an entry is not a change of the entry


def _relation_groups(tx: Taxonomy) -> dict[str, dict]:
    """Relations keyed by industry and place; several entries for one pair are merged."""
    out: dict[str, dict] = {}
    for r in tx.relations:
        place = f"zone:{r.zone}" if r.zone else f"district:{r.district}"
        key = f"{r.industry} -> {place}"
        row = out.setdefault(key, {"industry": r.industry, "zone": r.zone,
                                   "district": r.district, "roles": [], "sources": []})
        if r.role not in row["roles"]:
            row["roles"].append(r.role)
        for s in r.sources:
            if s.to_dict() not in row["sources"]:
                row["sources"].append(s.to_dict())
    for row in out.values():
        row["roles"].sort()
    return out


def _entries(tx: Taxonomy, kind: str) -> dict[str, dict]:
    if kind == "relations":
        return _relation_groups(tx)
    key = {"plans": "id", "industries": "id", "districts": "code", "zones": "id",
           "policies": "id"}[kind]
    rows = {}
    for item in getattr(tx, kind):
        row = {k: v for k, v in asdict(item).items() if k not in _IGNORED}
        rows[str(row[key])] = row
    return rows


def _label(kind: str, row: dict) -> str:
    if kind == "relations":
        return f"{row['industry']} -> {row['zone'] or row['district']} ({', '.join(row['roles'])})"
    name = row.get("name_zh") or row.get("title_zh") or ""
    return name


def _sources(row: dict) -> list[dict]:
    found = list(row.get("sources") or [])
    for target in row.get("targets") or []:
        found += target.get("sources") or []
    return [dict(s) for s in found]


def diff_taxonomies(a: Taxonomy, b: Taxonomy) -> dict:
    """The change from `a` to `b` as data.

    ``{"from": version, "to": version, "kinds": {kind: [item, ...]}}``, kinds in `KINDS` order;
    an item is ``{"key", "label", "change": added|removed|changed, "fields": [changed field
    names], "before", "after" (the entry as dicts, None when absent), "sources_added",
    "sources_removed", "sources" (the citations of the entry as it is now, or was)}``."""
    kinds = {}
    for kind in KINDS:
        old, new = _entries(a, kind), _entries(b, kind)
        items = []
        for key in sorted(old.keys() | new.keys()):
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            if before is None:
                change, fields = "added", []
            elif after is None:
                change, fields = "removed", []
            else:
                change = "changed"
                fields = sorted(k for k in before.keys() | after.keys()
                                if before.get(k) != after.get(k))
            was = _sources(before) if before else []
            now = _sources(after) if after else []
            items.append({
                "key": key, "label": _label(kind, after or before), "change": change,
                "fields": fields, "before": before, "after": after,
                "sources_added": [s for s in now if s not in was] if before else [],
                "sources_removed": [s for s in was if s not in now] if after else [],
                "sources": now or was,
            })
        kinds[kind] = items
    return {"from": a.version, "to": b.version, "kinds": kinds}


def summarize(d: dict) -> dict:
    """Counts per kind: ``{"relations": {"added": 3, "changed": 1}, ...}`` (zero counts left out)."""
    out = {}
    for kind, items in d["kinds"].items():
        counts: dict[str, int] = {}
        for item in items:
            counts[item["change"]] = counts.get(item["change"], 0) + 1
        if counts:
            out[kind] = counts
    return out


def diff(ref_a: str, ref_b: str, *, data_dir: str | Path | None = None) -> dict:
    """`diff_taxonomies` of two version ids (or ``current``, or folders)."""
    from taxonomy.versions import resolve

    return diff_taxonomies(resolve(ref_a, data_dir=data_dir), resolve(ref_b, data_dir=data_dir))


def _cite(s: dict) -> str:
    return f"{s['plan']} {s['section']} “{s['evidence']}”"


def _value(v) -> str:
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_value(x)}" for k, x in v.items()) + "}"
    return "null" if v is None else str(v)


def format_diff(d: dict) -> str:
    """The diff as text, one block per kind, each entry with its citations."""
    lines = [f"taxonomy diff {d['from']} -> {d['to']}"]
    marks = {"added": "+", "removed": "-", "changed": "~"}
    total = 0
    for kind, items in d["kinds"].items():
        if not items:
            continue
        total += len(items)
        counts = summarize({"kinds": {kind: items}})[kind]
        lines.append(f"{kind}: " + ", ".join(f"{n} {c}" for c, n in counts.items()))
        for item in items:
            lines.append(f"  {marks[item['change']]} {item['key']}  {item['label']}".rstrip())
            if item["change"] == "changed":
                for f in item["fields"]:
                    if f in ("sources", "targets"):
                        continue
                    lines.append(f"      {f}: {_value(item['before'].get(f))} -> "
                                 f"{_value(item['after'].get(f))}")
                lines += [f"      + cites {_cite(s)}" for s in item["sources_added"]]
                lines += [f"      - cites {_cite(s)}" for s in item["sources_removed"]]
            else:
                lines += [f"      cites {_cite(s)}" for s in item["sources"]]
    if not total:
        lines.append("no changes")
    return "\n".join(lines)
