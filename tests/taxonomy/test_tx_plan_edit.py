"""`taxonomy.plans.update_plan`: a plan's metadata edited in plans.yaml (validated, versioned);
supersession kept consistent both ways; refusals leave the folder as it was."""

from __future__ import annotations

import shutil

import pytest
import yaml

from taxonomy import DATA_DIR, TaxonomyError, load_taxonomy
from taxonomy.plans import PlanStatusError, update_plan
from taxonomy.versions import list_versions

NEW, OLD = "sh-future-industries", "sh-strategic-emerging-14fyp"


def _entries(folder) -> dict:
    return {p["id"]: p for p in yaml.safe_load((folder / "plans.yaml").read_text("utf-8"))}


def test_update_plan_edits_metadata_and_supersession(tmp_path):
    folder = tmp_path / "taxonomy"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("versions", "drafts"))

    version = update_plan(plan_id=NEW, data_dir=folder, who="alice", title_en="Future (edited)",
                          issuer="上海市人民政府", doc_number="", date="2022-09-22",
                          horizon="2022-2030", status="issued", supersedes=[OLD])
    entry, old = _entries(folder)[NEW], _entries(folder)[OLD]
    assert entry["title_en"] == "Future (edited)" and entry["issuer"] == "上海市人民政府"
    assert entry["doc_number"] is None and entry["date"] == "2022-09-22"
    assert (entry["horizon_start"], entry["horizon_end"], entry["horizon_note"]) == (
        2022, 2030, "2022-2030")
    assert entry["supersedes"] == [OLD]
    assert (old["status"], old["superseded_by"]) == ("superseded", NEW)  # issued: it replaces OLD
    tx = load_taxonomy(folder)
    assert tx.version == version and list_versions(folder)[-1].who == "alice"

    update_plan(plan_id=NEW, data_dir=folder, supersedes=[])  # OLD no longer names it
    assert _entries(folder)[OLD]["superseded_by"] is None
    update_plan(plan_id=NEW, data_dir=folder, horizon="")
    assert _entries(folder)[NEW].get("horizon_end") is None

    before = (folder / "plans.yaml").read_bytes()
    for bad in ({"supersedes": [NEW]}, {"supersedes": ["no-such-plan"]}, {"horizon": "soon"},
                {"status": "expired"}, {"status": "issued", "superseded_by": OLD},
                {"title_en": ""}, {"scope": "city"}):
        with pytest.raises(TaxonomyError):
            update_plan(plan_id=NEW, data_dir=folder, **bad)
        assert (folder / "plans.yaml").read_bytes() == before, bad
    with pytest.raises(PlanStatusError):
        update_plan(plan_id="no-such-plan", data_dir=folder, title_en="x")
