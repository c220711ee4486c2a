"""Chinese texts of the curator's pages that are not the taxonomy library's own messages
(those are bilingual in `taxonomy.messages`)."""

ZH = {
    "The version before it no longer loads: its changes are not summarised.":
        "其上一版本已无法加载，未能汇总本版本的变化。",
}
