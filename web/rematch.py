"""Officers: which leads would match differently on the current taxonomy; re-score them."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from web.auth import client_ip, login_required
from web.db import get_session
from web.i18n import gettext as _
from web.services import audit
from web.services import rematch as rematch_service
from web.services.matching import current_matcher

bp = Blueprint("rematch", __name__, url_prefix="/leads/taxonomy-changes")


@bp.app_context_processor
def _outdated_leads():
    """`outdated_leads()` in templates: how many leads were scored on another version."""
    def outdated_leads() -> int:
        return rematch_service.outdated_count(session=get_session(),
                                              version=current_matcher().version)

    return {"outdated_leads": outdated_leads}


@bp.route("/")
@login_required
def index():
    changes = rematch_service.preview_changes(session=get_session())
    return render_template("rematch/index.html", changes=changes,
                           changed=[c for c in changes if c.changed],
                           version=current_matcher().version)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and 0 < int(v) < 2**31]


@bp.route("/rescore", methods=("POST",))
@login_required
def rescore():
    """Two steps: the chosen leads are listed for confirmation, then re-scored."""
    session = get_session()
    scope = request.form.get("scope", "selected")
    if scope == "changed":
        ids = [c.lead_id for c in rematch_service.preview_changes(session=session) if c.changed]
    else:
        ids = _ids(request.form.getlist("lead_id"))
    if not ids:
        flash(_("No lead was chosen."))
        return redirect(url_for("rematch.index"), 303)
    if request.form.get("confirm") != "yes":
        return render_template("rematch/confirm.html", ids=ids, scope=scope,
                               version=current_matcher().version)
    moves = rematch_service.rescore_leads(session=session, lead_ids=ids, user=g.user)
    audit.record(session=session, action="lead.rescore_changed", user=g.user, ip=client_ip(),
                 target=f"{len(moves)} leads", detail=",".join(str(i) for i in ids[:200]))
    flash(_("Re-scored {n} leads on taxonomy version {version}; their history keeps the "
            "earlier scoring.", n=len(moves), version=current_matcher().version))
    return redirect(url_for("rematch.index"), 303)
