"""Floors on the labelled benchmark (tests/data/benchmark.jsonl): a change that makes matching
worse on these 236 independently written leads fails here. `python -m matcher evaluate` prints
the figures and the misses."""

import pytest

from matcher import get_matcher
from matcher.evaluate import DEFAULT_BENCHMARK, evaluate, load_benchmark


@pytest.fixture(scope="module")
def report():
    return evaluate(get_matcher(), load_benchmark(DEFAULT_BENCHMARK))


def test_benchmark_is_large_and_varied():
    cases = load_benchmark(DEFAULT_BENCHMARK)
    assert len(cases) >= 120
    langs = {c["lang"] for c in cases}
    assert {"zh", "en", "zh-hant", "scope"} <= langs


def test_district_floors(report):
    assert report.district_hit3 >= 0.93
    assert report.district_top1 >= 0.70


def test_industry_floor(report):
    assert report.industry_hit3 >= 0.93


def test_park_floor(report):
    assert report.park_hit5 >= 0.74


def test_every_language_is_served(report):
    for lang, figures in report.by_lang.items():
        assert figures["industry_hit3"] >= 0.8, lang
        assert figures["district_hit3"] >= 0.85, lang
