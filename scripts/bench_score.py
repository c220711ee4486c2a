"""Benchmark: score an N-row lead list end to end and against its I/O limit; print the figures.

    .venv/bin/python scripts/bench_score.py                     # 100,000 GBK rows; CSV, JSONL, XLSX
    .venv/bin/python scripts/bench_score.py --rows 20000 --formats csv --repeat 3
    .venv/bin/python scripts/bench_score.py --engine dask --formats jsonl

The list looks like a company-data-site export (Chinese headers, 经营范围 strings, 企业类型,
phone) mixed with free-text Chinese, English and terse descriptions, built from a fixed
vocabulary with random.Random(seed), so a run is reproducible. Generating the file is not timed.

For each output format two runs go through the same pipeline (matcher.batch.score_file: read,
chunk, worker processes writing their own chunk files, assembly):
  - the I/O limit: scoring replaced by replaying 500 records scored beforehand (the same records
    the full run writes, so the same output size): reading + writing the file, no scoring;
  - the full run: read, score, write.
Their ratio (full time / limit time) compares within one run and is the least noisy figure on a
shared machine; rows/s and rows per CPU-second (user + system time of all processes) follow.
Each run is a fresh child process, so its peak memory (ru_maxrss of the run's main process and
of its largest worker) is its own. The default (list) record size is the mean and largest line of
the JSONL output. Targets (issue 11): >= 5,000 rows/s end to end to CSV and JSONL on 2 cores,
XLSX within 1.5x of its limit, < 500 MB per process, list record <= 3 KB.

This is a benchmark script, not a test: it prints numbers and exits 0 unless a run fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEADERS = ["企业名称", "统一社会信用代码", "经营范围", "注册资本", "用地需求", "员工人数", "企业地址"]

# --- vocabulary -----------------------------------------------------------------------------
# (Chinese product words, 经营范围 items, English product words) per sector.
SECTORS: list[tuple[list[str], list[str], list[str]]] = [
    (["集成电路设计", "功率半导体", "晶圆代工", "芯片封装测试", "模拟芯片", "车规级MCU", "光刻胶"],
     ["集成电路设计", "集成电路芯片及产品制造", "半导体分立器件制造", "电子专用材料研发"],
     ["chip design", "power semiconductors", "wafer foundry", "IC packaging and testing",
      "analog ICs", "photoresist"]),
    (["抗体药物", "细胞治疗", "基因治疗", "mRNA疫苗", "创新药研发", "CDMO服务", "生物试剂"],
     ["医学研究和试验发展", "细胞技术研发和应用", "生物化工产品技术研发", "药品生产"],
     ["antibody drugs", "cell therapy", "gene therapy", "mRNA vaccines", "biologics CDMO",
      "drug discovery"]),
    (["高端医学影像设备", "手术机器人", "体外诊断试剂", "心血管介入器械", "康复器械"],
     ["第二类医疗器械销售", "第三类医疗器械生产", "医疗设备租赁"],
     ["medical imaging systems", "surgical robots", "in-vitro diagnostics",
      "cardiovascular stents"]),
    (["人工智能大模型", "计算机视觉", "智能语音", "自动驾驶算法", "智能算力中心", "AI芯片"],
     ["人工智能应用软件开发", "人工智能基础软件开发", "数据处理服务", "软件开发"],
     ["large language models", "computer vision", "autonomous driving software",
      "AI computing cluster", "machine learning platform"]),
    (["动力电池", "储能电池", "固态电池", "电池管理系统", "新能源汽车电驱", "充电桩"],
     ["电池制造", "电池零配件生产", "新能源汽车电附件销售", "储能技术服务"],
     ["EV battery cells", "battery packs", "energy storage systems", "electric drivetrains",
      "charging stations"]),
    (["氢燃料电池", "电解槽", "加氢站设备", "光伏组件", "海上风电装备"],
     ["新兴能源技术研发", "风力发电技术服务", "太阳能发电技术服务", "合同能源管理"],
     ["hydrogen fuel cells", "electrolysers", "offshore wind turbines", "solar modules"]),
    (["商业卫星", "运载火箭", "航空发动机零部件", "无人机", "大飞机配套", "卫星导航终端"],
     ["卫星技术综合应用系统集成", "航天设备制造", "航空运输设备销售", "智能无人飞行器制造"],
     ["small satellites", "launch vehicles", "aero-engine parts", "drones", "avionics"]),
    (["LNG运输船", "邮轮内装", "海洋工程装备", "船用发动机", "深海探测装备"],
     ["船舶制造", "船舶修理", "海洋工程装备制造", "海洋工程装备研发"],
     ["LNG carriers", "cruise ship interiors", "offshore engineering equipment",
      "marine engines"]),
    (["功能性护肤品", "彩妆", "化妆品原料", "香精香料", "个人护理用品"],
     ["化妆品批发", "化妆品零售", "日用化学产品制造", "个人卫生用品销售"],
     ["skincare", "cosmetics", "cosmetic ingredients", "fragrances", "personal care products"]),
    (["碳纤维复合材料", "高性能膜材料", "特种工程塑料", "高温合金", "电子化学品", "石墨烯"],
     ["高性能纤维及复合材料制造", "新型膜材料制造", "工程塑料及合成树脂制造", "新材料技术研发"],
     ["carbon fibre composites", "membrane materials", "engineering plastics",
      "superalloys", "specialty chemicals"]),
    (["工业软件", "CAE仿真", "MES系统", "工业互联网平台", "PLC控制器", "数字孪生"],
     ["工业互联网数据服务", "软件开发", "信息系统集成服务", "工业控制计算机及系统制造"],
     ["industrial software", "CAE simulation", "manufacturing execution systems",
      "industrial IoT platform", "digital twins"]),
    (["工业机器人", "协作机器人", "伺服电机", "精密减速器", "数控机床", "激光加工设备"],
     ["工业机器人制造", "智能机器人销售", "伺服控制机构制造", "数控机床制造"],
     ["industrial robots", "collaborative robots", "servo motors", "precision reducers",
      "CNC machine tools"]),
    (["第三方物流", "跨境电商", "冷链仓储", "供应链金融", "国际货运代理"],
     ["供应链管理服务", "国际货物运输代理", "普通货物仓储服务（不含危险化学品等需许可审批的项目）",
      "装卸搬运"],
     ["third-party logistics", "cross-border e-commerce", "cold-chain warehousing",
      "freight forwarding"]),
    (["检验检测", "工业设计", "知识产权服务", "融资租赁", "管理咨询"],
     ["检验检测服务", "工业设计服务", "知识产权服务", "企业管理咨询"],
     ["testing and certification", "industrial design", "IP services", "equipment leasing"]),
]
COMMON_SCOPE = ["技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", "货物进出口",
                "技术进出口", "销售代理", "机械设备销售", "电子产品销售", "信息咨询服务（不含许可类信息咨询服务）"]
ZH_TEMPLATES = [
    "公司主要从事{a}和{b}的研发与生产，拟新建{c}项目，产品面向国内外客户。",
    "{a}企业，计划投资建设{b}生产基地及研发中心，兼顾{c}业务。",
    "拟设立区域总部，开展{a}、{b}相关的研发、销售和技术服务。",
    "专注{a}，核心产品包括{b}与{c}，寻求落地厂房和人才支持。",
]
EN_TEMPLATES = [
    "We develop and manufacture {a} and {b}; planning a new plant and R&D centre in Shanghai.",
    "Foreign-invested maker of {a}, looking for a site for {b} production and an Asia HQ.",
    "Start-up working on {a} with applications in {b}; needs office and lab space.",
    "Global supplier of {a} and {b} seeking a regional headquarters and application lab.",
]
TERSE = ["{a}", "{a}、{b}", "{a} {b}", "{a}/{b}"]
DISTRICTS = [("310115", "浦东新区", "张江路"), ("310112", "闵行区", "剑川路"), ("310114", "嘉定区", "墨玉路"),
             ("310117", "松江区", "新飞路"), ("310120", "奉贤区", "金海公路"), ("310116", "金山区", "卫清路"),
             ("310113", "宝山区", "友谊路"), ("310118", "青浦区", "华新路"), ("310104", "徐汇区", "云锦路"),
             ("310110", "杨浦区", "国定路"), ("310151", "崇明区", "长兴江南大道"), ("310106", "静安区", "江场路"),
             ("310107", "普陀区", "真北路"), ("310105", "长宁区", "临空路"), ("310101", "黄浦区", "中山东二路"),
             ("310109", "虹口区", "东大名路")]
NAME_STEMS = "华瑞恒泰博远晟景鼎诚汇中科宏创新越凯盛睿达嘉铭智联启航天"
NAME_MIDDLES = ["微电子", "生物", "医疗", "智能", "新能源", "能源", "航天", "海工", "美妆", "新材料",
                "软件", "智造", "供应链", "咨询"]  # one per SECTORS entry, same order
NAME_TAILS = ["科技有限公司", "技术有限公司", "科技（集团）有限公司", "股份有限公司", "实业有限公司"]
SCOPE_TAIL = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"


def make_row(rng: random.Random) -> list[str]:
    sector = rng.randrange(len(SECTORS))
    zh, scope_items, en = SECTORS[sector]
    dcode, district, road = DISTRICTS[rng.randrange(len(DISTRICTS))]
    kind = rng.random()
    if kind < 0.45:      # a 经营范围 string as exported by company-data sites
        items = rng.sample(scope_items, k=min(len(scope_items), rng.randint(2, 4)))
        items += rng.sample(COMMON_SCOPE, k=rng.randint(1, 3))
        text = "一般项目：" + "；".join(items) + "。" + SCOPE_TAIL
    elif kind < 0.75:    # free Chinese
        a, b, c = (rng.choice(zh) for _ in range(3))
        text = rng.choice(ZH_TEMPLATES).format(a=a, b=b, c=c)
    elif kind < 0.92:    # English
        a, b = rng.sample(en, 2)
        text = rng.choice(EN_TEMPLATES).format(a=a, b=b)
    else:                # terse
        a, b = rng.choice(zh), rng.choice(zh + en)
        text = rng.choice(TERSE).format(a=a, b=b)
    name = "上海" + "".join(rng.sample(NAME_STEMS, 2)) + "示例" + NAME_MIDDLES[sector] + rng.choice(NAME_TAILS)
    code = f"91{dcode}MA1{rng.randrange(10**7):07d}"  # 18 chars, invented (no check digit)
    capital = rng.choice([f"{rng.randint(1, 500) * 100}万元人民币", f"{rng.randint(1, 50) / 10:.1f}亿元",
                          f"USD {rng.randint(1, 90)} million", "不详", ""])
    land = rng.choice([f"{rng.randint(5, 300)}亩", f"{rng.randint(1, 20)}公顷",
                       f"{rng.randint(2, 80) * 1000:,} sqm", "", ""])
    employees = rng.choice([str(rng.randint(10, 3000)), f"{rng.randint(10, 2000)}人", ""])
    address = f"上海市{district}{road}{rng.randint(1, 3000)}号"
    return [name, code, text, capital, land, employees, address]


ORIGINS = ["有限责任公司(自然人投资或控股)", "有限责任公司(自然人投资或控股)", "有限责任公司(自然人独资)",
           "股份有限公司(非上市、自然人投资或控股)", "有限责任公司(外国法人独资)", "有限责任公司(台港澳法人独资)",
           "有限责任公司(国有独资)", "有限责任公司(中外合资)", ""]


def make_row_full(rng: random.Random) -> list[str]:
    """One row: make_row's columns plus 企业类型 and 联系电话."""
    row = make_row(rng)
    return [*row, rng.choice(ORIGINS), f"021-{rng.randint(50000000, 69999999)}"]


HEADERS_FULL = [*HEADERS, "企业类型", "联系电话"]


def write_list(path: Path, rows: int, seed: int, encoding: str) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding=encoding, errors="strict", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS_FULL)
        for _ in range(rows):
            writer.writerow(make_row_full(rng))


def _replay_renderer(samples: list[tuple[dict, dict]]):
    """A renderer that writes, for every row, one of `samples` (list record, flat row) scored
    beforehand, with the row's own number, name and columns: the pipeline without scoring."""
    import orjson

    from matcher.batch import ChunkRenderer, _own_columns
    from matcher.io.writer import csv_lines, input_column

    class Replay(ChunkRenderer):
        def __init__(self, matcher, spec, fast=None):
            self.spec, self.catalogue = spec, None

        def chunk(self, chunk):
            records, flats = [], []
            for n, raw in chunk:
                record, flat = samples[n % len(samples)]
                own = _own_columns(raw, self.spec.description_header) if isinstance(raw, dict) \
                    else {}
                ident = {"row": n, "name": raw.get("name", "") if isinstance(raw, dict) else ""}
                if self.spec.fmt == "jsonl":
                    records.append(orjson.dumps({**record, **ident, "input": own}))
                else:
                    flats.append({**flat, **ident, "credit_code": raw.get("credit_code", ""),
                                  **{input_column(k): v for k, v in own.items()}})
            if self.spec.fmt == "jsonl":
                data = b"\n".join(records) + b"\n"
            elif self.spec.fmt == "csv":
                data = csv_lines(flats, self.spec.columns).encode("utf-8")
            else:
                data = b"".join(orjson.dumps(f) + b"\n" for f in flats)
            return data, {"rows": len(chunk), "errors": [], "catalogue": {}}

    return Replay


def _samples(src: Path, n: int = 500) -> list[tuple[dict, dict]]:
    """(list record, flat row) of the first n rows, scored with the real engine (not timed)."""
    from matcher import get_matcher
    from matcher.batch import ChunkRenderer, run_spec
    from matcher.io import open_leads
    from matcher.io.writer import flatten_record

    lead = open_leads(src)
    lead.keep_input = True
    renderer = ChunkRenderer(get_matcher(), run_spec(lead, "x.jsonl"))
    chunk = next(lead.chunks(n))
    out = []
    for record, extra in renderer.score(chunk):
        small = renderer.catalogue.compact(record)
        out.append(({k: v for k, v in small.items() if k not in ("row", "name")},
                    flatten_record(record, extra)))
    return out


def one_run(src: Path, out: Path, mode: str, engine: str, workers: int) -> dict:
    """One measured run in this (fresh) process; its figures as a dict."""
    from matcher import get_matcher

    matcher = get_matcher()  # loaded before the clock starts, as a running service has it
    kwargs = {}
    if mode == "limit":
        kwargs["renderer_class"] = _replay_renderer(_samples(src))
    cpu0 = _cpu()
    t0 = time.perf_counter()
    if engine == "dask" and mode == "full":
        from matcher.dask_engine import score_file_dask

        summary = score_file_dask(src, out, n_workers=workers)
    else:
        from matcher.batch import score_file

        summary = score_file(src, out, matcher=matcher, workers=workers, **kwargs)
    seconds = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    self_mb, child_mb = peak_mb()
    figures = {"rows": summary.rows, "errors": summary.errors, "seconds": seconds, "cpu": cpu,
               "bytes": out.stat().st_size, "self_mb": self_mb, "child_mb": child_mb}
    if out.suffix == ".jsonl":
        sizes = []
        with out.open("rb") as fh:
            for line in fh:
                if b'"error"' not in line[:200]:
                    sizes.append(len(line) - 1)
        figures["record_mean"] = sum(sizes) / max(1, len(sizes))
        figures["record_max"] = max(sizes, default=0)
        cat = out.with_name(out.stem + ".catalogue.json")
        figures["catalogue_bytes"] = cat.stat().st_size if cat.exists() else 0
    return figures


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peak_mb() -> tuple[float, float]:
    """ru_maxrss of this process and of its largest waited-for child, in MB (Linux: KiB)."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    self_ = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale
    return self_, children


def _child(src: Path, out: Path, mode: str, engine: str, workers: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(src), str(out), mode,
           engine, str(workers)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000, help="rows to generate (default 100000)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="scoring processes (default: os.cpu_count())")
    ap.add_argument("--encoding", choices=["gbk", "utf-8"], default="gbk",
                    help="encoding of the generated CSV (default gbk)")
    ap.add_argument("--formats", default="csv,jsonl,xlsx", help="outputs (default csv,jsonl,xlsx)")
    ap.add_argument("--engine", choices=["local", "dask"], default="local")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measurement (median)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--keep", action="store_true", help="keep the temp dir and print its path")
    ap.add_argument("--one", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        src, out, mode, engine, workers = args.one
        print(json.dumps(one_run(Path(src), Path(out), mode, engine, int(workers))))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="bench_score_"))
    try:
        src = tmp / f"leads_{args.encoding.replace('-', '')}.csv"
        t0 = time.perf_counter()
        write_list(src, args.rows, args.seed, args.encoding)
        print(f"generated  {args.rows:,} rows, {src.stat().st_size / 1e6:.1f} MB {args.encoding} CSV "
              f"in {time.perf_counter() - t0:.1f} s (not timed)")
        print(f"engine     {args.engine}, workers {args.workers}, cpus {os.cpu_count()}, "
              f"repeat {args.repeat}; load average {os.getloadavg()[0]:.1f} at start "
              "(a shared machine: compare the ratio)")
        print(f"{'output':7} {'limit r/s':>10} {'full r/s':>9} {'full/limit':>10} "
              f"{'r/cpu-s':>8} {'output MB':>9} {'peak MB main/worker':>20}")
        for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
            out = tmp / f"result.{fmt}"
            runs = []
            for _ in range(args.repeat):
                limit = _child(src, out, "limit", args.engine, args.workers)
                full = _child(src, out, "full", args.engine, args.workers)
                runs.append((full["seconds"] / limit["seconds"], limit, full))
            runs.sort(key=lambda r: r[0])
            ratio, limit, full = runs[len(runs) // 2]
            rows = full["rows"]
            print(f"{fmt:7} {rows / limit['seconds']:10,.0f} {rows / full['seconds']:9,.0f} "
                  f"{ratio:10.2f} {rows / full['cpu']:8,.0f} {full['bytes'] / 1e6:9.1f} "
                  f"{full['self_mb']:9,.0f} / {full['child_mb']:,.0f}")
            if args.repeat > 1:
                print(f"        ratios of the {args.repeat} runs: "
                      + ", ".join(f"{r[0]:.2f}" for r in sorted(runs, key=lambda r: r[0])))
            if "record_mean" in full:
                print(f"        list record {full['record_mean']:,.0f} bytes mean, "
                      f"{full['record_max']:,} max; catalogue {full['catalogue_bytes'] / 1e6:.1f} "
                      f"MB; {full['errors']} error records")
        if args.keep:
            print(f"files kept in {tmp}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
