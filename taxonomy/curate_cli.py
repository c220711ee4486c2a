"""Curator commands of `python -m taxonomy`: import-plan, drafts, review, accept, reject, edit,
apply, withdraw-plan."""

from __future__ import annotations

import json


def add_commands(sub, common) -> dict:
    """Add the curator subcommands; returns {name: handler}."""
    imp = sub.add_parser("import-plan", parents=[common],
                         help="import a plan (.txt/.docx/.pdf) and write a draft of proposals")
    imp.add_argument("file")
    imp.add_argument("--id", required=True, dest="plan_id")
    imp.add_argument("--title", required=True, dest="title_zh")
    imp.add_argument("--title-en", dest="title_en")
    imp.add_argument("--issuer")
    imp.add_argument("--doc-number", dest="doc_number")
    imp.add_argument("--date", help="YYYY-MM-DD")
    imp.add_argument("--horizon", help="YYYY-YYYY or YYYY")
    imp.add_argument("--scope", choices=["city", "district", "zone"],
                     help="default: district or zone when the issuer says so, else city")
    imp.add_argument("--status", choices=["draft", "issued"], default="draft")
    imp.add_argument("--supersedes", action="append", default=[], metavar="OLD_ID")
    imp.add_argument("--who", default="")
    sub.add_parser("drafts", parents=[common], help="list the drafts awaiting review")
    review = sub.add_parser("review", parents=[common], help="list a draft's proposals")
    review.add_argument("plan_id")
    review.add_argument("--kind", choices=["industry", "industry_source", "zone", "relation",
                                           "policy"])
    review.add_argument("--decision", choices=["pending", "accepted", "rejected", "applied"])
    review.add_argument("--json", action="store_true")
    for name, decision in (("accept", "accepted"), ("reject", "rejected"), ("reset", "pending")):
        cmd = sub.add_parser(name, parents=[common], help=f"mark proposals {decision}")
        cmd.add_argument("plan_id")
        cmd.add_argument("proposals", nargs="*", help="proposal ids (p001 ...)")
        cmd.add_argument("--kind", help="all pending proposals of this kind")
        cmd.add_argument("--all", action="store_true", help="all pending proposals")
        cmd.set_defaults(decision=decision)
    edit = sub.add_parser("edit", parents=[common],
                          help="edit a proposal's entry (and accept it): --set field=value")
    edit.add_argument("plan_id")
    edit.add_argument("proposal")
    edit.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                      help="a list value is written as a JSON list: aliases_zh='[\"x\"]'")
    edit.add_argument("--evidence", help="another verbatim phrase of the same section")
    edit.add_argument("--section")
    edit.add_argument("--keep-pending", action="store_true")
    apply = sub.add_parser("apply", parents=[common],
                           help="write the accepted proposals into the taxonomy")
    apply.add_argument("plan_id")
    apply.add_argument("--who", default="")
    apply.add_argument("--note", default="")
    withdraw = sub.add_parser("withdraw-plan", parents=[common],
                              help="remove a plan, its entries and citations")
    withdraw.add_argument("plan_id")
    withdraw.add_argument("--who", default="")
    return {"import-plan": _import, "drafts": _drafts, "review": _review, "accept": _decide,
            "reject": _decide, "reset": _decide, "edit": _edit, "apply": _apply,
            "withdraw-plan": _withdraw}


def _import(args) -> int:
    from taxonomy.importer import import_plan

    fields = ("plan_id", "title_zh", "title_en", "issuer", "doc_number", "date", "horizon",
              "scope", "status", "supersedes")
    result = import_plan(source=args.file, data_dir=args.data, who=args.who,
                         **{k: getattr(args, k) for k in fields})
    counts: dict[str, int] = {}
    for p in result.draft["proposals"]:
        counts[p["kind"]] = counts.get(p["kind"], 0) + 1
    print(f"imported {result.plan_id}: {result.sections} sections, text {result.text_path}; "
          f"taxonomy version {result.version}")
    print(f"draft {result.draft_path}: " + (", ".join(f"{n} {k}" for k, n in counts.items())
                                            or "no proposals"))
    print(f"review with: python -m taxonomy review {result.plan_id}")
    return 0


def _drafts(args) -> int:
    from taxonomy.drafts import list_drafts

    for d in list_drafts(data_dir=args.data):
        counts = ", ".join(f"{n} {k}" for k, n in d["counts"].items())
        print(f"{d['plan']}  {d['created_at']}  {counts}")
    return 0


def summary(p: dict) -> str:
    """One line for a proposal: what it would write."""
    e = p["entry"]
    if p["kind"] == "industry":
        what = f"new industry {e['name_zh']} ({e['level']} under {e.get('parent')})"
    elif p["kind"] == "industry_source":
        what = f"cite for industry {e['industry']}"
    elif p["kind"] == "zone":
        what = f"new zone {e['name_zh']} / {e['name_en']} ({e['kind']}, {e['district_codes']})"
    elif p["kind"] == "relation":
        what = f"relation {e['industry']} -> {e.get('zone') or e.get('district')} ({e['role']})"
    else:
        what = f"policy {e['category']} {e['scope']}: {e['title_zh']}"
    needs = f"  needs: {', '.join(p['needs'])}" if p["needs"] else ""
    c = p["citation"]
    return f"{p['id']} [{p['decision']}] {what}  <- {c['section']} “{c['evidence']}”{needs}"


def _review(args) -> int:
    from taxonomy.drafts import proposals

    rows = proposals(args.plan_id, data_dir=args.data, kind=args.kind, decision=args.decision)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for p in rows:
            print(summary(p))
    return 0


def _decide(args) -> int:
    from taxonomy.drafts import DraftError, decide, proposals

    ids = list(args.proposals)
    if args.all or args.kind:
        ids += [p["id"] for p in proposals(args.plan_id, data_dir=args.data, kind=args.kind,
                                           decision="pending")]
    if not ids:
        raise DraftError("name the proposals (p001 ...), or give --kind or --all")
    decide(plan_id=args.plan_id, data_dir=args.data,
           decisions=[{"proposal": i, "decision": args.decision} for i in ids])
    print(f"{len(ids)} proposal(s) {args.decision}")
    return 0


def _edit(args) -> int:
    from taxonomy.drafts import DraftError, decide, proposals

    entry = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            raise DraftError(f"--set {item!r}: write FIELD=VALUE")
        value = value.strip()
        if value.startswith("["):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise DraftError(f"--set {key}: not a JSON list ({exc.msg})") from exc
        entry[key.strip()] = value
    current = next((p for p in proposals(args.plan_id, data_dir=args.data)
                    if p["id"] == args.proposal), None)
    if current is None:
        raise DraftError(f"proposal {args.proposal} is not in the draft of {args.plan_id}")
    citation = None
    if args.evidence or args.section:
        citation = {**current["citation"], **({"evidence": args.evidence} if args.evidence else {}),
                    **({"section": args.section} if args.section else {})}
    decision = "pending" if args.keep_pending else "accepted"
    decide(plan_id=args.plan_id, data_dir=args.data,
           decisions=[{"proposal": args.proposal, "decision": decision, "entry": entry,
                       "citation": citation}])
    print(f"{args.proposal} edited and {decision}")
    return 0


def _apply(args) -> int:
    from taxonomy.drafts import apply_draft

    result = apply_draft(plan_id=args.plan_id, data_dir=args.data, who=args.who, note=args.note)
    print(f"applied {len(result['applied'])} proposal(s); taxonomy version {result['version']}")
    for f in result["files"]:
        print(f"  wrote {f}")
    return 0


def _withdraw(args) -> int:
    from taxonomy.withdraw import remove_plan

    version = remove_plan(plan_id=args.plan_id, data_dir=args.data, who=args.who)
    print(f"withdrew {args.plan_id}; taxonomy version {version}")
    return 0
