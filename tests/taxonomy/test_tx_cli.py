"""`python -m taxonomy check` and `python -m taxonomy export`, run as real subprocesses."""

from __future__ import annotations

import json

from taxonomy import load_taxonomy


def test_check_passes_on_the_mini_taxonomy(run_taxonomy_cli, mini_paths):
    tax, plans = mini_paths
    result = run_taxonomy_cli("--data", tax, "check", "--plans", plans)
    assert result.returncode == 0, result.stderr
    version = load_taxonomy(tax).version
    assert f"taxonomy {version} OK" in result.stdout
    assert "5 industries" in result.stdout and "16 districts" in result.stdout
    assert f"citations checked against {plans}" in result.stdout


def test_check_fails_with_the_problem_on_stderr(run_taxonomy_cli, mini):
    mini.edit("relations/all.yaml", "zone: lingang", "zone: nowhere-park")
    result = run_taxonomy_cli("--data", mini.tax, "check", "--plans", mini.plans)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "relation relations/all.yaml#0: zone 'nowhere-park' does not exist" in result.stderr


def test_check_fails_on_a_bad_citation(run_taxonomy_cli, mini):
    mini.edit("industries/biomed.yaml", "evidence: 高端医疗器械}", "evidence: 低端医疗器械}")
    result = run_taxonomy_cli("--data", mini.tax, "check", "--plans", mini.plans)
    assert result.returncode != 0
    assert "industry biomed-devices: evidence '低端医疗器械'" in result.stderr
    # without the plans the citation cannot be checked, and the command says so
    skipped = run_taxonomy_cli("--data", mini.tax, "check", "--no-plans")
    assert skipped.returncode == 0, skipped.stderr
    assert "citations NOT checked" in skipped.stdout


def test_check_fails_on_a_schema_error(run_taxonomy_cli, mini):
    mini.edit("relations/all.yaml", "role: key_development", "role: core")
    result = run_taxonomy_cli("--data", mini.tax, "check", "--plans", mini.plans)
    assert result.returncode != 0
    assert "all.yaml entry 1 (ic): role: Must be one of" in result.stderr


def test_check_with_a_missing_plans_folder_is_an_error(run_taxonomy_cli, mini_paths, tmp_path):
    result = run_taxonomy_cli("--data", mini_paths[0], "check", "--plans", tmp_path / "nope")
    assert result.returncode != 0
    assert "plans folder" in result.stderr and "not found" in result.stderr


def test_check_accepts_data_after_the_subcommand(run_taxonomy_cli, mini_paths):
    tax, plans = mini_paths
    result = run_taxonomy_cli("check", "--data", tax, "--plans", plans)
    assert result.returncode == 0, result.stderr
    assert "5 industries" in result.stdout


def test_export_prints_the_whole_taxonomy_as_json(run_taxonomy_cli, mini_paths):
    tax, _ = mini_paths
    result = run_taxonomy_cli("--data", tax, "export")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    tx = load_taxonomy(tax)
    assert doc["taxonomy_version"] == tx.version
    assert doc["counts"] == tx.counts()
    for kind in ("plans", "industries", "districts", "zones", "relations", "policies"):
        assert len(doc[kind]) == doc["counts"][kind]
    for kind in ("industries", "zones", "relations", "policies"):
        for entry in doc[kind]:
            assert entry["sources"], (kind, entry)
            for src in entry["sources"]:
                assert set(src) == {"plan", "section", "evidence"}
    chip = next(n for n in doc["industries"] if n["id"] == "ic-design")
    assert chip["path_zh"] == "集成电路 > 芯片设计" and chip["name_en"] == "Chip design"


def test_export_to_a_file(run_taxonomy_cli, mini_paths, tmp_path):
    out = tmp_path / "taxonomy.json"
    result = run_taxonomy_cli("--data", mini_paths[0], "export", "-o", out)
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["counts"]["policies"] == 2
    assert doc["policies"][1]["sources"][0]["evidence"] == "建设生物医药领域重点实验室"
    assert str(out) in result.stderr
