"""Chinese texts of the admin and account pages and of the lead exports."""

ZH = {
    # a lead's status in the exports
    "New lead": "新线索", "Contacted": "已联系", "Visited": "已拜访",
    "In negotiation": "洽谈中", "Signed": "已签约", "Landed": "已落地", "Lost": "已流失",
}
