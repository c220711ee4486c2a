"""A synthetic but realistic outcome history from the labelled leads, as an outcomes export.

    .venv/bin/python scripts/make_outcome_history.py -o var/outcome_history.jsonl [--seed 7]
        [--noise 0.15] [--lost 0.1] [--start 2025-01-01 --days 700]

Each labelled lead (tests/data/benchmark.jsonl and real_companies.jsonl) is scored by today's
engine with the fixed weights (the record it "carried") and closed on a random date:
- a share `--lost` is lost (to another city, another district or no project); leads outside the
  plans' industries are mostly lost, the rest land wherever the noise puts them;
- the others land where the label says: one of its districts (a best one counts twice) and a
  labelled park in that district when there is one (a specific park, base, carrier or town
  three times as often as a broad zone; else none, or another park there); among those, by the
  place's attraction (`World`: `--world agglomeration`, the default, weighs a place by the plans'
  statement about it, three times for a specific park there and twice when the district's own
  plan states it: projects go where peers, operators and an active district office are; this is
  what the fixed weights do not know); `--world labels` draws uniformly among them;
- with probability `--noise` a lead lands elsewhere instead: a random other district of
  Shanghai (land, price, a contact), and half the time one of its parks.
The lead's real industry is its first labelled one; its source is drawn as officers' pipelines
have it (screened by an officer, self-submitted, batch import, API). Output: one item per line,
the format `python -m matcher evaluate --outcomes` and `matcher.ranker.fit_ranker` read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matcher.engine import Matcher  # noqa: E402
from matcher.evaluate import DEFAULT_BENCHMARK, REAL_COMPANIES, load_benchmark  # noqa: E402
from matcher.location import is_area  # noqa: E402

SOURCES = (("officer", 0.5), ("public", 0.2), ("import", 0.2), ("api", 0.1))


def _pick(rng: random.Random, weighted) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


SPECIFIC = ("park", "base", "development_zone", "carrier", "town")
ROLE = {"core_area": 1.0, "main_carrier": 0.9, "key_development": 0.75, "cluster_member": 0.6,
        "mentioned": 0.35}


def _specific(zone) -> bool:
    """A park a company signs with (a park, base, carrier ...) rather than a broad zone."""
    return zone.kind in SPECIFIC or bool(zone.parent)


class World:
    """How strongly a place draws a project of some industries ("attraction"), in the world
    `--world agglomeration` describes: the plans' statement about the place (by its role), three
    times as strong when it names a specific park there (parks with their operators, land and
    peers are what a company signs with), twice as strong when the district's own plan states it
    (its investment office works the lead). `--world labels` draws uniformly instead."""

    def __init__(self, tx, mode: str):
        self.tx, self.mode = tx, mode
        self.rels: dict[str, list] = {}
        for rel in tx.relations:
            self.rels.setdefault(rel.industry, []).append(rel)
        self.parks_in: dict[str, list[str]] = {}
        for z in tx.zones:
            if not is_area(z) and _specific(z):
                for code in z.district_codes[:1]:
                    self.parks_in.setdefault(code, []).append(z.id)

    def _industries(self, ids):
        out = set()
        for i in ids:
            if i in self.tx.industry_by_id:
                out |= {i, *(a.id for a in self.tx.ancestors(i))}
        return out

    def attraction(self, industries, code: str | None = None, zone_id: str | None = None) -> float:
        if self.mode == "labels":
            return 1.0
        best = 0.05
        for ind in self._industries(industries):
            for rel in self.rels.get(ind, ()):
                zone = self.tx.zone_by_id.get(rel.zone) if rel.zone else None
                if code is not None and not (rel.district == code or
                                             (zone and code in zone.district_codes[:1])):
                    continue
                if zone_id is not None and not (zone and zone_id in (zone.id, zone.parent)):
                    continue
                w = ROLE.get(rel.role, 0.3)
                w *= 3 if zone is not None and _specific(zone) else 1
                w *= 2 if any(getattr(self.tx.plan_by_id.get(s.plan), "scope", "") == "district"
                              for s in rel.sources) else 1
                best = max(best, w)
        return best


def _landing(rng, case, world: World, noise: float) -> tuple[str, str]:
    """(district code, park id or '') where this lead lands."""
    tx, exp = world.tx, case["expect"]
    labelled = [c for c in exp.get("districts") or [] if c in tx.district_by_code]
    inds = exp.get("industries") or []
    if not labelled or rng.random() < noise:
        code = rng.choice([d.code for d in tx.districts if d.code not in labelled])
        parks = world.parks_in.get(code, [])
        return code, (rng.choice(parks) if parks and rng.random() < 0.5 else "")
    best = set(exp.get("best_districts") or [])
    code = rng.choices(labelled, weights=[world.attraction(inds, code=c) * (2 if c in best else 1)
                                          for c in labelled])[0]
    here = [p for p in exp.get("parks") or [] if p in tx.zone_by_id
            and code in tx.zone_by_id[p].district_codes and not is_area(tx.zone_by_id[p])]
    if here:  # the park signed with; a specific park three times as often as a broad zone
        return code, rng.choices(here, weights=[
            world.attraction(inds, zone_id=p) * (3 if _specific(tx.zone_by_id[p]) else 1)
            for p in here])[0]
    parks = world.parks_in.get(code, [])
    return code, (rng.choice(parks) if parks and rng.random() < 0.3 else "")


def make_history(*, seed: int = 7, noise: float = 0.15, lost: float = 0.1,
                 start: dt.date = dt.date(2025, 1, 1), days: int = 700,
                 world: str = "agglomeration", copies: int = 1,
                 matcher: Matcher | None = None) -> list[dict]:
    """The history's items, oldest first (deterministic for a seed). `copies`: each labelled
    lead comes that many times (similar companies over the years), each landing drawn anew."""
    rng = random.Random(seed)
    cases = load_benchmark(DEFAULT_BENCHMARK)
    if REAL_COMPANIES.is_file():
        cases += load_benchmark(REAL_COMPANIES)
    cases = cases * max(1, copies)
    rng.shuffle(cases)
    matcher = matcher or Matcher(ranker=None)
    tx = matcher.taxonomy
    places = World(tx, world)
    unique = {c["id"]: c["profile"] for c in cases}
    scored = dict(zip(unique, matcher.match_many(list(unique.values())), strict=True))
    records = [scored[c["id"]] for c in cases]
    dates = sorted(start + dt.timedelta(days=rng.randrange(days)) for _ in cases)
    items = []
    for n, (case, record, day) in enumerate(zip(cases, records, dates, strict=True), start=1):
        exp = case["expect"]
        item = {"lead_id": n, "name": case["profile"].get("name") or case.get("company") or case["id"],
                "case": case["id"], "source": _pick(rng, SOURCES), "closed_on": day.isoformat(),
                "industry_id": (exp.get("industries") or [""])[0], "profile": case["profile"],
                "record": record, "taxonomy_version": record.get("taxonomy_version", ""),
                "district_code": "", "zone_id": "", "lost_to": "", "lost_city": ""}
        if (exp.get("outside") and rng.random() < 0.7) or rng.random() < lost:
            item["outcome"] = "lost"
            item["lost_to"] = _pick(rng, (("other_city", 0.6), ("other_district", 0.25),
                                          ("no_project", 0.15)))
            if item["lost_to"] == "other_city":
                item["lost_city"] = rng.choice(("苏州", "杭州", "合肥", "南京", "深圳"))
            elif item["lost_to"] == "other_district":
                item["district_code"] = rng.choice([d.code for d in tx.districts])
            items.append(item)
            continue
        item["outcome"] = "landed" if rng.random() < 0.7 else "signed"
        item["district_code"], item["zone_id"] = _landing(rng, case, places, noise)
        items.append(item)
    return items


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--noise", type=float, default=0.15)
    p.add_argument("--lost", type=float, default=0.1)
    p.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2025, 1, 1))
    p.add_argument("--days", type=int, default=700)
    p.add_argument("--copies", type=int, default=1,
                   help="each labelled lead this many times, each landing drawn anew")
    p.add_argument("--world", choices=["agglomeration", "labels"], default="agglomeration",
                   help="how a lead picks among the places its label allows (see World)")
    args = p.parse_args(argv)
    items = make_history(seed=args.seed, noise=args.noise, lost=args.lost, start=args.start,
                         days=args.days, world=args.world,
                         copies=args.copies)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    landed = sum(i["outcome"] != "lost" for i in items)
    print(f"{len(items)} closed leads ({landed} signed or landed) from {items[0]['closed_on']} "
          f"to {items[-1]['closed_on']} -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
