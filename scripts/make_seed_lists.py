"""Write the sample lead lists under seeds/: the same 30 rows as a company-data-site export.

    python scripts/make_seed_lists.py            # writes seeds/lead_list_utf8.csv,
                                                 # seeds/lead_list_gbk.csv, seeds/lead_list.xlsx

Deterministic: re-running reproduces byte-identical files (fixed random seed, fixed XLSX
timestamps). Every company is invented ("示例" = "example"); credit codes are well-formed
(GB 32100-2015 check digits) but made up, phone numbers are made up.

The rows include problems on purpose, for the importer and the result writer to handle:
- an empty 经营范围 (上海示例数据科技有限公司),
- 注册资本 "不详" (上海示例智能装备有限公司),
- a duplicate company: the same 统一社会信用代码 twice (上海示例芯微电子有限公司),
- a near-duplicate name with another credit code (上海示例生物医药科技有限公司 vs
  示例生物医药科技（上海）有限公司),
- a formula-injection probe: 企业名称 =HYPERLINK("http://x","点我") (stored as text, not as a
  formula, in the XLSX too).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = 20250601

HEADERS = ["企业名称", "统一社会信用代码", "法定代表人", "成立日期", "注册资本", "所属行业",
           "企业地址", "经营范围", "联系电话"]

GENERAL_TAIL = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
LICENSE_TAIL = ("（依法须经批准的项目，经相关部门批准后方可开展经营活动，"
                "具体经营项目以相关部门批准文件或许可证件为准）")
TECH = "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广"


def scope(general: list[str], licensed: list[str] | None = None) -> str:
    """A business-scope string in the form the market-regulation registry prints."""
    text = "一般项目：" + "；".join(general) + "。" + GENERAL_TAIL
    if licensed:
        text += "许可项目：" + "；".join(licensed) + "。" + LICENSE_TAIL
    return text


# name, district code, legal representative, founded, registered capital, industry, address, scope
COMPANIES: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("上海示例芯微电子有限公司", "310115", "陈立新", "2016-04-18", "5000万元人民币",
     "软件和信息技术服务业", "上海市浦东新区张江路1000弄示例大厦5层",
     scope(["集成电路设计", "集成电路芯片设计及服务", "集成电路芯片及产品销售", "电子产品销售",
            TECH, "软件开发"], ["货物进出口", "技术进出口"])),
    ("示例晶圆制造（上海）有限公司", "310115", "王建国", "2020-09-01", "300000万元人民币",
     "计算机、通信和其他电子设备制造业", "上海市浦东新区南汇新城镇示例路88号",
     scope(["集成电路制造", "半导体分立器件制造", "集成电路芯片及产品制造", "电子专用材料研发",
            TECH], ["货物进出口", "技术进出口", "危险化学品经营"])),
    ("上海示例半导体材料有限公司", "310114", "刘海燕", "2012-11-06", "8000万元人民币",
     "计算机、通信和其他电子设备制造业", "上海市嘉定区安亭镇示例路1288号3幢",
     scope(["电子专用材料制造", "电子专用材料销售", "电子专用材料研发", "半导体器件专用设备销售",
            "化工产品销售（不含许可类化工产品）"], ["危险化学品经营"])),
    ("上海示例生物医药科技有限公司", "310115", "赵晓明", "2015-07-22", "12000万元人民币",
     "医药制造业", "上海市浦东新区中国（上海）自由贸易试验区示例路368号2幢",
     scope([TECH, "医学研究和试验发展", "细胞技术研发和应用", "化工产品销售（不含许可类化工产品）"],
           ["药品生产", "药品委托生产", "药物临床试验服务", "货物进出口"])),
    ("上海示例医疗器械有限公司", "310112", "孙丽", "2010-03-15", "3000万元人民币",
     "专用设备制造业", "上海市闵行区莘庄工业区示例路215号",
     scope(["第一类医疗器械生产", "第二类医疗器械销售", "医疗设备租赁", TECH],
           ["第二类医疗器械生产", "第三类医疗器械生产", "第三类医疗器械经营"])),
    ("上海示例细胞科技有限公司", "310120", "周芳", "2018-05-30", "2000万元人民币",
     "研究和试验发展", "上海市奉贤区金海公路示例号6幢",
     scope(["人体干细胞技术开发和应用", "细胞技术研发和应用", "医学研究和试验发展", TECH],
           ["药品生产"])),
    ("上海示例智能科技有限公司", "310104", "吴昊", "2019-01-08", "1000万元人民币",
     "软件和信息技术服务业", "上海市徐汇区云锦路示例号20层",
     scope(["人工智能应用软件开发", "人工智能基础软件开发", "人工智能公共服务平台技术咨询服务",
            "智能机器人的研发", "数据处理服务", TECH],
           ["第二类增值电信业务"])),
    ("上海示例机器人有限公司", "310112", "郑强", "2014-08-19", "6000万元人民币",
     "通用设备制造业", "上海市闵行区紫星路示例号1幢",
     scope(["工业机器人制造", "工业机器人销售", "服务消费机器人制造", "智能机器人销售",
            "伺服控制机构制造", "机械电气设备制造", TECH], ["货物进出口"])),
    ("上海示例动力电池有限公司", "310114", "冯志刚", "2017-12-12", "50000万元人民币",
     "电气机械和器材制造业", "上海市嘉定区外冈镇示例路666号",
     scope(["电池制造", "电池销售", "电池零配件生产", "新能源汽车电附件销售", "储能技术服务",
            TECH])),
    ("上海示例新能源汽车科技有限公司", "310114", "褚明辉", "2016-02-26", "20000万元人民币",
     "汽车制造业", "上海市嘉定区安亭镇墨玉路示例号",
     scope(["汽车零部件研发", "汽车零部件及配件制造", "新能源汽车整车销售", "新能源汽车电附件销售",
            "汽车销售", TECH], ["道路机动车辆生产", "货物进出口"])),
    ("上海示例氢能科技有限公司", "310115", "卫东", "2021-06-09", "10000万元人民币",
     "电气机械和器材制造业", "上海市浦东新区临港新片区示例路55号",
     scope(["新兴能源技术研发", "电池零配件生产", "机动车修理和维护", "储能技术服务",
            "气体、液体分离及纯净设备制造", TECH], ["危险化学品经营"])),
    ("上海示例航天技术有限公司", "310112", "蒋卫星", "2017-10-10", "15000万元人民币",
     "铁路、船舶、航空航天和其他运输设备制造业", "上海市闵行区元江路示例号",
     scope(["卫星技术综合应用系统集成", "卫星通信服务", "航天设备制造", "雷达及配套设备制造",
            TECH], ["民用航天器发射"])),
    ("上海示例航空零部件有限公司", "310115", "沈飞", "2013-05-05", "9000万元人民币",
     "铁路、船舶、航空航天和其他运输设备制造业", "上海市浦东新区祝桥镇示例路1号",
     scope(["航空运输设备销售", "通用设备制造（不含特种设备制造）", "金属材料销售", TECH],
           ["民用航空器零部件设计和生产", "货物进出口"])),
    ("上海示例船舶工程有限公司", "310151", "韩海", "2008-09-18", "25000万元人民币",
     "铁路、船舶、航空航天和其他运输设备制造业", "上海市崇明区长兴镇示例路2号",
     scope(["船舶制造", "船舶修理", "海洋工程装备制造", "海洋工程装备研发", "船舶销售",
            "金属结构制造"], ["船舶设计", "特种设备安装改造修理"])),
    ("上海示例化妆品有限公司", "310120", "杨美", "2011-04-21", "5000万元人民币",
     "化学原料和化学制品制造业", "上海市奉贤区青村镇示例路99号",
     scope(["化妆品批发", "化妆品零售", "日用化学产品制造", "日用化学产品销售",
            "个人卫生用品销售", TECH], ["化妆品生产", "货物进出口"])),
    ("上海示例碳纤维复合材料有限公司", "310116", "朱磊", "2009-12-01", "18000万元人民币",
     "化学纤维制造业", "上海市金山区金山卫镇示例路18号",
     scope(["高性能纤维及复合材料制造", "高性能纤维及复合材料销售", "石墨及碳素制品制造",
            "新材料技术研发", TECH])),
    ("上海示例高分子新材料有限公司", "310113", "秦志远", "2015-03-03", "6000万元人民币",
     "橡胶和塑料制品业", "上海市宝山区罗店镇示例路777号",
     scope(["合成材料制造（不含危险化学品）", "工程塑料及合成树脂制造", "新型膜材料制造",
            "塑料制品制造", "新材料技术研发"])),
    ("上海示例工业软件有限公司", "310110", "尤佳", "2018-08-08", "3000万元人民币",
     "软件和信息技术服务业", "上海市杨浦区政学路示例号",
     scope(["工业互联网数据服务", "软件开发", "工业控制计算机及系统销售", "信息系统集成服务",
            "数字技术服务", TECH])),
    ("上海示例数据科技有限公司", "310106", "许静", "2020-11-11", "1000万元人民币",
     "互联网和相关服务", "上海市静安区市北高新园区示例路9号", ""),
    ("上海示例供应链管理有限公司", "310118", "何平", "2012-06-06", "5000万元人民币",
     "装卸搬运和仓储业", "上海市青浦区华新镇示例路3000号",
     scope(["供应链管理服务", "国内货物运输代理", "普通货物仓储服务（不含危险化学品等需许可审批的项目）",
            "装卸搬运", "国际货物运输代理"], ["道路货物运输（不含危险货物）"])),
    ("上海示例国际物流有限公司", "310105", "吕航", "2007-01-19", "2000万元人民币",
     "多式联运和运输代理业", "上海市长宁区临空经济示范区示例路1号",
     scope(["国际货物运输代理", "无船承运业务", "报关业务", "供应链管理服务", "航空国际货物运输代理"],
           ["公共航空运输"])),
    ("上海示例智能装备有限公司", "310117", "施建华", "2016-10-24", "不详",
     "专用设备制造业", "上海市松江区新桥镇示例路168号",
     scope(["智能基础制造装备制造", "工业自动控制系统装置制造", "工业机器人安装、维修",
            "专用设备制造（不含许可类专业设备制造）", TECH])),
    ("上海示例检测技术有限公司", "310107", "张弛", "2014-02-14", "2000万元人民币",
     "专业技术服务业", "上海市普陀区桃浦镇示例路8号",
     scope(["计量技术服务", "认证咨询", "标准化服务", TECH], ["检验检测服务", "认证服务"])),
    ("上海示例金融信息服务有限公司", "310101", "孔祥", "2013-09-09", "10000万元人民币",
     "商务服务业", "上海市黄浦区中山东一路示例号",
     scope(["信息咨询服务（不含许可类信息咨询服务）", "企业管理咨询", "融资咨询服务",
            "数据处理服务", "软件开发"])),
    ("上海示例传感器技术有限公司", "310114", "曹敏", "2019-07-07", "3500万元人民币",
     "仪器仪表制造业", "上海市嘉定区菊园新区示例路100号",
     scope(["智能仪器仪表制造", "敏感元件及传感器制造", "电子元器件制造", "汽车零部件研发", TECH])),
    ("上海示例光子科技有限公司", "310109", "严光", "2021-03-18", "1500万元人民币",
     "计算机、通信和其他电子设备制造业", "上海市虹口区东大名路示例号",
     scope(["光电子器件制造", "光学仪器制造", "集成电路芯片设计及服务", "量子计算技术服务", TECH])),
    ("上海示例绿色能源有限公司", "310120", "华风", "2022-01-20", "40000万元人民币",
     "电力、热力生产和供应业", "上海市奉贤区海湾镇示例路5号",
     scope(["风力发电技术服务", "太阳能发电技术服务", "储能技术服务", "海上风电相关系统研发",
            "合同能源管理"], ["发电业务、输电业务、供（配）电业务"])),
]

# The problem rows that are not plain companies, and where they go in the list.
DUPLICATE_OF = "上海示例芯微电子有限公司"          # repeated with the same credit code
NEAR_DUPLICATE_OF = "上海示例生物医药科技有限公司"  # repeated under a variant name
NEAR_DUPLICATE_NAME = "示例生物医药科技（上海）有限公司"
FORMULA_NAME = '=HYPERLINK("http://x","点我")'

# GB 32100-2015 unified social credit code
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]  # GB 11714 organisation code


def _org_check(body: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def credit_code(rng: random.Random, district: str) -> str:
    """A well-formed, invented code: 9 1 + district + 9-char organisation code + check char."""
    body = "MA1" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(5))
    code17 = "91" + district + body + _org_check(body)
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code17, _USCC_WEIGHTS, strict=True))
    return code17 + _USCC_CHARS[(31 - total % 31) % 31]


def phone(rng: random.Random) -> str:
    return f"021-{rng.choice('356')}{rng.randrange(10**6, 10**7)}"


def build_rows() -> list[list[str]]:
    rng = random.Random(SEED)
    rows = []
    by_name = {}
    for name, district, rep, founded, capital, industry, address, scope_text in COMPANIES:
        row = [name, credit_code(rng, district), rep, founded, capital, industry, address,
               scope_text, phone(rng)]
        by_name[name] = row
        rows.append(row)
    dup = list(by_name[DUPLICATE_OF])
    dup[8] = phone(rng)                       # same company, listed again with another phone
    near = list(by_name[NEAR_DUPLICATE_OF])
    near[0] = NEAR_DUPLICATE_NAME
    near[1] = credit_code(rng, "310115")
    probe = [FORMULA_NAME, credit_code(rng, "310104"), "测试", "2020-01-01", "100万元人民币",
             "软件和信息技术服务业", "上海市徐汇区漕河泾开发区示例路1号",
             scope(["软件开发", "信息系统集成服务", TECH]), phone(rng)]
    rows.insert(12, dup)
    rows.insert(20, near)
    rows.insert(27, probe)
    assert len(rows) == 30, len(rows)
    return rows


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)                  # comma, minimal quoting, CRLF as Excel writes
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding, errors="strict"))


FIXED_TIME = dt.datetime(2025, 6, 1, 9, 0, 0)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "企业列表"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"              # text, never a formula (the "=" probe stays text)
            if HEADERS[c - 1] in ("统一社会信用代码", "联系电话", "成立日期"):
                cell.number_format = "@"
    for letter, width in zip("ABCDEFGHI", (34, 22, 10, 12, 18, 26, 40, 80, 15), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = "make_seed_lists.py"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps the save time into docProps/core.xml and the zip entries: pin both so
    # that re-running reproduces the same bytes.
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _pin_modified(data)
            out = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = 0o644 << 16
            dst.writestr(out, data)


def _pin_modified(core: bytes) -> bytes:
    import re

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                  rb"\g<1>" + stamp + rb"\g<2>", core)


def main() -> None:
    SEEDS.mkdir(exist_ok=True)
    rows = build_rows()
    write_csv(SEEDS / "lead_list_utf8.csv", rows, "utf-8-sig")
    write_csv(SEEDS / "lead_list_gbk.csv", rows, "gbk")
    write_xlsx(SEEDS / "lead_list.xlsx", rows)
    gbk = (SEEDS / "lead_list_gbk.csv").read_bytes()
    gbk.decode("gbk")                          # really GBK ...
    try:
        gbk.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:  # pragma: no cover
        raise SystemExit("lead_list_gbk.csv unexpectedly decodes as UTF-8")
    for name in ("lead_list_utf8.csv", "lead_list_gbk.csv", "lead_list.xlsx"):
        print(f"wrote seeds/{name} ({len(rows)} rows, {(SEEDS / name).stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
