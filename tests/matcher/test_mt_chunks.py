"""The batch path (chunks scored by a remembering matcher, list records with a catalogue) gives
the same matches as the per-row engine, `Matcher.match`: same rankings, same scores, and the
list record expands back to exactly the full record."""

from __future__ import annotations

import random

import orjson
import pytest

from matcher import get_matcher
from matcher.batch import ChunkRenderer, RunSpec, score_chunk
from matcher.evaluate import DEFAULT_BENCHMARK, load_benchmark
from matcher.memo import remembering
from matcher.records import INLINE, PARSED_EMPTY, Catalogue, expand

SCOPES = ["一般项目：集成电路设计；集成电路芯片及产品制造；技术服务、技术开发、技术咨询；货物进出口。",
          "医学研究和试验发展；细胞技术研发和应用；药品生产",
          "一般项目：工业机器人制造；智能机器人销售；伺服控制机构制造；软件开发",
          "电池制造；电池零配件生产；新能源汽车电附件销售；储能技术服务",
          "化妆品批发；化妆品零售；日用化学产品制造",
          "Offshore wind turbine blades and hydrogen fuel-cell stacks for heavy trucks.",
          "供应链管理服务；国际货物运输代理；普通货物仓储服务",
          "芯片"]


def generated_rows(n: int, seed: int = 3) -> list[dict]:
    """A list like a company-data export: few distinct scopes, repeated with different names,
    land, districts, project types and traits (so every memory is used and keyed right)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        row = {"name": f"上海示例{i}科技有限公司", "credit_code": f"91310115MA1{i:07d}",
               "description": rng.choice(SCOPES)}
        if rng.random() < 0.4:
            row["land"] = rng.choice(["20亩", "150亩", "3公顷", ""])
        if rng.random() < 0.3:
            row["project_type"] = rng.choice(["manufacturing", "rd_center", "headquarters"])
        if rng.random() < 0.3:
            row["preferred_districts"] = rng.choice(["浦东新区", "闵行", "Jiading", "临港"])
        if rng.random() < 0.2:
            row["traits"] = rng.choice(["high_tech", "specialized_sme", "listed"])
        if rng.random() < 0.3:
            row["address"] = rng.choice(["上海市浦东新区张江路1号", "上海市闵行区剑川路2号", ""])
        if rng.random() < 0.1:
            row["description"] = ""  # an error record
        rows.append(row)
    return rows


def ranking(record: dict) -> dict:
    """What 'the same match' means: ids in order with their scores, and the confidence."""
    if "error" in record:
        return {"error": record["error"]}
    out = {kind: [(i.get("id", i.get("code")), i.get("score", i.get("relevance")))
                  for i in record[kind]] for kind in ("industries", "districts", "parks",
                                                      "policies")}
    out["confidence"] = record["confidence"]
    return out


def batch_records(matcher, rows: list[dict], chunk_size: int = 40):
    """Full and list records of the batch path, with the catalogue as written (`matcher` may
    be a remembering copy already)."""
    fast = matcher if hasattr(matcher, "rows") else None
    renderer = ChunkRenderer(matcher, RunSpec(fmt="jsonl", detail="list"), fast=fast)
    fulls, lists = [], []
    for start in range(0, len(rows), chunk_size):
        chunk = [(start + i + 1, r) for i, r in enumerate(rows[start:start + chunk_size])]
        for record, _extra in renderer.score(chunk):
            fulls.append(record)
            lists.append(orjson.loads(orjson.dumps(renderer.catalogue.compact(record))))
    return fulls, lists, orjson.loads(renderer.catalogue.to_json())


def per_row(matcher, rows):
    return [matcher.match(r, row=i + 1) for i, r in enumerate(rows)]


@pytest.fixture(scope="module")
def real_matcher():
    return get_matcher()


def _check_same(expected, fulls, lists, catalogue):
    assert len(expected) == len(fulls) == len(lists)
    for want, got, small in zip(expected, fulls, lists, strict=True):
        assert ranking(got) == ranking(want)
        assert got == want
        assert expand(small, catalogue) == want


def test_benchmark_set_batch_equals_per_row(real_matcher):
    rows = [case["profile"] for case in load_benchmark(DEFAULT_BENCHMARK)]
    rows = rows + rows[:60]  # repeats: answered from the memories
    fulls, lists, catalogue = batch_records(real_matcher, rows)
    _check_same(per_row(real_matcher, rows), fulls, lists, catalogue)


def test_generated_list_batch_equals_per_row(real_matcher):
    rows = generated_rows(300)
    fulls, lists, catalogue = batch_records(real_matcher, rows, chunk_size=64)
    _check_same(per_row(real_matcher, rows), fulls, lists, catalogue)


def test_memories_are_used_and_answers_are_copies(real_matcher):
    fast = remembering(real_matcher)
    rows = generated_rows(120)
    chunk = list(enumerate(rows))
    first = [r for r, _ in score_chunk(fast, chunk)]
    again = [r for r, _ in score_chunk(fast, chunk)]
    assert again == first
    memories = fast.remembered
    assert memories["profiles"].hits >= len(rows) - sum(not r["description"] for r in rows)
    # rows scored again without the row memory: answered from the scorers' memories
    assert fast.match_many(rows) == [{**r, "row": i} for i, r in enumerate(first)]
    assert memories["texts"].hits > 0 and memories["locations"].hits > 0
    assert memories["policies"].hits > 0
    # changing an answer (as plan overrides do) does not change what is remembered
    scored = next(r for r in again if r.get("policies"))
    scored["policies"][0]["conditions"] += "；已替代"
    scored["districts"].clear()
    assert [r for r, _ in score_chunk(fast, chunk)] == first


def test_repeated_rows_give_the_records_of_scoring_each_row(real_matcher):
    """A list repeating whole rows (other names and credit codes, the same inputs) is scored
    once per distinct row; every copy is the record the row gets on its own."""
    base = generated_rows(40, seed=13)
    rng = random.Random(17)
    rows = []
    for i in range(160):
        row = dict(rng.choice(base))
        row["name"] = f"  上海重复{i}有限公司 " if i % 3 else ""
        row["credit_code"] = f"91310000MA2{i:07d}"
        rows.append(row)
    rows.append({**rows[0], "name": 123})  # a name that is not text: scored on its own
    fast = remembering(real_matcher)
    fulls, lists, catalogue = batch_records(fast, rows, chunk_size=50)
    assert fast.remembered["profiles"].hits > 60
    _check_same(per_row(real_matcher, rows), fulls, lists, catalogue)


def test_list_records_are_small_and_show_what_an_officer_reads(real_matcher):
    rows = generated_rows(200, seed=5)
    fulls, lists, _catalogue = batch_records(real_matcher, rows)
    sizes = [len(orjson.dumps(r)) for r in lists if "error" not in r]
    assert max(sizes) <= 3072
    assert sum(sizes) / len(sizes) < sum(len(orjson.dumps(f)) for f in fulls if "error" not in f) \
        / len(sizes) / 4
    record = next(r for r in lists if "error" not in r and r["policies"])
    assert record["detail"] == "list"
    assert set(record["industries"][0]) == {"id", "name_zh", "name_en", "score", "evidence"}
    assert set(record["districts"][0]) == {"code", "name_zh", "name_en", "score"}
    assert set(record["policies"][0]) <= {"id", "title_zh", "title_en", "relevance",
                                          "match_strength"}
    # every ranked item keeps its id and scores; names only for the first ones
    full = next(f for f in fulls if f["row"] == record["row"])
    for kind in ("districts", "parks", "policies"):
        assert [i.get("code", i.get("id")) for i in record[kind]] == \
            [i.get("code", i.get("id")) for i in full[kind]]
        assert all("name_zh" not in i and "title_zh" not in i for i in record[kind][INLINE[kind]:])
    assert record["warnings"] == next(f for f in fulls if f["row"] == record["row"])["warnings"]
    # parsed fields that hold nothing are left out (expand gives them back)
    assert all(record["parsed"].get(k, v) != v or k not in record["parsed"]
               for k, v in PARSED_EMPTY.items())
    assert any(len(r["parsed"]) < len(full["parsed"]) for r in lists if "error" not in r)


def test_catalogue_resolves_every_id_once(real_matcher):
    rows = generated_rows(80, seed=9)
    _fulls, lists, catalogue = batch_records(real_matcher, rows)
    for record in lists:
        for ref in (record.get("details") or {}).values():
            assert ref in catalogue["details"]
    items = {i for entry in catalogue["details"].values() for i in entry if i}
    assert items and items <= set(catalogue["items"])
    cited = {c for i in items for c in catalogue["items"][i].get("sources", [])}
    assert cited and cited <= set(catalogue["citations"])
    texts = list(catalogue["texts"].values())
    assert len(texts) == len(set(texts))  # each reason or condition text is written once


def test_a_profile_field_the_policy_matcher_does_not_declare_fails_loudly(real_matcher,
                                                                           monkeypatch):
    from matcher.policy import PolicyMatcher

    fast = remembering(real_matcher)
    monkeypatch.setattr(PolicyMatcher, "PROFILE_FIELDS", ("project_type",))
    with pytest.raises(AttributeError):
        fast.policies.match(probs=fast.scorer.predict_proba(["芯片设计"])[0],
                            profile=real_matcher_profile(), districts=[], parks=[],
                            preferred_codes=[], preferred_zones=[])


def real_matcher_profile():
    from matcher.profile import parse_profile

    return parse_profile({"description": "芯片设计", "traits": "high_tech"})


def test_catalogue_merges_across_processes(real_matcher):
    """Workers build their catalogues apart; ids are content hashes, so merging is a union."""
    rows = generated_rows(60, seed=11)
    one, two = Catalogue(real_matcher), Catalogue(real_matcher)
    records = per_row(real_matcher, rows)
    a = [one.compact(r) for r in records[:30]]
    b = [two.compact(r) for r in records[30:]]
    merged = Catalogue(taxonomy_version=real_matcher.version)
    merged.merge(one.take_new())
    merged.merge(two.take_new())
    catalogue = orjson.loads(merged.to_json())
    assert [expand(orjson.loads(orjson.dumps(x)), catalogue) for x in a + b] == records


def test_catalogue_holds_explanations_not_rows(real_matcher):
    """A list repeating a few descriptions with other names, land, places and traits: the
    catalogue stops growing once each explanation is in it (no row's numbers are in it)."""
    rows = generated_rows(600, seed=21)
    _f, _l, small = batch_records(real_matcher, rows[:150])
    _f, lists, large = batch_records(real_matcher, rows)
    assert len(orjson.dumps(large)) < 1.25 * len(orjson.dumps(small))
    numbers = {"score", "relevance", "match_strength", "evidence"}
    assert not any(numbers & set(item) for item in large["items"].values())
    sizes = [len(orjson.dumps(r)) for r in lists if "error" not in r]
    assert sum(sizes) / len(sizes) <= 3072
