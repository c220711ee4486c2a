"""Benchmark: score an N-row lead list end to end (read, score, write) and print the figures.

    .venv/bin/python scripts/bench_score.py                       # 100,000 rows, GBK CSV -> CSV
    .venv/bin/python scripts/bench_score.py --rows 5000 --workers 1 --output-format xlsx
    .venv/bin/python scripts/bench_score.py --engine dask

The list looks like a company-data-site export (Chinese headers, 经营范围 strings) mixed with
free-text Chinese, English and terse descriptions, built from a fixed vocabulary with
random.Random(seed), so a run is reproducible. Generating the file is not timed; the timed part
is one call to matcher.batch.score_file (or matcher.dask_engine.score_file_dask), which reads,
scores and writes. The quality bar (DESIGN §7) is 2,000 rows/s end to end on 2 cores.

This is a benchmark script, not a test: it prints numbers and exits 0 unless the run fails.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import importlib.util
import inspect
import os
import random
import resource
import shutil
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


def write_list(path: Path, rows: int, seed: int, encoding: str) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding=encoding, errors="strict", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for _ in range(rows):
            writer.writerow(make_row(rng))


def peak_mb() -> tuple[float, float]:
    """ru_maxrss of this process and of its largest waited-for child, in MB (Linux: KiB)."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    self_ = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale
    return self_, children


def run_local(src: Path, out: Path, workers: int):
    from matcher.batch import score_file

    return score_file(src, out, workers=workers)


def run_dask(src: Path, out: Path, workers: int):
    if importlib.util.find_spec("matcher.dask_engine") is None:
        print("engine dask: module matcher.dask_engine does not exist in this checkout; "
              "nothing to run (use --engine local)")
        return None
    try:
        module = importlib.import_module("matcher.dask_engine")
    except ImportError as exc:
        print(f"engine dask: matcher.dask_engine could not be imported ({exc}); "
              "install the extra with: pip install -e '.[dask]'")
        return None
    fn = getattr(module, "score_file_dask", None)
    if fn is None:
        print("engine dask: matcher.dask_engine has no score_file_dask(); nothing to run")
        return None
    params = inspect.signature(fn).parameters
    kwargs = {}
    for name in ("workers", "n_workers"):
        if name in params:
            kwargs[name] = workers
            break
    return fn(src, out, **kwargs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000, help="rows to generate (default 100000)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="scoring processes (default: os.cpu_count())")
    ap.add_argument("--encoding", choices=["gbk", "utf-8"], default="gbk",
                    help="encoding of the generated CSV (default gbk)")
    ap.add_argument("--output-format", choices=["jsonl", "csv", "xlsx"], default="csv")
    ap.add_argument("--engine", choices=["local", "dask"], default="local")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--keep", action="store_true", help="keep the temp dir and print its path")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench_score_"))
    try:
        src = tmp / f"leads_{args.encoding.replace('-', '')}.csv"
        out = tmp / f"result.{args.output_format}"
        t0 = time.perf_counter()
        write_list(src, args.rows, args.seed, args.encoding)
        gen_s = time.perf_counter() - t0
        print(f"generated  {args.rows:,} rows, {src.stat().st_size / 1e6:.1f} MB {args.encoding} CSV "
              f"in {gen_s:.1f} s (not timed)")
        print(f"engine     {args.engine}, workers {args.workers}, output .{args.output_format}, "
              f"cpus {os.cpu_count()}")

        t0 = time.perf_counter()
        if args.engine == "dask":
            summary = run_dask(src, out, args.workers)
            if summary is None:
                return 0
        else:
            summary = run_local(src, out, args.workers)
        seconds = time.perf_counter() - t0

        rows = getattr(summary, "rows", None)
        errors = getattr(summary, "errors", None)
        if rows is None and isinstance(summary, dict):
            rows, errors = summary.get("rows"), summary.get("errors")
        rows = args.rows if rows is None else rows
        self_mb, child_mb = peak_mb()
        print(f"rows       {rows:,}" + (f" ({errors:,} error records)" if errors is not None else ""))
        if getattr(summary, "encoding", None):
            print(f"encoding   read as {summary.encoding}")
        print(f"seconds    {seconds:.2f} (read + score + write)")
        print(f"rows/s     {rows / seconds if seconds else 0:,.0f} end to end")
        print(f"output     {out.stat().st_size / 1e6:.1f} MB" if out.exists() else "output     (missing!)")
        print(f"peak RSS   self {self_mb:,.0f} MB, largest child {child_mb:,.0f} MB "
              "(ru_maxrss RUSAGE_SELF / RUSAGE_CHILDREN)")
        if args.keep:
            print(f"files kept in {tmp}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
