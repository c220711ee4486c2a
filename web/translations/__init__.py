"""Chinese texts of the interface, keyed by their English source text.

Each area of the app keeps its own module (`core`, `batch`, ...) so that work on one area never
edits another's table. `ZH` merges them; a key defined twice with different texts is an error.
"""

from __future__ import annotations

import importlib
import pkgutil


def _merge() -> dict[str, str]:
    merged: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        table = getattr(importlib.import_module(f"{__name__}.{info.name}"), "ZH", {})
        for key, text in table.items():
            if merged.get(key, text) != text:
                raise RuntimeError(f"translation of {key!r} differs between modules "
                                   f"({merged[key]!r} vs {text!r} in {info.name})")
            merged[key] = text
    return merged


ZH = _merge()

__all__ = ["ZH"]
