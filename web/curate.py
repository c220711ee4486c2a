"""Curators' pages: taxonomy versions and the diff between any two (officers may read them);
importing a plan and reviewing its draft (admins)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from taxonomy import TaxonomyError, get_taxonomy
from taxonomy.diff import diff, summarize
from taxonomy.versions import UnknownVersionError, list_versions
from web.auth import login_required

bp = Blueprint("curate", __name__, url_prefix="/curate")
KIND_ORDER = ("plans", "industries", "districts", "zones", "relations", "policies")


@bp.route("/versions")
@login_required
def versions():
    tx = get_taxonomy()
    rows = list(reversed(list_versions()))
    return render_template("curate/versions.html", versions=rows, current=tx.version)


@bp.route("/diff")
@login_required
def version_diff():
    rows = list_versions()
    ref_b = (request.args.get("b") or "current").strip()[:64]
    default_a = rows[-2].id if len(rows) >= 2 else (rows[-1].id if rows else "current")
    ref_a = (request.args.get("a") or default_a).strip()[:64]
    try:
        d = diff(ref_a, ref_b)
    except UnknownVersionError:
        abort(404, description="unknown taxonomy version")
    except TaxonomyError as exc:
        abort(400, description=str(exc))
    return render_template("curate/diff.html", d=d, summary=summarize(d), versions=rows,
                           ref_a=ref_a, ref_b=ref_b, kinds=KIND_ORDER)
