"""Command line: `python -m matcher match|score|evaluate|build`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from matcher.errors import MatcherError
from taxonomy import TaxonomyError

FIELD_OPTIONS = ("name", "project_type", "investment", "land", "employees", "origin", "traits",
                 "preferred_districts", "address", "industry_label", "lead_kind")


def default_lang() -> str:
    """zh when the terminal's locale is Chinese (LANG=zh_CN.UTF-8 ...), else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _matcher(args):
    from matcher.engine import Matcher
    from taxonomy import get_taxonomy

    return Matcher(get_taxonomy(args.taxonomy), model_dir=args.model_dir)


def cmd_match(args) -> int:
    from matcher.explain import render

    profile = {"description": args.text}
    for name in FIELD_OPTIONS:
        value = getattr(args, name)
        if value is not None:
            profile[name] = value
    record = _matcher(args).match(profile)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=1))
    else:
        print(render(record, args.lang))
    return 1 if "error" in record else 0


def cmd_score(args) -> int:
    from matcher.batch import score_file

    bar = None
    if sys.stderr.isatty() and not args.quiet:
        from tqdm import tqdm

        bar = tqdm(unit=" rows", file=sys.stderr)
    if args.engine == "dask":
        from matcher.dask_engine import score_file_dask

        summary = score_file_dask(args.input, args.output, scheduler=args.scheduler,
                                  encoding=args.encoding, chunk_size=args.chunk_size,
                                  header_row=args.header_row,
                                  errors_path=args.errors, taxonomy_dir=args.taxonomy,
                                  model_dir=args.model_dir, detail=args.detail,
                                  progress=bar.update if bar else None)
    else:
        summary = score_file(args.input, args.output, encoding=args.encoding,
                             header_row=args.header_row,
                             chunk_size=args.chunk_size, workers=args.workers,
                             errors_path=args.errors, taxonomy_dir=args.taxonomy,
                             model_dir=args.model_dir, progress=bar.update if bar else None,
                             detail=args.detail)
    if bar:
        bar.close()
    mapping = ", ".join(f"{k}->{v}" for k, v in summary.mapping.items())
    print(f"scored {summary.rows} rows ({summary.errors} with errors) in {summary.seconds:.1f}s, "
          f"{summary.rows_per_second:.0f} rows/s; encoding {summary.encoding or 'n/a'}; "
          f"header row {summary.header_row or 'n/a'}; columns {mapping}", file=sys.stderr)
    if summary.catalogue_path:
        print(f"list records; their citations, reasons and policy texts: "
              f"{summary.catalogue_path}", file=sys.stderr)
    return 0


def cmd_evaluate(args) -> int:
    from matcher.evaluate import (
        DEFAULT_BENCHMARK,
        REAL_COMPANIES,
        evaluate,
        format_report,
        load_benchmark,
        split,
    )

    if args.outcomes:
        return _evaluate_outcomes(args)
    matcher = _matcher(args)
    sets = []
    if args.data:
        sets.append((str(args.data), load_benchmark(args.data)))
    else:
        sets.append((f"plan-derived benchmark ({DEFAULT_BENCHMARK.name})",
                     load_benchmark(DEFAULT_BENCHMARK)))
        if REAL_COMPANIES.is_file():
            real = load_benchmark(REAL_COMPANIES)
            for name in ("dev", "test"):
                sets.append((f"real companies ({REAL_COMPANIES.name}), {name} split", split(real, name)))
    reports = {title: evaluate(matcher, cases) for title, cases in sets if cases}
    if args.json:
        print(json.dumps({t: r.as_dict() for t, r in reports.items()}, ensure_ascii=False, indent=1))
    else:
        real_bars = {"top1": 0.60, "hit3": 0.92, "ind": 0.93, "park": 0.80, "out": 0.90}  # issue 12
        print("\n\n".join(format_report(r, show_misses=not args.no_misses, title=f"== {t}",
                                        bars=real_bars if REAL_COMPANIES.name in t else None)
                          for t, r in reports.items()))
    return 0


def _evaluate_outcomes(args) -> int:
    """The outcomes report of an export (each lead judged by the match it carried)."""
    from matcher.outcomes import format_report, load_outcomes, report
    from taxonomy import get_taxonomy

    rep = report(load_outcomes(args.outcomes), get_taxonomy(args.taxonomy))
    if args.json:
        print(json.dumps(rep.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(format_report(rep, title=f"== outcomes ({args.outcomes})"))
    return 0


def cmd_fit_ranker(args) -> int:
    """Fit the ranker on an outcomes export; saved (switched on) only when it wins."""
    from dataclasses import replace

    from matcher.outcomes import load_outcomes
    from matcher.ranker import fit_ranker
    from matcher.settings import MatcherSettings
    from taxonomy import get_taxonomy

    settings = MatcherSettings()
    if args.min_outcomes is not None:
        settings = replace(settings, ranker_min_outcomes=args.min_outcomes)
    result = fit_ranker(load_outcomes(args.outcomes), taxonomy=get_taxonomy(args.taxonomy),
                        settings=settings, model_dir=args.model_dir, save_model=not args.dry_run)
    if args.json:
        print(json.dumps({"switched_on": result.switched_on, "reason": result.reason,
                          "n_outcomes": result.n_outcomes, "n_train": result.n_train,
                          "n_test": result.n_test, "split_date": result.split_date,
                          "fixed": result.fixed, "learned": result.learned,
                          "path": str(result.path or "")}, indent=1))
        return 0
    print(f"{result.n_outcomes} landed leads; fitted on {result.n_train}, judged on the "
          f"{result.n_test} closed from {result.split_date or '-'} on")
    if result.fixed:
        print("                 d@1    d@3    d@5    d MRR  p@1    p@3    p@5    p MRR")
        rows = (("fixed weights", result.fixed), ("learned", result.tried),
                ("switched on", result.learned))
        for name, f in rows:
            print(f"  {name:<14}" + "".join(f" {f[k]:.3f} " for k in (
                "district_top1", "district_top3", "district_top5", "district_mrr",
                "park_top1", "park_top3", "park_top5", "park_mrr")))
    state = ("not switched on (the fixed weights rank)" if not result.switched_on
             else "wins (dry run: not saved)" if args.dry_run else "switched on")
    print(f"{state}: {result.reason}" + (f"; saved to {result.path}" if result.path else ""))
    return 0


def _calibration_rows(matcher, cases: list[dict]) -> tuple[list, list, list]:
    """Features, whether the first district is right, and the style of each lead inside the
    plans (a lead outside them is the outside detector's to route: its confidence is capped)."""
    from matcher import calibration

    feats, right, styles = [], [], []
    records = matcher.match_many([c["profile"] for c in cases])
    for case, rec in zip(cases, records, strict=True):
        exp = case["expect"]
        if "error" in rec or exp.get("outside"):
            continue
        best = exp.get("best_districts") or exp.get("districts", [])
        feats.append(calibration.match_features(rec["confidence"], rec["districts"],
                                                rec["industries"]))
        right.append(bool(rec["districts"]) and rec["districts"][0]["code"] in best)
        styles.append(calibration.input_style(case["profile"]["description"]))
    return feats, right, styles


def cmd_calibrate(args) -> int:
    from matcher import calibration
    from matcher.engine import Matcher
    from matcher.evaluate import DEFAULT_BENCHMARK, REAL_COMPANIES, load_benchmark, split
    from taxonomy import get_taxonomy

    if args.split == "test":
        raise MatcherError("the test split is for reporting only: fit on dev")
    cases = split(load_benchmark(args.data or REAL_COMPANIES), args.split)
    if not cases:
        raise MatcherError(f"no labelled leads in split {args.split!r} of {args.data or REAL_COMPANIES}")
    tx = get_taxonomy(args.taxonomy)
    raw = Matcher(tx, model_dir=args.model_dir, calibration=None)
    feats, right, styles = _calibration_rows(raw, cases)
    weights = [args.real_weight] * len(right)
    plan_n = 0
    if args.plan != "none":
        pf, pr, ps = _calibration_rows(raw, load_benchmark(args.plan or DEFAULT_BENCHMARK))
        plan_n = len(pr)
        feats, right, styles, weights = feats + pf, right + pr, styles + ps, weights + [1.0] * plan_n
    cal = calibration.MatchCalibrator().fit(feats, right, styles, weights)
    path = calibration.save(cal, args.output or calibration.DEFAULT_PATH,
                            fitted_on=f"{Path(args.data or REAL_COMPANIES).name}:{args.split}"
                                      + (f" (weight {args.real_weight:g}) + plan-derived" if plan_n else ""),
                            target="first district right",
                            leads=len(right) - plan_n, plan_leads=plan_n, taxonomy_version=tx.version)
    terms = " ".join(f"{c:+.3f}*{f}" for c, f in zip(cal.coef_, cal.features, strict=True))
    print(f"logit(P first district right) = {cal.intercept_:+.3f} {terms} + level(style)")
    for style, (level, n) in cal.levels_.items():
        print(f"  {style:<8} n={n:4d}  level {level:+.3f}")
    print(f"calibration written to {path}")
    return 0


def cmd_build(args) -> int:
    from matcher.model_store import DEFAULT_MODEL_DIR, load_or_build, model_path
    from taxonomy import get_taxonomy

    tx = get_taxonomy(args.taxonomy)
    load_or_build(tx, args.model_dir, rebuild=args.force)
    print(f"model for taxonomy {tx.version}: {model_path(args.model_dir or DEFAULT_MODEL_DIR, tx)}")
    return 0


def _header_row(value: str) -> int | None:
    if value.strip().lower() == "auto":
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a row number (1, 2, ... or auto)")
    return number


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m matcher",
                                description="Match company profiles to Shanghai's plans.")
    p.add_argument("--taxonomy", help="taxonomy data folder (default: the packaged one)")
    p.add_argument("--model-dir", default=os.environ.get("MATCHER_MODEL_DIR"),
                   help="where fitted models are kept (default var/models)")
    sub = p.add_subparsers(dest="command", required=True)

    m = sub.add_parser("match", help="match one description and explain the result")
    m.add_argument("text", help="free-text description (Chinese or English)")
    for name in FIELD_OPTIONS:
        m.add_argument("--" + name.replace("_", "-"), dest=name)
    m.add_argument("--json", action="store_true", help="print the DESIGN §5 JSON record")
    m.add_argument("--lang", choices=["en", "zh"], default=default_lang(),
                   help="language of the explanation (default: zh when LANG is Chinese)")
    m.set_defaults(func=cmd_match)

    s = sub.add_parser("score", help="score a lead list (.csv, .xlsx, .jsonl)")
    s.add_argument("input")
    s.add_argument("-o", "--output", required=True, help=".jsonl, .csv or .xlsx")
    s.add_argument("--encoding", help="force the input encoding (default: detected)")
    s.add_argument("--header-row", type=_header_row, default=None, metavar="N",
                   help="the file's row that holds the column headers (default: auto, the "
                        "first row that maps to known headers, below any title line)")
    s.add_argument("--errors", help="also write the rows that failed to this file")
    s.add_argument("--engine", choices=["local", "dask"], default="local")
    s.add_argument("--scheduler", help="Dask scheduler address (default: a LocalCluster)")
    s.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="local worker processes (default: one per core)")
    s.add_argument("--chunk-size", type=int, default=500,  # matcher.batch.CHUNK_SIZE
                   help="rows per chunk (default 500)")
    s.add_argument("--detail", choices=["list", "full"], default="list",
                   help="JSONL records: list (default: what an officer reads, with ids into "
                        "OUTPUT.catalogue.json) or full (every citation and text in every row)")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_score)

    e = sub.add_parser("evaluate", help="print the benchmark figures")
    e.add_argument("--data", default=None,
                   help="one labelled .jsonl (default: the plan-derived benchmark, then the real "
                        "companies' dev and test splits when tests/data/real_companies.jsonl exists)")
    e.add_argument("--outcomes", default=None, metavar="FILE",
                   help="an outcomes export (.jsonl, /outcomes/export.jsonl): how often the "
                        "landed district and park were in the match's top 1/3/5")
    e.add_argument("--json", action="store_true")
    e.add_argument("--no-misses", action="store_true")
    e.set_defaults(func=cmd_evaluate)

    r = sub.add_parser("fit-ranker", help="learn the place ranking from outcomes; switched on "
                                          "only when it beats the fixed weights")
    r.add_argument("--outcomes", required=True, metavar="FILE",
                   help="an outcomes export (.jsonl: /outcomes/export.jsonl or "
                        "scripts/make_outcome_history.py)")
    r.add_argument("--min-outcomes", type=int, default=None,
                   help="least landed leads to fit on (default: MatcherSettings.ranker_min_outcomes)")
    r.add_argument("--dry-run", action="store_true", help="judge it, but save nothing")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_fit_ranker)

    c = sub.add_parser("calibrate", help="fit the confidence calibration (chance the first district is right) on a labelled split")
    c.add_argument("--data", default=None, help="labelled .jsonl (default tests/data/real_companies.jsonl)")
    c.add_argument("--split", default="dev", help="which split to fit on (default dev; never test)")
    c.add_argument("--plan", default=None, help="plan-derived leads fitted with it (default "
                   "tests/data/benchmark.jsonl; 'none' for none)")
    c.add_argument("--real-weight", type=float, default=4.0,
                   help="weight of each real lead against a plan-derived one (default 4: the "
                        "largest that keeps the plan-derived set's review share at most 0.25)")
    c.add_argument("-o", "--output", default=None, help="where to write it (default matcher/data/calibration.json)")
    c.set_defaults(func=cmd_calibrate)

    b = sub.add_parser("build", help="fit and save the model for the current taxonomy")
    b.add_argument("--force", action="store_true", help="refit even if a saved model exists")
    b.set_defaults(func=cmd_build)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (MatcherError, TaxonomyError) as exc:
        zh = getattr(exc, "zh", None) or getattr(exc, "message_zh", None)
        if default_lang() == "zh" and zh:
            print(f"错误：{zh}", file=sys.stderr)
        else:
            print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
