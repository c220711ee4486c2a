"""Bilingual labels of the engine's codes: (Chinese, English) for every code a user may see."""

from __future__ import annotations

FIELDS = {
    "profile": ("企业资料", "profile"),
    "name": ("企业或项目名称", "company or project name"),
    "description": ("企业或项目描述", "description"),
    "project_type": ("项目类型", "project type"),
    "investment": ("投资额", "investment"),
    "land": ("用地需求", "land needed"),
    "employees": ("员工人数", "employees"),
    "origin": ("企业来源", "origin"),
    "traits": ("企业资质", "company traits"),
    "preferred_districts": ("意向区域", "preferred districts"),
    "credit_code": ("统一社会信用代码", "credit code"),
    "industry_label": ("所属行业", "industry label"),
    "address": ("企业地址", "address"),
}
PROJECT_TYPES = {
    "manufacturing": ("制造项目", "manufacturing"),
    "rd_center": ("研发中心", "R&D centre"),
    "headquarters": ("总部", "headquarters"),
    "sales_service": ("销售与服务", "sales and service"),
    "other": ("其他", "other"),
}
ORIGINS = {
    "domestic": ("内资", "domestic"),
    "foreign": ("外资", "foreign"),
    "hk_mo_tw": ("港澳台资", "Hong Kong, Macao or Taiwan"),
}
TRAITS = {
    "high_tech": ("高新技术企业", "high-tech enterprise"),
    "specialized_sme": ("专精特新企业", "specialised SME"),
    "little_giant": ("专精特新“小巨人”", "'little giant' specialised SME"),
    "listed": ("上市公司", "listed company"),
    "ipo_planned": ("拟上市企业", "company planning an IPO"),
    "startup": ("初创企业", "start-up"),
    "sme": ("中小企业", "SME"),
    "large_enterprise": ("龙头/大型企业", "large or leading enterprise"),
    "foreign": ("外资企业", "foreign-invested enterprise"),
    "state_owned": ("国有企业", "state-owned enterprise"),
    "rd_platform": ("研发平台", "R&D platform"),
    "talent": ("人才", "talent"),
}
POLICY_CATEGORIES = {
    "land": ("土地", "land"), "approval": ("审批", "approvals"), "tax": ("税收", "tax"),
    "finance": ("金融", "finance"), "talent": ("人才", "talent"), "insurance": ("保险", "insurance"),
    "platform": ("平台", "platforms"), "fiscal_reward": ("财政奖励", "fiscal reward"),
    "procurement": ("采购", "public procurement"), "ip": ("知识产权", "intellectual property"),
    "data": ("数据", "data"), "service": ("服务", "services"), "other": ("其他", "other"),
}
POLICY_SCOPES = {"city": ("全市", "city-wide"), "district": ("区级", "district"),
                 "zone": ("功能区", "zone or park")}
CURRENCIES = {
    "CNY": ("人民币元", "CNY"), "USD": ("美元", "USD"), "EUR": ("欧元", "EUR"),
    "GBP": ("英镑", "GBP"), "HKD": ("港元", "HKD"), "JPY": ("日元", "JPY"),
    "TWD": ("新台币", "TWD"), "SGD": ("新加坡元", "SGD"), "KRW": ("韩元", "KRW"),
    "CHF": ("瑞士法郎", "CHF"),
}


def zh(table: dict[str, tuple[str, str]], code: str) -> str:
    return table.get(code, (code, code))[0]


def en(table: dict[str, tuple[str, str]], code: str) -> str:
    return table.get(code, (code, code))[1]
ZONE_KINDS = {
    "zone": ("功能区", "zone"), "science_city": ("科学城", "science city"), "park": ("园区", "park"),
    "base": ("基地", "industrial base"), "town": ("城镇", "town"), "carrier": ("载体", "carrier site"),
    "cluster_area": ("集聚区", "cluster area"), "development_zone": ("开发区", "development zone"),
}
DISTRICT_CHARACTERS = {"central": ("中心城区", "central city"), "suburban": ("郊区", "suburb"),
                       "mixed": ("中心城区与郊区兼有", "central and suburban")}
RELATION_ROLES = {
    "core_area": ("核心区", "core area"), "main_carrier": ("主要承载地", "main location"),
    "key_development": ("重点发展地", "priority location"),
    "cluster_member": ("集群布局地", "cluster location"), "mentioned": ("规划提及", "named in the plan"),
}
PLAN_STATUSES = {"issued": ("已印发", "issued"), "draft": ("征求意见稿", "draft for comment"),
                 "superseded": ("已被替代", "superseded"), "expired": ("规划期已结束", "horizon ended")}
KINDS = {"category": POLICY_CATEGORIES, "scope": POLICY_SCOPES, "zone_kind": ZONE_KINDS,
         "character": DISTRICT_CHARACTERS, "role": RELATION_ROLES, "plan_status": PLAN_STATUSES,
         "project_type": PROJECT_TYPES, "origin": ORIGINS, "trait": TRAITS}
