"""Propose taxonomy entries from a plan's text, each resting on a verbatim clause.

`propose(text=..., plan=..., taxonomy=...)` reads only the plan's text, the gazetteer (districts,
zones) and the industry tree of `taxonomy`; never its relations or policies. It returns
proposals (plain dicts, see taxonomy/FORMAT.md "Drafts"):

- ``industry``: a new node for a 重点发展 heading the tree lacks, with a proposed parent;
- ``industry_source``: a new citation for an existing node the plan names as a focus;
- ``zone``: a new place recognised by its form (…园区/基地/科学城/小镇 …), with its district
  when the same clause states it;
- ``relation``: an industry and a place named in one clause (or the clause's section heading),
  with a role read from the clause's wording;
- ``policy``: a support measure from the plan's support chapters.
"""

from __future__ import annotations

import re
from itertools import pairwise

from rapidfuzz import fuzz

from taxonomy.gazetteer import Gazetteer, Hit
from taxonomy.model import Plan, Taxonomy
from taxonomy.sections import PlanText, Section

EVIDENCE_MAX = 40
_CLAUSE_END = re.compile(r"[。；;！？\n]")
_CHINESE = re.compile(r"[\u4e00-\u9fa5]")
_VERBISH = re.compile(r"加快|推动|打造|建设|坚持|加强|实施|提升|构建|优化|完善|深化|强化|推进|培育|"
                      r"发展|突破|聚焦|支持|促进|营造|明确|把握|服务|激发|健全|保障|落实|举办|塑造|"
                      r"引育|招引|夯实|连接|联动|集聚|全力|大力|着力|积极|重点|提高|引领|支撑|发力|"
                      r"驱动|赋能|再造|汇聚|扩大|融合|创新|行动|工程|计划|体系|能力|机制|布局|战略|"
                      r"目标|原则|思想|形势|基础|现状|要求|任务|措施|环境|空间|载体|生态|名园|壮大|特色|"
                      r"集群|优化|培育|做强|做优|引进|巩固")
_INDUSTRY_CHAPTER = re.compile(r"发展重点|重点领域|重点产业|产业集群|先导产业|未来产业|新兴产业|"
                               r"重点发展|领域突破|产业发展重点")
_SUPPORT_CHAPTER = re.compile(r"保障|政策|措施|环境")
ROLE_WORDS = (
    ("core_area", re.compile(r"核心区|核心承载区|核心区域|为主体|增长极|创新极|一极|两极")),
    ("main_carrier", re.compile(r"主要载体|为载体|承载区|集聚区|主阵地|主体功能区")),
    ("cluster_member", re.compile(r"等区域|产业集群|集群")),
    ("key_development", re.compile(r"重点发展|建设|打造|发展|培育|布局|推动|支持|提升|做强|集聚")),
)
_QUOTED_TEXT = re.compile(r"“[^”]*”")
_LINE_NO = re.compile(r"\d+号线")
_LEAD_UNITS = re.compile(r"（[^（）]*(?:区政府|管委会)[^（）]*）")
_FOCUS = re.compile(r"重点(?:发展|推动|突破|推进)([^。；]{2,80})")
_LIST_SPLIT = re.compile(r"[、，,]|以及|及|和")
_CLUSTER_NAME = re.compile(r"[\u4e00-\u9fa5]{0,3}产业集群|[\u4e00-\u9fa5]{0,2}集群")


def _clauses(text: str, lo: int, hi: int):
    """(start, end) of each clause (up to 。；！？ or a line end) in text[lo:hi]."""
    start = lo
    for m in _CLAUSE_END.finditer(text, lo, hi):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if hi > start:
        yield start, hi


_SEGMENT_CUT = re.compile(r"[，,：:]")


def _segments(clause: str) -> list[tuple[int, int]]:
    """The comma-delimited segments of a clause (a comma inside brackets does not cut)."""
    out, start, depth = [], 0, 0
    for i, ch in enumerate(clause):
        depth += (ch in "（(“" and 1) or 0
        depth -= (ch in "）)”" and depth > 0 and 1) or 0
        if depth == 0 and _SEGMENT_CUT.match(ch):
            out.append((start, i))
            start = i + 1
    out.append((start, len(clause)))
    return out


def _segment_index(segments: list[tuple[int, int]]):
    def index(pos: int) -> int:
        return next((k for k, (_a, b) in enumerate(segments) if pos < b), len(segments) - 1)
    return index


_CLUSTER_VERB = re.compile(r"(?:打造|培育|建设|发展|壮大|形成)$")


def _whole_cluster_name(clause: str, hit) -> bool:
    """``打造未来材料产业集群``: the industry's name is all of the cluster's name."""
    return (clause.startswith("产业集群", hit.end)
            and bool(_CLUSTER_VERB.search(clause, 0, hit.start)))


_DEVELOP = re.compile(r"(?:发展|培育|打造|建设|布局|壮大|做强)(?:[^，,、。；]{0,14}的)?")
_LIST_GLUE = re.compile(r"^[、和及与]?$")


def _objects_of_development(clause: str, hits: list) -> list:
    """The industries a development verb (大力发展, 打造…的) takes as its object: the one right
    after it and the list that continues it (大力发展集成电路、人工智能)."""
    out = []
    for h in sorted(hits, key=lambda h: h.start):
        if out and _LIST_GLUE.match(clause[out[-1].end:h.start]):
            out.append(h)
            continue
        verb = [m for m in _DEVELOP.finditer(clause, 0, h.start) if m.end() == h.start]
        if verb:
            out.append(h)
    return out


_TOPIC_REST = re.compile(r"^[·、和及与]*$")
_MEMBERS = re.compile(r"(?:主要)?(?:涉及|包括|包含|涵盖)")


def _without_members(places: list, clause: str, segments, seg_of) -> list:
    """``沿江发展带，主要涉及浦东北部、宝山…，布局芯片…``: the places a segment says a place
    before it covers are its members, not where the clause puts the industries."""
    if not places:
        return places
    first = seg_of(places[0].start)
    members = {k for k, (a, _b) in enumerate(segments)
               if k > first and _MEMBERS.match(clause, a)}
    return [p for p in places if seg_of(p.start) not in members]


def evidence_window(text: str, lo: int, hi: int, must: list[tuple[int, int]]) -> tuple[int, int]:
    """A span of at most EVIDENCE_MAX characters inside clause [lo, hi) covering as many of the
    `must` spans (place and industry names) as fit, the first one always."""
    must = sorted(must)
    if not must:
        return lo, min(hi, lo + EVIDENCE_MAX)
    a, b = must[0]
    for _s, e in must[1:]:
        if max(b, e) - a <= EVIDENCE_MAX:
            b = max(b, e)
    if b - a > EVIDENCE_MAX:
        return a, a + EVIDENCE_MAX
    spare = EVIDENCE_MAX - (b - a)
    left = max(lo, a - spare // 2)
    right = min(hi, left + EVIDENCE_MAX)
    left = max(lo, min(left, right - EVIDENCE_MAX))
    # trim leading/trailing punctuation
    while left < a and not _CHINESE.match(text[left]) and not text[left].isalnum():
        left += 1
    while right > b and not _CHINESE.match(text[right - 1]) and not text[right - 1].isalnum():
        right -= 1
    return left, right


def _role(clause: str) -> str:
    for role, pattern in ROLE_WORDS:
        if pattern.search(clause):
            return role
    return "mentioned"


class Proposer:
    """Runs the proposal rules over one plan text."""

    def __init__(self, *, text: PlanText, plan: Plan, taxonomy: Taxonomy):
        self.text = text
        self.plan = plan
        self.tx = taxonomy
        self.gaz = Gazetteer(taxonomy)
        self.out: list[dict] = []
        self._seen: dict[tuple, dict] = {}
        self._new_nodes: dict[str, dict] = {}   # name -> proposal
        self._new_zones: dict[str, dict] = {}
        self.scope_district = self._scope_district()

    # --- helpers ------------------------------------------------------------------------------

    def _scope_district(self) -> str | None:
        if self.plan.scope != "district":
            return None
        for source in (self.plan.issuer or "", self.plan.title_zh):
            hits = [h for h in self.gaz.places_in(source) if h.kind == "district"]
            if hits:
                return hits[0].id
        return None

    def _cite(self, lo: int, hi: int) -> dict:
        section = self.text.section_at(lo)
        return {"plan": self.plan.id, "section": section.path if section else "序",
                "evidence": self.text.text[lo:hi]}

    def _clause_of(self, lo: int, hi: int) -> str:
        return self.text.text[lo:hi].strip()

    def _add(self, kind: str, key: tuple, entry: dict, citation: dict, clause: str,
             note: str = "", needs: list[str] | None = None) -> dict:
        if (kind, *key) in self._seen:
            return self._seen[(kind, *key)]
        proposal = {"id": f"p{len(self.out) + 1:03d}", "kind": kind, "decision": "pending",
                    "entry": entry, "citation": citation, "clause": clause, "note": note,
                    "needs": needs or []}
        self.out.append(proposal)
        self._seen[(kind, *key)] = proposal
        return proposal

    # --- industries ---------------------------------------------------------------------------

    def _in_industry_chapter(self, section: Section) -> bool:
        node = section
        while node is not None:
            if _INDUSTRY_CHAPTER.search(node.title) and not _SUPPORT_CHAPTER.search(node.title):
                return True
            node = self.text.sections[node.parent] if node.parent is not None else None
        return False

    def heading_industry(self, section: Section | None) -> str | None:
        """The industry a heading names: an existing node's id, or ``@p00N`` for a new node."""
        while section is not None and section.kind != "preamble":
            found = self._industry_of_heading(section)
            if found:
                return found
            section = self.text.sections[section.parent] if section.parent is not None else None
        return None

    def _industry_of_heading(self, section: Section) -> str | None:
        title = section.title
        hits = self.gaz.industries_in(title)
        if hits and self.gaz.places_in(title):  # 推动莘庄工业区打造“智能制造城”: a nickname
            quoted = [(m.start(), m.end()) for m in _QUOTED_TEXT.finditer(title)]
            hits = [h for h in hits if not any(a <= h.start and h.end <= b for a, b in quoted)]
        if hits and (len(title) <= 20 or hits[0].start < 8):
            return max(hits, key=lambda h: h.end - h.start).id
        if title in self._new_nodes:
            return "@" + self._new_nodes[title]["id"]
        if (section.kind in ("item", "sub") and 2 <= len(title) <= 12 and not _VERBISH.search(title)
                and self._in_industry_chapter(section)):
            parent = self.heading_industry(self.text.sections[section.parent]
                                           if section.parent is not None else None)
            return "@" + self._propose_node(title, section, parent)["id"]
        return None

    def _guess_parent(self, name: str) -> str | None:
        best, score = None, 0.0
        for n in self.tx.industries:
            if n.level == "focus":
                continue
            for term in (n.name_zh, *n.aliases_zh):
                s = fuzz.partial_ratio(term, name) if len(term) >= 2 else 0
                if s > score:
                    best, score = n.id, s
        return best if score >= 60 else None

    def _propose_node(self, name: str, section: Section, parent: str | None) -> dict:
        if parent and parent.startswith("@"):
            parent_node = next((p for p in self.out if p["id"] == parent[1:]), None)
            level = "focus"
            parent_level = parent_node["entry"]["level"] if parent_node else "industry"
            level = "focus" if parent_level == "industry" else "industry"
        else:
            parent = parent or self._guess_parent(name)
            parent_level = self.tx.industry_by_id[parent].level if parent else None
            level = {"sector": "industry", "industry": "focus"}.get(parent_level, "industry")
            if parent_level == "focus":
                parent = self.tx.industry_by_id[parent].parent
                level = "focus"
        lo = self.text.text.find(name, section.start, section.end)
        entry = {"id": "", "level": level, "parent": parent, "name_zh": name, "name_en": "",
                 "aliases_zh": [], "aliases_en": [], "keywords_zh": [], "keywords_en": [],
                 "sources": []}
        proposal = self._add("industry", (name,), entry, self._cite(lo, lo + len(name)),
                             self._clause_of(section.start, section.body_start),
                             note="heading the industry tree does not have",
                             needs=["name_en"] + ([] if parent else ["parent"]))
        self._new_nodes[name] = proposal
        return proposal

    def industry_sources(self) -> None:
        """Existing nodes a heading or a 重点发展 list names: a new citation for each."""
        for section in self.text.headings:
            if not self._in_industry_chapter(section):
                continue
            ident = self._industry_of_heading(section)
            if ident and not ident.startswith("@"):
                lo = section.start + self.text.text[section.start:section.body_start].find(
                    self.tx.industry_by_id[ident].name_zh)
                hits = [h for h in self.gaz.industries_in(self.text.text[section.start:
                                                                          section.body_start])
                        if h.id == ident]
                if hits:
                    lo = section.start + hits[0].start
                    self._source(ident, lo, lo + len(hits[0].term), section)
            children = self.text.children(section)
            body = self.text.text[section.start:children[0].start if children else section.end]
            for m in _FOCUS.finditer(body):
                base = section.start + m.start(1)
                for hit in self.gaz.industries_in(m.group(1)):
                    self._source(hit.id, base + hit.start, base + hit.end, section)

    def _source(self, ident: str, lo: int, hi: int, section: Section) -> None:
        clause_lo, clause_hi = self._clause_around(lo)
        a, b = evidence_window(self.text.text, clause_lo, clause_hi, [(lo, hi)])
        self._add("industry_source", (ident,), {"industry": ident}, self._cite(a, b),
                  self._clause_of(clause_lo, clause_hi),
                  note=f"the plan names {self.tx.industry_by_id[ident].name_zh} as a focus")

    def _clause_around(self, pos: int) -> tuple[int, int]:
        section = self.text.section_at(pos)
        lo, hi = (section.start, section.end) if section else (0, len(self.text.text))
        for a, b in _clauses(self.text.text, lo, hi):
            if a <= pos < b:
                return a, b
        return lo, hi

    # --- places and relations -----------------------------------------------------------------

    def _zone_for(self, hit: Hit, clause_lo: int, clause_hi: int, places: list[Hit]) -> str:
        """A new zone proposal for a place recognised by its form; returns ``@p00N``."""
        if hit.term in self._new_zones:
            return "@" + self._new_zones[hit.term]["id"]
        district = None
        for name, code in self.gaz.district_names.items():
            if hit.term.startswith(name):
                district = code
                break
        districts = [p for p in places if p.kind == "district"]
        if district is None:
            before = [p for p in districts if p.end <= hit.start and hit.start - p.end <= 6]
            if before:
                district = before[-1].id
            elif len({p.id for p in districts}) == 1:
                district = districts[0].id
        if district is None and self.scope_district:
            district = self.scope_district
        from taxonomy.naming import place_name_en

        lo = clause_lo + hit.start
        a, b = evidence_window(self.text.text, clause_lo, clause_hi, [(lo, lo + len(hit.term))])
        entry = {"id": "", "name_zh": hit.term, "name_en": place_name_en(hit.term),
                 "kind": Gazetteer.kind_of(hit.term),
                 "district_codes": [district] if district else [], "aliases_zh": [],
                 "aliases_en": [], "sources": []}
        proposal = self._add("zone", (hit.term,), entry, self._cite(a, b),
                             self._clause_of(clause_lo, clause_hi),
                             note="a place name by its form; English name romanised")
        self._new_zones[hit.term] = proposal
        return "@" + proposal["id"]

    def relations(self) -> None:
        text = self.text.text
        for section in self.text.sections:
            children = self.text.children(section) if section.kind != "preamble" else []
            hi_limit = children[0].start if children else section.end
            heading_ind = self.heading_industry(section) if section.kind != "preamble" else None
            child_inds = [i for i in (self._industry_of_heading(c) for c in children) if i]
            if child_inds:  # a cluster's intro: its places go with the industries of its items
                heading_ind = None
            title_places = []
            if section.kind != "preamble":
                at = text.find(section.title, section.start, section.body_start)
                if at >= 0:
                    title_places = [(h, at, at + len(section.title))
                                    for h in self.gaz.places_in(section.title)]
            lead_ind = None
            for c_lo, c_hi in _clauses(text, section.start, hi_limit):
                if c_lo == 0 or text[c_lo - 1] == "\n":  # a paragraph starts: its run-in lead
                    lead_ind = self._run_in_industry(c_lo, c_hi) or None
                self._relations_in_clause(c_lo, c_hi, lead_ind or heading_ind, child_inds,
                                          section, title_places if c_lo >= section.body_start
                                          or section.body_start == section.end else [])

    def _run_in_industry(self, c_lo: int, c_hi: int) -> str | None:
        """``集成电路产业。…``: a paragraph led by an industry's name is about that industry."""
        lead = self.text.text[c_lo:c_hi].strip()
        if not 2 <= len(lead) <= 12 or self.text.section_at(c_lo).start == c_lo:
            return None
        hits = self.gaz.industries_in(lead)
        covered = sum(h.end - h.start for h in hits)
        if hits and covered >= len(lead) - 2:
            return max(hits, key=lambda h: h.end - h.start).id
        return None

    def _relations_in_clause(self, c_lo: int, c_hi: int, heading_ind: str | None,
                             child_inds: list[str], section: Section,
                             title_places: list | None = None) -> None:
        clause = self.text.text[c_lo:c_hi]
        places = self._specific(self.gaz.places_in(clause), clause)
        inds = self._industries(clause)
        if not places and title_places and inds:
            # the section's heading names the place (打造张江科技创新极): its body's industries
            self._title_relations(title_places, inds, clause, c_lo, c_hi)
            return
        lead = _LEAD_UNITS.search(clause)
        if lead:  # lead units of a task: the districts take part in it
            places_lead = [p for p in places if p.kind == "district"
                           and lead.start() <= p.start < lead.end()]
            places = [p for p in places if not (lead.start() <= p.start < lead.end())]
        else:
            places_lead = []
        if not places and not places_lead:
            if self.scope_district and self._in_industry_chapter(section) and \
                    ROLE_WORDS[3][1].search(clause):
                self._district_plan_relations(clause, c_lo, c_hi, inds, heading_ind, section)
            return
        inner = {id(h): p for h in inds for p in places if p.start <= h.start and h.end <= p.end}
        free = [h for h in inds if id(h) not in inner]
        if heading_ind and free and all(self._under(h.id, heading_ind) for h in free):
            free = []  # a list of the heading's own sub-fields: the relation is the heading's
        whole = []  # 打造未来材料产业集群: a node that is the cluster's whole name stands for
        if child_inds:  # its items below it; a part of the name (未来健康 …) is no item
            whole = [h for h in free if _whole_cluster_name(clause, h)
                     and self.tx.industry_by_id[h.id].level != "sector"]  # a sector is broader
            free = [h for h in free if h in whole or (
                not _CLUSTER_NAME.match(clause, h.end)
                and not all(self._under(c, h.id) for c in child_inds if not c.startswith("@")))]
            child_inds = [c for c in child_inds
                          if not any(self._under(c, h.id) for h in whole if not c.startswith("@"))]
        role = _role(self._without(clause, places))
        if role == "cluster_member" and not child_inds and inds:
            role = "key_development"
        segments = _segments(clause)
        seg_of = _segment_index(segments)
        places = _without_members(places, clause, segments, seg_of)
        placed = {seg_of(p.start) for p in places}
        topics = {0} if places and seg_of(places[0].start) == 0 and len(segments) > 1 and \
            _TOPIC_REST.match(self._without(clause[:segments[0][1]], places)) else set()
        by_seg: dict[int, list[Hit]] = {}
        for h in free:
            by_seg.setdefault(seg_of(h.start), []).append(h)
        if title_places and c_lo >= section.body_start:
            # the heading's place takes what the clause develops outside its other places
            self._title_relations(title_places, [h for k, hs in by_seg.items() if k not in placed
                                                 for h in hs], clause, c_lo, c_hi)
        for i, place in enumerate(places):
            refs = self._place_refs(place, c_lo, c_hi, places)
            own = [h for h in inds if inner.get(id(h)) is place]
            k = seg_of(place.start)
            here = [p for p in places if seg_of(p.start) == k]  # 在金山建设…产业园: one park
            alone = len(here) == 1 or (len(here) == 2 and here[0].kind == "district"
                                       and here[1].kind != "district")
            mine = self._segment_industries(k, by_seg, placed, len(segments), bool(title_places),
                                            alone)
            if k in topics:  # 浦东张江，建设…，打造…: the clause is about the place before it
                mine = [h for j, hs in sorted(by_seg.items()) if j == k or j not in placed
                        for h in hs]
            group = []
            if k > 0 and k - 1 not in placed and _MEMBERS.match(clause, segments[k][0]):
                # 打造“1+5+X”生物医药特色产业集聚区，包括张江…、临港…: the group's industries
                group = [(h.id, [(c_lo + h.start, c_lo + h.end)]) for h in by_seg.get(k - 1, [])]
                if not group and heading_ind and any(seg_of(h.start) == k - 1 for h in inds):
                    group = [(heading_ind, [])]  # the group names the heading's own industry
            interleaved = self._interleaved([p for p in places if seg_of(p.start) == k],
                                            by_seg.get(k, []), len(clause))
            if interleaved:
                nxt = places[i + 1].start if i + 1 < len(places) else len(clause)
                mine = [h for h in mine if place.end <= h.start < nxt]
            if len(mine) >= 4:  # a long list of products: the place fact is about broad fields
                mine = [h for h in mine if self.tx.industry_by_id[h.id].level != "focus"] or mine
            if own:
                targets = [(h.id, [(c_lo + h.start, c_lo + h.end)]) for h in own] + group
            elif mine or group:
                targets = [(h.id, [(c_lo + h.start, c_lo + h.end)]) for h in mine] + group
                if any(h in whole for h in mine):
                    targets += [(ident, []) for ident in child_inds]
            elif interleaved:
                targets = []
            elif heading_ind:
                targets = [(heading_ind, [])]
            else:
                targets = [(ident, []) for ident in child_inds]
            for ident, spans in targets:
                for ref in refs:
                    self._relation(ident, ref, role, c_lo, c_hi,
                                   [(c_lo + place.start, c_lo + place.end), *spans])
        targets = [(h.id, []) for h in free]
        for place in places_lead:
            for ident, _spans in ([(heading_ind, [])] if heading_ind else targets):
                self._relation(ident, ("district", place.id), "mentioned", c_lo, c_hi,
                               [(c_lo + place.start, c_lo + place.end)])

    def _industries(self, clause: str) -> list[Hit]:
        """The industries a clause names, with the nodes its keyword lists name; not those
        inside a quoted place-like nickname (打造“智能制造城”) or a metro line (轨道交通15号线)."""
        inds = self.gaz.industries_in(clause)
        inds = sorted(inds + self.gaz.industry_groups_in(clause, inds), key=lambda h: h.start)
        nick = [(m.start(), m.end()) for m in _QUOTED_TEXT.finditer(clause)
                if Gazetteer.has_place_suffix(m.group()[1:-1])]
        return [h for h in inds if not any(a <= h.start and h.end <= b for a, b in nick)
                and not _LINE_NO.match(clause, h.end)]

    @staticmethod
    def _segment_industries(k: int, by_seg: dict, placed: set, n_segments: int, titled: bool,
                            alone: bool) -> list[Hit]:
        """The industries a place in comma segment `k` takes: its own segment's, else those of
        the place-less segments after it (up to the next place), else, for a place alone in
        its segment and no heading place, those before it (重点发展…，在金山建设…产业园).
        Industries before a list of places are its theme (围绕集成电路…等新兴产业，加速建设
        “东方芯港”“生命蓝湾”…), not each place's."""
        if by_seg.get(k):
            return list(by_seg[k])
        out = []
        for j in range(k + 1, n_segments):
            if j in placed:
                break
            out += by_seg.get(j, [])
        if out or titled or not alone:
            return out
        for j in range(k - 1, -1, -1):
            if j in placed:
                break
            out = by_seg.get(j, []) + out
        return out

    @staticmethod
    def _interleaved(places: list[Hit], free: list[Hit], length: int) -> bool:
        """Places alternating with their own industries (长兴岛船舶和海洋装备、宝山精品钢材):
        at least two places each followed by industries before the next place."""
        followed = sum(1 for a, b in pairwise(places)
                       if any(a.end <= h.start and h.end <= b.start for h in free))
        return followed >= 2 or (followed == 1 and bool(places) and any(
            h.start >= places[-1].end for h in free))

    def _title_relations(self, title_places: list, inds: list[Hit], clause: str, c_lo: int,
                         c_hi: int) -> None:
        if len(inds) >= 4:  # a long list of products: the place fact is about broad fields
            inds = [h for h in inds if self.tx.industry_by_id[h.id].level != "focus"] or inds
        for hit, base, end in title_places:
            for ref in self._place_refs(hit, base, end, [hit]):
                for ind in inds:
                    self._relation(ind.id, ref, _role(clause), c_lo, c_hi,
                                   [(c_lo + ind.start, c_lo + ind.end)])

    def _district_plan_relations(self, clause: str, c_lo: int, c_hi: int, inds: list[Hit],
                                 heading_ind: str | None, section: Section) -> None:
        """A district's own plan: its industry statements are about the district; only sector-
        and industry-level names (a list of focus products is not a place fact)."""
        broad = [h for h in inds if self.tx.industry_by_id[h.id].level != "focus"]
        if c_lo == section.start and heading_ind and not heading_ind.startswith("@"):
            broad = [h for h in broad if h.id == heading_ind] or broad
        else:  # 大力发展航天产业: what a development verb takes, not every name in the clause
            broad = _objects_of_development(clause, broad)
        for ind in broad:
            self._relation(ind.id, ("district", self.scope_district), _role(clause), c_lo, c_hi,
                           [(c_lo + ind.start, c_lo + ind.end)])

    @staticmethod
    def _specific(places: list[Hit], clause: str) -> list[Hit]:
        """``浦东张江``: a district named just before a zone only says where the zone is."""
        out = []
        for i, p in enumerate(places):
            nxt = places[i + 1] if i + 1 < len(places) else None
            if p.kind == "district" and nxt is not None and nxt.kind != "district" \
                    and nxt.start == p.end:
                continue
            out.append(p)
        return out

    def _under(self, ident: str, ancestor: str) -> bool:
        if ident == ancestor:
            return True
        return any(a.id == ancestor for a in self.tx.ancestors(ident))

    @staticmethod
    def _without(clause: str, places: list[Hit]) -> str:
        out = clause
        for p in sorted(places, key=lambda h: -h.start):
            out = out[:p.start] + "·" + out[p.end:]
        return out

    def _place_refs(self, place: Hit, c_lo: int, c_hi: int,
                    places: list[Hit]) -> list[tuple[str, str]]:
        """The taxonomy places a hit stands for (``中心城区``: each central district)."""
        if place.kind == "district":
            return [("district", place.id)]
        if place.kind == "group":
            return [("district", code) for code in self.gaz.central]
        if place.kind == "zone":
            return [("zone", place.id)]
        return [("zone", self._zone_for(place, c_lo, c_hi, places))]

    def _relation(self, ident: str, place: tuple[str, str], role: str, c_lo: int, c_hi: int,
                  spans: list[tuple[int, int]]) -> None:
        a, b = evidence_window(self.text.text, c_lo, c_hi, spans)
        entry = {"industry": ident, place[0]: place[1], "role": role, "sources": []}
        self._add("relation", (ident, place), entry, self._cite(a, b),
                  self._clause_of(c_lo, c_hi), note=f"role from the clause's wording: {role}")

    # --- policies -----------------------------------------------------------------------------

    def policies(self) -> None:
        from taxonomy.policy_rules import policy_from_clause

        text = self.text.text
        for section in self.text.sections:
            top = section
            while top.parent is not None:
                top = self.text.sections[top.parent]
            if top.kind == "preamble" or not _SUPPORT_CHAPTER.search(top.title):
                continue
            children = self.text.children(section)
            hi_limit = children[0].start if children else section.end
            for c_lo, c_hi in _clauses(text, section.start, hi_limit):
                clause = text[c_lo:c_hi]
                policy = policy_from_clause(clause, plan=self.plan, section=section,
                                            gazetteer=self.gaz,
                                            scope_district=self.scope_district)
                if policy is None:
                    continue
                a, b = evidence_window(text, c_lo, c_hi, [(c_lo + policy.pop("_at"),
                                                           c_lo + policy.pop("_end"))])
                self._add("policy", (c_lo,), policy, self._cite(a, b), clause.strip(),
                          note=f"support measure ({policy['category']}); English is a "
                               "template, translate it")

    def run(self) -> list[dict]:
        self.industry_sources()
        self.relations()
        self.policies()
        return self.out


def propose(*, text: PlanText, plan: Plan, taxonomy: Taxonomy) -> list[dict]:
    """Every proposal for `plan` (see the module docstring), in document order per kind."""
    return Proposer(text=text, plan=plan, taxonomy=taxonomy).run()
