"""Floors on the held-out real companies (tests/data/real_companies.jsonl, issue 12): a change that
makes matching of real companies worse than the level reached (minus a small margin) fails here.
`python -m matcher evaluate` prints the figures and the misses. These are floors, not the issue's
targets (district hit@3 0.92, top-1 0.6, park hit@5 0.80, industry hit@3 0.93), which are not met."""

import pytest

from matcher import get_matcher
from matcher.evaluate import DEFAULT_BENCHMARK, REAL_COMPANIES, evaluate, load_benchmark, split

# level reached (dev, test) when these floors were set, minus about 0.03
FLOORS = {
    # dev park 0.57: the clause-breadth weight (matcher/specificity.py) moved one lead's best Minhang
    # park (Zizhu -> Xinzhuang: 0.611 -> 0.593) while district hit@3 rose 0.581 -> 0.628
    "dev": {"district_top1": 0.41, "district_hit3": 0.59, "park_hit5": 0.57, "industry_hit3": 0.94,
            "outside_routed": 0.91},
    "test": {"district_top1": 0.43, "district_hit3": 0.71, "park_hit5": 0.60, "industry_hit3": 0.86,
             "outside_routed": 0.875},
}


@pytest.fixture(scope="module")
def reports():
    real = load_benchmark(REAL_COMPANIES)
    m = get_matcher()
    return {name: evaluate(m, split(real, name)) for name in FLOORS}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_real_company_floors(reports, name):
    rep = reports[name]
    assert rep.n >= 80 and rep.outside_n >= 20
    for figure, floor in FLOORS[name].items():
        assert getattr(rep, figure) >= floor, (name, figure, getattr(rep, figure))


def test_in_plan_leads_are_not_all_sent_to_review(reports):
    """Calibration must not push most right answers below the review threshold."""
    for rep in reports.values():
        assert rep.review_share <= 0.3


def test_plan_derived_benchmark_keeps_its_level_and_is_not_sent_to_review():
    """The plan-derived set must not get worse than before issue 12's work (0.725 / 0.949 / 0.767 /
    0.941); fitted on real companies, the calibration once routed 41 % of its leads (most of them
    right) to review."""
    rep = evaluate(get_matcher(), load_benchmark(DEFAULT_BENCHMARK))
    assert rep.district_top1 >= 0.725
    assert rep.district_hit3 >= 0.949
    assert rep.park_hit5 >= 0.767
    assert rep.industry_hit3 >= 0.941
    assert rep.review_share <= 0.25  # 0.246 with the calibration fitted on real dev + these


def test_confidence_separates_right_from_wrong_first_districts_on_real_dev(reports):
    """Confidence is the chance that the first district is right (issue 12, item 4): on the real
    dev split right answers must stay clearly more confident than wrong ones, and the wrong ones
    must go to review far more often. Reached: mean confidence 0.651 right vs 0.520 wrong; routed
    0.417 of the wrong, 0.132 of the right (before: 0.747 vs 0.738, 0.042 vs 0.000)."""
    rep = reports["dev"]
    assert rep.confidence_right - rep.confidence_wrong >= 0.09, (rep.confidence_right,
                                                                 rep.confidence_wrong)
    assert rep.review_wrong >= 0.35, rep.review_wrong
    assert rep.review_wrong - rep.review_right >= 0.2, (rep.review_wrong, rep.review_right)
