"""Chinese texts of the outcomes pages: recording, import and the report."""

ZH = {
    "Outcome": "结果",
    "Outcomes": "落地结果",
    "Outcome recorded.": "结果已记录。",
    "District (landed, signed, or where a lost lead went)": "区（落地、签约或流失去向）",
    "Park": "园区",
    "The industry the project really is": "项目实际所属产业",
    "A lost lead went to": "流失去向",
    "other_district": "本市其他区", "other_city": "外地城市", "no_project": "项目取消",
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
}
