"""`python -m taxonomy check [--plans DIR]` and `python -m taxonomy export [-o FILE]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from taxonomy import TaxonomyError, load_taxonomy, to_json, validate

DEFAULT_PLANS = Path(__file__).resolve().parent.parent.parent / "shared" / "plans"


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", default=argparse.SUPPRESS,
                        help="taxonomy data folder (default: the packaged one)")
    parser = argparse.ArgumentParser(prog="python -m taxonomy", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", parents=[common], help="validate the taxonomy and print counts")
    check.add_argument("--plans", help=f"plans folder for citation checks (default {DEFAULT_PLANS} if present)")
    check.add_argument("--no-plans", action="store_true", help="skip the citation checks")
    export = sub.add_parser("export", parents=[common],
                            help="write the whole taxonomy as one JSON document")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    args.data = getattr(args, "data", None)

    try:
        tx = load_taxonomy(args.data)
        if args.command == "check":
            plans = None if args.no_plans else (args.plans or (DEFAULT_PLANS if DEFAULT_PLANS.is_dir() else None))
            if plans is not None and not Path(plans).is_dir():
                print(f"error: plans folder {plans} not found", file=sys.stderr)
                return 2
            validate(tx, plans)
            counts = ", ".join(f"{n} {k}" for k, n in tx.counts().items())
            cited = "citations checked against " + str(plans) if plans else "citations NOT checked (no plans folder)"
            print(f"taxonomy {tx.version} OK: {counts}; {cited}")
            return 0
        text = json.dumps(to_json(tx), ensure_ascii=False, indent=1)
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
            print(f"wrote {args.output} ({tx.version})", file=sys.stderr)
        else:
            sys.stdout.write(text + "\n")
        return 0
    except TaxonomyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
