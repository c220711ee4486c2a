"""Location fit rules the plans state, each with the clause it rests on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from taxonomy.model import Source

_AMP = "sh-advanced-manufacturing-14fyp"


@dataclass(frozen=True)
class FitRule:
    id: str
    text_zh: str
    text_en: str
    source: Source


CENTRAL_SERVICES = FitRule(
    "central-city-services",
    "中心城区重点发展高附加值都市型产业和生产性服务业",
    "the central city takes high-value urban industry and producer services",
    Source(_AMP, "四、", "中心城区重点发展高附加值都市型产业和生产性服务业"))
SUBURB_MANUFACTURING = FitRule(
    "suburbs-manufacturing",
    "郊区重点发展先进制造业",
    "the suburbs take advanced manufacturing",
    Source(_AMP, "四、", "郊区重点发展先进制造业"))
BAY_LAND = FitRule(
    "bay-belt-land",
    "沿湾高端产业集群发展带发挥土地空间优势，加快重大项目引进",
    "the Hangzhou Bay belt offers land for major projects",
    Source(_AMP, "四、(二)", "发挥土地空间优势"))
CHEMICAL_PARK = FitRule(
    "chemical-park",
    "化工先进材料以上海化工区为主要载体",
    "chemical materials go to the Shanghai Chemical Industry Park as main carrier",
    Source(_AMP, "三、(二)5", "以上海化工区为主要载体"))
GROWTH_POLES = FitRule(
    "growth-poles",
    "两极为张江科技创新极和临港产业增长极",
    "Zhangjiang (innovation pole) and Lingang (industrial growth pole) lead the strategic industries",
    Source("sh-strategic-emerging-14fyp", "五、", "两极为张江科技创新极和临港产业增长极"))
POLE_NAMES = ("张江科学城", "临港新片区")
BRAND_PARKS = FitRule(
    "brand-parks",
    "建设高质量品牌园区，推进临港、张江、金桥、漕河泾等园区提升产业能级，打造先进制造业集群",
    "the brand parks Lingang, Zhangjiang, Jinqiao and Caohejing are to build advanced-manufacturing clusters",
    Source(_AMP, "五、(八)", "推进临港、张江、金桥、漕河泾等园区可持续发展"))
BRAND_PARK_NAMES = ("临港新片区", "张江科学城", "金桥", "漕河泾")
ALL_RULES = (CENTRAL_SERVICES, SUBURB_MANUFACTURING, BAY_LAND, CHEMICAL_PARK, GROWTH_POLES,
             BRAND_PARKS)

_MANUFACTURING_WORDS = re.compile(
    r"生产|制造|工厂|厂房|产线|生产线|量产|组装|装配|加工|factory|plant|manufactur|production|"
    r"assembly|fabrication|mass produc")
_HAZARD_WORDS = re.compile(
    r"危险化学品|危化品|危险品|易燃易爆|石油化工|石化|炼化|化工原料|精细化工|hazardous chemical|"
    r"dangerous goods|petrochemical|chemical plant|refiner")


def is_manufacturing(text: str, project_type: str | None, land_mu: float | None) -> bool:
    if project_type:
        return project_type == "manufacturing"
    return bool(_MANUFACTURING_WORDS.search(text)) or (land_mu or 0) >= 30


def is_service(text: str, project_type: str | None, top_sector: str | None) -> bool:
    if project_type in ("headquarters", "rd_center", "sales_service"):
        return True
    return project_type is None and top_sector == "services" and not _MANUFACTURING_WORDS.search(text)


def in_brand_park_scope(top_sector: str | None) -> bool:
    """The brand-park clause speaks of advanced-manufacturing clusters: every sector of the plans
    but producer services."""
    return top_sector is not None and top_sector != "services"


def needs_chemical_park(text: str) -> bool:
    return bool(_HAZARD_WORDS.search(text))
