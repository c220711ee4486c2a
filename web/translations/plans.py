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
}
