"""Does the learned ranker generalise to companies it has never seen? A check of
`matcher.ranker` on a synthetic history split by labelled lead instead of by time.

    .venv/bin/python scripts/eval_ranker_by_lead.py var/outcome_history.jsonl [--splits 3]

`scripts/make_outcome_history.py --copies N` gives each labelled lead N landings, so the time
split of `fit-ranker` may judge a profile it was fitted on (with another landing). Here the
labelled leads (field `case`) are split at random, 70 % to fit on and 30 % to judge, all copies
on one side; prints the districts' and parks' MRR of the fixed weights and of the learned ranker
for each split.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matcher import ranker as R
from matcher.engine import Matcher
from matcher.outcomes import load_outcomes
from matcher.settings import MatcherSettings


def _stack(exs, kind):
    pairs = [(e.district_X, e.district_y) if kind == "district" else (e.park_X, e.park_y)
             for e in exs]
    pairs = [(X, y) for X, y in pairs if X is not None and len(X)]
    groups = np.concatenate([np.full(len(y), k) for k, (_, y) in enumerate(pairs)])
    return np.vstack([X for X, _ in pairs]), np.concatenate([y for _, y in pairs]), groups


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("history")
    p.add_argument("--splits", type=int, default=3)
    args = p.parse_args(argv)
    items = load_outcomes(args.history)
    cases = sorted({str(i.get("case") or i.get("lead_id")) for i in items})
    settings = MatcherSettings()
    pool = Matcher(settings=R.pool_settings(settings, settings.ranker_pool), ranker=None)
    print("split  judged  district MRR fixed / learned   park MRR fixed / learned")
    for seed in range(1, args.splits + 1):
        held = set(random.Random(seed).sample(cases, int(0.3 * len(cases))))
        fit = R.examples([i for i in items if str(i.get("case") or i.get("lead_id")) not in held], pool)
        judge = R.examples([i for i in items if str(i.get("case") or i.get("lead_id")) in held], pool)
        learned = R.LearnedRanker(pool.version, R.CandidateRanker().fit(*_stack(fit, "district")),
                                  R.CandidateRanker().fit(*_stack(fit, "park")))
        f, g = R.figures(judge, None), R.figures(judge, learned)
        print(f"{seed:5d}  {len(judge):6d}  {f['district_mrr']:.3f} / {g['district_mrr']:.3f}"
              f"               {f['park_mrr']:.3f} / {g['park_mrr']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
