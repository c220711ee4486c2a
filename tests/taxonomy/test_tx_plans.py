"""Plans ship with the product; one configurable taxonomy folder; plan status through the library."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from taxonomy import DATA_DIR, get_taxonomy, load_taxonomy, taxonomy_dir
from taxonomy.diff import diff
from taxonomy.loader import content_version
from taxonomy.plans import PlanStatusError, is_current, plan_status, set_plan_status
from taxonomy.versions import list_versions
from tests.taxonomy.conftest import ROOT, edit_file


def test_packaged_plan_texts_equal_the_shared_ones(shared_plans):
    tx = load_taxonomy()
    assert len(tx.plans) >= 5
    for plan in tx.plans:
        packaged = DATA_DIR / "plans" / plan.file
        assert packaged.is_file(), plan.id
        shared = shared_plans / plan.file
        if shared.is_file():
            assert packaged.read_bytes() == shared.read_bytes(), plan.file


def test_check_uses_the_packaged_texts_by_default(run_taxonomy_cli, real_copy, shared_plans):
    ok = run_taxonomy_cli("check", "--data", real_copy)
    assert ok.returncode == 0, ok.stderr
    assert f"citations checked against {real_copy / 'plans'}" in ok.stdout
    edit_file(real_copy / "relations" / "ic.yaml", 'evidence: "加快建设上海集成电路设计产业园"',
              'evidence: "加快建设上海集成电路设计产业区"')
    bad = run_taxonomy_cli("check", "--data", real_copy)
    assert bad.returncode == 1 and "加快建设上海集成电路设计产业区" in bad.stderr
    # --plans still selects another folder of texts
    explicit = run_taxonomy_cli("check", "--data", real_copy, "--plans", shared_plans)
    assert explicit.returncode == 1 and "not in sh-advanced-manufacturing-14fyp" in explicit.stderr


def test_taxonomy_dir_setting_is_honoured_by_loader_cli_and_engine(real_copy, monkeypatch):
    edit_file(real_copy / "zones.yaml", "name_zh: 东方芯港", "name_zh: 东方芯港园")
    monkeypatch.setenv("TAXONOMY_DIR", str(real_copy))
    assert taxonomy_dir() == real_copy
    tx = get_taxonomy()
    assert tx.data_dir == str(real_copy) and tx.version == content_version(real_copy)
    assert tx.zone_by_id["dongfang-xingang"].name_zh == "东方芯港园"
    assert tx.version != content_version(DATA_DIR)
    import os

    done = subprocess.run([sys.executable, "-m", "taxonomy", "check"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"taxonomy {tx.version} OK" in done.stdout


def test_derived_status_expired_draft_superseded():
    tx = load_taxonomy()
    today = date(2026, 12, 1)
    assert plan_status(tx.plan_by_id["sh-advanced-manufacturing-14fyp"], today=today) == "expired"
    assert plan_status(tx.plan_by_id["sh-future-industries"], today=today) == "issued"
    assert plan_status(tx.plan_by_id["lingang-power-city"], today=date(2024, 1, 1)) == "draft"
    assert plan_status(tx.plan_by_id["sh-advanced-manufacturing-14fyp"],
                       today=date(2024, 1, 1)) == "issued"
    assert is_current(tx.plan_by_id["sh-future-industries"], today=today)
    assert not is_current(tx.plan_by_id["minhang-manufacturing-2018-2020"], today=today)


def test_set_plan_status_writes_plans_yaml_records_a_version_and_shows_in_the_diff(real_copy):
    before_text = (real_copy / "plans.yaml").read_text(encoding="utf-8")
    before = get_taxonomy(real_copy).version  # first use records it
    version = set_plan_status(plan_id="minhang-manufacturing-2018-2020", status="superseded",
                              superseded_by="sh-advanced-manufacturing-14fyp",
                              data_dir=real_copy, who="admin1")
    tx = load_taxonomy(real_copy)
    assert version == tx.version != before
    plan = tx.plan_by_id["minhang-manufacturing-2018-2020"]
    assert plan.status == "superseded" and plan.superseded_by == "sh-advanced-manufacturing-14fyp"
    assert tx.plan_by_id["sh-advanced-manufacturing-14fyp"].supersedes == (
        "minhang-manufacturing-2018-2020",)
    after_text = (real_copy / "plans.yaml").read_text(encoding="utf-8")
    # only those lines changed: the comments and the other plans are as they were
    removed = set(before_text.splitlines()) - set(after_text.splitlines())
    added = set(after_text.splitlines()) - set(before_text.splitlines())
    assert removed == {"  status: issued"} or removed == set()
    assert added == {"  status: superseded", "  superseded_by: sh-advanced-manufacturing-14fyp",
                     "  supersedes: [minhang-manufacturing-2018-2020]"}
    history = list_versions(real_copy)
    assert [v.id for v in history] == [before, version]
    assert history[-1].who == "admin1" and "superseded" in history[-1].note
    assert history[-1].changes == {"plans": {"changed": 2}}
    d = diff(before, version, data_dir=real_copy)
    changed = {item["key"]: item for item in d["kinds"]["plans"]}
    assert changed["minhang-manufacturing-2018-2020"]["fields"] == ["status", "superseded_by"]
    assert changed["minhang-manufacturing-2018-2020"]["after"]["status"] == "superseded"
    assert all(not d["kinds"][k] for k in ("industries", "relations", "policies"))


def test_issuing_a_plan_marks_the_ones_it_supersedes(real_copy):
    set_plan_status(plan_id="sh-future-industries", status="draft", data_dir=real_copy)
    plans = real_copy / "plans.yaml"
    edit_file(plans, "  horizon_note: to 2030, outlook 2035\n  status: draft\n",
              "  horizon_note: to 2030, outlook 2035\n  status: draft\n"
              "  supersedes: [sh-strategic-emerging-14fyp]\n")
    set_plan_status(plan_id="sh-future-industries", status="issued", data_dir=real_copy)
    tx = load_taxonomy(real_copy)
    old = tx.plan_by_id["sh-strategic-emerging-14fyp"]
    assert old.status == "superseded" and old.superseded_by == "sh-future-industries"


@pytest.mark.parametrize("kwargs,message", [
    ({"plan_id": "nope", "status": "issued"}, "unknown plan 'nope'"),
    ({"plan_id": "sh-future-industries", "status": "expired"}, "not one of issued"),
    ({"plan_id": "sh-future-industries", "status": "issued", "superseded_by": "lingang-power-city"},
     "only given with status superseded"),
    ({"plan_id": "sh-future-industries", "status": "superseded", "superseded_by": "nope"},
     "is not another plan"),
    ({"plan_id": "sh-future-industries", "status": "superseded",
      "superseded_by": "sh-future-industries"}, "is not another plan"),
])
def test_bad_status_changes_are_refused_and_change_nothing(real_copy, kwargs, message):
    before = {p: p.read_bytes() for p in real_copy.rglob("*.yaml")}
    with pytest.raises(PlanStatusError, match=message):
        set_plan_status(data_dir=real_copy, **kwargs)
    assert {p: p.read_bytes() for p in real_copy.rglob("*.yaml")} == before


def test_writing_snapshots_and_drafts_does_not_change_the_content_hash(real_copy):
    version = content_version(real_copy)
    get_taxonomy(real_copy)
    assert (real_copy / "versions").is_dir()
    (real_copy / "drafts").mkdir()
    (real_copy / "drafts" / "x.yaml").write_text("- a: 1\n", encoding="utf-8")
    assert content_version(real_copy) == version


def test_packaged_folder_keeps_its_history_outside_the_data():
    from taxonomy.versions import versions_dir

    assert versions_dir(DATA_DIR) == ROOT / "var" / "taxonomy-versions" / "taxonomy-data"
    mini = ROOT / "tests" / "data" / "mini" / "taxonomy"
    assert versions_dir(mini) == ROOT / "var" / "taxonomy-versions" / "tests-data-mini-taxonomy"
    get_taxonomy(mini)
    assert not (DATA_DIR / "versions").exists() and not (DATA_DIR / "drafts").exists()
    assert not (mini / "versions").exists()
    assert versions_dir(Path("/tmp/some-folder")) == Path("/tmp/some-folder/versions")
