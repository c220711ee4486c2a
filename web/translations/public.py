"""Chinese texts of the public pages (self-assessment, result, printing), error pages and
validation messages."""

ZH = {
    # error pages (web/errors.py STATUS)
    "Bad request": "请求有误",
    "The request could not be understood.": "无法理解该请求。",
    "Sign-in required": "需要登录",
    "Sign in to see this page.": "请登录后查看此页面。",
    "No access": "无权访问",
    "Your account does not have access to this page.": "您的账号无权访问此页面。",
    "Page not found": "页面不存在",
    "There is no page at this address. Check the address, or start again from the home page.":
        "此地址没有对应的页面。请检查地址，或从首页重新开始。",
    "Not allowed": "不支持该操作",
    "This page cannot be used that way.": "此页面不支持该请求方式。",
    "Request too large": "请求过大",
    "The request is too large.": "请求过大。",
    "Input not accepted": "输入未被接受",
    "Some of the input could not be accepted.": "部分输入无法接受。",
    "Too many requests": "请求过于频繁",
    "Too many requests from your address; wait a moment and try again.":
        "您的地址请求过于频繁，请稍候再试。",
    "Server error": "服务器错误",
    "Something went wrong on our side. It has been logged; please try again.":
        "服务器出现问题，已记录在案，请重试。",
    "Service unavailable": "服务暂不可用",
    "The service is unavailable at the moment; please try again shortly.":
        "服务暂时不可用，请稍后再试。",
    "Storage full": "存储空间已满",
    "The server's storage is full.": "服务器存储空间已满。",
    "The server's disk is full: nothing was saved or exported. Please tell the administrator and try again later.":
        "服务器磁盘已满：未保存或导出任何内容。请通知管理员，稍后再试。",
    "The database is unavailable at the moment; please try again shortly.":
        "数据库暂时不可用，请稍后再试。",
    "CSRF token missing or invalid; reload the page and try again":
        "页面已过期或表单校验失败，请刷新页面后重试",
    "invalid or revoked API token": "API 令牌无效或已撤销",
    "you cannot disable your own account": "不能停用自己的账号",
    "unknown plan or status": "未知的规划或状态",
    "The request body is not valid JSON.": "请求正文不是有效的 JSON。",
    "The profile could not be read; please assess again.": "无法读取企业资料，请重新评估。",
    # the result page, for companies
    "Assessed on {date} against five Shanghai industrial plans.": "评估日期：{date}，依据上海五部产业规划。",
    "What you entered": "您填写的信息",
    "Description": "企业或项目描述",
    "How clearly your description matches the plans": "描述与规划的吻合程度",
    "clear": "明确",
    "fairly clear": "较明确",
    "unclear": "不明确",
    "strong fit": "高度契合",
    "good fit": "较为契合",
    "possible fit": "有一定契合",
    "weak fit": "契合度低",
    "Industries of the plans closest to your project": "与您的项目最接近的规划产业",
    "Words in your description that point to it": "您描述中的相关词",
    "Districts that fit your project": "适合项目落户的区",
    # codes shown to officers, in words
    "officer": "招商人员", "admin": "管理员",
    "created": "创建", "rescore": "重新评分",
    "screened by an officer": "招商人员研判", "self-submitted": "企业自荐", "batch import": "批量导入",
    "sample data": "示例数据",
    "Created ({source})": "创建（{source}）",
    "Status: {old} → {new}": "状态：{old} → {new}",
    "Owner: {old} → {new}": "负责人：{old} → {new}",
    "Next follow-up: {old} → {new}": "下次跟进：{old} → {new}",
}
