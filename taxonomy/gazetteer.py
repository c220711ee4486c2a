"""Names the proposer looks for in a plan's text: places (districts, zones) and industries.

Built from a taxonomy (the gazetteer and the industry tree); longest names win and matches never
overlap. New places are recognised by their form (a proper name ending in 园区, 基地, 科学城 ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from taxonomy.model import Taxonomy

# Suffixes that make a name a place, longest first (kind as in FORMAT.md zones).
PLACE_SUFFIXES = (
    ("生命健康城", "zone"), ("国际科技城", "science_city"), ("智能制造城", "zone"),
    ("产业集群发展带", "cluster_area"), ("产业带", "cluster_area"), ("发展带", "cluster_area"),
    ("产业园区", "park"), ("产业基地", "base"), ("产业园", "park"), ("科学城", "science_city"),
    ("新片区", "zone"), ("集聚区", "cluster_area"), ("示范区", "zone"), ("承载区", "cluster_area"),
    ("试验区", "zone"), ("发展区", "zone"), ("开发区", "development_zone"),
    ("工业区", "development_zone"), ("高新区", "development_zone"), ("创新园", "park"),
    ("软件园", "park"), ("科技园", "park"), ("科技城", "science_city"), ("科创城", "science_city"),
    ("小镇", "town"), ("园区", "park"), ("基地", "base"), ("新城", "town"), ("走廊", "carrier"),
    ("综合体", "carrier"), ("专区", "zone"), ("智谷", "park"), ("慧谷", "park"), ("创谷", "park"),
    ("城", "zone"), ("港", "park"), ("湾", "park"), ("岛", "zone"), ("园", "park"),
)
_SUFFIX_RE = "|".join(re.escape(s) for s, _ in PLACE_SUFFIXES)
_SUFFIX_AT = re.compile(rf"(?:{_SUFFIX_RE})")
_NAME_MAX = 12
_PART = re.compile(r"[东南西北中]部")
_INNER_VERB = re.compile(r"打造|建设|推动|推进|聚焦|围绕|依托|加快|支持|培育|建成|形成|谋划|新建|承接|"
                         r"引导|鼓励|提升|完善|实施")
# A name starts after these (a function word or a punctuation mark before it).
_BREAK = ",.;:!?\"'的之与和及等个了以向从为到在对把将是或指、，。；：“”（）() 、"
_QUOTED = re.compile(r"“([\u4e00-\u9fa5A-Za-z0-9]{2,8})”(?=[“”、]*(?:等)?(?:特色)?(?:产业园|园区|载体|基地))")
# Words that begin a clause but are not part of a name.
_LEAD = re.compile(
    r"^(?:加快推动|加快建设|加快推进|积极推动|大力推进|全力打造|着力打造|推动|推进|加快|建设|打造|"
    r"支持|依托|聚焦|围绕|提升|培育|发展|形成|布局|优化|做强|做大|创建|谋划|规划|新建|争创|实施|"
    r"鼓励|引导|以|在|和|及|与|等|为|的|将|把|对|向|重点|积极|大力|全力|一批|若干|各类|各|建成|"
    r"成为|推广|深化|完善|开展|用好|打响|壮大|发挥|加强|集聚|引进|构建|高起点|高水平|高标准|"
    r"提升|增加|满足|统筹|探索建立|探索|促进|保障|切实|整体|合作|建立|塑造|力争|争|着力|"
    r"加快培育|联动|共建|扩充|适时|分条件|服务|完成|标|"
    r"世界级|国家级|市级|区级|一流|特色|专业|综合性|主题|标志性|东西|南北)+")
_GENERIC = re.compile(
    r"^(?:产业|特色产业|专业|综合性|重点|新兴|高端|先进|智能|未来|创新|科技|国际|国家|特色|工业|"
    r"制造业|生产|生活|研发|功能|产城融合|示范|产业化|一体化|融合|综合|品牌|承载|主|大|新|老|"
    r"小|总部|数字|绿色|低碳|零碳|区域|城市|新型|周边|中心|重要|核心|引领发展|全球|一流|国际一流|"
    r"品牌|宜居|合作|镇级|市级以上|生产型|综合型|世界级|卓越|有影响力|引领|发展|配套|先导|"
    r"产城|兴|孵化|培养|人才|创新创业|经济|主体|战略性|综合性|开放|共性|公共|平台|应用|试点|"
    r"测试|验证|生产|制造|研发制造|标杆|领军|试验|检测|服务|总部经济|全链条|头部|相关|各|"
    r"一批|若干|多个|两个|三个|一个|功能|定位|特色化)*$")


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    term: str
    kind: str   # "district" | "zone" | "industry" | "new_place"
    id: str     # district code, zone id, industry id, or the new place's name


def _terms(pairs) -> list[tuple[str, str, str]]:
    out = {}
    for term, kind, ident in pairs:
        term = term.strip()
        if len(term) >= 2 and term not in out:
            out[term] = (term, kind, ident)
    return sorted(out.values(), key=lambda t: -len(t[0]))


class Gazetteer:
    """Place and industry names of a taxonomy, matched longest-first without overlaps."""

    def __init__(self, tx: Taxonomy):
        self.tx = tx
        places = []
        for d in tx.districts:
            for name in (d.name_zh, *d.aliases_zh):
                places.append((name, "district", d.code))
        for z in tx.zones:
            for name in (z.name_zh, *z.aliases_zh):
                places.append((name, "zone", z.id))
        self.places = _terms(places)
        industries = []
        for n in tx.industries:
            for name in (n.name_zh, *n.aliases_zh):
                industries.append((name, "industry", n.id))
        self.industries = _terms(industries)
        self.district_names = {t: code for t, k, code in self.places if k == "district"}
        self.industry_words = {t for t, _k, _i in self.industries}
        self._industry_words_by_length = sorted(self.industry_words, key=len, reverse=True)

    @staticmethod
    def _scan(text: str, terms, taken: list[tuple[int, int]] | None = None) -> list[Hit]:
        taken = list(taken or [])
        hits = []
        for term, kind, ident in terms:
            pos = text.find(term)
            while pos >= 0:
                end = pos + len(term)
                if not any(pos < e and s < end for s, e in taken):
                    hits.append(Hit(pos, end, term, kind, ident))
                    taken.append((pos, end))
                pos = text.find(term, pos + 1)
        return sorted(hits, key=lambda h: h.start)

    def places_in(self, text: str) -> list[Hit]:
        known = [self._part_of(text, h) for h in self._scan(text, self.places)]
        new = self.new_places_in(text, known)
        known = [k for k in known if not any(n.start <= k.start and k.end <= n.end for n in new)]
        return sorted(known + new, key=lambda h: h.start)

    @staticmethod
    def _part_of(text: str, hit: Hit) -> Hit:
        """``浦东北部``: a district followed by a compass part is a new place within it."""
        m = _PART.match(text, hit.end)
        if hit.kind != "district" or not m:
            return hit
        return Hit(hit.start, m.end(), text[hit.start:m.end()], "new_place",
                   text[hit.start:m.end()])

    def industries_in(self, text: str) -> list[Hit]:
        return self._scan(text, self.industries)

    def new_places_in(self, text: str, known: list[Hit]) -> list[Hit]:
        """Names that look like places (a proper name before a place suffix, or a quoted park
        name) and are not known places."""
        out: list[Hit] = []
        spans = [(h.start, h.end) for h in known]
        for m in _QUOTED.finditer(text):
            self._add_new(out, spans, m.start(1), m.end(1), m.group(1), quoted=True)
        inside = [(h.start, h.end) for h in known]
        for m in _SUFFIX_AT.finditer(text):
            if any(s <= m.start() < e for s, e in inside):
                continue  # the suffix of a known place's own name
            end = m.end()
            start = m.start()
            ends = {e for _s, e in spans}
            while (start > 0 and m.start() - start <= _NAME_MAX
                   and text[start - 1] not in _BREAK and start not in ends):
                start -= 1
            if m.start() - start > _NAME_MAX:
                continue  # no boundary before it: a phrase, not a name
            chunk = text[start:m.start()]
            inner_verb = list(_INNER_VERB.finditer(chunk))
            if inner_verb:
                start += inner_verb[-1].end()
                chunk = text[start:m.start()]
            lead = _LEAD.match(chunk)
            if lead:
                start += lead.end()
            before = next((h for h in known if h.end == start and h.kind != "district"), None)
            if before is not None:  # 临港新片区精准医疗先行示范区: a zone within a known one
                start = before.start
            name = text[start:end]
            if len(m.group()) == 1 and len(name) < 4:
                continue
            self._add_new(out, spans, start, end, name)
        return out

    def _add_new(self, out, spans, start, end, name, quoted=False) -> None:
        if len(name) < 3 or any(start < e and s < end and not (start <= s and e <= end)
                                for s, e in spans):
            return  # a name may contain a known place (a zone within it), not cut one
        core = name
        for s, e in spans:  # the known place inside does not make the name proper
            if start <= s and e <= end:
                core = core.replace(name[s - start:e - start], "")
        if not quoted:
            for suffix, _kind in PLACE_SUFFIXES:
                if core.endswith(suffix):
                    core = core[: -len(suffix)]
                    break
        for word in self._industry_words_by_length:
            core = core.replace(word, "")
        if len(core) < 2 or _GENERIC.match(core) or re.search(r"[0-9]", name):
            return
        out.append(Hit(start, end, name, "new_place", name))
        spans.append((start, end))

    @staticmethod
    def kind_of(name: str) -> str:
        return next((kind for suffix, kind in PLACE_SUFFIXES if name.endswith(suffix)), "zone")
