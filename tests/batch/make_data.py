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
import random
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


# ---- 企查查 / 天眼查-style exports: a title line above the header, 17 columns ----------------

QCC_TITLE = "企查查-企业数据导出,导出时间 2026-11-30"
QCC_HEADERS = ["企业名称", "登记状态", "法定代表人", "注册资本", "成立日期", "统一社会信用代码",
               "企业类型", "所属行业", "参保人数", "电话", "邮箱", "企业地址", "经营范围", "官网",
               "纳税人识别号", "英文名", "曾用名"]
# The registry's company types as the exports print them (full-width brackets), with how often
# they occur in a Shanghai list, and what they say: (origin, traits).
COMPANY_TYPES = [
    ("有限责任公司（自然人投资或控股）", 40, "domestic", ()),
    ("有限责任公司（自然人独资）", 8, "domestic", ()),
    ("有限责任公司（非自然人投资或控股的法人独资）", 8, "domestic", ()),
    ("有限责任公司（外国法人独资）", 8, "foreign", ()),
    ("有限责任公司（台港澳法人独资）", 5, "hk_mo_tw", ()),
    ("有限责任公司（中外合资）", 3, "foreign", ()),
    ("有限责任公司（台港澳与境内合资）", 2, "hk_mo_tw", ()),
    ("股份有限公司（非上市、自然人投资或控股）", 5, "domestic", ()),
    ("股份有限公司（上市、国有控股）", 2, "domestic", ("state_owned", "listed")),
    ("股份有限公司（上市、自然人投资或控股）", 2, "domestic", ("listed",)),
    ("有限责任公司（国有独资）", 2, "domestic", ("state_owned",)),
    ("有限责任公司（国有控股）", 2, "domestic", ("state_owned",)),
    ("其他有限责任公司", 3, "domestic", ()),
    ("有限责任公司分公司（自然人投资或控股）", 2, "domestic", ()),
    ("外商投资企业分公司", 1, "foreign", ()),
    ("有限合伙企业", 1, "domestic", ()),
    ("个人独资企业", 1, "domestic", ()),
    ("全民所有制", 1, "domestic", ("state_owned",)),
    ("外商投资企业", 1, "foreign", ()),
    ("中外合资", 1, "foreign", ()),
]
QCC_INDUSTRIES = [  # (所属行业, what the business scope lists, name stem, English stem)
    ("软件和信息技术服务业", ["集成电路设计", "集成电路芯片设计及服务", "软件开发", "电子产品销售"],
     "芯微电子", "Microelectronics"),
    ("医药制造业", ["医学研究和试验发展", "细胞技术研发和应用", "药品生产", "药物临床试验服务"],
     "生物医药", "Biopharma"),
    ("通用设备制造业", ["工业机器人制造", "智能机器人销售", "伺服控制机构制造", "机械电气设备制造"],
     "机器人", "Robotics"),
    ("电气机械和器材制造业", ["电池制造", "电池零配件生产", "储能技术服务", "新能源汽车电附件销售"],
     "动力电池", "Battery"),
    ("专用设备制造业", ["第二类医疗器械销售", "第三类医疗器械生产", "医疗设备租赁"], "医疗器械",
     "Medical"),
    ("化学纤维制造业", ["高性能纤维及复合材料制造", "石墨及碳素制品制造", "新材料技术研发"],
     "新材料", "Materials"),
    ("互联网和相关服务", ["人工智能应用软件开发", "数据处理服务", "人工智能基础软件开发"], "智能",
     "AI"),
]
BRANDS_A = "华启云东瑞博恒嘉天汇明信远通达盛宏泰安和"
BRANDS_B = "芯帆岳川晟联科创德光辰越诚瀚峰源澜昊睿弘"
SURNAMES = "陈王李张刘杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["立新", "建国", "海燕", "晓明", "丽", "芳", "昊", "强", "志刚", "明辉", "卫东", "静"]
DISTRICTS = [("浦东新区", "310115"), ("闵行区", "310112"), ("嘉定区", "310114"),
             ("松江区", "310117"), ("徐汇区", "310104"), ("杨浦区", "310110")]


def qcc_rows(n: int, seed: int = 20261130, first: int = 0) -> list[list[str]]:
    """`n` invented companies as a 企查查 export lists them, '-' where it has no value; `first`
    starts the numbering elsewhere, for other companies (names and credit codes)."""
    rng = random.Random(seed)
    types = [t for t, weight, _o, _t in COMPANY_TYPES for _ in range(weight)]
    rows = []
    for i in range(first, first + n):
        industry, items, stem, stem_en = QCC_INDUSTRIES[i % len(QCC_INDUSTRIES)]
        brand = BRANDS_A[i % 20] + BRANDS_B[(i // 20) % 20]  # unique names for n < 2,800
        district, dcode = DISTRICTS[(i // len(QCC_INDUSTRIES)) % len(DISTRICTS)]
        kind = types[rng.randrange(len(types))] if i >= len(COMPANY_TYPES) else \
            COMPANY_TYPES[i][0]  # every type at least once
        capital = rng.choice(["{}万元人民币", "{}万元人民币", "{}万美元", "-"]).format(
            rng.choice([100, 500, 1000, 3000, 5000, 12000]))
        staff = rng.choice(["{}", "{}", "-"]).format(rng.randrange(3, 900))
        body = f"91{dcode}MA1" + "".join(CHARS[(i // 31 ** k) % 31] for k in range(5)) + "X"
        uscc = code(body[:17])
        rep = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
        rows.append([
            f"上海示例{brand}{stem}有限公司", "存续（在营、开业、在册）", rep, capital,
            f"{rng.randrange(2005, 2025)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            uscc, kind, industry, staff,
            rng.choice(["021-", "021-"]) + f"{rng.randrange(5, 7)}{rng.randrange(10**6, 10**7)}"
            if i % 5 else f"13{rng.randrange(10**8, 10**9)}",
            f"contact{i:04d}@example.com" if i % 4 else "-",
            f"上海市{district}示例路{rng.randrange(1, 2000)}号",
            "一般项目：" + "；".join(items) + "。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
            "-", uscc, f"Shanghai Example {stem_en} {i:04d} Co., Ltd.", "-"])
    return rows


def qcc_csv(rows, encoding: str, *, title: str | None = QCC_TITLE, blank_first: bool = False,
            delimiter: str = ",") -> bytes:
    """The bytes of an export: an optional blank line and title line above the header."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    if blank_first:
        buf.write("\r\n")
    if title is not None:
        buf.write(title + "\r\n")
    writer.writerow(QCC_HEADERS)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def qcc_xlsx(rows, path: Path, *, title: str = QCC_TITLE) -> None:
    """An XLSX export: the title in A1, a blank row 2, the header in row 3."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "企业数据"
    ws.append([title])
    ws.append([])
    ws.append(QCC_HEADERS)
    for row in rows:
        ws.append(row)
    stamp = dt.datetime(2026, 11, 30)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.save(path)


QCC_FILES = [  # (file name, encoding, blank line first)
    ("qcc_title_gbk.csv", "gbk", False),
    ("qcc_title_utf8bom.csv", "utf-8-sig", False),
    ("qcc_blank_title_utf8.csv", "utf-8", True),
    ("qcc_title_gb18030.csv", "gb18030", False),
]
QCC_ROWS = 24


def write_qcc_files() -> None:
    rows = qcc_rows(QCC_ROWS)
    for name, encoding, blank in QCC_FILES:
        these = [list(r) for r in rows]
        if encoding == "gb18030":  # 𠮷 is outside GBK: only GB18030 can hold it
            these[0][0] = these[0][0].replace("示例", "示例𠮷")
        (OUT / name).write_bytes(qcc_csv(these, encoding, blank_first=blank))
    qcc_xlsx(rows, OUT / "qcc_title.xlsx")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, encoding, delimiter, headers in CSV_FILES:
        write_csv(name, encoding, delimiter, headers, rows_for(encoding))
    write_xlsx()
    write_injection_csv()
    write_dedup_csv()
    write_qcc_files()
    print(f"wrote {len(CSV_FILES) + 4 + len(QCC_FILES)} files to {OUT}")


if __name__ == "__main__":
    main()
