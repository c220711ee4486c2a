"""A ranker learned from outcomes, on top of the engine's fixed weights (no Flask).

The engine scores districts and parks with fixed weights (relation roles, plan scope, rules,
wishes). With enough outcomes (`MatcherSettings.ranker_min_outcomes`), `fit_ranker` learns how
much each of the engine's per-candidate features is worth (a logistic regression over a wider
pool of the engine's own candidates: its score and rank, the roles of the plan statements behind
the place, how many plans and whether a city plan back it, the wishes and rules that apply, the
park's kind and whether its district is listed), evaluates it against the fixed ranking on the
most recent outcomes (a time split: fitted on the older ones), and saves it next to the
industry model, keyed by the taxonomy version, only when it wins. A `Matcher` then loads it and
reorders its candidates; every place keeps its score, reasons and citations exactly as the
engine made them, and each record names its ranker (`ranker`: "fixed" or "learned:<id>").
Without a saved model nothing changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from matcher.location import ROLE_SENTENCES
from matcher.model_store import DEFAULT_MODEL_DIR

FIXED = "fixed"
FORMAT = "matcher-ranker/1"
KS = (1, 3, 5)
ROLE_WEIGHT = {"core_area": 1.0, "main_carrier": 0.9, "key_development": 0.75,
               "cluster_member": 0.6, "mentioned": 0.35}
KINDS = ("base", "carrier", "cluster_area", "development_zone", "park", "science_city", "town",
         "zone")
_ROLES = [(role, re.compile("^" + re.escape(en).replace(r"\{place\}", ".+")
                            .replace(r"\{industry\}", ".+") + "$"))
          for role, (_zh, en) in ROLE_SENTENCES.items()]
WISH_NOTES = ("your preferred district", "your preferred park", "named in the description")
CURRENT_NOTE = "where the company already is"
RULE_NOTE = "the plans' layout rule"
SCOPES = ("city", "zone", "district")
# the engine's relation evidence behind a place, split by the role of the statement, the scope of
# the plan stating it, and whether it names the place itself or a park inside it
EVIDENCE = (*(f"role_{r}" for r in ROLE_WEIGHT), *(f"plan_{s}" for s in SCOPES), "direct",
            "via_park")
DISTRICT_FEATURES = ("score", "inverse_rank", "score_to_top", "role", "statements", "plans",
                     "city_plan", "wish", "current", "rule", "stale", "central", "park_here",
                     "confidence_x_score", *EVIDENCE)
PARK_FEATURES = ("score", "inverse_rank", "score_to_top", "role", "statements", "plans",
                 "city_plan", "wish", "stale", "district_listed", "district_first", "has_parent",
                 "confidence_x_score", *(f"kind_{k}" for k in KINDS), *EVIDENCE)
_EVIDENCE_CACHE: dict = {}


class _Evidence:
    """The taxonomy's relations indexed for the evidence features (one per taxonomy version)."""

    def __init__(self, tx):
        self.tx = tx
        self.desc: dict[str, set[str]] = {}
        for node in tx.industries:
            for a in tx.ancestors(node.id):
                self.desc.setdefault(a.id, set()).add(node.id)
        self.by_industry: dict[str, list] = {}
        for rel in tx.relations:
            scopes = {getattr(tx.plan_by_id.get(src.plan), "scope", "") for src in rel.sources}
            zone = tx.zone_by_id.get(rel.zone) if rel.zone else None
            self.by_industry.setdefault(rel.industry, []).append(
                (rel.role, scopes, rel.district, zone))

    @classmethod
    def of(cls, tx) -> _Evidence:
        found = _EVIDENCE_CACHE.get(tx.version)
        if found is None or found.tx is not tx:
            _EVIDENCE_CACHE.clear()
            found = _EVIDENCE_CACHE[tx.version] = cls(tx)
        return found

    def _related(self, industries: list[dict]):
        for ind in industries:
            own, p = ind["id"], float(ind.get("score") or 0.0)
            anc = [a.id for a in self.tx.ancestors(own)]
            yield from ((own, p), *((a, p * 0.85 ** (k + 1)) for k, a in enumerate(reversed(anc))),
                        *((d, p * 0.55) for d in self.desc.get(own, ())))

    def features(self, industries: list[dict], *, code: str | None = None,
                 zone_id: str | None = None) -> list[float]:
        """EVIDENCE for a district (`code`) or a park (`zone_id`)."""
        values = dict.fromkeys(EVIDENCE, 0.0)
        for industry, p in self._related(industries):
            for role, scopes, district, zone in self.by_industry.get(industry, ()):
                if code is not None:
                    hit_direct = district == code
                    hit_park = zone is not None and code in zone.district_codes[:1]
                else:
                    hit_direct = zone is not None and zone.id == zone_id
                    hit_park = zone is not None and zone.parent == zone_id
                if not (hit_direct or hit_park):
                    continue
                keys = [f"role_{role}", *(f"plan_{s}" for s in scopes if s in SCOPES),
                        "direct" if hit_direct else "via_park"]
                for key in keys:
                    values[key] = max(values[key], p)
        return [values[k] for k in EVIDENCE]


def _role(reasons_en: list[str]) -> float:
    best = 0.0
    for text in reasons_en:
        for role, pattern in _ROLES:
            if pattern.match(text):
                best = max(best, ROLE_WEIGHT[role])
    return best


def _common(rows: list[dict], i: int, tx) -> list[float]:
    row, top = rows[i], max(rows[0]["score"], 1e-6)
    reasons = row.get("reasons_en") or []
    plans = {s.get("plan") for s in row.get("sources") or []}
    city = any(getattr(tx.plan_by_id.get(p), "scope", "") == "city" for p in plans)
    statements = sum(1 for r in reasons if any(p.match(r) for _role_name, p in _ROLES))
    return [row["score"], 1.0 / (i + 1), row["score"] / top, _role(reasons), float(statements),
            float(len(plans)), float(city), float(any(n in reasons for n in WISH_NOTES))]


def district_features(districts: list[dict], parks: list[dict], confidence: float,
                      tx, industries: list[dict] = ()) -> np.ndarray:
    """One row per district candidate (DISTRICT_FEATURES)."""
    evidence = _Evidence.of(tx)
    park_best: dict[str, float] = {}
    for p in parks:
        code = p.get("district_code")
        park_best[code] = max(park_best.get(code, 0.0), p["score"])
    out = []
    for i, d in enumerate(districts):
        reasons = d.get("reasons_en") or []
        character = getattr(tx.district_by_code.get(d["code"]), "character", "")
        out.append([
            *_common(districts, i, tx), float(CURRENT_NOTE in reasons), float(any(r.startswith(RULE_NOTE) for r in reasons)),
            float(bool(d.get("stale"))), float(character == "central"),
            park_best.get(d["code"], 0.0), confidence * d["score"],
            *evidence.features(industries, code=d["code"])])
    return np.array(out, dtype=float).reshape(len(districts), len(DISTRICT_FEATURES))


def park_features(parks: list[dict], districts: list[dict], confidence: float, tx,
                  industries: list[dict] = ()) -> np.ndarray:
    """One row per park candidate (PARK_FEATURES)."""
    evidence = _Evidence.of(tx)
    rank = {d["code"]: i for i, d in enumerate(districts)}
    out = []
    for i, p in enumerate(parks):
        zone = tx.zone_by_id.get(p["id"])
        kind = getattr(zone, "kind", "")
        where = rank.get(p.get("district_code"))
        out.append([
            *_common(parks, i, tx), float(bool(p.get("stale"))), 0.0 if where is None else 1.0 / (where + 1),
            float(where == 0), float(bool(getattr(zone, "parent", None))),
            confidence * p["score"], *(float(kind == k) for k in KINDS),
            *evidence.features(industries, zone_id=p["id"])])
    return np.array(out, dtype=float).reshape(len(parks), len(PARK_FEATURES))


class CandidateRanker(BaseEstimator):
    """Pairwise logistic regression (learning to rank) over standardised candidate features:
    for each lead, the place it landed against each other candidate. The larger
    `decision_function`, the likelier a candidate is where a lead lands."""

    def __init__(self, C: float = 0.01):
        self.C = C

    def fit(self, X, y, groups=None):
        """`groups`: the lead of each row (one lead when None); rows of a lead that landed
        elsewhere carry no pair."""
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=int)
        groups = np.zeros(len(y), dtype=int) if groups is None else np.asarray(groups)
        scaler = StandardScaler().fit(X)
        Z = scaler.transform(X)
        diffs = []
        for g in np.unique(groups):
            rows = groups == g
            pos, neg = Z[rows & (y == 1)], Z[rows & (y == 0)]
            diffs += [p - n for p in pos for n in neg]
        D = np.array(diffs).reshape(-1, X.shape[1])
        model = LogisticRegression(C=self.C, fit_intercept=False, max_iter=5000)
        model.fit(np.vstack([D, -D]), np.r_[np.ones(len(D)), np.zeros(len(D))])
        self.mean_, self.scale_ = scaler.mean_, scaler.scale_
        self.coef_, self.intercept_ = model.coef_[0], 0.0
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        return ((X - self.mean_) / self.scale_) @ self.coef_ + self.intercept_

    def to_dict(self) -> dict:
        return {"C": self.C, "mean": self.mean_.tolist(),
                "scale": self.scale_.tolist(), "coef": self.coef_.tolist(),
                "intercept": self.intercept_}

    @classmethod
    def from_dict(cls, data: dict) -> CandidateRanker:
        est = cls(C=data["C"])
        est.mean_, est.scale_ = np.array(data["mean"]), np.array(data["scale"])
        est.coef_, est.intercept_ = np.array(data["coef"]), float(data["intercept"])
        est.n_features_in_ = len(est.coef_)
        return est


@dataclass
class LearnedRanker:
    """The two candidate rankers of one taxonomy version, and how they were judged."""

    taxonomy_version: str
    districts: CandidateRanker | None  # None: this list keeps the fixed order
    parks: CandidateRanker | None
    pool: int = 16
    evaluation: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        raw = json.dumps([_as_dict(self.districts), _as_dict(self.parks)], sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:10]

    @property
    def name(self) -> str:
        return f"learned:{self.id}"

    def rerank(self, districts: list[dict], parks: list[dict], industries: list[dict], tx,
               top_districts: int, top_parks: int) -> tuple[list[dict], list[dict]]:
        """The candidates in the learned order, cut to the settings' lengths; each item as the
        engine made it (score, reasons, sources), plus `rank_score`."""
        def order(rows, X, est, top):
            if not rows or est is None:
                return rows[:top]
            s = est.decision_function(X)
            ranked = sorted(range(len(rows)), key=lambda i: (-s[i], i))[:top]
            return [{**rows[i], "rank_score": round(float(1 / (1 + np.exp(-s[i]))), 4)}
                    for i in ranked]
        conf = industries[0]["score"] if industries else 0.0
        d = order(districts, district_features(districts, parks, conf, tx, industries),
                  self.districts, top_districts)
        p = order(parks, park_features(parks, districts, conf, tx, industries), self.parks,
                  top_parks)
        return d, p

    def to_dict(self) -> dict:
        return {"format": FORMAT, "taxonomy_version": self.taxonomy_version, "id": self.id,
                "pool": self.pool, "district_features": list(DISTRICT_FEATURES),
                "park_features": list(PARK_FEATURES), "districts": _as_dict(self.districts),
                "parks": _as_dict(self.parks), "evaluation": self.evaluation}


def _as_dict(est: CandidateRanker | None) -> dict | None:
    return None if est is None else est.to_dict()


def _from_dict(data: dict | None) -> CandidateRanker | None:
    return None if data is None else CandidateRanker.from_dict(data)


def ranker_path(model_dir: str | Path | None, taxonomy_version: str) -> Path:
    return Path(model_dir or DEFAULT_MODEL_DIR) / f"ranker-{taxonomy_version}.json"


def load(model_dir: str | Path | None, taxonomy_version: str) -> LearnedRanker | None:
    """The saved ranker of this taxonomy version, or None (then the fixed weights rank)."""
    path = ranker_path(model_dir, taxonomy_version)
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    if (data.get("format") != FORMAT or data.get("taxonomy_version") != taxonomy_version
            or data.get("district_features") != list(DISTRICT_FEATURES)
            or data.get("park_features") != list(PARK_FEATURES)):
        return None  # made for another version or another feature set: not used
    return LearnedRanker(taxonomy_version, _from_dict(data["districts"]),
                         _from_dict(data["parks"]), data["pool"],
                         data.get("evaluation", {}))


def save(ranker: LearnedRanker, model_dir: str | Path | None) -> Path:
    path = ranker_path(model_dir, ranker.taxonomy_version)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(ranker.to_dict(), ensure_ascii=False, indent=1), "utf-8")
    tmp.replace(path)
    return path


# ---- fitting and judging ------------------------------------------------------------------
@dataclass
class Example:
    """One landed lead on the pool: its candidates' features and where it landed."""

    closed_on: str
    district_X: np.ndarray
    district_y: np.ndarray
    park_X: np.ndarray | None
    park_y: np.ndarray | None


def examples(items: list[dict], pool_matcher) -> list[Example]:
    """The landed or signed leads of an outcomes export, scored again on `pool_matcher` (a
    fixed-weight Matcher listing `pool` candidates), oldest first."""
    landed = [i for i in items if i.get("outcome") in ("signed", "landed")
              and i.get("district_code") and i.get("profile")]
    landed.sort(key=lambda i: (str(i.get("closed_on") or ""), str(i.get("lead_id"))))
    keys = [json.dumps(i["profile"], sort_keys=True, ensure_ascii=False) for i in landed]
    unique = dict.fromkeys(keys)
    scored = dict(zip(unique, pool_matcher.match_many([json.loads(k) for k in unique]),
                      strict=True))
    records = [scored[k] for k in keys]
    tx = pool_matcher.taxonomy
    out = []
    for item, rec in zip(landed, records, strict=True):
        if "error" in rec or not rec["districts"]:
            continue
        conf = rec["industries"][0]["score"] if rec["industries"] else 0.0
        d, p = rec["districts"], rec["parks"]
        dy = np.array([x["code"] == item["district_code"] for x in d], dtype=int)
        zone = item.get("zone_id") or ""
        inds = rec["industries"]
        px = park_features(p, d, conf, tx, inds) if zone and p else None
        py = np.array([x["id"] == zone for x in p], dtype=int) if px is not None else None
        out.append(Example(str(item.get("closed_on") or ""),
                           district_features(d, p, conf, tx, inds), dy, px, py))
    return out


def _rank_of(y: np.ndarray, scores: np.ndarray | None, top: int) -> int | None:
    """1-based rank of the landed candidate (None when not in the first `top`)."""
    order = np.arange(len(y)) if scores is None else sorted(range(len(y)),
                                                            key=lambda i: (-scores[i], i))
    for r, i in enumerate(list(order)[:top], start=1):
        if y[i]:
            return r
    return None


def figures(exs: list[Example], ranker: LearnedRanker | None, top: int = 5) -> dict:
    """Hit rates at 1/3/5 and MRR (within `top`) of districts and parks: the fixed order when
    `ranker` is None, else the learned one."""
    out: dict = {}
    for kind in ("district", "park"):
        ranks = []
        for ex in exs:
            X, y = (ex.district_X, ex.district_y) if kind == "district" else (ex.park_X, ex.park_y)
            if X is None:
                continue
            est = None if ranker is None else (ranker.districts if kind == "district" else ranker.parks)
            ranks.append(_rank_of(y, None if est is None else est.decision_function(X), top))
        n = len(ranks)
        out[f"{kind}_n"] = n
        for k in KS:
            out[f"{kind}_top{k}"] = sum(r is not None and r <= k for r in ranks) / n if n else 0.0
        out[f"{kind}_mrr"] = sum(1 / r for r in ranks if r) / n if n else 0.0
    out["mrr"] = (out["district_mrr"] + out["park_mrr"]) / 2
    return out


@dataclass
class FitResult:
    switched_on: bool
    reason: str
    n_outcomes: int
    n_train: int = 0
    n_test: int = 0
    split_date: str = ""   # the first judged outcome's date
    train_until: str = ""  # the last fitted outcome's date
    fixed: dict = field(default_factory=dict)
    learned: dict = field(default_factory=dict)   # what is switched on (fixed for a list off)
    ranker: LearnedRanker | None = None
    path: Path | None = None
    tried: dict = field(default_factory=dict)     # both lists learned, on or off


def pool_settings(settings, pool: int):
    return replace(settings, top_districts=max(pool, settings.top_districts),
                   top_parks=max(pool, settings.top_parks))


def fit_ranker(items: list[dict], *, taxonomy=None, settings=None, model_dir=None,
               test_share: float = 0.3, save_model: bool = True, C: float = 0.01) -> FitResult:
    """Fit on the older outcomes, judge on the most recent `test_share` against the fixed
    weights. The districts' and the parks' rankers each switch on only when they win by at
    least `settings.ranker_min_gain` in MRR of their list; saved (and so switched on for this
    taxonomy version) when either does. Fewer than
    `settings.ranker_min_outcomes` landed leads: nothing is fitted."""
    from matcher.engine import Matcher
    from matcher.settings import MatcherSettings

    settings = settings or MatcherSettings()
    pool = settings.ranker_pool
    pool_matcher = Matcher(taxonomy, pool_settings(settings, pool), model_dir=model_dir,
                           ranker=None)
    exs = examples(items, pool_matcher)
    version = pool_matcher.version
    if len(exs) < settings.ranker_min_outcomes:
        return FitResult(False, f"{len(exs)} landed leads, fewer than the "
                         f"{settings.ranker_min_outcomes} needed", len(exs))
    cut = round(len(exs) * (1 - test_share))
    train, test = exs[:cut], exs[cut:]
    def stack(kind):
        Xs = [e.district_X if kind == "d" else e.park_X for e in train]
        ys = [e.district_y if kind == "d" else e.park_y for e in train]
        pairs = [(X, y) for X, y in zip(Xs, ys, strict=True) if X is not None and len(X)]
        groups = np.concatenate([np.full(len(y), k) for k, (_, y) in enumerate(pairs)])
        return (np.vstack([X for X, _ in pairs]), np.concatenate([y for _, y in pairs]),
                groups)
    both = LearnedRanker(version, CandidateRanker(C=C).fit(*stack("d")),
                         CandidateRanker(C=C).fit(*stack("p")), pool)
    fixed, tried = figures(test, None), figures(test, both)
    gain = settings.ranker_min_gain
    # each list switches on alone, when it wins on its own
    on = {kind: tried[f"{kind}_mrr"] >= fixed[f"{kind}_mrr"] + gain and fixed[f"{kind}_n"] > 0
          for kind in ("district", "park")}
    wins = any(on.values())
    ranker = LearnedRanker(version, both.districts if on["district"] else None,
                           both.parks if on["park"] else None, pool)
    learned = figures(test, ranker)
    result = FitResult(wins, "", len(exs), len(train), len(test),
                       test[0].closed_on if test else "", train[-1].closed_on if train else "",
                       fixed, learned, ranker)
    result.tried = tried
    parts = [f"{kind}s: learned MRR {tried[f'{kind}_mrr']:.3f} vs fixed "
             f"{fixed[f'{kind}_mrr']:.3f} ({'on' if on[kind] else 'off'})"
             for kind in ("district", "park")]
    result.reason = "; ".join(parts) + f", on the {len(test)} most recent landed leads"
    ranker.evaluation = {"fixed": fixed, "learned": learned, "tried": tried,
                         "n_train": len(train),
                         "n_test": len(test), "split_date": result.split_date,
                         "fitted_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    path = ranker_path(model_dir, version)
    if save_model and wins:
        result.path = save(ranker, model_dir)
    elif save_model and path.is_file():
        path.unlink()  # a model that no longer wins is switched off
    return result
