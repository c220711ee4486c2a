"""Chinese texts of the lead pipeline (officers' pages), keyed by their English source text."""

ZH = {
    "All owners": "全部负责人",
    "Unassigned": "未分配",
    "All sources": "全部来源",
    "Clear filters": "清除筛选",
    "The filter could not be applied:": "筛选条件无法使用：",
    "Correct the filter above to see leads.": "请先更正上面的筛选条件。",
    "overdue": "已逾期",
    "Re-score all {n} leads on taxonomy version {version}? Each lead's history keeps its earlier scoring.":
        "按知识库版本 {version} 重新评分全部 {n} 条线索？每条线索的历史会保留之前的评分。",
    "When (Shanghai time)": "时间（上海时间）",
}
