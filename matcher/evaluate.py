"""Benchmark evaluation: district top-1 and hit@3, industry hit@3, park hit@5, MRR, misses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from matcher.engine import Matcher

DEFAULT_BENCHMARK = Path(__file__).resolve().parent.parent / "tests" / "data" / "benchmark.jsonl"


def load_benchmark(path: str | Path = DEFAULT_BENCHMARK) -> list[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


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
    n: int = 0
    district_top1: float = 0.0
    district_hit3: float = 0.0
    district_mrr: float = 0.0
    industry_hit3: float = 0.0
    industry_mrr: float = 0.0
    park_hit5: float = 0.0
    park_n: int = 0
    mean_confidence: float = 0.0
    misses: list[str] = field(default_factory=list)
    by_lang: dict = field(default_factory=dict)
    calibration: list = field(default_factory=list)  # (bin low, n, mean confidence, accuracy)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "misses"}


def evaluate(matcher: Matcher, cases: list[dict]) -> Report:
    tx = matcher.taxonomy
    records = matcher.match_many([c["profile"] for c in cases])
    rep = Report(n=len(cases))
    sums = dict(top1=0, hit3=0, dmrr=0.0, ihit=0, imrr=0.0, phit=0, conf=0.0)
    langs: dict[str, list[int]] = {}
    bins: dict[int, list[tuple[float, bool]]] = {}
    for case, rec in zip(cases, records, strict=True):
        exp = case["expect"]
        if "error" in rec:
            rep.misses.append(f"{case['id']}: error {rec['error']}")
            continue
        dcodes = [d["code"] for d in rec["districts"]]
        best = exp.get("best_districts") or exp["districts"]
        top1 = bool(dcodes) and dcodes[0] in best
        hit3 = any(c in exp["districts"] for c in dcodes[:3])
        ind_ok = [industry_hit(tx, i["id"], exp["industries"]) for i in rec["industries"]]
        ihit = any(ind_ok[:3])
        bins.setdefault(min(int(rec["confidence"] * 5), 4), []).append(
            (rec["confidence"], bool(ind_ok[:1] and ind_ok[0])))
        sums["top1"] += top1
        sums["hit3"] += hit3
        sums["dmrr"] += _rr([c in exp["districts"] for c in dcodes])
        sums["ihit"] += ihit
        sums["imrr"] += _rr(ind_ok)
        sums["conf"] += rec["confidence"]
        lang = langs.setdefault(case.get("lang", "?"), [0, 0, 0, 0])
        lang[0] += 1
        lang[1] += top1
        lang[2] += hit3
        lang[3] += ihit
        phit = None
        if exp.get("parks"):
            rep.park_n += 1
            phit = any(p["id"] in exp["parks"] for p in rec["parks"][:5])
            sums["phit"] += phit
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
            text = case["profile"]["description"][:40].replace("\n", " ")
            rep.misses.append(f"{case['id']} [{case.get('lang', '?')}] {text}: " + "; ".join(what))
    n = max(rep.n, 1)
    rep.district_top1 = sums["top1"] / n
    rep.district_hit3 = sums["hit3"] / n
    rep.district_mrr = sums["dmrr"] / n
    rep.industry_hit3 = sums["ihit"] / n
    rep.industry_mrr = sums["imrr"] / n
    rep.park_hit5 = sums["phit"] / max(rep.park_n, 1)
    rep.mean_confidence = sums["conf"] / n
    rep.calibration = [(b / 5, len(xs), sum(c for c, _ in xs) / len(xs),
                         sum(ok for _, ok in xs) / len(xs)) for b, xs in sorted(bins.items())]
    rep.by_lang = {k: {"n": v[0], "district_top1": round(v[1] / v[0], 3),
                       "district_hit3": round(v[2] / v[0], 3), "industry_hit3": round(v[3] / v[0], 3)}
                   for k, v in sorted(langs.items())}
    return rep


def format_report(rep: Report, show_misses: bool = True) -> str:
    lines = [
        f"leads: {rep.n}",
        f"district top-1:   {rep.district_top1:.3f}   (bar 0.75)",
        f"district hit@3:   {rep.district_hit3:.3f}   (bar 0.90)",
        f"district MRR:     {rep.district_mrr:.3f}",
        f"industry hit@3:   {rep.industry_hit3:.3f}   (bar 0.85)",
        f"industry MRR:     {rep.industry_mrr:.3f}",
        f"park hit@5:       {rep.park_hit5:.3f}   (bar 0.75; {rep.park_n} leads with parks)",
        f"mean confidence:  {rep.mean_confidence:.3f}",
        "by language: " + json.dumps(rep.by_lang, ensure_ascii=False),
        "calibration (confidence bin: leads, mean confidence, top industry right):",
        *(f"  {low:.1f}-{low + 0.2:.1f}: {n:4d}  {conf:.2f}  {acc:.2f}"
          for low, n, conf, acc in rep.calibration),
    ]
    if show_misses and rep.misses:
        lines.append(f"misses ({len(rep.misses)}):")
        lines.extend(f"  {m}" for m in rep.misses)
    return "\n".join(lines)
