"""所属行业 / 国标行业 (GB/T 4754-2017) labels from company-data exports, read against the
taxonomy's crosswalk (taxonomy/data/gbt4754.yaml)."""

from __future__ import annotations

import re
from typing import NamedTuple

from rapidfuzz import fuzz, process

from matcher.text import normalize
from taxonomy import Taxonomy

_CODE = re.compile(r"(?<![0-9])([a-t]?)\s*(\d{2,4})(?![0-9])")
_LABEL_SUFFIX = re.compile(r"(业|服务|制造)$")


class LabelMatch(NamedTuple):
    code: str
    name_zh: str
    name_en: str
    mapping: str                 # plan | project | outside
    industries: tuple[str, ...]
    how: str                     # code | name | fuzzy


class Crosswalk:
    """Resolves an industry label (code, class name or division name) to the most specific
    GB/T 4754 class the crosswalk lists."""

    def __init__(self, taxonomy: Taxonomy):
        self.classes = taxonomy.industry_class_by_code
        self.by_name = {}
        for c in taxonomy.industry_classes:
            self.by_name.setdefault(normalize(c.name_zh), c.code)
            self.by_name.setdefault(normalize(c.name_en), c.code)
        self._names = list(self.by_name)

    def _listed(self, code: str) -> str | None:
        """The code itself or its nearest listed ancestor (3973 -> 397 -> 39)."""
        while len(code) >= 2:
            if code in self.classes:
                return code
            code = code[:-1]
        return None

    def resolve(self, label: str | None) -> LabelMatch | None:
        text = normalize(label or "")
        if not text:
            return None
        found, how = None, ""
        for m in _CODE.finditer(text):
            code = self._listed(m.group(2))
            if code and (found is None or len(code) > len(found)):
                found, how = code, "code"
        if found is None:
            for part in re.split(r"[/|>＞,，;；\-—]+", text):  # "制造业/医药制造业" -> most specific
                part = part.strip()
                code = self.by_name.get(part) or self.by_name.get(_LABEL_SUFFIX.sub("", part))
                if code and (found is None or len(code) > len(found)):
                    found, how = code, "name"
        if found is None and len(text) >= 2:
            best = process.extractOne(text, self._names, scorer=fuzz.ratio, score_cutoff=80)
            if best:
                found, how = self.by_name[best[0]], "fuzzy"
        if found is None:
            return None
        c = self.classes[found]
        return LabelMatch(c.code, c.name_zh, c.name_en, c.mapping, c.industries, how)
