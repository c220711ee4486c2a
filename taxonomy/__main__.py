"""`python -m taxonomy COMMAND`: check, export, versions, diff, plan-status, and the curator
commands import-plan, drafts, review, accept, reject, reset, edit, apply, withdraw-plan."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from taxonomy import TaxonomyError, load_taxonomy, taxonomy_dir, to_json, validate


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", default=argparse.SUPPRESS,
                        help="taxonomy folder (default: $TAXONOMY_DIR, else the packaged data)")
    parser = argparse.ArgumentParser(prog="python -m taxonomy", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", parents=[common], help="validate the taxonomy and print counts")
    check.add_argument("--plans", help="plan texts folder for the citation checks "
                                       "(default: the taxonomy folder's plans/)")
    check.add_argument("--no-plans", action="store_true", help="skip the citation checks")
    export = sub.add_parser("export", parents=[common],
                            help="write the whole taxonomy as one JSON document")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    versions = sub.add_parser("versions", parents=[common], help="list the recorded versions")
    versions.add_argument("--json", action="store_true", help="print JSON")
    diff = sub.add_parser("diff", parents=[common],
                          help="what changed between two versions (ids, 'current' or folders)")
    diff.add_argument("a")
    diff.add_argument("b", nargs="?", default="current")
    diff.add_argument("--json", action="store_true", help="print JSON")
    status = sub.add_parser("plan-status", parents=[common], help="set a plan's status")
    status.add_argument("plan_id")
    status.add_argument("status", choices=["issued", "draft", "superseded"])
    status.add_argument("--superseded-by")
    status.add_argument("--who", default="")
    status.add_argument("--note", default="")
    from taxonomy.curate_cli import add_commands

    COMMANDS.update(add_commands(sub, common))
    return parser


def _check(args) -> int:
    tx = load_taxonomy(args.data)
    packaged = taxonomy_dir(args.data) / "plans"
    plans = None if args.no_plans else (args.plans or (packaged if packaged.is_dir() else None))
    if plans is not None and not Path(plans).is_dir():
        print(f"error: plans folder {plans} not found", file=sys.stderr)
        return 2
    validate(tx, plans)
    counts = ", ".join(f"{n} {k}" for k, n in tx.counts().items())
    cited = "citations checked against " + str(plans) if plans else "citations NOT checked (no plans folder)"
    print(f"taxonomy {tx.version} OK: {counts}; {cited}")
    return 0


def _export(args) -> int:
    tx = load_taxonomy(args.data)
    text = json.dumps(to_json(tx), ensure_ascii=False, indent=1)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.output} ({tx.version})", file=sys.stderr)
    else:
        sys.stdout.write(text + "\n")
    return 0


def _versions(args) -> int:
    from taxonomy import get_taxonomy
    from taxonomy.versions import list_versions

    get_taxonomy(args.data)  # records the current version if it is new
    history = list_versions(args.data)
    if args.json:
        print(json.dumps([v.to_dict() for v in history], ensure_ascii=False, indent=1))
        return 0
    for v in history:
        changes = "; ".join(f"{kind} " + ", ".join(f"{n} {c}" for c, n in counts.items())
                            for kind, counts in v.changes.items() if isinstance(counts, dict))
        who = f" by {v.who}" if v.who else ""
        print(f"{v.id}  {v.recorded_at}{who}  {v.note}" + (f"  [{changes}]" if changes else ""))
    return 0


def _diff(args) -> int:
    from taxonomy import get_taxonomy
    from taxonomy.diff import diff, format_diff

    get_taxonomy(args.data)
    d = diff(args.a, args.b, data_dir=args.data)
    print(json.dumps(d, ensure_ascii=False, indent=1) if args.json else format_diff(d))
    return 0


def _plan_status(args) -> int:
    from taxonomy.plans import set_plan_status

    version = set_plan_status(plan_id=args.plan_id, status=args.status,
                              superseded_by=args.superseded_by, data_dir=args.data,
                              who=args.who, note=args.note)
    print(f"plan {args.plan_id} is now {args.status}; taxonomy version {version}")
    return 0


COMMANDS = {"check": _check, "export": _export, "versions": _versions, "diff": _diff,
            "plan-status": _plan_status}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.data = getattr(args, "data", None)
    try:
        return COMMANDS[args.command](args)
    except TaxonomyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
