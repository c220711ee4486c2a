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
    "the taxonomy would not be valid: {problems}": "修改后知识库将无法通过校验：{problems}",
    "the taxonomy folder cannot be written on this server": "本服务器上的知识库文件夹不可写",
    "the taxonomy refused the change: {detail}": "知识库拒绝了该修改：{detail}",
    "Taxonomy versions": "知识库版本",
    "Every version of the taxonomy is kept. Compare any two to see which industries, places, relations and policies were added, removed or changed, with their citations.":
        "知识库的每个版本都会保留。比较任意两个版本，可查看新增、删除或修改了哪些产业、地点、布局关系和政策，以及它们的出处。",
    "From": "从", "To": "到", "Compare": "比较", "current": "当前",
    "Version": "版本", "Recorded (UTC)": "记录时间（UTC）", "By": "操作人", "Changes": "变化",
    "What changed": "变化内容", "No version recorded yet.": "尚未记录任何版本。",
    "No changes between these versions.": "这两个版本之间没有变化。",
    "Citations added": "新增出处", "Citations removed": "删除的出处",
    "plans": "规划", "industries": "产业", "districts": "区", "zones": "园区与功能区",
    "relations": "布局关系", "policies": "政策",
    "added": "新增", "removed": "删除", "changed": "修改",
    "Leads after a taxonomy change": "知识库变更后的线索",
    "{n} leads were scored with an earlier taxonomy version. Matched again now with version {version} (nothing saved yet), {m} of them would match differently.":
        "有{n}条线索是用较早版本的知识库评分的。用当前版本 {version} 重新匹配（尚未保存）后，其中{m}条的结果会有变化。",
    "Scored with": "评分所用版本", "What would change": "将发生的变化", "Top park": "首选园区",
    "Select": "选择", "Cancel": "取消",
    "Re-score the selected leads": "重新评分所选线索",
    "Re-score all {m} changed leads": "重新评分全部{m}条有变化的线索",
    "Confirm re-scoring": "确认重新评分",
    "Re-score {n} leads on taxonomy version {version}? Each lead's history keeps its earlier scoring.":
        "确定用知识库版本 {version} 重新评分这{n}条线索吗？每条线索的历史记录会保留之前的评分。",
    "Re-score them": "确认重新评分",
    "No lead was chosen.": "未选择任何线索。",
    "Re-scored {n} leads on taxonomy version {version}; their history keeps the earlier scoring.":
        "已用知识库版本 {version} 重新评分{n}条线索；历史记录保留了之前的评分。",
    "{n} leads were scored with an earlier taxonomy version.": "有{n}条线索是用较早版本的知识库评分的。",
    "See which would match differently": "查看哪些线索的匹配结果会变化",
    "Curate the plan library": "维护规划文库",
    "Import a new plan: its text is stored in the library and a draft of proposed taxonomy entries is written, each resting on a verbatim clause. Nothing reaches matching until you review and apply it.":
        "导入新规划：其文本存入规划文库，并生成一份知识库条目提案草稿，每条提案都依据一段原文条款。经审核并写入之前，匹配不会使用这些提案。",
    "Plan file (.txt, .docx, .pdf)": "规划文件（.txt、.docx、.pdf）", "Plan id": "规划编号",
    "Title (Chinese)": "中文标题", "Title (English)": "英文标题", "Scope": "适用范围",
    "(from the issuer)": "（按发布机关判断）", "Import and propose": "导入并生成提案",
    "Drafts": "草稿", "Proposals": "提案", "No draft.": "暂无草稿。",
    "Review the draft": "审核草稿", "Read the plan": "阅读规划全文",
    "Each proposal rests on the clause shown beside it; open it in the plan to read it in context. Accept, edit or reject each one, then apply: the accepted ones are written to the taxonomy, checked, and recorded as a new version.":
        "每条提案都依据旁边显示的条款，可在规划全文中查看上下文。逐条接受、修改或拒绝后写入：已接受的提案将写入知识库、通过校验并记录为新版本。",
    "All kinds": "全部类型", "All decisions": "全部审核状态",
    "industry": "产业", "industry_source": "产业出处", "relation": "布局关系", "policy": "政策",
    "pending": "待审核", "accepted": "已接受", "rejected": "已拒绝", "applied": "已写入",
    "accept": "接受", "reject": "拒绝", "undecided": "暂不决定",
    "To fill before applying": "写入前需填写", "Applied in version": "写入版本",
    "Section": "章节", "Evidence (verbatim, at most 40 characters)": "原文依据（逐字，最多40字）",
    "Decision": "审核决定", "No proposal matches.": "没有符合条件的提案。",
    "Save the review": "保存审核结果", "Save and apply the accepted proposals": "保存并写入已接受的提案",
    "Submitted on taxonomy version": "提交时的知识库版本",
    "Scored on taxonomy version": "匹配所用的知识库版本",
    "a newer version current when the job starts is used for every row":
        "任务开始时若知识库已更新，所有行都按开始时的新版本匹配",
    "Edit plan": "编辑规划",
    "Edit this plan's facts or withdraw it": "编辑该规划的信息或撤回该规划",
    "Note (why)": "说明（原因）",
    "Plan saved (taxonomy version {version}).": "规划已保存（知识库版本 {version}）。",
    "Plan {plan} withdrawn (taxonomy version {version}).": "规划 {plan} 已撤回（知识库版本 {version}）。",
    "Plan {plan} withdrawn in part: {n} entries that other data needs keep it in the library (taxonomy version {version}).":
        "规划 {plan} 已部分撤回：其他数据仍需要的 {n} 个条目使其保留在规划库中（知识库版本 {version}）。",
    "The plan's facts are kept in the taxonomy (plans.yaml): saving checks the whole taxonomy, records a new version and notes the change in the audit log. The status changes matching for everyone.":
        "规划信息保存在知识库（plans.yaml）中：保存时会校验整个知识库、记录新版本并写入审计日志。规划状态会影响所有人的匹配结果。",
    "Type the plan id to confirm": "输入规划编号以确认",
    "Withdraw the plan": "撤回规划",
    "Withdraw this plan": "撤回该规划",
    "Withdrawing takes the plan's text, its draft and every entry resting only on it out of the taxonomy: {industries} industries, {zones} parks and zones, {relations} relations, {policies} policies; {cited} other entries lose its citations.":
        "撤回会从知识库中移除该规划的文本、草稿以及仅依据该规划的全部条目：{industries} 个产业、{zones} 个园区和功能区、{relations} 条布局关系、{policies} 项政策；另有 {cited} 个条目将失去对它的引用。",
    "{n} entries rest only on this plan but other data needs them: they stay, with their citations, and so does the plan.":
        "有 {n} 个条目仅依据该规划，但其他数据需要它们：这些条目及其引用将保留，该规划也随之保留。",
}
