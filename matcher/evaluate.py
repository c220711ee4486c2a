"""Benchmark evaluation: district top-1 and hit@3, industry hit@3, park hit@5, MRR, the share of
outside-the-plans leads routed to review, and a reliability table per input style (confidence
against the first district being right), with the share routed to review among the wrong first
districts and among the right ones.

Two labelled sets: the plan-derived benchmark (tests/data/benchmark.jsonl, field `lang`) and the
held-out real companies (tests/data/real_companies.jsonl, fields `style` and `split` dev|test;
`expect: {outside: true}` for businesses no plan encourages). They are reported separately.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from matcher.engine import Matcher

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEFAULT_BENCHMARK = DATA / "benchmark.jsonl"
REAL_COMPANIES = DATA / "real_companies.jsonl"
BINS = 5


def load_benchmark(path: str | Path = DEFAULT_BENCHMARK) -> list[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def style_of(case: dict) -> str:
    return case.get("style") or case.get("lang") or "?"


def industry_hit(tx, predicted: str, expected: list[str]) -> bool:
    """Right if equal to an expected node, more specific than one, or a non-sector ancestor of one."""
    pred_anc = {a.id for a in tx.ancestors(predicted)}
    for e in expected:
        if predicted == e or e in pred_anc:
            return True
        node = tx.industry_by_id.get(predicted)
        if node is not None and node.level != "sector" and predicted in {a.id for a in tx.ancestors(e)}:
            return True
    return False


def _rr(ranked: list[bool]) -> float:
    for k, ok in enumerate(ranked, start=1):
        if ok:
            return 1.0 / k
    return 0.0


@dataclass
class Report:
    n: int = 0                     # leads in the plans' industries
    district_top1: float = 0.0
    district_hit3: float = 0.0
    district_mrr: float = 0.0
    industry_hit3: float = 0.0
    industry_mrr: float = 0.0
    park_hit5: float = 0.0
    park_n: int = 0
    mean_confidence: float = 0.0
    review_share: float = 0.0      # in-plan leads routed to review
    wrong_n: int = 0               # in-plan leads whose first district is wrong
    review_wrong: float = 0.0      # ... of which routed to review
    review_right: float = 0.0      # routed to review among those whose first district is right
    confidence_right: float = 0.0  # mean confidence where the first district is right
    confidence_wrong: float = 0.0  # ... and where it is wrong
    outside_n: int = 0             # leads outside the plans' industries
    outside_routed: float = 0.0    # ... of which routed to review
    misses: list[str] = field(default_factory=list)
    by_lang: dict = field(default_factory=dict)      # per input style: the figures above
    calibration: list = field(default_factory=list)  # (bin low, n, mean confidence, accuracy)
    reliability: dict = field(default_factory=dict)  # per style: calibration rows

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "misses"}


class _Tally:
    def __init__(self):
        self.s = dict(n=0, top1=0, hit3=0, dmrr=0.0, ihit=0, imrr=0.0, phit=0, pn=0, conf=0.0,
                      review=0, out=0, routed=0, wrong=0, wrong_routed=0, right_routed=0,
                      conf_right=0.0, conf_wrong=0.0)
        self.bins: dict[int, list[tuple[float, bool]]] = {}

    def figures(self) -> dict:
        s, n = self.s, max(self.s["n"], 1)
        return {"n": s["n"], "district_top1": s["top1"] / n, "district_hit3": s["hit3"] / n,
                "district_mrr": s["dmrr"] / n, "industry_hit3": s["ihit"] / n,
                "industry_mrr": s["imrr"] / n, "park_hit5": s["phit"] / max(s["pn"], 1),
                "park_n": s["pn"], "mean_confidence": s["conf"] / n, "review_share": s["review"] / n,
                "outside_n": s["out"], "outside_routed": s["routed"] / max(s["out"], 1),
                "wrong_n": s["wrong"], "review_wrong": s["wrong_routed"] / max(s["wrong"], 1),
                "review_right": s["right_routed"] / max(s["n"] - s["wrong"], 1),
                "confidence_right": s["conf_right"] / max(s["n"] - s["wrong"], 1),
                "confidence_wrong": s["conf_wrong"] / max(s["wrong"], 1)}

    def table(self) -> list[tuple]:
        return [(b / BINS, len(xs), sum(c for c, _ in xs) / len(xs), sum(ok for _, ok in xs) / len(xs))
                for b, xs in sorted(self.bins.items())]


def _score_case(tx, case: dict, rec: dict, tallies: list[_Tally], misses: list[str]) -> None:
    exp = case["expect"]
    text = case["profile"]["description"][:40].replace("\n", " ")
    label = f"{case['id']} [{style_of(case)}] {text}"
    if exp.get("outside"):
        for t in tallies:
            t.s["out"] += 1
            t.s["routed"] += bool(rec["needs_review"])
            t.bins.setdefault(min(int(rec["confidence"] * BINS), BINS - 1), []).append(
                (rec["confidence"], False))
        if not rec["needs_review"]:
            top = [i["id"] for i in rec["industries"][:2]]
            misses.append(f"{label}: outside the plans but not routed to review ({top}, "
                          f"confidence {rec['confidence']:.2f})")
        return
    dcodes = [d["code"] for d in rec["districts"]]
    best = exp.get("best_districts") or exp["districts"]
    top1 = bool(dcodes) and dcodes[0] in best
    hit3 = any(c in exp["districts"] for c in dcodes[:3])
    ind_ok = [industry_hit(tx, i["id"], exp["industries"]) for i in rec["industries"]]
    ihit = any(ind_ok[:3])
    phit = any(p["id"] in exp["parks"] for p in rec["parks"][:5]) if exp.get("parks") else None
    for t in tallies:
        s = t.s
        s["n"] += 1
        s["top1"] += top1
        s["hit3"] += hit3
        s["dmrr"] += _rr([c in exp["districts"] for c in dcodes])
        s["ihit"] += ihit
        s["imrr"] += _rr(ind_ok)
        s["conf"] += rec["confidence"]
        s["review"] += bool(rec["needs_review"])
        s["wrong"] += not top1
        s["wrong_routed" if not top1 else "right_routed"] += bool(rec["needs_review"])
        s["conf_wrong" if not top1 else "conf_right"] += rec["confidence"]
        if phit is not None:
            s["pn"] += 1
            s["phit"] += phit
        t.bins.setdefault(min(int(rec["confidence"] * BINS), BINS - 1), []).append(
            (rec["confidence"], top1))
    if not (top1 and hit3 and ihit) or phit is False:
        what = []
        if not ihit:
            what.append(f"industries {[i['id'] for i in rec['industries'][:3]]} want {exp['industries']}")
        if not hit3:
            what.append(f"districts {dcodes[:3]} want {exp['districts']}")
        elif not top1:
            what.append(f"top district {dcodes[0] if dcodes else None} want {best}")
        if phit is False:
            what.append(f"parks {[p['id'] for p in rec['parks'][:5]]} want {exp['parks']}")
        misses.append(f"{label}: " + "; ".join(what))


def evaluate(matcher: Matcher, cases: list[dict]) -> Report:
    tx = matcher.taxonomy
    records = matcher.match_many([c["profile"] for c in cases])
    total, styles = _Tally(), {}
    rep = Report()
    for case, rec in zip(cases, records, strict=True):
        if "error" in rec:
            rep.misses.append(f"{case['id']}: error {rec['error']}")
            continue
        style = styles.setdefault(style_of(case), _Tally())
        _score_case(tx, case, rec, [total, style], rep.misses)
    for key, value in total.figures().items():
        setattr(rep, key, value)
    rep.calibration = total.table()
    rep.by_lang = {k: {name: round(v, 3) for name, v in t.figures().items()}
                   for k, t in sorted(styles.items())}
    rep.reliability = {k: t.table() for k, t in sorted(styles.items())}
    return rep


def split(cases: list[dict], name: str) -> list[dict]:
    return [c for c in cases if c.get("split", "dev") == name]


def format_report(rep: Report, show_misses: bool = True, title: str = "",
                  bars: dict | None = None) -> str:
    bars = bars or {"top1": 0.75, "hit3": 0.90, "ind": 0.85, "park": 0.75, "out": 0.90}
    lines = [title] if title else []
    lines += [
        f"leads: {rep.n} in the plans' industries, {rep.outside_n} outside them",
        f"district top-1:   {rep.district_top1:.3f}   (bar {bars['top1']:.2f})",
        f"district hit@3:   {rep.district_hit3:.3f}   (bar {bars['hit3']:.2f})",
        f"district MRR:     {rep.district_mrr:.3f}",
        f"industry hit@3:   {rep.industry_hit3:.3f}   (bar {bars['ind']:.2f})",
        f"industry MRR:     {rep.industry_mrr:.3f}",
        f"park hit@5:       {rep.park_hit5:.3f}   (bar {bars['park']:.2f}; {rep.park_n} leads with parks)",
        f"mean confidence:  {rep.mean_confidence:.3f}; in-plan leads routed to review {rep.review_share:.3f}",
    ]
    lines.append(f"routed to review: {rep.review_wrong:.3f} of the {rep.wrong_n} wrong first "
                 f"districts, {rep.review_right:.3f} of the {rep.n - rep.wrong_n} right ones; mean "
                 f"confidence {rep.confidence_wrong:.3f} wrong, {rep.confidence_right:.3f} right")
    if rep.outside_n:
        lines.append(f"outside leads routed to review: {rep.outside_routed:.3f}   (bar {bars['out']:.2f})")
    lines.append("by style:          n  top-1  hit@3  ind@3  park@5  review  wrong/right-routed"
                 "  outside-routed")
    for style, f in rep.by_lang.items():
        routed = f"{f['outside_routed']:.2f} of {f['outside_n']}" if f["outside_n"] else "-"
        lines.append(f"  {style:<12} {f['n']:5d}  {f['district_top1']:.2f}   {f['district_hit3']:.2f}"
                     f"   {f['industry_hit3']:.2f}   {f['park_hit5']:.2f}    {f['review_share']:.2f}"
                     f"    {f['review_wrong']:.2f}/{f['review_right']:.2f}          {routed}")
    lines.append("reliability (confidence bin: leads, mean confidence, first district right; "
                 "outside leads count as wrong):")
    for style, rows in [("all", rep.calibration), *rep.reliability.items()]:
        lines.append(f"  {style}")
        lines.extend(f"    {low:.1f}-{low + 1 / BINS:.1f}: {n:4d}  {conf:.2f}  {acc:.2f}"
                     for low, n, conf, acc in rows)
    if show_misses and rep.misses:
        lines.append(f"misses ({len(rep.misses)}):")
        lines.extend(f"  {m}" for m in rep.misses)
    return "\n".join(lines)
