"""Chinese texts of the plan library, citations, plan status and the curator pages."""

ZH = {
    "Plan library": "规划文库",
    "The plans every result rests on, in full. Each citation opens its clause here.":
        "所有匹配结果所依据的规划全文。每条引用都可在此打开对应条款。",
    "Document number": "文号",
    "Supersedes": "替代",
    "Superseded by": "已被以下规划替代",
    "Contents": "目录",
    "The cited phrase is highlighted below": "引用原文已在下文中标出",
    "The cited phrase was not found; the cited section is shown":
        "未找到引用的原文，已定位到所引章节",
    "This citation could not be found in the plan's text.": "在规划文本中未能找到该引用。",
    "The text of this plan is not available on this server.": "本服务器上没有该规划的文本。",
    "plan no longer current": "规划已不再现行",
    "{n} of these results rest only on plans that are superseded or past their horizon; they are marked and listed after those that current plans support.":
        "以下结果中有{n}项仅依据已被替代或已过规划期的规划，已作标注，并排在现行规划支持的结果之后。",
    "A plan's status is kept in the taxonomy (plans.yaml): matching on the web, the command line and batch jobs all use it. Results resting only on superseded plans, or on plans past their horizon, are flagged and listed after current ones.":
        "规划状态保存在知识库（plans.yaml）中，网页、命令行和批量任务的匹配都以此为准。仅依据已被替代或已过规划期的规划得出的结果会被标注，并排在现行规划的结果之后。",
    "The matching model is being refitted for the new taxonomy; results use the previous version until it is ready.":
        "正在为新版知识库重新训练匹配模型；完成前，匹配结果仍使用上一版本。",
    "Change status": "更改状态",
    "(successor, when superseded)": "（被替代时：替代它的规划）",
    "Only an administrator can change a plan's status.": "只有管理员可以更改规划状态。",
    "The plan status was not changed: {error}": "规划状态未更改：{error}",
    "Plan status saved (taxonomy version {version}).": "规划状态已保存（知识库版本 {version}）。",
    "no such plan in the library": "规划库中没有该规划",
    "a successor is given only when the plan is superseded": "只有在规划被替代时才填写替代它的规划",
    "the successor must be another plan in the library": "替代它的规划必须是规划库中的另一个规划",
    "the taxonomy would not be valid: {problems}": "修改后知识库将无法通过校验：{problems}",
    "the taxonomy folder cannot be written on this server": "本服务器上的知识库文件夹不可写",
    "the taxonomy refused the change: {detail}": "知识库拒绝了该修改：{detail}",
}
