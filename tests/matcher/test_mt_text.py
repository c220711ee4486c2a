"""Text normalisation: traditional to simplified Chinese, full-width to half-width, case, spaces."""

from __future__ import annotations

import pytest

from matcher.text import Tokenizer, english_phrase_key, normalize, stem


@pytest.mark.parametrize("raw,expected", [
    ("積體電路", "集成电路"),             # Taiwan phrase, not just character conversion
    ("軟體開發", "软件开发"),
    ("生物醫藥", "生物医药"),
    ("集成电路", "集成电路"),             # simplified text is left alone
    ("ＡＢＣ１２３", "abc123"),            # full-width letters and digits
    ("（一）集成電路，晶圓", "(一)集成电路,晶圆"),  # full-width punctuation
    ("  Chip\u3000 Design\n\tHouse ", "chip design house"),
    ("", ""),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_traditional_and_simplified_descriptions_normalise_to_the_same_text():
    assert normalize("本公司從事積體電路設計與晶圓製造") == normalize("本公司从事集成电路设计与晶圆制造")


def test_tokenizer_keeps_taxonomy_terms_whole_and_stems_english():
    tok = Tokenizer(["存储器芯片"])
    words = tok.words(normalize("研发存储器芯片 and memory chips for vehicles"))
    assert "存储器芯片" in words
    assert "chip" in words and stem("vehicle") in words
    assert "and" not in words and "for" not in words


def test_english_phrase_keys_meet_singular_and_plural():
    assert english_phrase_key("Memory Chips") == english_phrase_key("memory chip")
    assert english_phrase_key("batteries") == english_phrase_key("battery")


@pytest.mark.parametrize("forms", [
    ("manufacture", "manufacturing", "manufactured", "manufactures"),
    ("image", "imaging", "images"),
    ("device", "devices"),
    ("process", "processes", "processing"),
    ("integrate", "integrated", "integrating"),
])
def test_stem_meets_the_forms_of_one_word(forms):
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}
