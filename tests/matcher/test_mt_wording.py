"""Regional wording (Taiwan / Hong Kong) read as the taxonomy's mainland terms (issue 12)."""

from __future__ import annotations

from matcher import get_matcher
from matcher.industry import VARIANTS, Wording, read_variants
from matcher.text import normalize


def test_every_variant_pair_is_two_different_simplified_terms():
    pairs = read_variants(VARIANTS)
    assert len(pairs) >= 50
    for variant, mainland in pairs.items():
        assert variant and mainland and variant != mainland
        assert normalize(variant) == variant and normalize(mainland) == mainland


def test_taiwan_wording_meets_the_mainland_terms():
    wording = Wording(read_variants())
    assert wording(normalize("人工智慧語音辨識晶片")) == "人工智能语音识别芯片"
    assert wording(normalize("伺服器與演算法")) == "服务器与算法"
    assert wording(normalize("智慧型手機零組件")) == "智能手机零部件"


def test_mainland_text_is_left_alone_and_the_longest_variant_wins():
    wording = Wording({"自驾": "自动驾驶", "自驾车": "自动驾驶汽车"})
    assert wording("自驾车") == "自动驾驶汽车"
    assert wording("集成电路设计") == "集成电路设计"
    assert Wording({})("晶片") == "晶片"


def test_the_scorer_reads_taiwan_wording_as_mainland():
    matcher = get_matcher()  # the shipped taxonomy
    tw = matcher.match({"description": "台灣人工智慧晶片設計公司，產品為邊緣運算推論晶片"})
    cn = matcher.match({"description": "台湾人工智能芯片设计公司，产品为边缘计算推理芯片"})
    assert [i["id"] for i in tw["industries"]][:2] == [i["id"] for i in cn["industries"]][:2]
