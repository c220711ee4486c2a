"""Checks on the held-out real-company benchmark data (tests/data/real_companies.jsonl).

The file is hand-curated measurement data (format: tests/data/README.md). These tests keep it
honest: valid lines, expectations that name real taxonomy entries, no place name leaking into
what the matcher reads, and the styles and dev/test splits balanced as documented."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import opencc
import pytest

from matcher.text import normalize
from taxonomy import load_taxonomy

DATA = Path(__file__).resolve().parents[1] / "data" / "real_companies.jsonl"
STYLES = {"prose", "en", "zh-hant", "scope"}
SPLITS = {"dev", "test"}
PROFILE_FIELDS = {"name", "description", "project_type", "investment", "land", "employees",
                  "origin", "traits"}
PROJECT_TYPES = {"manufacturing", "rd_center", "headquarters", "sales_service", "other"}
ORIGINS = {"domestic", "foreign", "hk_mo_tw"}
ID_RE = re.compile(r"^r\d{3}$")
CJK = re.compile(r"[\u3400-\u9fff]")
T2S = opencc.OpenCC("t2s")


@pytest.fixture(scope="module")
def tx():
    return load_taxonomy()


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    out = []
    for n, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"line {n} is blank"
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"line {n} is not valid JSON: {exc}")
    return out


def real(rows):
    return [r for r in rows if not r["expect"].get("outside")]


def outside(rows):
    return [r for r in rows if r["expect"].get("outside")]


def place_names(tx) -> tuple[set[str], set[str]]:
    """Every district and zone name or alias (and the districts' belts and new towns), normalised:
    Chinese ones matched as substrings, English ones as whole words."""
    zh, en = set(), set()
    for d in tx.districts:
        zh.update([d.name_zh, *d.aliases_zh, *(b.name_zh for b in d.belts),
                   *(t.name_zh for t in d.new_towns)])
        en.update([d.name_en, *d.aliases_en])
    for z in tx.zones:
        zh.update([z.name_zh, *z.aliases_zh])
        en.update([z.name_en, *z.aliases_en])
    names_zh = {normalize(n) for n in zh if n and CJK.search(n)}
    names_en = {normalize(n) for n in en if n and not CJK.search(n)}
    return names_zh, names_en


def test_every_line_has_the_documented_fields(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in rows:
        assert ID_RE.match(r["id"]), r["id"]
        assert r["style"] in STYLES, r["id"]
        assert r["split"] in SPLITS, r["id"]
        assert isinstance(r["company"], str) and r["company"].strip(), r["id"]
        profile = r["profile"]
        assert set(profile) <= PROFILE_FIELDS, (r["id"], set(profile) - PROFILE_FIELDS)
        assert isinstance(profile["description"], str) and len(profile["description"]) >= 20, r["id"]
        assert profile.get("project_type", "other") in PROJECT_TYPES, r["id"]
        assert profile.get("origin", "domestic") in ORIGINS, r["id"]
        assert isinstance(profile.get("traits", []), list), r["id"]


def test_style_matches_the_text(rows):
    for r in rows:
        text = r["profile"]["description"]
        if r["style"] == "en":
            assert not CJK.search(text), r["id"]
        else:
            assert CJK.search(text), r["id"]
        if r["style"] == "scope":
            assert "一般项目：" in text, r["id"]
        if r["style"] == "zh-hant":
            assert T2S.convert(text) != text, f"{r['id']} has no traditional characters"
        elif r["style"] in ("prose", "scope"):
            assert T2S.convert(text) == text, f"{r['id']} is not simplified Chinese"


def test_expectations_name_real_taxonomy_entries(rows, tx):
    codes = {d.code for d in tx.districts}
    assert len(codes) == 16
    for r in real(rows):
        exp = r["expect"]
        assert set(exp) == {"districts", "parks", "industries", "basis"}, r["id"]
        assert exp["districts"] and set(exp["districts"]) <= codes, r["id"]
        assert len(exp["districts"]) == len(set(exp["districts"])), r["id"]
        for park in exp["parks"]:
            zone = tx.zone_by_id.get(park)
            assert zone is not None, (r["id"], park)
            if zone.district_codes:  # a park lies in one of the expected districts
                assert set(zone.district_codes) & set(exp["districts"]), (r["id"], park)
        assert exp["industries"], r["id"]
        for ind in exp["industries"]:
            assert ind in tx.industry_by_id, (r["id"], ind)
        assert r["sector"] == tx.sector_of(exp["industries"][0]), r["id"]
        assert isinstance(exp["basis"], str) and len(exp["basis"]) >= 10, r["id"]
    for r in outside(rows):
        assert r["expect"] == {"outside": True}, r["id"]


def test_no_text_the_matcher_reads_names_a_place(rows, tx):
    names_zh, names_en = place_names(tx)
    assert "浦东" in names_zh and "zhangjiang" in names_en  # the lists are really loaded
    en_patterns = [(n, re.compile(r"(?<![a-z0-9])" + re.escape(n) + r"(?![a-z0-9])")) for n in names_en]
    leaks = []
    for r in rows:
        for field in ("description", "name"):
            text = normalize(r["profile"].get(field, ""))
            leaks += [(r["id"], field, n) for n in names_zh if n in text]
            leaks += [(r["id"], field, n) for n, pat in en_patterns if pat.search(text)]
    assert not leaks, leaks


def test_sizes_and_balance(rows, tx):
    reals, outs = real(rows), outside(rows)
    assert len(reals) >= 170
    assert len(outs) >= 40
    for style in STYLES:
        assert sum(r["style"] == style for r in reals) >= 30, style
        assert sum(r["style"] == style for r in outs) >= 10, style
    sectors = Counter(r["sector"] for r in reals)
    assert set(sectors) == {i.id for i in tx.industries if i.level == "sector"}
    assert min(sectors.values()) >= 5, sectors
    for group, key in ((reals, "style"), (reals, "sector"), (outs, "style")):
        for value in {r[key] for r in group}:
            split = Counter(r["split"] for r in group if r[key] == value)
            assert abs(split["dev"] - split["test"]) <= 1, (key, value, split)
    for style in STYLES:  # stratified: within a style, every sector lands on both sides
        for sector in sectors:
            split = Counter(r["split"] for r in reals if r["style"] == style and r["sector"] == sector)
            assert abs(split["dev"] - split["test"]) <= 1, (style, sector, split)
