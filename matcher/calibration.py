"""Confidence that means what it says: a reliability mapping per input style.

The raw confidence (the scorer's probability of the top industry) is over-confident in some
styles (business scopes, traditional Chinese) more than others. `Calibrator` learns, per style,
a logistic map from the raw confidence's logit to the chance that the top industry is right,
on a held-out labelled split (`python -m matcher calibrate`), shrunk toward the pooled map where
a style has few leads. It is saved as JSON next to the model and read by the matcher.

The raw confidence says how sure the scorer is of the industry; on real companies the industry
is mostly right while the first district is right less than half the time, and the raw
confidence does not tell them apart. `MatchCalibrator` (what `python -m matcher calibrate` fits
now) gives the chance that the first district is right, from what a record carries at run time:
the raw confidence, the first district's score, its lead over the third, the plan statements
backing it (`match_features`), with a per-style level, fitted on the real companies' dev split
weighted together with the plan-derived leads.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from matcher.scope import looks_like_scope
from matcher.specificity import ALONE_EN
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

    def score(self, *, confidence: float, style: str, districts: list[dict],
              industries=()) -> float:
        """The calibrated confidence of a record (this map reads the raw confidence only)."""
        return self.transform(confidence, style)

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


FEATURES = ("logit_raw", "district_score", "lead_over_third", "log_statements",
            "named_alone", "sectors_apart")


def match_features(confidence: float, districts: list[dict], industries=()) -> list[float]:
    """Run-time features of a record: logit of the raw confidence, the first district's score,
    its lead over the third district, log(1 + plan statements backing the first district),
    whether a clause names the first district alone for the industry (matcher/specificity.py),
    and whether the listed industries lie in more than one sector (the places then follow
    industries that may not be the company's, and the first district is less sure)."""
    scores = [float(d["score"]) for d in districts[:3]] + [0.0, 0.0, 0.0]
    backing = len(districts[0].get("sources", ())) if districts else 0
    alone = bool(districts) and any(ALONE_EN in r for r in districts[0].get("reasons_en") or ())
    sectors = {(i.get("path_en") or i.get("id") or "").split(" > ")[0] for i in industries}
    return [float(_logit(confidence)), scores[0], scores[0] - scores[2], math.log1p(backing),
            float(alone), float(len(sectors) > 1)]


# what the fitted map reads: the raw industry confidence says nothing about whether the first
# district is right (its weight was -0.05 on real dev + plan-derived leads); industries from
# several sectors do (the places then follow an uncertain industry)
MATCH_FEATURES = ("district_score", "lead_over_third", "log_statements", "named_alone",
                  "sectors_apart")


class MatchCalibrator:
    """Chance that the first district is right: a logistic map of `match_features`, plus a
    per-style level shrunk toward zero where a style has few leads. `fit` returns self."""

    kind = "match"

    def __init__(self, prior_leads: float = 20.0, C: float = 1.0,
                 features: tuple[str, ...] = MATCH_FEATURES):
        self.prior_leads = prior_leads
        self.C = C
        self.features = tuple(features)

    def _columns(self, rows) -> np.ndarray:
        """The columns of `match_features` rows this map reads."""
        x = np.asarray(rows, dtype=float)
        return x[:, [FEATURES.index(f) for f in self.features]]

    def fit(self, features, correct, styles, weights=None) -> MatchCalibrator:
        """`features`: rows of `match_features` (all of FEATURES); the map reads `self.features`."""
        x = self._columns(features)
        y = np.asarray(correct, dtype=int)
        w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
        st = np.asarray([ALIASES.get(s, s) for s in styles])
        model = LogisticRegression(C=self.C, max_iter=1000).fit(x, y, sample_weight=w)
        self.coef_ = [float(c) for c in model.coef_[0]]
        self.intercept_ = float(model.intercept_[0])
        pooled = self._z(x)
        self.levels_ = {}
        for style in sorted(set(st.tolist())):
            mask = st == style
            ws = w[mask]
            rate = (float((y[mask] * ws).sum()) + 1) / (float(ws.sum()) + 2)
            p = 1.0 / (1.0 + np.exp(-pooled[mask]))
            mean_p = float((p * ws).sum() / ws.sum())
            n = int(mask.sum())
            shrink = n / (n + self.prior_leads)
            self.levels_[style] = (shrink * float(_logit(rate) - _logit(mean_p)), n)
        return self

    def _z(self, x: np.ndarray) -> np.ndarray:
        return x @ np.asarray(self.coef_) + self.intercept_

    def score(self, *, confidence: float, style: str, districts: list[dict],
              industries=()) -> float:
        """The chance that the record's first district is right."""
        x = self._columns([match_features(confidence, districts, industries)])
        z = float(self._z(x)[0])
        z += self.levels_.get(ALIASES.get(style, style), (0.0, 0))[0]
        return 1.0 / (1.0 + math.exp(-z))

    def to_dict(self) -> dict:
        return {"kind": self.kind, "features": list(self.features), "coef": self.coef_,
                "intercept": self.intercept_,
                "levels": {k: list(v) for k, v in self.levels_.items()},
                "prior_leads": self.prior_leads, "C": self.C}

    @classmethod
    def from_dict(cls, data: dict) -> MatchCalibrator:
        coef = [float(c) for c in data["coef"]]
        names = data.get("features") or FEATURES  # a map saved before the names were kept
        cal = cls(data.get("prior_leads", 20.0), data.get("C", 1.0), tuple(names[: len(coef)]))
        cal.coef_ = coef
        cal.intercept_ = float(data["intercept"])
        cal.levels_ = {k: (float(v[0]), int(v[1])) for k, v in data["levels"].items()}
        return cal


def save(cal: Calibrator | MatchCalibrator, path: str | Path = DEFAULT_PATH, **about) -> Path:
    path = Path(path)
    path.write_text(json.dumps({**cal.to_dict(), **about}, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return path


def load(path: str | Path = DEFAULT_PATH) -> Calibrator | MatchCalibrator | None:
    """The saved calibration, or None when there is none (raw confidence is then used)."""
    path = Path(path)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("kind") == MatchCalibrator.kind:
        return MatchCalibrator.from_dict(data)
    return Calibrator.from_dict(data)
