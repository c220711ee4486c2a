"""`python -m taxonomy versions`, `diff` and `plan-status` as real subprocesses."""

from __future__ import annotations

import json

from taxonomy import load_taxonomy
from tests.taxonomy.conftest import edit_file


def test_versions_diff_and_plan_status_on_the_command_line(run_taxonomy_cli, real_copy):
    first = load_taxonomy(real_copy).version
    listed = run_taxonomy_cli("versions", "--data", real_copy)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith(f"{first}  ") and "first use" in listed.stdout

    # a hand edit: a relation's role changes and a zone gains an alias
    edit_file(real_copy / "relations" / "ic.yaml",
              "- industry: ic-design\n  zone: shanghai-ic-design-park\n  role: key_development",
              "- industry: ic-design\n  zone: shanghai-ic-design-park\n  role: main_carrier")
    status = run_taxonomy_cli("plan-status", "--data", real_copy, "lingang-power-city",
                              "superseded", "--superseded-by", "sh-future-industries",
                              "--who", "curator")
    assert status.returncode == 0, status.stderr
    second = load_taxonomy(real_copy).version
    assert f"plan lingang-power-city is now superseded; taxonomy version {second}" in status.stdout

    text = run_taxonomy_cli("diff", "--data", real_copy, first[:9], second)
    assert text.returncode == 0, text.stderr
    out = text.stdout
    assert out.startswith(f"taxonomy diff {first} -> {second}")
    assert "plans: 2 changed" in out and "status: draft -> superseded" in out
    assert "relations: 1 changed" in out
    assert "~ ic-design -> zone:shanghai-ic-design-park" in out
    assert "roles: [key_development] -> [main_carrier]" in out
    as_json = json.loads(run_taxonomy_cli("diff", "--data", real_copy, first, "--json").stdout)
    assert as_json["to"] == second
    history = json.loads(run_taxonomy_cli("versions", "--data", real_copy, "--json").stdout)
    assert [v["id"] for v in history] == [first, second]
    assert history[1]["who"] == "curator"
    assert history[1]["changes"] == {"plans": {"changed": 2}, "relations": {"changed": 1}}


def test_diff_of_two_folders_and_unknown_versions(run_taxonomy_cli, real_copy, tmp_path):
    import shutil

    other = tmp_path / "other"
    shutil.copytree(real_copy, other)
    edit_file(other / "zones.yaml", "name_zh: 东方芯港\n", "name_zh: 东方芯港园区\n")
    out = run_taxonomy_cli("diff", real_copy, other)
    assert out.returncode == 0, out.stderr
    assert "zones: 1 changed" in out.stdout and "name_zh: 东方芯港 -> 东方芯港园区" in out.stdout
    bad = run_taxonomy_cli("diff", "--data", real_copy, "tx-000000000000")
    assert bad.returncode == 1 and "is not recorded" in bad.stderr
