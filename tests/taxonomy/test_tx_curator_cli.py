"""The whole curator path on the command line, on a real plan: withdraw it from a copy of the
taxonomy, import its text again, review and accept proposals, apply, see the diff, and match a
profile whose result cites the imported plan."""

from __future__ import annotations

import json
import subprocess
import sys

from matcher.model_store import DEFAULT_MODEL_DIR
from taxonomy import load_taxonomy
from tests.taxonomy.conftest import ROOT

PLAN = "lingang-power-city"


def test_import_review_apply_diff_and_match_on_the_command_line(run_taxonomy_cli, real_copy,
                                                                shared_plans):
    original = load_taxonomy(real_copy).plan_by_id[PLAN]
    out = run_taxonomy_cli("withdraw-plan", "--data", real_copy, PLAN)
    assert out.returncode == 0, out.stderr
    assert PLAN not in load_taxonomy(real_copy).plan_by_id
    before = load_taxonomy(real_copy).version

    out = run_taxonomy_cli("import-plan", shared_plans / original.file, "--data", real_copy,
                           "--id", PLAN, "--title", original.title_zh, "--title-en",
                           original.title_en, "--horizon", "2025", "--status", "draft",
                           "--who", "curator")
    assert out.returncode == 0, out.stderr
    assert f"imported {PLAN}: 40 sections" in out.stdout and "relation" in out.stdout
    assert (real_copy / "plans" / original.file).read_bytes() == (
        shared_plans / original.file).read_bytes()
    imported = load_taxonomy(real_copy).version

    listing = run_taxonomy_cli("review", "--data", real_copy, PLAN, "--kind", "relation")
    assert listing.returncode == 0 and listing.stdout.count("[pending] relation") > 10
    rows = json.loads(run_taxonomy_cli("review", "--data", real_copy, PLAN, "--json").stdout)
    # relations only: the industry tree stays the withdrawn copy's, whose model the web
    # curator tests share (applying an industry_source is tested in test_tx_import)
    plain = [p["id"] for p in rows if p["kind"] == "relation"
             and not any(str(v).startswith("@") for v in p["entry"].values())]
    out = run_taxonomy_cli("accept", "--data", real_copy, PLAN, *plain)
    assert out.returncode == 0 and f"{len(plain)} proposal(s) accepted" in out.stdout
    out = run_taxonomy_cli("reject", "--data", real_copy, PLAN, "--all")
    assert out.returncode == 0, out.stderr
    out = run_taxonomy_cli("apply", "--data", real_copy, PLAN, "--who", "curator",
                           "--note", "re-imported the Lingang plan")
    assert out.returncode == 0, out.stderr
    applied = load_taxonomy(real_copy)
    assert f"applied {len(plain)} proposal(s); taxonomy version {applied.version}" in out.stdout
    assert any(s.plan == PLAN for r in applied.relations for s in r.sources)

    history = run_taxonomy_cli("versions", "--data", real_copy).stdout.splitlines()
    assert [line.split()[0] for line in history][-3:] == [before, imported, applied.version]
    assert "re-imported the Lingang plan" in history[-1] and "by curator" in history[-1]
    shown = run_taxonomy_cli("diff", "--data", real_copy, before, applied.version)
    assert shown.returncode == 0, shown.stderr
    assert f"+ {PLAN}" in shown.stdout and f"cites {PLAN} " in shown.stdout
    assert "relations: " in shown.stdout and "marine-ship-power -> district:310115" in shown.stdout
    check = run_taxonomy_cli("check", "--data", real_copy)
    assert check.returncode == 0, check.stderr

    match = subprocess.run(  # the model is keyed by the industry tree: loaded, not refitted
        [sys.executable, "-m", "matcher", "--taxonomy", str(real_copy), "--model-dir",
         str(DEFAULT_MODEL_DIR), "match", "船用氨燃料发动机研发制造", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert match.returncode == 0, match.stderr
    record = json.loads(match.stdout)
    assert record["taxonomy_version"] == applied.version
    cited = [s for d in record["districts"] for s in d["sources"] if s["plan"] == PLAN]
    assert cited, record["districts"]
    text = (real_copy / "plans" / original.file).read_text(encoding="utf-8")
    assert all(s["evidence"] in text for s in cited)
