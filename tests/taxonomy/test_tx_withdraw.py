"""Withdrawing a plan from a folder, and the YAML round trip that every library edit relies on."""

from __future__ import annotations

from taxonomy import DATA_DIR, load_taxonomy
from taxonomy.loader import content_version, data_files
from taxonomy.withdraw import remove_plan
from taxonomy.yamlio import YamlFile

PLAN = "minhang-manufacturing-2018-2020"


def _cites(tx, plan_id):
    from taxonomy.validate import _sourced

    return [where for where, s in _sourced(tx) if s.plan == plan_id]


def test_withdrawing_a_plan_removes_its_entries_and_citations_only(real_copy):
    before = load_taxonomy(real_copy)
    only_zone = next(z for z in before.zones if {s.plan for s in z.sources} == {PLAN})
    shared = next(z for z in before.zones if PLAN in {s.plan for s in z.sources}
                  and len({s.plan for s in z.sources}) > 1)
    version = remove_plan(plan_id=PLAN, data_dir=real_copy, who="curator")
    after = load_taxonomy(real_copy)
    assert after.version == version and PLAN not in after.plan_by_id
    assert not (real_copy / "plans" / f"{PLAN}.txt").exists()
    assert not (real_copy / "policies" / f"{PLAN}.yaml").exists()
    assert _cites(after, PLAN) == []
    assert only_zone.id not in after.zone_by_id
    kept = after.zone_by_id[shared.id]
    assert [s for s in kept.sources] == [s for s in shared.sources if s.plan != PLAN]
    others = [r for r in before.relations if any(s.plan != PLAN for s in r.sources)
              and r.industry in after.industry_by_id and (not r.zone or r.zone in after.zone_by_id)]
    assert len(after.relations) >= len(others)
    assert len(after.policies) == len([p for p in before.policies if p.plan != PLAN])


def test_every_data_file_round_trips_byte_for_byte():
    for path in data_files(DATA_DIR):
        doc = YamlFile(path)
        assert doc.text() == path.read_text(encoding="utf-8"), path
        assert doc.save() is False


def test_the_content_hash_covers_every_data_file_and_nothing_else(real_copy):
    names = {p.relative_to(real_copy).as_posix() for p in data_files(real_copy)}
    on_disk = {p.relative_to(real_copy).as_posix() for p in real_copy.rglob("*.yaml")}
    assert names == on_disk and "gbt4754.yaml" in names
    version = content_version(real_copy)
    (real_copy / "gbt4754.yaml").write_text(
        (real_copy / "gbt4754.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert content_version(real_copy) != version
