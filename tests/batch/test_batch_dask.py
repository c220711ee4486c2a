"""The Dask engine scores the same way as the local one: byte-identical output files (list
records and their catalogue too). These run in `make test` and CI: `make setup` installs the
dask extra."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install -e '.[dask]')")

ROOT = Path(__file__).resolve().parents[2]
MINI_TAX = ROOT / "tests" / "data" / "mini" / "taxonomy"
TOPICS = ["集成电路设计；芯片封装测试", "生物医药研发；抗体药物生产", "医疗器械研发生产；体外诊断试剂",
          "We design processor chips and run an IC packaging line", ""]


def _write_list(path: Path, n: int) -> None:
    lines = ["企业名称,统一社会信用代码,经营范围,注册资本"]
    lines += [f"示例公司{i:04d},91310115MA1{i:07d},{TOPICS[i % len(TOPICS)]},{i % 50 + 1}00万元"
              for i in range(1, n + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="gbk")


def test_dask_on_a_cluster_address_matches_local(tmp_path, mini_model_dir):
    """In this process (same hash seed): a cluster given by its address, small chunks and a
    small in-flight window, against the local engine."""
    from distributed import LocalCluster

    from matcher.batch import score_file
    from matcher.dask_engine import score_file_dask

    src = tmp_path / "leads.csv"
    _write_list(src, 230)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster:
        for fmt in ("csv", "jsonl"):
            local, remote = tmp_path / f"local.{fmt}", tmp_path / f"dask.{fmt}"
            a = score_file(src, local, taxonomy_dir=MINI_TAX, model_dir=mini_model_dir,
                           chunk_size=40)
            b = score_file_dask(src, remote, scheduler=cluster.scheduler_address,
                                taxonomy_dir=MINI_TAX, model_dir=mini_model_dir, chunk_size=17,
                                max_in_flight=3, errors_path=tmp_path / f"errors.{fmt}")
            assert remote.read_bytes() == local.read_bytes(), fmt
            if fmt == "jsonl":  # list records, and the same catalogue beside them
                assert b'"detail":"list"' in remote.read_bytes()
                assert b.catalogue_path.read_bytes() == a.catalogue_path.read_bytes()
                assert b.catalogue_path.name == "dask.catalogue.json"
            assert (b.rows, b.errors, b.encoding, b.mapping) == (a.rows, a.errors, a.encoding,
                                                                  a.mapping)
    assert b.rows == 230 and b.errors == 46
    assert len((tmp_path / "errors.jsonl").read_text(encoding="utf-8").splitlines()) == 46


@pytest.mark.slow
def test_cli_dask_engine_on_a_local_cluster_is_byte_identical(tmp_path, mini_model_dir):
    """`python -m matcher score --engine dask` (a LocalCluster of worker processes) against
    `--engine local`. Dask starts its workers with PYTHONHASHSEED=6640; the local run gets the
    same seed, because the engine currently orders equally long evidence terms in set order
    (matcher/engine.py sorts a set by length only), which follows the string hash seed."""
    src = tmp_path / "leads.csv"
    _write_list(src, 400)
    env = {**os.environ, "PYTHONHASHSEED": "6640"}
    base = [sys.executable, "-m", "matcher", "--taxonomy", str(MINI_TAX), "--model-dir",
            str(mini_model_dir), "score", str(src), "-q", "--chunk-size", "50"]
    for fmt in ("csv", "jsonl"):
        outs = {}
        for engine in ("local", "dask"):
            outs[engine] = tmp_path / f"{engine}.{fmt}"
            done = subprocess.run([*base, "-o", str(outs[engine]), "--engine", engine,
                                   "--workers", "2"], cwd=ROOT, env=env, capture_output=True,
                                  text=True, timeout=300)
            assert done.returncode == 0, done.stderr
            assert "scored 400 rows" in done.stderr
        assert outs["dask"].read_bytes() == outs["local"].read_bytes(), fmt
