"""A company's markets are not its industry: terms in a clause naming where the products go
(产品用于…, 客户覆盖…, used in …) weigh less than the products themselves (issue 12)."""

from __future__ import annotations

from matcher import get_matcher
from matcher.industry import FEATURES
from matcher.text import normalize

MARKET = FEATURES.index("market_only")


def _market_only(scorer, text: str) -> dict[str, float]:
    text = normalize(text)
    X = scorer._features([text])
    return {nid: float(X[0, i, MARKET]) for i, nid in enumerate(scorer.node_ids_)
            if X[0, i, MARKET]}


def test_terms_only_in_a_market_clause_are_marked():
    scorer = get_matcher().scorer
    marked = _market_only(scorer, "公司生产北斗导航接收机和天线，产品主要用于测绘和自动驾驶汽车")
    assert "auto-icv" in marked and "auto" in marked
    assert not any(nid.startswith("aerospace") for nid in marked)
    marked = _market_only(scorer, "we make cathode materials used in electric vehicles and energy storage")
    assert "energy-storage" in marked and "auto-power-battery" not in marked


def test_a_term_also_named_outside_the_market_clause_is_not_marked():
    scorer = get_matcher().scorer
    assert _market_only(scorer, "我们研发自动驾驶系统，产品用于自动驾驶") == {}
    assert _market_only(scorer, "我们研发自动驾驶系统") == {}


def test_english_for_is_not_a_market_clause():
    """'service agreements for gas turbines': what follows "for" is the industry served."""
    scorer = get_matcher().scorer
    assert _market_only(scorer, "long-term service agreements for industrial gas turbines") == {}


def test_the_markets_do_not_outrank_the_product():
    m = get_matcher()
    rec = m.match({"description": "公司生产北斗导航接收机和天线，产品主要用于测绘和自动驾驶汽车"})
    listed = [i["id"] for i in rec["industries"]]
    assert listed and listed[0].startswith("aerospace"), listed
    assert not any(nid.startswith("auto") for nid in listed), listed
