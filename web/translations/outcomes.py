"""Chinese texts of the outcomes pages: recording, import and the report."""

ZH = {
    "Outcome": "结果",
    "Outcomes": "落地结果",
    "Outcome recorded.": "结果已记录。",
    "District (landed, signed, or where a lost lead went)": "区（落地、签约或流失去向）",
    "Park": "园区",
    "The industry the project really is": "项目实际所属产业",
    "A lost lead went to": "流失去向",
    "another district of Shanghai": "本市其他区", "another city": "外地城市",
    "no project after all": "项目取消",
    "City (lost to another city)": "城市（流失到外地时）",
    "Why (lost) or remarks": "原因（流失时）或备注",
    "Date closed": "结案日期",
    "Record the outcome": "记录结果",
    "Import outcomes": "导入落地结果",
    "A CSV (UTF-8, UTF-8 BOM, GBK or GB18030) with one closed lead per row: the lead id or the "
    "credit code, the district and the park (codes or names); optional: outcome (signed, "
    "landed, lost), industry, date, where a lost lead went, city, reason.":
        "CSV 文件（UTF-8、带 BOM 的 UTF-8、GBK 或 GB18030），每行一条已结案线索：线索编号或统一社会"
        "信用代码、区和园区（代码或名称）；可选：结果（已签约、已落地、已流失）、产业、日期、流失去向、"
        "城市、原因。",
    "Check and import": "检查并导入",
    "Nothing was imported: fix these rows and upload the file again":
        "未导入任何内容：请修正以下各行后重新上传",
    "Outcomes report": "落地结果报告",
    "Closed leads": "已结案线索",
    "District": "区",
    "No outcomes recorded yet.": "尚未记录任何结果。",
    "Choose a CSV file to import.": "请选择要导入的 CSV 文件。",
    "The file is larger than 5 MB.": "文件超过 5 MB。",
    "{n} outcomes imported.": "已导入 {n} 条结果。",
    "Leads": "线索数",
    "All": "全部",
    "District in top {k}": "区在前 {k} 位",
    "With a park": "有园区的",
    "Park in top {k}": "园区在前 {k} 位",
    "For each lead signed or landed in a district: was that district (and park) among the first "
    "places the match it carried when it closed listed, on that match's taxonomy version?":
        "对每条已在某区签约或落地的线索：结案时线索所带的匹配结果（按该结果的知识库版本）是否把该区"
        "（及园区）列在前几位？",
    "Download the report (CSV)": "下载报告（CSV）",
    "Export the outcomes with their matches (JSONL)": "导出结果及其匹配记录（JSONL）",
    "landed without a stored match: {n}": "落地但无匹配记录：{n}",
    "All landed or signed leads": "全部已签约或已落地线索",
    "By industry (sector)": "按产业（门类）",
    "By lead source": "按线索来源",
    "By taxonomy version of the match": "按匹配时的知识库版本",
    "Calibration: confidence against hit rate": "校准：置信度与命中率",
    "Mean confidence": "平均置信度",
    "Landed where the match did not send them": "落地在匹配未推荐之处",
    "The landed district, or park, was not in the match's list at all: material for the "
    "curators (a plan statement missing from the taxonomy, or a place the plans do not back).":
        "落地的区或园区根本不在匹配列表中：供知识库维护人员参考（知识库可能缺少某条规划表述，"
        "或规划并不支持该地）。",
    "Landed in": "落地于",
    "The match listed": "匹配列出的",
    "not listed": "未列出",
    "None.": "无。",
    "By ranker of the match": "按匹配所用的排序方式",
    "Ranker": "排序方式",
    "fixed weights": "固定权重",
    "learned from outcomes": "由落地结果学习",
    "(no industry)": "（无产业）",
    "group": "分组", "key": "组别", "leads": "线索数", "district in top 1": "区在第 1 位",
    "district in top 3": "区在前 3 位", "district in top 5": "区在前 5 位",
    "leads with a park": "有园区的线索数", "park in top 1": "园区在第 1 位",
    "park in top 3": "园区在前 3 位", "park in top 5": "园区在前 5 位",
    "mean confidence": "平均置信度", "lead id": "线索编号", "name": "名称",
    "date closed": "结案日期", "real industry": "实际产业", "matched industry": "匹配产业",
    "landed district": "落地区", "landed park": "落地园区", "district listed": "区是否列出",
    "park listed": "园区是否列出", "matched districts": "匹配的区", "matched parks": "匹配的园区",
    "Places are ranked now by a ranker learned from outcomes": "目前区和园区按由落地结果学习的排序方式排列",
    "judged on the {n} leads closed from {date} on, MRR of districts {fd} with the fixed weights "
    "and {ld} learned, of parks {fp} and {lp}.": "以 {date} 起结案的 {n} 条线索检验：区的 MRR 固定权重为 "
                                                  "{fd}、学习后为 {ld}，园区为 {fp} 和 {lp}。",
    "Places are ranked now by the fixed weights: no ranker learned from outcomes has beaten them "
    "on this taxonomy version.": "目前区和园区按固定权重排列：在当前知识库版本上，尚无由落地结果学习的"
                                 "排序方式胜过固定权重。",
}
