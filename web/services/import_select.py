"""Choosing which rows of a scored list to import, across all its pages: filters (confidence at
least x, industry, district, no possible duplicate), select-all over every matching row, and
the import itself in batches. The duplicate findings are dedup's; this module only filters,
pages and names them (an identical name is "identical", not "similar (100)")."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from web.services import dedup
from web.services.jobs import job_folder, read_flat


@dataclasses.dataclass
class RowFilter:
    """The import page's filters; None / "" / False is no filter."""

    min_confidence: float | None = None
    industry: str = ""      # a taxonomy node id: the row's top industry is it or below it
    district: str = ""      # a district code: the row's top district
    not_duplicate: bool = False  # leave out rows with a possible duplicate (similar name)

    def args(self) -> dict:
        """The filters that are set, as URL / form arguments."""
        out: dict = {}
        if self.min_confidence is not None:
            out["min_confidence"] = f"{self.min_confidence:g}"
        if self.industry:
            out["industry"] = self.industry
        if self.district:
            out["district"] = self.district
        if self.not_duplicate:
            out["not_duplicate"] = "1"
        return out

    @property
    def active(self) -> bool:
        return bool(self.args())


@dataclasses.dataclass
class RowView:
    """One row as the import page shows it: dedup's candidate plus what filters need."""

    cand: dedup.Candidate
    industry_id: str
    district_code: str
    same_as_lead: bool = False     # the pipeline lead found has exactly this name
    same_as_row: bool = False      # the earlier row found has exactly this name

    @property
    def row(self) -> int:
        return self.cand.row


@dataclasses.dataclass
class Selection:
    rows: list[RowView]       # the rows of the page asked for (of those matching the filters)
    matching: int             # rows matching the filters, on every page
    importable: list[int]     # row numbers of the matching rows that can be imported
    possible_duplicates: int  # how many of those have a similar name in the pipeline or list
    total: int                # rows in the list
    industries: list[str]     # node ids to offer in the industry filter (ancestors included)
    districts: list[str]      # district codes to offer


def _same(a: str | None, b: str | None) -> bool:
    return bool((a or "").strip()) and (a or "").strip() == (b or "").strip()


def _ancestors(node_id: str, by_id: dict, memo: dict) -> list[str]:
    """The node and the nodes above it (sector first), in the taxonomy `by_id` is from."""
    if node_id not in memo:
        chain: list[str] = []
        node = by_id.get(node_id)
        while node is not None and node.id not in chain:
            chain.append(node.id)
            node = by_id.get(getattr(node, "parent", None) or "")
        memo[node_id] = chain[::-1]
    return memo[node_id]


def all_rows(*, session, base: Path, job) -> list[RowView]:
    """Every row of the job's result with its duplicate findings (dedup's rule)."""
    folder = job_folder(base, job)
    flats = {f["row"]: f for f in read_flat(folder)}
    cands, _total = dedup.candidates(session=session, base=base, job=job, page=1,
                                     page_size=max(1, len(flats)))
    out = []
    for cand in cands:
        flat = flats.get(cand.row, {})
        view = RowView(cand, flat.get("industry_1_id") or "", flat.get("district_1_code") or "")
        if cand.existing_fuzzy is not None:
            view.same_as_lead = _same(cand.name, cand.existing_fuzzy.name)
        if cand.list_fuzzy is not None:
            view.same_as_row = _same(cand.name, flats.get(cand.list_fuzzy, {}).get("name"))
        out.append(view)
    return out


def matches(view: RowView, flt: RowFilter, ancestors) -> bool:
    """Whether a row passes the filters; `ancestors(node_id)` -> the node's chain."""
    cand = view.cand
    if flt.min_confidence is not None and (
            cand.confidence in (None, "") or float(cand.confidence) < flt.min_confidence):
        return False
    if flt.industry and flt.industry not in ancestors(view.industry_id):
        return False
    if flt.district and view.district_code != flt.district:
        return False
    return not (flt.not_duplicate and (cand.needs_confirmation or not cand.importable))


def select(*, session, base: Path, job, flt: RowFilter, page: int = 1,
           page_size: int = dedup.PAGE_SIZE) -> Selection:
    """The page `page` of the rows matching `flt`, and every matching importable row."""
    from taxonomy import get_taxonomy

    by_id, memo = get_taxonomy().industry_by_id, {}

    def ancestors(node_id: str) -> list[str]:
        return _ancestors(node_id, by_id, memo)

    views = all_rows(session=session, base=base, job=job)
    industries: set[str] = set()
    for v in views:
        industries.update(ancestors(v.industry_id)[:2])  # sector and industry levels
    chosen = [v for v in views if matches(v, flt, ancestors)]
    start = max(0, (page - 1) * page_size)
    return Selection(rows=chosen[start:start + page_size], matching=len(chosen),
                     importable=[v.row for v in chosen if v.cand.importable],
                     possible_duplicates=sum(v.cand.needs_confirmation for v in chosen),
                     total=len(views), industries=sorted(industries),
                     districts=sorted({v.district_code for v in views if v.district_code}))


def import_selected(*, session, base: Path, job, rows: list[int], user) -> dedup.ImportResult:
    """dedup.import_rows over any number of rows, MAX_IMPORT at a time (each batch committed)."""
    wanted = sorted(set(rows))
    if len(wanted) <= dedup.MAX_IMPORT:
        return dedup.import_rows(session=session, base=base, job=job, rows=wanted, user=user)
    result = dedup.ImportResult()
    for i in range(0, len(wanted), dedup.MAX_IMPORT):
        part = dedup.import_rows(session=session, base=base, job=job,
                                 rows=wanted[i:i + dedup.MAX_IMPORT], user=user)
        result.imported += part.imported
        result.skipped += part.skipped
    return result


_SKIP_ZH = (("row not found in the results", "结果中没有这一行"),
            ("same credit code as another row of this import", "统一社会信用代码与本次导入的另一行相同"))


def skip_reason(why: str, lang: str) -> str:
    """Why dedup skipped a row, in the interface language."""
    if lang != "zh":
        return why
    for en, zh in _SKIP_ZH:
        if why == en:
            return zh
    if why.startswith("same credit code as lead "):
        return f"统一社会信用代码与线索 {why.rsplit(' ', 1)[1]} 相同"
    if why.startswith("not scored: "):
        return "未能评分：" + why[len("not scored: "):]
    return why
