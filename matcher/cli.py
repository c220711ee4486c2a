"""Command line: `python -m matcher match|score|evaluate|build`."""

from __future__ import annotations

import argparse
import json
import os
import sys

from matcher.errors import MatcherError
from taxonomy import TaxonomyError

FIELD_OPTIONS = ("name", "project_type", "investment", "land", "employees", "origin", "traits",
                 "preferred_districts")


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
        print(render(record))
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
                                  model_dir=args.model_dir,
                                  progress=bar.update if bar else None)
    else:
        summary = score_file(args.input, args.output, encoding=args.encoding,
                             header_row=args.header_row,
                             chunk_size=args.chunk_size, workers=args.workers,
                             errors_path=args.errors, taxonomy_dir=args.taxonomy,
                             model_dir=args.model_dir, progress=bar.update if bar else None)
    if bar:
        bar.close()
    mapping = ", ".join(f"{k}->{v}" for k, v in summary.mapping.items())
    print(f"scored {summary.rows} rows ({summary.errors} with errors) in {summary.seconds:.1f}s, "
          f"{summary.rows_per_second:.0f} rows/s; encoding {summary.encoding or 'n/a'}; "
          f"header row {summary.header_row or 'n/a'}; columns {mapping}", file=sys.stderr)
    return 0


def cmd_evaluate(args) -> int:
    from matcher.evaluate import evaluate, format_report, load_benchmark

    rep = evaluate(_matcher(args), load_benchmark(args.data))
    if args.json:
        print(json.dumps(rep.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(format_report(rep, show_misses=not args.no_misses))
    return 0


def cmd_build(args) -> int:
    from matcher.model_store import DEFAULT_MODEL_DIR, load_or_build, model_path
    from taxonomy import get_taxonomy

    tx = get_taxonomy(args.taxonomy)
    load_or_build(tx, args.model_dir, rebuild=args.force)
    print(f"model for taxonomy {tx.version}: {model_path(args.model_dir or DEFAULT_MODEL_DIR, tx.version)}")
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
    s.add_argument("--chunk-size", type=int, default=1000)
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_score)

    e = sub.add_parser("evaluate", help="print the benchmark figures")
    e.add_argument("--data", default=None, help="benchmark .jsonl (default tests/data/benchmark.jsonl)")
    e.add_argument("--json", action="store_true")
    e.add_argument("--no-misses", action="store_true")
    e.set_defaults(func=cmd_evaluate)

    b = sub.add_parser("build", help="fit and save the model for the current taxonomy")
    b.add_argument("--force", action="store_true", help="refit even if a saved model exists")
    b.set_defaults(func=cmd_build)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "data", "x") is None:
        from matcher.evaluate import DEFAULT_BENCHMARK

        args.data = DEFAULT_BENCHMARK
    try:
        return args.func(args)
    except (MatcherError, TaxonomyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
