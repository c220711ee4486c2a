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
    ("发展轴", "cluster_area"), ("化工区", "development_zone"),
    ("产业园区", "park"), ("产业基地", "base"), ("产业园", "park"), ("科学城", "science_city"),
    ("新片区", "zone"), ("集聚区", "cluster_area"), ("示范区", "zone"), ("承载区", "cluster_area"),
    ("试验区", "zone"), ("发展区", "zone"), ("开发区", "development_zone"),
    ("工业区", "development_zone"), ("高新区", "development_zone"), ("创新园", "park"),
    ("软件园", "park"), ("科技园", "park"), ("科技城", "science_city"), ("科创城", "science_city"),
    ("小镇", "town"), ("园区", "park"), ("基地", "base"), ("新城", "town"), ("走廊", "carrier"),
    ("综合体", "carrier"), ("核心区", "cluster_area"), ("专区", "zone"), ("智谷", "park"), ("慧谷", "park"), ("创谷", "park"),
    ("城", "zone"), ("港", "park"), ("湾", "park"), ("岛", "zone"), ("园", "park"),
)
_SUFFIX_RE = "|".join(re.escape(s) for s, _ in PLACE_SUFFIXES)
_SUFFIX_AT = re.compile(rf"(?:{_SUFFIX_RE})")
_NAME_MAX = 12
_SPACES = " \u3000\t"
# 张江实验室, “紫竹高新区”站: a place's name in an institution's or a station's name
_INSTITUTION = re.compile(r"”?(?:实验室|大学(?!城)|医院|站|路|号线|研究院|研究所|校区)")
_CENTRAL = re.compile(r"(?<!环)中心城区(?!外|周边|以外)")
_RING = re.compile(r"环(?:中心城区|郊区|城)|沿(?:江|湾|海|河)")
_PLURAL = re.compile(r"若干|一批|各类|多个|一些|系列|各")
_PREDICATE = re.compile(r"成为|打造成|建设成|建成|发展成")
_ODD = re.compile(r"[-－—/／·]")
_LIST_MARKS = "、和及与"
_PREFIXED_ONLY = {"核心区"}
_COINED = "岛港湾谷"
_ITEM_TAIL = re.compile(r"([\u4e00-\u9fa5]{2,5})(?=[、等，,。；和”）)])")
_ITEM_OPEN = "、，,以及和“（(：:"
_ITEM_STOP = re.compile(r"区$|等|和|及|与|的|重点|发展|地区|全区|新区|城区|部$|政府|管委会|人民|委员会|办公室|局$|委$|办$")
_SEGMENT_END = re.compile(r"[，,。；;：:\n]")


_ITEM = re.compile(r"[^、，,。；;：:等和及与]+")


def _list_runs(text: str):
    """(start, end) of each comma segment of `text` (a list lies within one)."""
    start = 0
    for m in _SEGMENT_END.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _segment_start(text: str, pos: int) -> int:
    """Where the comma-delimited segment holding `pos` starts."""
    cut = [m.end() for m in _SEGMENT_END.finditer(text, 0, pos)]
    return cut[-1] if cut else 0
_PART = re.compile(r"[东南西北中]部")
_INNER_VERB = re.compile(r"打造|建设|推动|推进|聚焦|围绕|依托|加快|支持|培育|建成|形成|谋划|新建|承接|"
                         r"引导|鼓励|提升|完善|实施|入选|共建|协同|获批|创建")
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
    r"国际一流水平|国际领先水准|国际一流|国内一流|国际领先|全国领先|"
    r"世界级|国家级|市级|区级|一流|特色|专业|综合性|主题|标志性|东西|南北)+")
_GENERIC = re.compile(
    r"^(?:产业|特色产业|专业|综合性|重点|新兴|高端|先进|智能|未来|创新|科技|国际|国家|特色|工业|"
    r"制造业|生产|生活|研发|功能|产城融合|示范|产业化|一体化|融合|综合|品牌|承载|主|大|新|老|"
    r"小|总部|数字|绿色|低碳|零碳|区域|城市|新型|周边|中心|重要|核心|引领发展|全球|一流|国际一流|"
    r"品牌|宜居|合作|镇级|市级以上|生产型|综合型|世界级|卓越|有影响力|引领|发展|配套|先导|"
    r"产城|兴|孵化|培养|人才|创新创业|经济|主体|战略性|综合性|开放|共性|公共|平台|应用|试点|"
    r"测试|验证|生产|制造|研发制造|标杆|领军|试验|检测|服务|总部经济|全链条|头部|相关|各|"
    r"一批|若干|多个|两个|三个|一个|功能|定位|特色化|名|中试|设计|总承包|总装|文创)*$")


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    term: str
    kind: str   # "district" | "zone" | "industry" | "new_place"
    id: str     # district code, zone id, industry id, or the new place's name


def _compact(text: str) -> tuple[str, list[int]]:
    """`text` without spaces, and the offset in `text` of each character kept."""
    where = [i for i, ch in enumerate(text) if ch not in _SPACES]
    return "".join(text[i] for i in where), where


def _terms(pairs) -> list[tuple[str, str, str]]:
    out = {}
    for term, kind, ident in pairs:
        term = "".join(ch for ch in term if ch not in _SPACES)
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
        self.central = [d.code for d in tx.districts if d.character == "central"]
        self.keywords: dict[str, list[str]] = {}
        for n in tx.industries:
            if n.level != "focus":
                for word in n.keywords_zh:
                    self.keywords.setdefault(word, []).append(n.id)
        self._keywords_by_length = sorted(self.keywords, key=len, reverse=True)
        self.industry_words = {t for t, _k, _i in self.industries}
        self._industry_words_by_length = sorted(self.industry_words, key=len, reverse=True)

    @staticmethod
    def _scan(text: str, terms, taken: list[tuple[int, int]] | None = None) -> list[Hit]:
        """Every non-overlapping occurrence, longest terms first. Spaces inside a name do not
        stop it (``通用 AI`` is ``通用AI``): the text is scanned without them and each hit
        keeps its offsets and wording in `text`."""
        compact, where = _compact(text)
        taken = list(taken or [])
        hits = []
        for term, kind, ident in terms:
            pos = compact.find(term)
            while pos >= 0:
                start, end = where[pos], where[pos + len(term) - 1] + 1
                if not any(start < e and s < end for s, e in taken):
                    hits.append(Hit(start, end, text[start:end], kind, ident))
                    taken.append((start, end))
                pos = compact.find(term, pos + 1)
        return sorted(hits, key=lambda h: h.start)

    def places_in(self, text: str) -> list[Hit]:
        """Known places (districts, zones, the central-city group) and new ones by their form."""
        known = [self._part_of(text, h) for h in self._scan(text, self.places)
                 if not _INSTITUTION.match(text, h.end)]
        known += self._groups_in(text, known)
        new = self.new_places_in(text, known)
        known = [k for k in known if not any(n.start <= k.start and k.end <= n.end for n in new)]
        return sorted(known + new, key=lambda h: h.start)

    def _groups_in(self, text: str, known: list[Hit]) -> list[Hit]:
        """``中心城区``: the districts of central character (districts.yaml) as one hit, not
        where it only bounds another place (``环中心城区``, ``中心城区外圈``)."""
        out = []
        for m in _CENTRAL.finditer(text):
            if any(m.start() < h.end and h.start < m.end() for h in known):
                continue
            out.append(Hit(m.start(), m.end(), m.group(), "group", "central"))
        return out if self.central else []

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

    def industry_groups_in(self, text: str, hits: list[Hit]) -> list[Hit]:
        """A list of at least three items that are a node's own keywords
        (``大数据、云计算、工业互联网``: 数字应用) names that node too, unless the text names it."""
        named = {h.id for h in hits}
        out = []
        for a, b in _list_runs(text):
            items = [(m.start(), m.end()) for m in _ITEM.finditer(text, a, b)]
            by_node: dict[str, list[tuple[int, int]]] = {}
            for n, (s, e) in enumerate(items):
                word = text[s:e].strip()
                if n == 0:  # 重点发展大数据、…: the list's first item follows its verb
                    word = next((k for k in self._keywords_by_length if word.endswith(k)), word)
                    s = e - len(word)
                for ident in self.keywords.get(word, ()):
                    by_node.setdefault(ident, []).append((s, e))
            for ident, spans in by_node.items():
                if len(spans) >= 3 and ident not in named:
                    s, e = spans[0][0], spans[-1][1]
                    out.append(Hit(s, e, text[s:e], "industry", ident))
        return out

    def new_places_in(self, text: str, known: list[Hit]) -> list[Hit]:
        """Names that look like places and are not known places: a proper name before a place
        suffix (a district or known place just before it belongs to the name: ``杨浦大学城``,
        ``宝山基地``), a quoted park name, or a list item made of a district and a short name
        (``虹口北外滩`` among other places)."""
        out: list[Hit] = []
        spans = [(h.start, h.end) for h in known]
        for m in _QUOTED.finditer(text):
            self._add_new(out, spans, m.start(1), m.end(1), m.group(1), text, quoted=True)
        inside = [(h.start, h.end) for h in known]
        by_end = {h.end: h for h in known}
        for m in _SUFFIX_AT.finditer(text):
            if any(s <= m.start() < e for s, e in inside):
                continue  # the suffix of a known place's own name
            if m.group() == "城" and text[m.end():m.end() + 1] in ("市", "区"):
                continue  # 城市, 城区: a city or its districts, not a place called …城
            end = m.end()
            if _INSTITUTION.match(text, end):
                continue
            start = m.start()
            while (start > 0 and m.start() - start <= _NAME_MAX
                   and text[start - 1] not in _BREAK and start not in by_end):
                start -= 1
            if m.start() - start > _NAME_MAX:
                continue  # no boundary before it: a phrase, not a name
            if start > 0 and text[start - 1] == "的":  # 环中心城区的高技术服务产业带
                ring = _RING.search(text, max(0, start - 8), start - 1)
                if ring and ring.end() == start - 1:
                    start = ring.start()
            chunk = text[start:m.start()]
            inner_verb = list(_INNER_VERB.finditer(chunk))
            if inner_verb:
                start += inner_verb[-1].end()
                chunk = text[start:m.start()]
            lead = _LEAD.match(chunk)
            if lead:
                if _PLURAL.search(lead.group()):
                    continue  # 若干/一批 …基地: a kind of place, not a name
                start += lead.end()
            before = by_end.get(start)
            if before is not None and end > start:  # 张江国家集成电路产业基地, 杨浦大学城
                start = before.start
            if _PREDICATE.search(text, _segment_start(text, start), start):
                continue  # 将长兴岛打造成为…基地: what a place becomes, not another place
            name = text[start:end]
            if m.group() in _PREFIXED_ONLY and before is None:
                continue  # 打造核心区: only a named place's 核心区 is a place
            self._add_new(out, spans, start, end, name, text, prefixed=before is not None)
        for m in self._district_items(text, known):
            self._add_new(out, spans, m[0], m[1], text[m[0]:m[1]], text, prefixed=True,
                          item=True)
        return out

    def _district_items(self, text: str, known: list[Hit]):
        """``、虹口北外滩、``: a list item made of a district's name and a short proper name."""
        for name in self.district_names:
            pos = text.find(name)
            while pos >= 0:
                end = pos + len(name)
                tail = _ITEM_TAIL.match(text, end)
                if tail and (pos == 0 or text[pos - 1] in _ITEM_OPEN) and (
                        text[pos - 1:pos] == "、" or text[tail.end():tail.end() + 1] == "、"):
                    word = tail.group(1)
                    taken = any(h.kind != "district" and h.start < tail.end(1) and end < h.end
                                for h in known)
                    if not taken and not (_GENERIC.match(word) or _LEAD.match(word) or _INNER_VERB.search(word)
                            or _ITEM_STOP.search(word)
                            or any(w in word for w in self.industry_words)):
                        yield pos, tail.end(1)
                pos = text.find(name, end)

    def _add_new(self, out, spans, start, end, name, text, *, quoted=False, prefixed=False,
                 item=False) -> None:
        """Keep `name` when it is proper: more than a kind of place once known places, its
        suffix and industry names are taken out. A known place just before the kind
        (``宝山基地``) or a list of places around an industry's park (``东方芯港、电子化学品专区``)
        make it proper too."""
        if len(name) < 3 or any(start < e and s < end and not (start <= s and e <= end)
                                for s, e in spans):
            return  # a name may contain a known place (a zone within it), not cut one
        if _ODD.search(name) or re.search(r"[0-9]", name) or (start, end) in spans:
            return
        core = name
        for s, e in spans:  # the known place inside does not make the name proper
            if start <= s and e <= end:
                core = core.replace(name[s - start:e - start], "")
        if not quoted and not item:
            for suffix, _kind in PLACE_SUFFIXES:
                if core.endswith(suffix):
                    core = core[: -len(suffix)]
                    break
        named = core
        for word in self._industry_words_by_length:
            core = core.replace(word, "")
        proper = len(core) >= 2 and not _GENERIC.match(core)
        coined = (not core and named != core and not quoted and not item
                  and name[-1:] in _COINED)  # 人工智能岛, 东方芯港: an industry's coined place
        listed = ((text[start - 1:start] in _LIST_MARKS and any(e == start - 1 for _s, e in spans))
                  or (text[end:end + 1] in _LIST_MARKS and any(s == end + 1 for s, _e in spans)))
        if not (item or proper or prefixed or coined or (named != core and not core and listed)):
            return
        out.append(Hit(start, end, name, "new_place", name))
        spans.append((start, end))

    @staticmethod
    def has_place_suffix(name: str) -> bool:
        return any(name.endswith(suffix) for suffix, _kind in PLACE_SUFFIXES)

    @staticmethod
    def kind_of(name: str) -> str:
        return next((kind for suffix, kind in PLACE_SUFFIXES if name.endswith(suffix)), "zone")
