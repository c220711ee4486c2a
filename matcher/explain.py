"""A readable, plain-text explanation of one match record (for the terminal)."""

from __future__ import annotations


def _bar(score: float, width: int = 20) -> str:
    filled = round(score * width)
    return "█" * filled + "·" * (width - filled)


def render(record: dict) -> str:
    if "error" in record:
        return f"row {record['row']}: cannot be scored: {record['error']}"
    lines = []
    title = record.get("name") or "(unnamed profile)"
    review = "  ⚠ needs an officer's review" if record["needs_review"] else ""
    lines.append(f"{title} — confidence {record['confidence']:.2f}{review}")
    lines.append(f"taxonomy {record['taxonomy_version']}")
    notes = record.get("parsed", {}).get("notes") or []
    for note in notes:
        lines.append(f"  read: {note}")
    lines.append("")
    lines.append("Industries")
    for i in record["industries"]:
        lines.append(f"  {_bar(i['score'])} {i['score']:.2f}  {i['path_zh']}  ({i['name_en']})")
        if i["evidence"]:
            lines.append(f"      matched: {', '.join(i['evidence'])}")
        for s in i["sources"][:2]:
            lines.append(f"      source: {s['plan']} {s['section']} “{s['evidence']}”")
    lines.append("")
    lines.append("Districts")
    for d in record["districts"]:
        lines.append(f"  {_bar(d['score'])} {d['score']:.2f}  {d['name_zh']} {d['code']} ({d['name_en']})")
        for r in d["reasons"][:3]:
            lines.append(f"      - {r}")
    lines.append("")
    lines.append("Parks")
    for p in record["parks"]:
        lines.append(f"  {_bar(p['score'])} {p['score']:.2f}  {p['name_zh']} ({p['name_en']})")
        for r in p["reasons"][:2]:
            lines.append(f"      - {r}")
    lines.append("")
    lines.append("Policies that may apply")
    if not record["policies"]:
        lines.append("  (none of the plans' measures clearly applies)")
    for p in record["policies"]:
        lines.append(f"  • {p['title_zh']} ({p['title_en']}) [{p['scope']}]")
        lines.append(f"      why: {p['why']}")
        if p["conditions"]:
            lines.append(f"      verify: {p['conditions']}")
        lines.append(f"      source: {p['citation']}")
    if record["warnings"]:
        lines.append("")
        lines.append("Warnings")
        lines.extend(f"  ! {w}" for w in record["warnings"])
    return "\n".join(lines)
