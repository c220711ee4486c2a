"""Pseudo-profiles generated from the taxonomy, to learn how features map to relevance.

Besides short texts of a node's names, aliases and keywords, it writes the node the way companies
describe themselves: business-scope strings (经营范围: its terms as 制造/研发/销售 items among the
boilerplate items learned from real scopes, read as the engine reads a scope) and company prose
("主要从事…的研发、生产和销售", "we design and manufacture …"). Scope strings of boilerplate
alone, or of trading items alone, teach that they name no industry."""

from __future__ import annotations

import random

from taxonomy import Taxonomy

ZH_FILLERS = ["有限公司", "主要从事", "专业从事", "的研发、生产和销售", "技术开发、技术咨询", "提供解决方案",
              "产品广泛应用于", "公司成立于2015年", "拥有多项专利", "客户覆盖国内外", "计划在上海投资建设",
              "一般项目：", "许可项目：", "进出口业务", "年产值", "团队来自"]
EN_FILLERS = ["we are a leading", "company", "focused on", "develops and manufactures", "solutions",
              "for global customers", "founded in 2012", "headquartered in europe",
              "plans to invest in shanghai", "our products include", "provider of", "services"]


def _pick(rng: random.Random, items, k):
    items = [i for i in items if i]
    return rng.sample(items, min(k, len(items))) if items else []


def _paraphrase(rng: random.Random, terms: list[str], english: bool) -> str:
    """Pieces of a node's terms that exact lookup will not find: teaches the model to use the
    similarity features for wording the taxonomy does not list."""
    pieces = []
    for term in _pick(rng, terms, 3):
        if english:
            words = term.split()
            pieces.append(rng.choice(words) if words else term)
        elif len(term) >= 3:
            start = rng.randrange(0, len(term) - 1)
            pieces.append(term[start:start + rng.choice((2, 3))] + rng.choice("器品业类件材"))
        else:
            pieces.append(term)
    pieces += _pick(rng, EN_FILLERS if english else ZH_FILLERS, rng.randint(0, 2))
    rng.shuffle(pieces)
    return (" " if english else "，").join(pieces)


ZH_SCOPE_ITEMS = ("{}制造", "{}研发", "{}生产", "{}销售", "{}技术服务", "{}设计")
ZH_PROSE = ("公司主要从事{}的研发、生产和销售", "本公司专注于{}，产品远销海外", "我们是一家{}企业，拟在上海设立研发中心",
            "公司核心业务为{}，拥有自主知识产权", "集团旗下{}业务的总部和生产基地")
EN_PROSE = ("we design and manufacture {} for customers worldwide", "our company develops {}",
            "a leading provider of {}", "we build {} and related services", "our plant makes {}")


def _scope(rng: random.Random, terms: list[str], boilerplate: list[str], other: list[str]) -> str:
    """A business-scope string: the node's terms as items, boilerplate and a foreign trade item."""
    picked = _pick(rng, [t for t in terms if len(t) >= 2], rng.randint(1, 3))
    items = [rng.choice(ZH_SCOPE_ITEMS).format(t) for t in picked]
    items += _pick(rng, boilerplate, rng.randint(1, 5))
    if other and rng.random() < 0.5:
        items.append(rng.choice(other) + "销售")
    rng.shuffle(items)
    head = "许可项目：" if rng.random() < 0.2 else "一般项目："
    return head + "；".join(items) + "。"


def _prose(rng: random.Random, terms: list[str], english: bool) -> str:
    picked = _pick(rng, terms, rng.randint(1, 2))
    joined = (" and " if english else "、").join(picked)
    return rng.choice(EN_PROSE if english else ZH_PROSE).format(joined)


def pseudo_profiles(taxonomy: Taxonomy, per_node: int, seed: int, scope_model=None):
    """(texts, labels): short profiles written from each node's names and keywords, and
    company-style ones. `scope_model`: the fitted scope.BoilerplateModel (its boilerplate items
    fill the scope strings, which are then read through its `focus` as the engine reads them)."""
    rng = random.Random(seed)
    boiler = sorted(scope_model.boilerplate_) if scope_model is not None else []
    ubiquitous = sorted(scope_model.ubiquitous_) if scope_model is not None else []
    focus = scope_model.focus if scope_model is not None else (lambda text: text)
    nodes = list(taxonomy.industries)
    texts, labels = [], []
    for node in nodes:
        zh_terms = [node.name_zh, *node.aliases_zh, *node.keywords_zh]
        en_terms = [node.name_en, *node.aliases_en, *node.keywords_en]
        for k in range(per_node):
            label = [node.id]
            english = k % 3 == 2
            pool = en_terms if english else zh_terms
            fillers = EN_FILLERS if english else ZH_FILLERS
            if k == 0:
                words = [node.name_zh]
            elif k == 1:
                words = [node.name_en]
            else:
                words = _pick(rng, pool, rng.randint(1, 4))
            words += _pick(rng, fillers, rng.randint(0, 3))
            if k >= 4 and rng.random() < 0.3:
                other = rng.choice(nodes)
                other_pool = ([other.name_en, *other.keywords_en] if english
                              else [other.name_zh, *other.keywords_zh])
                words += _pick(rng, other_pool, 1)
                label.append(other.id)
            rng.shuffle(words)
            texts.append((" " if english else "，").join(words))
            labels.append(label)
        for k in range(max(2, per_node // 3)):
            texts.append(_paraphrase(rng, zh_terms if k % 2 == 0 else en_terms, k % 2 == 1))
            labels.append([node.id])
        if boiler:
            for _ in range(max(2, per_node // 4)):
                other = rng.choice(nodes)
                texts.append(focus(_scope(rng, zh_terms, boiler, [other.name_zh])))
                labels.append([node.id])
        for k in range(max(2, per_node // 5)):
            texts.append(_prose(rng, zh_terms if k % 2 == 0 else en_terms, k % 2 == 1))
            labels.append([node.id])
    # generic company text with no industry signal
    for _ in range(max(20, len(nodes) // 3)):
        english = rng.random() < 0.4
        words = _pick(rng, EN_FILLERS if english else ZH_FILLERS, rng.randint(1, 4))
        texts.append(" ".join(words))
        labels.append([])
    for _ in range(max(10, len(nodes) // 10) if ubiquitous else 0):  # boilerplate: no industry
        texts.append(focus("一般项目：" + "；".join(_pick(rng, ubiquitous, rng.randint(2, 6))) + "。"))
        labels.append([])
    return texts, labels
