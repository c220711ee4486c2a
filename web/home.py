"""Home page."""

from flask import Blueprint, current_app, render_template, send_from_directory

from taxonomy import get_taxonomy

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    tx = get_taxonomy()
    return render_template("home/index.html", counts=tx.counts(), plans=tx.plans)


@bp.route("/healthz")
def healthz():
    return {"status": "ok", "taxonomy_version": get_taxonomy().version}


@bp.route("/favicon.ico")
def favicon():
    """The app's icon (web/static/favicon.ico, drawn by scripts/make_favicon.py)."""
    return send_from_directory(current_app.static_folder, "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=7 * 86400)
