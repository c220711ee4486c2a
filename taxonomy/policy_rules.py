"""Read one clause of a support chapter as a support measure: category, scope, wording.

Only what the clause says: `offers_zh` and the conditions are the clause's own words; the English
fields are built from the category and the clause's named industries, places and traits (no
amounts, nothing the plan does not state) and are marked for a curator's translation.
"""

from __future__ import annotations

import re

from taxonomy.model import Plan
from taxonomy.sections import Section

# (category, words), first match wins; the words must occur in the clause.
CATEGORY_WORDS = (
    ("insurance", r"保险"),
    ("tax", r"税"),
    ("land", r"用地|土地|出让|容积率|厂房|地价"),
    ("talent", r"人才|落户|住房|公寓|工匠|专家|团队|引育|培训"),
    ("finance", r"基金|融资|贷款|信贷|担保|金融|股权|上市|资本|授信"),
    ("fiscal_reward", r"奖励|补贴|资助|专项资金|财政|扶持资金|专项"),
    ("approval", r"审批|预审|备案|许可|承诺制|一网通办"),
    ("procurement", r"采购|首台|首批次|首版次"),
    ("ip", r"知识产权|专利|商标"),
    ("data", r"数据"),
    ("platform", r"平台|孵化|中试|检验检测|实验室|创新中心"),
    ("service", r"服务|专班|协调|对接|绿色通道"),
)
# A clause is a measure only when it offers something.
MEASURE = re.compile(r"支持|鼓励|给予|设立|优先|保障|奖励|补贴|资助|减免|提供|用好|加大|落实|"
                     r"推行|扩大|降低|免于|可以|按照规定|实施|建立|完善")
CATEGORY_EN = {
    "land": "Land", "approval": "Approval", "tax": "Tax", "finance": "Financing",
    "talent": "Talent", "insurance": "Insurance", "platform": "Platform",
    "fiscal_reward": "Fiscal reward", "procurement": "Procurement", "ip": "Intellectual property",
    "data": "Data", "service": "Service", "other": "Other",
}
TRAIT_WORDS = (
    ("high_tech", r"高新技术企业"), ("specialized_sme", r"专精特新"), ("little_giant", r"小巨人"),
    ("listed", r"上市公司|已上市"), ("ipo_planned", r"上市"), ("startup", r"初创|创业"),
    ("sme", r"中小企业"), ("large_enterprise", r"大型企业|龙头企业"), ("foreign", r"外资|跨国"),
    ("state_owned", r"国有企业|国企"), ("rd_platform", r"研发机构|研发中心"),
    ("talent", r"人才"),
)
_CONDITION = re.compile(r"(对[^，。；]{2,30}的|经认定的[^，。；]{2,20}|符合[^，。；]{2,20}|"
                        r"[^，。；]{2,20}除外)")
MIN_LEN = 12


def _category(clause: str) -> tuple[str, re.Match | None]:
    for category, words in CATEGORY_WORDS:
        m = re.search(words, clause)
        if m:
            return category, m
    return "other", None


def policy_from_clause(clause: str, *, plan: Plan, section: Section, gazetteer,
                       scope_district: str | None) -> dict | None:
    """A policy entry for a measure clause, or None; ``_at``/``_end`` mark the words the
    evidence must cover (offsets in the clause)."""
    text = clause.strip()
    if len(text) < MIN_LEN:
        return None
    measure = MEASURE.search(clause)
    if not measure:
        return None
    category, hit = _category(clause)
    anchor = hit or measure
    places = gazetteer.places_in(clause)
    zones = sorted({p.id for p in places if p.kind == "zone"})
    industries = sorted({h.id for h in gazetteer.industries_in(clause)})
    traits = [t for t, words in TRAIT_WORDS if re.search(words, clause)]
    if plan.scope == "district" and scope_district:
        scope, districts, zone_ids = "district", [scope_district], []
    elif plan.scope == "zone" and zones:
        scope, districts, zone_ids = "zone", [], zones[:1]
    else:
        scope, districts, zone_ids = "city", [], []
    conditions = "；".join(m.group(0) for m in _CONDITION.finditer(clause))
    draft = "征求意见稿，以正式发布文件为准" if plan.status == "draft" else ""
    conditions_zh = "；".join(x for x in (conditions, draft, "具体条件以实施细则为准") if x) + "。"
    label = CATEGORY_EN[category]
    names = ", ".join(gazetteer.tx.industry_by_id[i].name_en for i in industries
                      if i in gazetteer.tx.industry_by_id)
    where = section.title
    return {
        "id": "", "title_zh": (section.title or text[:20])[:40],
        "title_en": f"{label} measure ({plan.title_en}, section {section.path})",
        "category": category, "scope": scope, "scope_districts": districts,
        "scope_zones": zone_ids, "offers_zh": text,
        "offers_en": (f"{label} support stated in section {section.path} ({where}) of the plan"
                      + (f", for {names}" if names else "")
                      + "; see the Chinese wording. [machine summary: translate before use]"),
        "industries": industries, "project_types": [], "traits": traits,
        "conditions_zh": conditions_zh,
        "conditions_en": ("Check the plan's wording and the implementing rules"
                          + ("; draft for comment, check the final text" if draft else "")
                          + ". [machine summary: translate before use]"),
        "sources": [], "_at": anchor.start(), "_end": anchor.end(),
    }
