"""Ids and English names for proposed entries: slugs and romanised place names (pypinyin).

Place names are romanised (the usual English form of a Chinese place name) with their generic
part translated (``莘庄工业区`` -> ``Xinzhuang Industrial Zone``); industry names are never guessed:
a curator writes them.
"""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

SUFFIX_EN = (
    ("生命健康城", "Life and Health City"), ("国际科技城", "International Science City"),
    ("智能制造城", "Smart Manufacturing City"), ("产业园区", "Industrial Park"),
    ("产业基地", "Industrial Base"), ("发展轴", "Development Axis"), ("化工区", "Chemical Industry Park"), ("产业园", "Industrial Park"), ("科学城", "Science City"),
    ("新片区", "New Area"), ("集聚区", "Cluster Area"), ("示范区", "Demonstration Zone"),
    ("承载区", "Carrier Zone"), ("试验区", "Pilot Zone"), ("发展区", "Development Area"),
    ("开发区", "Development Zone"), ("工业区", "Industrial Zone"), ("高新区", "Hi-tech Zone"),
    ("创新园", "Innovation Park"), ("软件园", "Software Park"), ("科技园", "Science Park"),
    ("科技城", "Science and Technology City"), ("科创城", "Innovation City"), ("小镇", "Town"),
    ("园区", "Park"), ("基地", "Base"), ("新城", "New City"), ("走廊", "Corridor"),
    ("综合体", "Complex"), ("核心区", "Core Area"), ("智谷", "Smart Valley"), ("慧谷", "Smart Valley"),
    ("创谷", "Innovation Valley"), ("城", "City"), ("港", "Port"), ("湾", "Bay"), ("岛", "Island"),
    ("园", "Park"),
)


def _roman(text: str) -> str:
    words = []
    for part in re.findall(r"[A-Za-z0-9]+|[\u4e00-\u9fa5]+", text):
        words.append(part if part.isascii() else "".join(lazy_pinyin(part)))
    return " ".join(w[:1].upper() + w[1:] for w in words if w)


def place_name_en(name_zh: str) -> str:
    """``莘庄工业区`` -> ``Xinzhuang Industrial Zone`` (romanised name + translated suffix)."""
    name = name_zh.strip("“”")
    for suffix, english in SUFFIX_EN:
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{_roman(name[: -len(suffix)])} {english}".strip()
    return _roman(name)


def slug(text: str, *, taken: set[str] = frozenset(), prefix: str = "") -> str:
    """A lowercase ASCII id from Chinese or English text, unique against `taken`."""
    roman = " ".join(lazy_pinyin(text)) if not text.isascii() else text
    base = re.sub(r"[^a-z0-9]+", "-", roman.lower()).strip("-")[:48].strip("-") or "entry"
    base = f"{prefix}-{base}" if prefix else base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
