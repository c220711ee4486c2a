"""Home page."""

from flask import Blueprint, render_template

from taxonomy import get_taxonomy

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    tx = get_taxonomy()
    return render_template("home/index.html", counts=tx.counts(), plans=tx.plans)


@bp.route("/healthz")
def healthz():
    return {"status": "ok", "taxonomy_version": get_taxonomy().version}
