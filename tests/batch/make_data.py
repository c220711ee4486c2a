"""Write the lead lists under tests/data/batch/ that the batch tests read (deterministic).

    .venv/bin/python tests/batch/make_data.py

Each file is a real export-like list in one encoding, delimiter and header language, so the
tests read the same bytes a user would upload. Every company is invented (示例 = example); the
credit codes have correct GB 32100-2015 check characters unless a row tests a wrong one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "batch"
CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def code(body17: str) -> str:
    """A credit code with its check character."""
    total = sum(CHARS.index(c) * w for c, w in zip(body17, WEIGHTS, strict=True))
    return body17 + CHARS[(31 - total % 31) % 31]


ZH_HEADERS = ["企业名称", "统一社会信用代码", "经营范围", "注册资本", "所属行业", "企业地址", "联系电话"]
EN_HEADERS = ["Company Name", "USCC", "Business Scope", "Registered Capital", "Industry",
              "Address", "Phone"]
ROWS = [
    ["上海示例芯微电子有限公司", code("91310115MA1QBWWE8"),
     "一般项目：集成电路设计；集成电路芯片设计及服务；电子产品销售；软件开发。", "5000万元人民币",
     "软件和信息技术服务业", "上海市浦东新区张江路1000弄示例大厦5层", "02165326411"],
    ["示例生物医药科技（上海）有限公司", code("91310115MA1QX0YH8"),
     "医学研究和试验发展；细胞技术研发和应用；药品生产", "1.2亿", "医药制造业",
     "上海市浦东新区示例路368号", "02150801234"],
    ["上海示例医疗器械有限公司", "91310112MA11Y2AW6",  # 17 characters: a validation problem
     "第二类医疗器械销售；第三类医疗器械生产；医疗设备租赁", "不详", "专用设备制造业",
     "上海市闵行区莘庄工业区示例路215号", "13800138000"],
    ["上海示例数据科技有限公司", code("91310106MA1K52HY6"), "", "1000万元", "软件和信息技术服务业",
     "上海市静安区示例路1号", "02100000000"],
    ["上海示例动力电池有限公司", code("91310114MA1N51915"),
     "电池制造；电池零配件生产；新能源汽车电附件销售；储能技术服务", "50000万元人民币",
     "电气机械和器材制造业", "上海市嘉定区示例路88号", "02169990000"],
]


def rows_for(encoding: str) -> list[list[str]]:
    rows = [list(r) for r in ROWS]
    if encoding == "gb18030":  # 𠮷 (U+20BB7) is outside GBK: only GB18030 can hold it
        rows[0][0] = "上海𠮷祥示例芯微电子有限公司"
    return rows


CSV_FILES = [  # (file name, encoding written, delimiter, headers)
    ("utf8_comma_zh.csv", "utf-8", ",", ZH_HEADERS),
    ("utf8bom_comma_en.csv", "utf-8-sig", ",", EN_HEADERS),
    ("utf8_tab_en.csv", "utf-8", "\t", EN_HEADERS),
    ("gbk_comma_zh.csv", "gbk", ",", ZH_HEADERS),
    ("gbk_tab_zh.csv", "gbk", "\t", ZH_HEADERS),
    ("gb18030_semicolon_zh.csv", "gb18030", ";", ZH_HEADERS),
]


def write_csv(name: str, encoding: str, delimiter: str, headers: list[str], rows) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    (OUT / name).write_bytes(buf.getvalue().encode(encoding))


def write_xlsx() -> None:
    """Credit codes and phones as text (the way to keep them intact), one code stored as a
    number (rounded by Excel: the check must flag it), and a formula-looking name."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "企业名单"
    ws.append(ZH_HEADERS)
    all_digits = next(c for c in (code(f"9131011500000{i:04d}") for i in range(100))
                      if c.isdigit())
    ws.append(["上海示例纯数字代码有限公司", all_digits, "集成电路设计；芯片封装测试", "3000万元",
               "计算机、通信和其他电子设备制造业", "上海市浦东新区示例路2号", "02158880001"])
    ws.cell(row=2, column=2).number_format = "@"
    ws.cell(row=2, column=7).number_format = "@"
    ws.append(["上海示例数值代码有限公司", 913101150000000000, "工业机器人制造；智能机器人销售",
               "2000万元", "通用设备制造业", "上海市闵行区示例路3号", "02158880002"])
    ws.append(['=HYPERLINK("http://example.invalid","点我")', code("91310104MA17ACFN6"),
               "=1+1 软件开发；信息系统集成服务", "100万元", "软件和信息技术服务业",
               "@上海市徐汇区示例路4号", "+8602158880003"])
    ws.append(["-示例减号开头有限公司", code("91310110MA1MRM946"), "生物医药研发；抗体药物",
               "500万元", "医药制造业", "上海市杨浦区示例路5号", "02158880004"])
    stamp = dt.datetime(2025, 6, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.save(OUT / "credit_codes.xlsx")


def write_injection_csv() -> None:
    rows = [
        ["=CMD|' /C calc'!A0", code("91310115MA1XJ0001"), "集成电路设计；芯片设计", "100万元"],
        ["+SUM(1,2)", code("91310115MA1XJ0002"), "@SUM(A1) 医疗器械生产", "200万元"],
        ["-2+3", code("91310115MA1XJ0003"), "生物医药研发", "300万元"],
        ["@示例公司", code("91310115MA1XJ0004"), "", "400万元"],
        ["\t示例制表符公司", code("91310115MA1XJ0005"), "新能源汽车动力电池", "500万元"],
    ]
    write_csv("injection.csv", "utf-8", ",", ["企业名称", "统一社会信用代码", "经营范围", "注册资本"],
              rows)


DEDUP_EXISTING = {  # leads the dedup test puts in the pipeline first
    "code": ("上海示例已有线索有限公司", code("91310115MA1DUP001")),
    "fuzzy": ("上海示例智能装备有限公司", code("91310117MA1DUP002")),
}


def write_dedup_csv() -> None:
    rows = [
        # 1: same credit code as an existing lead (name differs): never imported
        ["示例更名后公司", DEDUP_EXISTING["code"][1], "集成电路设计；芯片设计及服务", "1000万元"],
        # 2: similar name to an existing lead, another code: shown for confirmation
        ["上海示例智能装备股份有限公司", code("91310117MA1DUP003"), "工业机器人制造；智能装备", "2000万元"],
        # 3: a new company
        ["上海示例生物医药科技有限公司", code("91310115MA1DUP004"), "生物医药研发；抗体药物", "3000万元"],
        # 4: same code as row 3 (a duplicate within the list)
        ["上海示例生物医药科技有限公司", code("91310115MA1DUP004"), "生物医药研发；抗体药物", "3000万元"],
        # 5: near-duplicate name of row 3 with another code (within the list, fuzzy)
        ["示例生物医药科技（上海）有限公司", code("91310115MA1DUP005"), "生物医药；细胞治疗", "500万元"],
        # 6: a new company without a credit code
        ["上海示例动力电池有限公司", "", "动力电池研发与生产；储能系统", "8000万元"],
    ]
    write_csv("dedup.csv", "utf-8", ",", ["企业名称", "统一社会信用代码", "经营范围", "注册资本"], rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, encoding, delimiter, headers in CSV_FILES:
        write_csv(name, encoding, delimiter, headers, rows_for(encoding))
    write_xlsx()
    write_injection_csv()
    write_dedup_csv()
    print(f"wrote {len(CSV_FILES) + 3} files to {OUT}")


if __name__ == "__main__":
    main()
