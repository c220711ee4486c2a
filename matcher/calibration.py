"""Confidence that means what it says: a reliability mapping per input style.

The raw confidence (the scorer's probability of the top industry) is over-confident in some
styles (business scopes, traditional Chinese) more than others. `Calibrator` learns, per style,
a logistic map from the raw confidence's logit to the chance that the top industry is right,
on a held-out labelled split (`python -m matcher calibrate`), shrunk toward the pooled map where
a style has few leads. It is saved as JSON next to the model and read by the matcher.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from matcher.scope import looks_like_scope
from matcher.text import has_chinese, is_traditional

STYLES = ("prose", "en", "zh-hant", "scope")
ALIASES = {"zh": "prose"}  # the plan-derived benchmark calls simplified prose "zh"
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "calibration.json"
_EPS = 1e-4
MIN_SLOPE = 0.1


def input_style(description: str) -> str:
    """prose (simplified Chinese), en, zh-hant (traditional) or scope (经营范围)."""
    if looks_like_scope(description):
        return "scope"
    if not has_chinese(description):
        return "en"
    return "zh-hant" if is_traditional(description) else "prose"


def _logit(p) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


class Calibrator:
    """Per-style logistic calibration; `fit` returns self; params in `maps_` {style: (a, b, n)}."""

    def __init__(self, min_leads: int = 8, prior_leads: float = 10.0):
        self.min_leads = min_leads
        self.prior_leads = prior_leads

    @staticmethod
    def _fit_one(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        if len(set(y.tolist())) < 2:  # all right or all wrong: only the level is known
            rate = (y.sum() + 1) / (len(y) + 2)
            return 0.0, float(_logit(rate))
        model = LogisticRegression(C=1.0).fit(x.reshape(-1, 1), y)
        slope = max(float(model.coef_[0, 0]), MIN_SLOPE)  # more raw confidence never means less
        return slope, float(model.intercept_[0])

    def fit(self, confidences, correct, styles) -> Calibrator:
        x, y = _logit(confidences), np.asarray(correct, dtype=int)
        st = np.asarray([ALIASES.get(s, s) for s in styles])
        a0, b0 = self._fit_one(x, y)
        self.maps_ = {"all": (a0, b0, len(y))}
        for style in sorted(set(st.tolist())):
            mask = st == style
            n = int(mask.sum())
            if n < self.min_leads:
                continue
            a, b = self._fit_one(x[mask], y[mask])
            w = n / (n + self.prior_leads)  # few leads: stay near the pooled map
            self.maps_[style] = (w * a + (1 - w) * a0, w * b + (1 - w) * b0, n)
        return self

    def transform(self, confidence: float, style: str) -> float:
        a, b, _n = self.maps_.get(ALIASES.get(style, style)) or self.maps_["all"]
        z = a * float(_logit(confidence)) + b
        return 1.0 / (1.0 + math.exp(-z))

    def to_dict(self) -> dict:
        return {"maps": {k: list(v) for k, v in self.maps_.items()},
                "min_leads": self.min_leads, "prior_leads": self.prior_leads}

    @classmethod
    def from_dict(cls, data: dict) -> Calibrator:
        cal = cls(data.get("min_leads", 8), data.get("prior_leads", 10.0))
        cal.maps_ = {k: (float(v[0]), float(v[1]), int(v[2])) for k, v in data["maps"].items()}
        return cal


def save(cal: Calibrator, path: str | Path = DEFAULT_PATH, **about) -> Path:
    path = Path(path)
    path.write_text(json.dumps({**cal.to_dict(), **about}, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return path


def load(path: str | Path = DEFAULT_PATH) -> Calibrator | None:
    """The saved calibration, or None when there is none (raw confidence is then used)."""
    path = Path(path)
    if not path.is_file():
        return None
    return Calibrator.from_dict(json.loads(path.read_text(encoding="utf-8")))
