"""Officers: close a lead with its outcome (from the lead's page), import outcomes from a CSV,
and the outcomes report (how often the matcher's places were where leads really landed)."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from matcher import outcomes as outcome_report
from taxonomy import get_taxonomy
from web.auth import client_ip, login_required
from web.db import get_session
from web.i18n import current_lang
from web.i18n import gettext as _
from web.models import LOST_TO, OUTCOMES
from web.outcome_schemas import OutcomeIn
from web.schemas import form_errors
from web.services import ServiceError, audit
from web.services import leads as lead_service
from web.services import outcomes as outcome_service
from web.services.outcome_import import import_outcomes

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")
MAX_UPLOAD = 5 << 20
CSV_HEADERS = {"group": "group", "key": "key", "n": "leads", "district_top1": "district in top 1",
               "district_top3": "district in top 3", "district_top5": "district in top 5",
               "park_n": "leads with a park", "park_top1": "park in top 1",
               "park_top3": "park in top 3", "park_top5": "park in top 5",
               "mean_confidence": "mean confidence", "lead_id": "lead id", "name": "name",
               "closed_on": "date closed", "industry_id": "real industry",
               "matched_industry": "matched industry", "district_code": "landed district",
               "zone_id": "landed park", "district_listed": "district listed",
               "park_listed": "park listed", "matched_districts": "matched districts",
               "matched_parks": "matched parks"}
LOST_LABELS = {"other_district": "another district of Shanghai", "other_city": "another city",
               "no_project": "no project after all"}


@bp.app_context_processor
def _form_context():
    def outcome_form_for(lead) -> dict:
        """What the lead page's outcome form needs: the choices and the recorded outcome."""
        return {"outcome": outcome_service.get_outcome(session=get_session(), lead_id=lead.id),
                "choices": outcome_service.choices(), "outcomes": OUTCOMES, "lost_to": LOST_TO}
    def zone_name(zone_id: str | None) -> str:
        zone = get_taxonomy().zone_by_id.get(zone_id or "")
        return "" if zone is None else (zone.name_zh if current_lang() == "zh" else zone.name_en)
    def lost_label(code: str) -> str:
        return _(LOST_LABELS.get(code, code))
    return {"outcome_form_for": outcome_form_for, "zone_name": zone_name, "lost_label": lost_label}


@bp.route("/lead/<int:lead_id>", methods=("POST",))
@login_required
def record(lead_id: int):
    session = get_session()
    try:
        lead = lead_service.get_lead(session=session, lead_id=lead_id)
    except ServiceError:
        abort(404)
    back = url_for("leads.detail", lead_id=lead_id) + "#outcome"
    try:
        data = OutcomeIn().load(request.form.to_dict())
        row = outcome_service.record_outcome(session=session, lead=lead, data=data, user=g.user)
    except ValidationError as exc:
        for text in form_errors(exc.messages, OutcomeIn()):
            flash(text)
        return redirect(back)
    except ServiceError as exc:
        session.rollback()
        flash(exc.text(current_lang()))
        return redirect(back)
    audit.record(session=session, action="lead.outcome", user=g.user, ip=client_ip(),
                 target=f"lead {lead.id}", detail=f"{row.outcome} {row.district_code} {row.zone_id}")
    flash(_("Outcome recorded."))
    return redirect(back)


@bp.route("/import", methods=("GET", "POST"))
@login_required
def import_csv():
    if request.method == "GET":
        return render_template("outcomes/import.html", result=None)
    upload = request.files.get("file")
    content = upload.read(MAX_UPLOAD + 1) if upload else b""
    if not content:
        flash(_("Choose a CSV file to import."))
        return render_template("outcomes/import.html", result=None), 422
    if len(content) > MAX_UPLOAD:
        flash(_("The file is larger than 5 MB."))
        return render_template("outcomes/import.html", result=None), 413
    session = get_session()
    result = import_outcomes(session=session, content=content, user=g.user)
    if result.errors:
        session.rollback()
        return render_template("outcomes/import.html", result=result), 422
    audit.record(session=session, action="outcome.import", user=g.user, ip=client_ip(),
                 target=f"{result.imported} outcomes", detail=result.encoding)
    flash(_("{n} outcomes imported.", n=result.imported))
    return redirect(url_for("outcomes.index"))


@bp.route("/")
@login_required
def index():
    session = get_session()
    rows = outcome_service.list_outcomes(session=session)
    rep = outcome_report.report(outcome_service.export_items(session=session), get_taxonomy())
    from matcher import ranker as ranker_store

    active = ranker_store.load(None, get_taxonomy().version)  # what ranks now, and how judged
    return render_template("outcomes/index.html", rows=rows, rep=rep, ks=outcome_report.KS,
                           bins=outcome_report.BINS, active=active)


@bp.route("/report.csv")
@login_required
def report_csv():
    session = get_session()
    rep = outcome_report.report(outcome_service.export_items(session=session), get_taxonomy())
    name = f"outcomes-report-{dt.date.today().isoformat()}.csv"
    headers = {k: _(v) for k, v in CSV_HEADERS.items()}
    return Response("\ufeff" + outcome_report.to_csv(rep, headers), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.route("/export.jsonl")
@login_required
def export_jsonl():
    """The outcomes with the scorings they carried: `python -m matcher evaluate --outcomes`."""
    session = get_session()
    items = outcome_service.export_items(session=session)
    audit.record(session=session, action="outcome.export", user=g.user, ip=client_ip(),
                 target=f"{len(items)} outcomes")
    body = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
    name = f"outcomes-{dt.date.today().isoformat()}.jsonl"
    return Response(body, mimetype="application/x-ndjson; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.cli.command("fit-ranker")
@click.option("--min-outcomes", type=int, default=None,
              help="least landed leads to fit on (default: MatcherSettings.ranker_min_outcomes)")
@click.option("--dry-run", is_flag=True, help="judge it, but save nothing")
def fit_ranker_command(min_outcomes: int | None, dry_run: bool) -> None:
    """Learn the place ranking from the recorded outcomes; switched on only when it wins
    (restart the app and its worker to use it)."""
    from dataclasses import replace

    from flask import current_app

    from matcher.ranker import fit_ranker
    from matcher.settings import MatcherSettings
    from web.db import session_scope

    with session_scope(current_app.extensions["db_engine"]) as session:
        items = outcome_service.export_items(session=session)
    settings = MatcherSettings()
    if min_outcomes is not None:
        settings = replace(settings, ranker_min_outcomes=min_outcomes)
    result = fit_ranker(items, taxonomy=get_taxonomy(), settings=settings,
                        save_model=not dry_run)
    state = ("not switched on (the fixed weights rank)" if not result.switched_on
             else "wins (dry run: not saved)" if dry_run else f"switched on: {result.path}")
    click.echo(f"{result.n_outcomes} landed leads; {state}; {result.reason}")
