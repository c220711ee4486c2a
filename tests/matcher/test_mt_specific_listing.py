"""A likely sector gives its place in the list to its likeliest industry (issue 12): an AI
computing centre is listed as 智能计算, not only as 人工智能."""

from __future__ import annotations

import pytest

from matcher import get_matcher
from matcher.engine import Matcher
from matcher.settings import MatcherSettings

TEXT = "本公司建設的人工智能計算中心為大模型訓練提供算力租用"
VAGUE = "本公司为大模型训练提供算力"  # says AI, names no AI industry of the tree outright


@pytest.fixture(scope="module")
def m():
    return get_matcher()


def test_the_sectors_likeliest_industry_is_listed_in_its_place(m):
    rec = m.match({"description": TEXT})
    ids = [i["id"] for i in rec["industries"]]
    assert ids[0] == "ai-intelligent-computing" and "ai" not in ids
    top = rec["industries"][0]
    assert top["score"] < rec["parsed"]["confidence_raw"]  # its own probability is shown
    assert top["path_zh"].startswith("人工智能")
    assert rec["districts"] and all(d["reasons"] and d["sources"] for d in rec["districts"])


def test_without_the_floor_only_the_sector_is_listed(m):
    flat = Matcher(m.taxonomy, MatcherSettings(sector_child_floor=0.0))
    rec = flat.match({"description": VAGUE})
    assert [i["id"] for i in rec["industries"]][:1] == ["ai"]
    assert [i["id"] for i in m.match({"description": VAGUE})["industries"]][:1] != ["ai"]
    # where it goes does not depend on how the list is named
    assert [d["code"] for d in rec["districts"]] == [d["code"] for d in m.match(
        {"description": VAGUE})["districts"]]
