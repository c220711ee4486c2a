"""Chinese texts of the admin and account pages and of the lead exports."""

ZH = {
    # a lead's status in the exports
    "New lead": "新线索", "Contacted": "已联系", "Visited": "已拜访",
    "In negotiation": "洽谈中", "Signed": "已签约", "Landed": "已落地", "Lost": "已流失",
    # users and passwords
    "Display name": "显示名称",
    "Reset password": "重置密码",
    "New password": "新密码",
    "new password (empty: generate one)": "新密码（留空则自动生成）",
    "My password": "我的密码",
    "Create a user": "新建用户",
    "Initial password": "初始密码",
    "Leave it empty to generate one; it is shown once, here.": "留空则自动生成，只在此处显示一次。",
    "Create user": "创建用户",
    "The password of {user} (shown once; pass it on safely, they can change it under “My password”)":
        "{user} 的密码（仅显示一次；请安全地转交，对方可在“我的密码”中修改）",
    "User {user} created.": "用户 {user} 已创建。",
    "The password of {user} is reset; their sessions have ended.": "{user} 的密码已重置，其登录会话已全部结束。",
    "{user} can sign in again.": "{user} 已重新启用，可以登录。",
    "{user} is disabled; their sessions and API tokens have ended.": "{user} 已停用，其登录会话和 API 令牌均已失效。",
    "At least 10 characters; not a common password and not your username. Your other sessions end when you change it.":
        "至少 10 个字符，不能是常见密码，也不能包含用户名。修改后，您在其他地方的登录会话将结束。",
    "Current password": "当前密码",
    "New password, again": "再次输入新密码",
    "Change my password": "修改密码",
    "Your password is changed; your other sessions have ended.": "密码已修改，您在其他地方的登录会话已结束。",
    # choosing rows to import from a batch result
    "Confidence at least": "置信度不低于",
    "All industries": "全部产业",
    "No possible duplicate": "无疑似重复",
    "Show all rows": "显示全部行",
    "{n} of {total} rows match; {k} of them can be imported.": "{total} 行中有 {n} 行符合条件，其中 {k} 行可以导入。",
    "Select all {k} importable rows matching the filters, on every page": "选中所有符合条件、可导入的 {k} 行（包括其他页）",
    "{m} of them have a possible duplicate; tick “No possible duplicate” to leave them out":
        "其中 {m} 行疑似重复；勾选“无疑似重复”可将其排除",
    "identical name to a lead in the pipeline": "与线索库中的线索名称相同",
    "identical name to row {r}": "与第 {r} 行名称相同",
    "tick at least one row to import": "请至少勾选一行再导入。",
    "the job has not finished": "任务尚未完成。",
}
