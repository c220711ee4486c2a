"""A readable, plain-text explanation of one match record (for the terminal), in English or
Chinese."""

from __future__ import annotations

HEADINGS = {
    "unnamed": ("(unnamed profile)", "（未命名）"),
    "confidence": ("confidence", "置信度"),
    "review": ("needs an officer's review", "需招商人员复核"),
    "taxonomy": ("taxonomy", "知识库版本"),
    "read": ("read", "解析"),
    "industries": ("Industries", "产业"),
    "matched": ("matched", "匹配词"),
    "source": ("source", "出处"),
    "districts": ("Districts", "区"),
    "parks": ("Parks", "园区"),
    "policies": ("Policies that may apply", "可能适用的政策"),
    "none": ("(none of the plans' measures clearly applies)", "（规划中的措施均不明确适用）"),
    "why": ("why", "理由"),
    "verify": ("verify", "需核实"),
    "warnings": ("Warnings", "提示"),
    "current": ("where the company already is", "企业现址所在区"),
    "expansion": ("expansion of an existing company", "现有企业扩产增资"),
    "new": ("new investment", "新项目投资"),
    "label": ("industry (GB/T 4754)", "所属行业（国标）"),
    "cannot": ("row {row}: cannot be scored: {error}", "第 {row} 行无法评分：{error}"),
}


def _bar(score: float, width: int = 20) -> str:
    filled = round(score * width)
    return "█" * filled + "·" * (width - filled)


def _pick(item: dict, zh_key: str, en_key: str, zh: bool):
    value = item.get(zh_key if zh else en_key)
    return value if value not in (None, "", []) else item.get(en_key if zh else zh_key)


def render(record: dict, lang: str = "en") -> str:
    zh = lang == "zh"

    def h(key: str) -> str:
        return HEADINGS[key][1 if zh else 0]

    if "error" in record:
        error = record.get("error_zh" if zh else "error_en") or record["error"]
        return h("cannot").format(row=record["row"], error=error)
    lines = []
    title = record.get("name") or h("unnamed")
    review = f"  ⚠ {h('review')}" if record["needs_review"] else ""
    lines.append(f"{title} — {h('confidence')} {record['confidence']:.2f}{review}")
    lines.append(f"{h('taxonomy')} {record['taxonomy_version']}")
    for note in _pick(record.get("parsed", {}), "notes_zh", "notes", zh) or []:
        lines.append(f"  {h('read')}: {note}")
    current = record.get("current_district")
    if current:
        kind = h("expansion") if current.get("lead_kind") == "expansion" else h("new")
        lines.append(f"  {h('current')}: {current['name_zh' if zh else 'name_en']} ({kind})")
    label = record.get("industry_label")
    if label:
        lines.append(f"  {h('label')}: {label['gbt4754']} {label['name_zh' if zh else 'name_en']}")
    lines.append("")
    lines.append(h("industries"))
    for i in record["industries"]:
        name = i["path_zh"] if zh else i.get("path_en") or i["name_en"]
        other = i["name_en"] if zh else i["name_zh"]
        lines.append(f"  {_bar(i['score'])} {i['score']:.2f}  {name}  ({other})")
        if i["evidence"]:
            lines.append(f"      {h('matched')}: {', '.join(i['evidence'])}")
        for s in i["sources"][:2]:
            lines.append(f"      {h('source')}: {s['plan']} {s['section']} “{s['evidence']}”")
    for key, items, code in (("districts", record["districts"], "code"),
                             ("parks", record["parks"], "id")):
        lines.append("")
        lines.append(h(key))
        for d in items:
            name = f"{d['name_zh']} ({d['name_en']})" if zh else f"{d['name_en']} ({d['name_zh']})"
            lines.append(f"  {_bar(d['score'])} {d['score']:.2f}  {name} {d[code] if key == 'districts' else ''}".rstrip())
            for r in (_pick(d, "reasons", "reasons_en", zh) or [])[:3]:
                lines.append(f"      - {r}")
            for s in d.get("sources", [])[:1]:
                lines.append(f"      {h('source')}: {s['plan']} {s['section']} “{s['evidence']}”")
    lines.append("")
    lines.append(h("policies"))
    if not record["policies"]:
        lines.append(f"  {h('none')}")
    for p in record["policies"]:
        title = f"{p['title_zh']} ({p['title_en']})" if zh else f"{p['title_en']} ({p['title_zh']})"
        scope = _pick(p, "scope_zh", "scope_en", zh) or p["scope"]
        lines.append(f"  • {title} [{scope}]")
        lines.append(f"      {h('why')}: {_pick(p, 'why', 'why_en', zh)}")
        for item in _pick(p, "verify", "verify_en", zh) or []:
            lines.append(f"      {h('verify')}: {item}")
        lines.append(f"      {h('source')}: {p['citation']}")
    warnings = _pick(record, "warnings_zh", "warnings", zh) or []
    if warnings:
        lines.append("")
        lines.append(h("warnings"))
        lines.extend(f"  ! {w}" for w in warnings)
    return "\n".join(lines)
