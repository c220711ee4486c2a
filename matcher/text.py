"""Text normalisation and tokenisation for Chinese (simplified or traditional) and English."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import opencc
import rjieba

_T2S = opencc.OpenCC("t2s")
_TW2SP = opencc.OpenCC("tw2sp")  # Taiwan phrases too: 積體電路 -> 集成电路, 軟體 -> 软件
_SPACE = re.compile(r"\s+")
_ACCENTED = re.compile(r"[\u00c0-\u024f]")  # Latin letters with diacritics: café -> cafe
_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_WORD = re.compile(r"[a-z0-9][a-z0-9+]*")
_SEGMENT = re.compile(r"[\u3400-\u9fff]+|[a-z0-9][a-z0-9+\-\.]*")
EN_STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its", "of", "on", "or", "our", "the", "their", "this", "to", "we", "with", "us", "you", "your", "which", "that", "who", "will", "can", "also", "based", "such", "other", "etc", "ltd", "co", "inc", "company", "limited", "corporation", "group", "llc", "gmbh", "plc"]
)
ZH_STOPWORDS = frozenset(
    ["的", "和", "与", "及", "等", "其", "在", "为", "是", "以", "对", "从", "并", "或", "有限公司", "有限责任公司", "股份有限公司", "公司", "上海", "我们", "主要", "一般", "项目", "许可", "经营", "相关", "依法", "须经", "批准", "活动", "凭", "营业执照", "自主", "开展", "除", "部门", "具体", "以", "文件", "为准", "技术服务", "技术开发", "技术咨询", "技术交流", "技术转让", "技术推广", "销售", "批发", "零售", "进出口", "货物", "技术", "服务", "开发", "咨询"]
)


def _unaccent(m: re.Match) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", m.group()) if not unicodedata.combining(c))
    return base or m.group()


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), traditional to simplified Chinese, lower case, Latin
    diacritics dropped (café, Zürich), one space. Remembered per text (a row's texts are read
    by several steps, a list repeats its company types and addresses)."""
    if not text:
        return ""
    return _normalize(text if type(text) is str else str(text))


@lru_cache(maxsize=8192)
def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if _CJK.search(text):
        simplified = _T2S.convert(text)
        if simplified != text:  # traditional input: convert with Taiwan phrase tables
            simplified = _TW2SP.convert(text)
        text = simplified
    return _SPACE.sub(" ", _ACCENTED.sub(_unaccent, text)).strip().lower()


def is_traditional(text: str) -> bool:
    """True when the text carries traditional characters (it changes under t2s)."""
    text = unicodedata.normalize("NFKC", str(text))
    return _T2S.convert(text) != text


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def stem(word: str) -> str:
    """A light English stemmer: enough to meet 'batteries'/'battery', 'vehicles'/'vehicle',
    'manufacture'/'manufacturing'/'manufactured' (a final e goes, as the suffixes take it)."""
    if len(word) <= 4:
        return word
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ers", "er"), ("ed", ""), ("es", "e"),
                         ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            word = word[: -len(suffix)] + repl
            break
    return word[:-1] if len(word) >= 5 and word.endswith("e") else word


class Tokenizer:
    """Segments normalised text into words, keeping the taxonomy's own terms whole."""

    def __init__(self, custom_words: Iterable[str] = ()):
        self._jieba = rjieba.Jieba()
        for word in sorted({w for w in custom_words if has_chinese(w) and len(w) >= 2}):
            self._jieba.add_word(word, 100000, None)

    def words(self, text: str) -> list[str]:
        """Tokens of already-normalised text: Chinese words and stemmed English words."""
        out: list[str] = []
        for chunk in _SEGMENT.findall(text):
            if _CJK.match(chunk):
                out.extend(w for w in self._jieba.cut(chunk) if w not in ZH_STOPWORDS)
            else:
                for w in _EN_WORD.findall(chunk):
                    if w not in EN_STOPWORDS and not w.isdigit():
                        out.append(stem(w))
        return out


def english_phrase_key(phrase: str) -> str:
    """The lookup key of an English phrase: stemmed words joined by one space."""
    words = _EN_WORD.findall(normalize(phrase))
    return " ".join(stem(w) for w in words if w not in EN_STOPWORDS and not w.isdigit())


@lru_cache(maxsize=1)
def default_tokenizer() -> Tokenizer:
    return Tokenizer()
