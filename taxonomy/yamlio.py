"""Round-trip editing of the taxonomy's YAML files, keeping comments, quotes and layout.

The curated files use one of two layouts: top-level list at column 0 with nested lists indented
under their key (``  sources:`` / ``    - plan:``), or nested lists flush with their key. A file
is re-written in the layout it was read in, so an edit changes only the lines it means to.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from taxonomy.errors import TaxonomyFormatError
from taxonomy.messages import msg

NESTED, FLAT = "nested", "flat"


def _represent_none(representer, _data):
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _yaml(style: str) -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.representer.add_representer(type(None), _represent_none)
    if style == NESTED:
        y.indent(mapping=2, sequence=4, offset=2)
    else:
        y.indent(mapping=2, sequence=2, offset=0)
    return y


def dumps(data, style: str = NESTED) -> str:
    buf = io.StringIO()
    _yaml(style).dump(data, buf)
    out = buf.getvalue()
    if style == NESTED:  # ruamel indents the top-level list too; the files keep it at column 0
        out = "".join(line[2:] if line.startswith("  ") else line
                      for line in out.splitlines(keepends=True))
    return out


class YamlFile:
    """One data file loaded for editing: `.data` is its top-level list; `save()` writes it back."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        text = self.path.read_text(encoding="utf-8") if self.path.is_file() else ""
        try:
            self.data = _yaml(NESTED).load(text) if text.strip() else None
        except YAMLError as exc:
            from taxonomy.loader import yaml_text

            raise TaxonomyFormatError(yaml_text(self.path, exc),
                                      log=f"{self.path}: not valid YAML: {exc}") from exc
        if self.data is None:
            self.data = CommentedSeq()
        if not isinstance(self.data, list):
            raise TaxonomyFormatError(msg("format.not_list", path=str(self.path)))
        self.style = _style_of(text)
        self._text = text
        self._appended = 0

    def find(self, key: str, value) -> CommentedMap | None:
        return next((e for e in self.data if isinstance(e, dict) and e.get(key) == value), None)

    def append(self, entry: dict) -> CommentedMap:
        """Append an entry (lists of plain strings written in flow style, like the curated files)."""
        node = to_node(entry)
        self.data.append(node)
        self._appended += 1
        return node

    def text(self) -> str:
        out = dumps(self.data, self.style)
        if self._appended and "\n\n- " in self._text:  # keep the file's blank line between entries
            lines = out.splitlines(keepends=True)
            tops = [i for i, line in enumerate(lines) if line.startswith("- ")]
            for i in reversed(tops[-self._appended:]):
                if i and lines[i - 1].strip():
                    lines.insert(i, "\n")
            out = "".join(lines)
        return out

    def save(self) -> bool:
        """Write the file if its content changed; returns whether it did."""
        out = self.text()
        if out == self._text:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(out, encoding="utf-8")
        self._text = out
        return True


def _style_of(text: str) -> str:
    """FLAT when the first nested list item sits at the indent of its key, else NESTED."""
    m = re.search(r"^( +)- ", text, re.MULTILINE)
    return FLAT if m and len(m.group(1)) == 2 else NESTED


def to_node(value):
    """Plain dicts/lists to ruamel nodes: lists of scalars in flow style, the rest in block."""
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = to_node(v)
        return node
    if isinstance(value, list | tuple):
        seq = CommentedSeq(to_node(v) for v in value)
        if all(not isinstance(v, dict | list | tuple) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value
