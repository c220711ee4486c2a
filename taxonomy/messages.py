"""The taxonomy library's errors and problems in both languages.

A `Text` is a message code with its parameters: ids, file names, section paths and quoted
phrases are kept as they are (language-neutral); a parameter that is a word (a `Term`, see
`term`) is rendered in each language. `CATALOGUE` holds each code's English and
Chinese template. marshmallow's field messages are mapped to codes by `field_texts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TERMS = {  # English word -> Chinese, for parameters that are words, not ids
    "sector": "门类", "industry": "产业", "focus": "重点方向", "plan": "规划", "district": "区",
    "district id": "区编号", "zone": "园区", "policy": "政策", "GB/T 4754 class": "GB/T 4754 类别",
    "industry_source": "产业出处", "relation": "布局关系", "issued": "已发布", "draft": "草案",
    "superseded": "已被替代", "expired": "已过期", "pending": "待审核", "accepted": "已接受",
    "rejected": "已拒绝", "applied": "已写入",
}

CATALOGUE: dict[str, tuple[str, str]] = {  # code -> (English, Chinese)
    # where a problem is
    "where.entry": ("{kind} {id}", "{kind} {id}"),
    "where.target": ("industry {id} target", "产业 {id} 的目标"),
    "where.mention": ("district {code} {name}", "区 {code} {name}"),
    "where.relation": ("relation {file}#{index} {industry}->{place}",
                       "布局关系 {file}#{index} {industry}->{place}"),
    "where.relation_at": ("relation {file}#{index}", "布局关系 {file}#{index}"),
    "where.problem": ("{where}: {message}", "{where}：{message}"),
    # validation problems (taxonomy.validate)
    "kind.duplicate id": ("duplicate id", "编号重复"),
    "kind.dangling reference": ("dangling reference", "引用的条目不存在"),
    "kind.bad plan status": ("bad plan status", "规划状态有误"),
    "kind.bad district code": ("bad district code", "区划代码有误"),
    "kind.bad citation": ("bad citation", "出处有误"),
    "dup.defined": ("defined {n} times", "定义了 {n} 次"),
    "ref.parent": ("parent {parent!r} does not exist", "上级 {parent} 不存在"),
    "ref.level": ("a {level} cannot sit under a {parent_level}", "{level}不能隶属于{parent_level}"),
    "ref.parent_zone": ("parent zone {parent!r} does not exist", "上级园区 {parent} 不存在"),
    "ref.industry": ("industry {industry!r} does not exist", "产业 {industry} 不存在"),
    "ref.zone": ("zone {zone!r} does not exist", "园区 {zone} 不存在"),
    "ref.division": ("its division {division} is not listed", "其所属大类 {division} 未列出"),
    "ref.plan": ("cites unknown plan {plan!r}", "引用了不存在的规划 {plan}"),
    "ref.supersession": ("supersession names {other!r}, not another plan here",
                         "替代关系所指的 {other} 不是本库中的另一个规划"),
    "status.superseded_by": ("superseded_by {by} but status is {status}",
                             "已填写替代规划 {by}，但状态为“{status}”"),
    "code.not_shanghai": ("not a GB/T 2260 code of a Shanghai district",
                          "不是上海市辖区的 GB/T 2260 代码"),
    "code.wrong_name": ("code belongs to {right}, not {name}", "该代码属于{right}，不是{name}"),
    "code.missing": ("{name} is missing from districts.yaml", "districts.yaml 中缺少{name}"),
    "code.unknown": ("district code {code} is not a known district",
                     "区划代码 {code} 不是已知的区"),
    "cite.no_file": ("file {path} not found", "未找到文件 {path}"),
    "cite.no_section": ("section {section!r} not found in {plan}",
                        "规划 {plan} 中没有章节“{section}”"),
    "cite.evidence_in": ("evidence {evidence!r} is not in {plan} {section} (it occurs in section "
                         "{found!r})", "原文依据“{evidence}”不在规划 {plan} 的“{section}”中"
                         "（它出现在“{found}”）"),
    "cite.evidence_nowhere": ("evidence {evidence!r} is not in {plan} {section} (it occurs "
                              "nowhere in the plan)", "原文依据“{evidence}”不在规划 {plan} 的"
                              "“{section}”中（整个规划中都没有这段文字）"),
    # file format (taxonomy.loader, taxonomy.yamlio, taxonomy.drafts)
    "format.not_yaml": ("{path}: not valid YAML (line {line})", "{path}：不是有效的 YAML（第 {line} 行）"),
    "format.not_utf8": ("{path}: not UTF-8", "{path}：不是 UTF-8 编码"),
    "format.not_list": ("{path}: expected a list of entries at the top level",
                        "{path}：顶层应为条目列表"),
    "format.no_plans": ("{path}: no plans.yaml here; is this a taxonomy folder?",
                        "{path}：此处没有 plans.yaml，这不是知识库文件夹"),
    "format.entry": ("{file} entry {n}: {problems}", "{file} 第 {n} 条：{problems}"),
    "format.entry_named": ("{file} entry {n} ({label}): {problems}",
                           "{file} 第 {n} 条（{label}）：{problems}"),
    "format.file": ("{path}: {problems}", "{path}：{problems}"),
    "format.field": ("{field}: {message}", "{field}：{message}"),
    "format.list": ("{first}; {rest}", "{first}；{rest}"),
    # marshmallow's own messages and the schemas' messages (see `field_texts`)
    "field.required": ("missing (it is required)", "缺少（必填）"),
    "field.unknown": ("not a field of this entry", "不是该条目的字段"),
    "field.null": ("may not be empty", "不能为空"),
    "field.not_text": ("must be text", "应为文本"),
    "field.not_integer": ("must be a whole number", "应为整数"),
    "field.not_list": ("must be a list", "应为列表"),
    "field.not_mapping": ("must be a mapping of fields", "应为字段映射"),
    "field.not_boolean": ("must be true or false", "应为 true 或 false"),
    "field.type": ("has the wrong type", "类型不正确"),
    "field.one_of": ("must be one of: {choices}", "须为以下之一：{choices}"),
    "field.min_length": ("shorter than the minimum length {min}", "长度不足 {min}"),
    "field.max_length": ("longer than the maximum length {max}", "长度超过 {max}"),
    "field.length": ("length must be between {min} and {max}", "长度须在 {min} 到 {max} 之间"),
    "field.range": ("must be between {min} and {max}", "须在 {min} 到 {max} 之间"),
    "field.pattern": ("is not in the expected form", "格式不正确"),
    "field.invalid": ("is not a valid value", "值无效"),
    "field.slug": ("must be a lowercase slug (a-z, 0-9, -)", "须为小写编号（a-z、0-9、-）"),
    "field.district_code": ("must be a 6-digit GB/T 2260 code of Shanghai",
                            "须为上海的 6 位 GB/T 2260 区划代码"),
    "field.date": ("must be YYYY-MM-DD", "须为 YYYY-MM-DD 格式"),
    "field.sector_parent": ("a sector has no parent", "门类没有上级"),
    "field.needs_parent": ("an industry or focus node needs a parent", "产业或重点方向须有上级"),
    "field.one_place": ("give exactly one of zone or district", "园区与区须填写且只填写其一"),
    "field.district_scope": ("a district-scope policy names its districts", "区级政策须列出适用的区"),
    "field.zone_scope": ("a zone-scope policy names its zones", "园区级政策须列出适用的园区"),
    "field.outside": ("an outside class maps to no industry", "范围外的类别不对应任何产业"),
    "field.mapping": ("a {mapping} mapping names at least one industry",
                      "“{mapping}”对应关系须至少列出一个产业"),
    "field.mapping_cites": ("a plan mapping cites the clause that states it",
                            "依据规划的对应关系须引用写明它的条款"),
    "field.horizon": ("write the horizon as YYYY-YYYY or YYYY", "规划期请写作 YYYY-YYYY 或 YYYY"),
    "field.horizon_order": ("the horizon ends before it starts", "规划期的结束年份早于开始年份"),
    # drafts and applying them (taxonomy.drafts, taxonomy.apply)
    "draft.none": ("no draft for plan {plan!r} in {folder}", "{folder} 中没有规划 {plan} 的草稿"),
    "draft.decisions": ("decisions: {problems}", "审核决定：{problems}"),
    "draft.not_in": ("proposal {proposal} is not in the draft of {plan}",
                     "提案 {proposal} 不在规划 {plan} 的草稿中"),
    "draft.applied": ("proposal {proposal} is applied already", "提案 {proposal} 已经写入"),
    "draft.cannot_edit": ("proposal {proposal} ({kind}): cannot edit {fields}",
                          "提案 {proposal}（{kind}）：不能修改 {fields}"),
    "draft.citation_plan": ("proposal {proposal}: the citation must be of plan {plan}",
                            "提案 {proposal}：引用须出自规划 {plan}"),
    "draft.none_accepted": ("the draft of {plan} has no accepted proposals to apply",
                            "规划 {plan} 的草稿中没有已接受的提案可写入"),
    "draft.ref_missing": ("proposal {proposal} refers to {ref}, which is not in the draft",
                          "提案 {proposal} 引用的 {ref} 不在草稿中"),
    "draft.needs_proposal": ("proposal {proposal} ({kind}) needs proposal {other} ({other_kind} "
                             "{name}), which is {decision}: accept it too, or edit {proposal}",
                             "提案 {proposal}（{kind}）依赖提案 {other}（{other_kind} {name}），"
                             "而该提案{decision}：请一并接受，或修改提案 {proposal}"),
    "draft.industry": ("industry {industry!r} does not exist", "产业 {industry} 不存在"),
    "draft.proposal_industry": ("proposal {proposal}: industry {industry!r} does not exist",
                                "提案 {proposal}：产业 {industry} 不存在"),
    "draft.needs_name_en": ("proposal {proposal} (industry {name}) needs {field}: edit it before "
                            "accepting", "提案 {proposal}（产业 {name}）缺少英文名称（{field}）："
                            "请先修改再接受"),
    "draft.needs_parent": ("proposal {proposal} (industry {name}) needs a parent (sectors are "
                           "fixed)", "提案 {proposal}（产业 {name}）须有上级产业（门类是固定的）"),
    # importing a plan (taxonomy.importer, taxonomy.convert)
    "import.metadata": ("plan metadata: {problems}", "规划信息：{problems}"),
    "import.exists": ("{field}: {plan} is already in the library", "{field}：规划库中已有 {plan}"),
    "import.supersedes": ("{field}: {plan} is not a plan in the library",
                          "{field}：{plan} 不是规划库中的规划"),
    "convert.encoding": ("{name}: the text encoding could not be recognised (save it as UTF-8 "
                         "and try again)", "{name}：无法识别文本编码（请另存为 UTF-8 后重试）"),
    "convert.docx": ("{name}: not a readable .docx file", "{name}：不是可读取的 .docx 文件"),
    "convert.pdf": ("{name}: not a readable PDF", "{name}：不是可读取的 PDF 文件"),
    "convert.no_text_layer": ("{name}: the PDF has no text layer (a scan?); convert it to text "
                              "first", "{name}：该 PDF 没有文字层（可能是扫描件），请先转换为文本"),
    "convert.suffix": ("{name}: a plan must be .txt, .docx or .pdf",
                       "{name}：规划文件须为 .txt、.docx 或 .pdf"),
    "convert.empty": ("{name}: the file is empty", "{name}：文件是空的"),
    "convert.no_text": ("{name}: no text found", "{name}：没有找到文字"),
    "convert.unreadable": ("{name}: cannot be read", "{name}：无法读取"),
    # plans (taxonomy.plans, taxonomy.withdraw)
    "plan.unknown": ("unknown plan {plan!r}", "没有编号为 {plan} 的规划"),
    "plan.text": ("plan {plan}: text {path} cannot be read", "规划 {plan}：无法读取文本 {path}"),
    "plan.status": ("status {status!r} is not one of {choices}", "状态 {status} 不是以下之一：{choices}"),
    "plan.superseded_by_only": ("{field} is only given with status superseded",
                                "只有状态为“已被替代”时才可填写替代规划（{field}）"),
    "plan.successor": ("{field} {plan!r} is not another plan in the library",
                       "替代规划（{field}）{plan} 不是规划库中的另一个规划"),
    "plan.supersedes": ("{field}: {plan!r} is not another plan in the library",
                        "被替代规划（{field}）：{plan} 不是规划库中的另一个规划"),
    "plan.not_field": ("not a plan field: {fields}", "不是规划的字段：{fields}"),
    "plan.horizon": ("horizon {text!r}: write it as YYYY-YYYY or YYYY",
                     "规划期 {text}：请写作 YYYY-YYYY 或 YYYY"),
    # versions (taxonomy.versions)
    "version.unknown": ("version {version!r} is not recorded in {store}",
                        "{store} 中没有记录版本 {version}"),
    "version.ambiguous": ("version {version!r} is ambiguous in {store}",
                          "版本 {version} 在 {store} 中不唯一"),
    # an error raised with English text only (not expected: every raise site has a code)
    "other": ("the taxonomy refused the operation", "知识库拒绝了该操作"),
}


@dataclass(frozen=True, slots=True)
class Term:
    """A parameter that is a word, rendered in each language."""

    zh: str
    en: str


def term(word: str) -> Term:
    """A word of `TERMS` as a parameter (a word it does not know is kept as it is)."""
    return Term(TERMS.get(word, word), word)


@dataclass(frozen=True, slots=True)
class Text:
    """A message code and its parameters, rendered in Chinese (`zh`) or English (`en`)."""

    code: str
    params: tuple = ()

    def render(self, lang: str) -> str:
        en, zh = CATALOGUE[self.code]
        values = {k: _value(v, lang) for k, v in self.params}
        return (zh if lang == "zh" else en).format(**values)

    @property
    def zh(self) -> str:
        return self.render("zh")

    @property
    def en(self) -> str:
        return self.render("en")

    def pair(self) -> tuple[str, str]:
        return self.zh, self.en

    def __str__(self) -> str:
        return self.en


def text(code: str, /, **params) -> Text:
    """A `Text`; parameters may be strings, numbers, lists (joined), `Term`s or `Text`s."""
    if code not in CATALOGUE:
        raise KeyError(f"no message {code!r}")
    return Text(code, tuple((k, tuple(v) if isinstance(v, list) else v)
                            for k, v in params.items()))


msg = text  # the name the library's modules import (their `text` is a plan's text)


def joined(texts: list[Text]) -> Text:
    """Several texts as one, separated by semicolons."""
    out = texts[-1]
    for t in reversed(texts[:-1]):
        out = text("format.list", first=t, rest=out)
    return out


def _value(value, lang: str) -> str:
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, Term):
        return value.zh if lang == "zh" else value.en
    if isinstance(value, tuple):
        return ("、" if lang == "zh" else ", ").join(_value(v, lang) for v in value)
    return str(value)


# marshmallow's stock messages and the schemas' own, as (pattern, code)
_FIELD_MESSAGES = (
    (r"Missing data for required field\.", "field.required"),
    (r"Unknown field\.", "field.unknown"),
    (r"Field may not be null\.", "field.null"),
    (r"Not a valid string\.", "field.not_text"),
    (r"Not a valid integer\.", "field.not_integer"),
    (r"Not a valid list\.", "field.not_list"),
    (r"Not a valid (mapping|dict) type\.|Invalid input type\.", "field.not_mapping"),
    (r"Not a valid boolean\.", "field.not_boolean"),
    (r"Invalid type\.|Not a valid \w+\.", "field.type"),
    (r"Must be one of: (?P<choices>.*)\.", "field.one_of"),
    (r"Shorter than minimum length (?P<min>\d+)\.", "field.min_length"),
    (r"Longer than maximum length (?P<max>\d+)\.", "field.max_length"),
    (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.", "field.length"),
    (r"Must be greater than or equal to (?P<min>-?\d+) and less than or equal to (?P<max>-?\d+)\.",
     "field.range"),
    (r"String does not match expected pattern\.", "field.pattern"),
    (r"must be a lowercase slug \(a-z, 0-9, -\)", "field.slug"),
    (r"must be a 6-digit GB/T 2260 code of Shanghai", "field.district_code"),
    (r"must be YYYY-MM-DD", "field.date"),
    (r"a sector has no parent", "field.sector_parent"),
    (r"an industry or focus node needs a parent", "field.needs_parent"),
    (r"give exactly one of zone or district", "field.one_place"),
    (r"a district-scope policy names its districts", "field.district_scope"),
    (r"a zone-scope policy names its zones", "field.zone_scope"),
    (r"an outside class maps to no industry", "field.outside"),
    (r"a (?P<mapping>\w+) mapping names at least one industry", "field.mapping"),
    (r"a plan mapping cites the clause that states it", "field.mapping_cites"),
    (r"write the horizon as YYYY-YYYY or YYYY", "field.horizon"),
    (r"the horizon ends before it starts", "field.horizon_order"),
)


def field_message(message: str) -> Text:
    """One marshmallow message as a `Text` (one it does not know: ``field.invalid``)."""
    for pattern, code in _FIELD_MESSAGES:
        found = re.fullmatch(pattern, str(message).strip())
        if found:
            params = found.groupdict()
            if "choices" in params:
                params["choices"] = params["choices"].split(", ")
            return text(code, **params)
    return text("field.invalid")


def field_texts(messages, prefix: str = "") -> list[Text]:
    """marshmallow's `exc.messages` ({field: [message] | {...}}) as one `Text` per message,
    each naming its field path (``sources.0.evidence``)."""
    if isinstance(messages, dict):
        return [t for k, v in messages.items() for t in field_texts(v, f"{prefix}{k}.")]
    items = messages if isinstance(messages, list) else [messages]
    field = prefix.rstrip(".") or "_schema"
    out = []
    for m in items:
        if isinstance(m, dict | list):
            out += field_texts(m, prefix)
        else:
            out.append(text("format.field", field=field, message=field_message(m)))
    return out
