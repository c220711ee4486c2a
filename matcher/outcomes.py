"""How good the matcher was, judged by where leads really landed (no Flask).

Input: an outcomes export, one JSON object per line (the web app's `/outcomes/export.jsonl`,
or `scripts/make_outcome_history.py`):

    {"lead_id", "name", "source", "outcome": "signed|landed|lost", "district_code", "zone_id",
     "industry_id", "lost_to", "lost_city", "closed_on": "YYYY-MM-DD", "taxonomy_version",
     "profile": {...}, "record": {the §5 record the lead carried when it closed}}

For each signed or landed lead with a district: was that district the matcher's first, in its
first 3, in its first 5 (the record's own list, made on that record's taxonomy version)? The
park likewise, for leads with a park. By industry (the sector of the industry the project
really is, else of the matched one), by lead source, per taxonomy version and per ranker (`ranker` of the record), a calibration table
(the record's confidence in bins against the district hit rates) and the leads that landed
where the match did not send them at all (material for curators).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from matcher.errors import InputFileError

KS = (1, 3, 5)
BINS = 5  # confidence bins of width 0.2
LANDED = ("signed", "landed")


def load_outcomes(path: str | Path) -> list[dict]:
    """The items of an outcomes export (.jsonl); an unreadable line names its line number."""
    items = []
    with Path(path).open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputFileError(f"line {number} of {path} is not JSON ({exc.msg})",
                                     f"{path} 第 {number} 行不是 JSON") from exc
            if not isinstance(item, dict) or "outcome" not in item:
                raise InputFileError(f"line {number} of {path} is not an outcome (no 'outcome')",
                                     f"{path} 第 {number} 行不是结果记录（缺少 outcome）")
            items.append(item)
    return items


@dataclass
class Tally:
    """Hit counts of one group of landed leads."""

    n: int = 0
    district: dict = field(default_factory=lambda: dict.fromkeys(KS, 0))
    park_n: int = 0
    park: dict = field(default_factory=lambda: dict.fromkeys(KS, 0))
    confidence: float = 0.0

    def add(self, d_rank: int | None, p_rank: int | None, has_park: bool, confidence: float):
        self.n += 1
        self.confidence += confidence
        for k in KS:
            self.district[k] += d_rank is not None and d_rank <= k
        if has_park:
            self.park_n += 1
            for k in KS:
                self.park[k] += p_rank is not None and p_rank <= k

    def rates(self) -> dict:
        """Shares in [0, 1]: district_top1/3/5 over n, park_top1/3/5 over park_n."""
        out = {"n": self.n, "park_n": self.park_n,
               "mean_confidence": self.confidence / self.n if self.n else 0.0}
        for k in KS:
            out[f"district_top{k}"] = self.district[k] / self.n if self.n else 0.0
            out[f"park_top{k}"] = self.park[k] / self.park_n if self.park_n else 0.0
        return out


@dataclass
class OutcomeReport:
    total: Tally = field(default_factory=Tally)
    by_industry: dict = field(default_factory=dict)   # sector id -> Tally
    by_source: dict = field(default_factory=dict)     # lead source -> Tally
    by_version: dict = field(default_factory=dict)    # taxonomy version -> Tally
    by_ranker: dict = field(default_factory=dict)     # "fixed" | "learned:<id>" -> Tally
    calibration: dict = field(default_factory=dict)   # bin index -> Tally
    counts: dict = field(default_factory=dict)        # outcome / lost_to -> count
    unscored: int = 0                                 # landed leads without a stored match
    off_plan: list = field(default_factory=list)      # dicts, see _off_plan
    names: dict = field(default_factory=dict)         # sector id -> (name_zh, name_en)

    def as_dict(self) -> dict:
        return {"total": self.total.rates(),
                "by_industry": {k: t.rates() for k, t in sorted(self.by_industry.items())},
                "by_source": {k: t.rates() for k, t in sorted(self.by_source.items())},
                "by_version": {k: t.rates() for k, t in sorted(self.by_version.items())},
                "by_ranker": {k: t.rates() for k, t in sorted(self.by_ranker.items())},
                "calibration": [{"low": b / BINS, "high": (b + 1) / BINS, **t.rates()}
                                for b, t in sorted(self.calibration.items())],
                "counts": dict(sorted(self.counts.items())), "unscored": self.unscored,
                "off_plan": self.off_plan}


def _rank(keys: list[str], wanted: str) -> int | None:
    return keys.index(wanted) + 1 if wanted in keys else None


def _sector(taxonomy, industry_id: str) -> str:
    if taxonomy is None or industry_id not in taxonomy.industry_by_id:
        return industry_id or "?"
    return taxonomy.sector_of(industry_id) or industry_id


def report(items: Iterable[dict], taxonomy=None) -> OutcomeReport:
    """The outcomes report of an export's items (`taxonomy` only names and groups industries)."""
    rep = OutcomeReport()
    for item in items:
        outcome = item.get("outcome", "")
        key = f"lost:{item.get('lost_to') or '?'}" if outcome == "lost" else outcome
        rep.counts[key] = rep.counts.get(key, 0) + 1
        code = item.get("district_code") or ""
        if outcome not in LANDED or not code:
            continue
        record = item.get("record") or {}
        if not record or "error" in record:
            rep.unscored += 1
            continue
        dcodes = [d["code"] for d in record.get("districts", [])]
        pids = [p["id"] for p in record.get("parks", [])]
        zone = item.get("zone_id") or ""
        d_rank, p_rank = _rank(dcodes, code), _rank(pids, zone) if zone else None
        conf = float(record.get("confidence") or 0.0)
        matched = (record.get("industries") or [{}])[0].get("id", "")
        sector = _sector(taxonomy, item.get("industry_id") or matched)
        groups = [rep.total,
                  rep.by_industry.setdefault(sector, Tally()),
                  rep.by_source.setdefault(item.get("source") or "?", Tally()),
                  rep.by_version.setdefault(record.get("taxonomy_version") or
                                            item.get("taxonomy_version") or "?", Tally()),
                  rep.by_ranker.setdefault(record.get("ranker") or "fixed", Tally()),
                  rep.calibration.setdefault(min(int(conf * BINS), BINS - 1), Tally())]
        for tally in groups:
            tally.add(d_rank, p_rank, bool(zone), conf)
        if d_rank is None or (zone and p_rank is None):
            rep.off_plan.append(_off_plan(item, record, d_rank, p_rank))
    if taxonomy is not None:
        for sector in rep.by_industry:
            node = taxonomy.industry_by_id.get(sector)
            rep.names[sector] = (node.name_zh, node.name_en) if node else (sector, sector)
    return rep


def _off_plan(item: dict, record: dict, d_rank, p_rank) -> dict:
    """A lead that landed in a district, or a park, its match did not list at all."""
    return {"lead_id": item.get("lead_id"), "name": item.get("name") or record.get("name") or "",
            "closed_on": item.get("closed_on"), "industry_id": item.get("industry_id") or "",
            "matched_industry": (record.get("industries") or [{}])[0].get("id", ""),
            "district_code": item.get("district_code"), "zone_id": item.get("zone_id") or "",
            "district_listed": d_rank is not None, "park_listed": p_rank is not None,
            "matched_districts": [d["code"] for d in record.get("districts", [])[:3]],
            "matched_parks": [p["id"] for p in record.get("parks", [])[:3]],
            "taxonomy_version": record.get("taxonomy_version", "")}


COLUMNS = ("group", "key", "n", "district_top1", "district_top3", "district_top5", "park_n",
           "park_top1", "park_top3", "park_top5", "mean_confidence")


def rows(rep: OutcomeReport) -> list[dict]:
    """The report's figures as flat rows (CSV): overall, per industry, source, version, bin."""
    out = [{"group": "all", "key": "", **rep.total.rates()}]
    for group, table in (("industry", rep.by_industry), ("source", rep.by_source),
                         ("taxonomy_version", rep.by_version), ("ranker", rep.by_ranker)):
        out += [{"group": group, "key": k, **t.rates()} for k, t in sorted(table.items())]
    out += [{"group": "confidence", "key": f"{b / BINS:.1f}-{(b + 1) / BINS:.1f}", **t.rates()}
            for b, t in sorted(rep.calibration.items())]
    return out


OFF_COLUMNS = ("lead_id", "name", "closed_on", "industry_id", "matched_industry",
               "district_code", "zone_id", "district_listed", "park_listed", "matched_districts",
               "matched_parks")


def to_csv(rep: OutcomeReport, headers: dict | None = None) -> str:
    """The figures, then the off-plan leads, as one CSV (shares rounded to 3 places);
    `headers` names the columns (default: their keys)."""
    headers = headers or {}
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([headers.get(c, c) for c in COLUMNS])
    for row in rows(rep):
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    writer.writerow([])
    off = OFF_COLUMNS
    writer.writerow(["off_plan", *(headers.get(c, c) for c in off)])
    for item in rep.off_plan:
        writer.writerow(["off_plan"] + [_cell(item[c]) for c in off])
    return buf.getvalue()


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        return " ".join(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def format_report(rep: OutcomeReport, title: str = "") -> str:
    """The report as text for the command line."""
    def line(label: str, t: Tally) -> str:
        r = t.rates()
        park = (f"{r['park_top1']:.2f}  {r['park_top3']:.2f}  {r['park_top5']:.2f}  ({t.park_n})"
                if t.park_n else "-")
        return (f"  {label[:28]:<28} {t.n:5d}  {r['district_top1']:.2f}  {r['district_top3']:.2f}"
                f"  {r['district_top5']:.2f}   {park}")

    counts = ", ".join(f"{k} {v}" for k, v in sorted(rep.counts.items()))
    head = "                                   n  d@1   d@3   d@5    park @1 @3 @5 (n)"
    lines = [title] if title else []
    lines += [f"closed leads: {counts}; landed or signed without a stored match: {rep.unscored}",
              head, line("all", rep.total), "by industry (sector):"]
    lines += [line(f"{k} {rep.names.get(k, ('', ''))[1]}".strip() if k != "?" else
                   "(no industry)", t) for k, t in sorted(rep.by_industry.items())]
    lines.append("by lead source:")
    lines += [line(k, t) for k, t in sorted(rep.by_source.items())]
    lines.append("by taxonomy version of the scoring:")
    lines += [line(k, t) for k, t in sorted(rep.by_version.items())]
    lines.append("by ranker of the scoring (records before rankers: fixed):")
    lines += [line(k, t) for k, t in sorted(rep.by_ranker.items())]
    lines.append("calibration (confidence bin: leads, mean confidence, district top-1, top-3):")
    for b, t in sorted(rep.calibration.items()):
        r = t.rates()
        lines.append(f"  {b / BINS:.1f}-{(b + 1) / BINS:.1f}: {t.n:5d}  {r['mean_confidence']:.2f}"
                     f"  {r['district_top1']:.2f}  {r['district_top3']:.2f}")
    lines.append(f"landed where the match did not send them ({len(rep.off_plan)}):")
    for o in rep.off_plan:
        lines.append(f"  lead {o['lead_id']} {o['name']}: {o['district_code']} {o['zone_id']}"
                     f" (matched {' '.join(o['matched_districts']) or '-'};"
                     f" {' '.join(o['matched_parks']) or '-'})")
    return "\n".join(lines)
