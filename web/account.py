"""The officer's account: API tokens. Admins: users and the audit log."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session
from sqlmodel import select

from web.auth import admin_required, client_ip, login_required
from web.db import get_session
from web.i18n import gettext as _
from web.models import ApiToken, AuditEvent, User
from web.schemas import TokenIn
from web.services import ServiceError, audit
from web.services import users as user_service

bp = Blueprint("account", __name__, url_prefix="/account")


NEW_TOKEN_KEY = "new_api_token"


@bp.route("/tokens", methods=("GET", "POST"))
@login_required
def tokens():
    """The user's API tokens. POST creates one and redirects (POST-redirect-GET): the new token
    is shown once, on the page the redirect leads to; reloading it creates nothing."""
    session = get_session()
    if request.method == "POST":
        name = TokenIn().load(request.form.to_dict()).get("name") or "api"
        token, raw = user_service.create_token(session=session, user=g.user, name=name)
        audit.record(session=session, action="token.create", user=g.user, ip=client_ip(),
                     target=f"token {token.id}", detail=token.name)
        flask_session[NEW_TOKEN_KEY] = {"id": token.id, "raw": raw, "user": g.user.id}
        return redirect(url_for("account.tokens"), code=303)
    shown = flask_session.pop(NEW_TOKEN_KEY, None)
    new_token = shown["raw"] if shown and shown.get("user") == g.user.id else None
    rows = session.exec(select(ApiToken).where(ApiToken.user_id == g.user.id)
                        .order_by(ApiToken.id.desc())).all()
    return render_template("account/tokens.html", tokens=rows, new_token=new_token)


@bp.route("/tokens/<int:token_id>/revoke", methods=("POST",))
@login_required
def revoke(token_id: int):
    session = get_session()
    try:
        user_service.revoke_token(session=session, user=g.user, token_id=token_id)
    except ServiceError:
        abort(404)
    audit.record(session=session, action="token.revoke", user=g.user, ip=client_ip(),
                 target=str(token_id))
    flash(_("Token revoked."))
    return redirect(url_for("account.tokens"))


@bp.route("/users", methods=("GET", "POST"))
@admin_required
def users():
    session = get_session()
    if request.method == "POST":
        user = session.get(User, int(request.form.get("user_id", "0") or 0)) or abort(404)
        if user.id == g.user.id:
            abort(400, description="you cannot disable your own account")
        active = request.form.get("active") == "1"
        user_service.set_active(session=session, user=user, active=active)
        audit.record(session=session, action="user.enable" if active else "user.disable",
                     user=g.user, ip=client_ip(), target=user.username)
        return redirect(url_for("account.users"))
    return render_template("account/users.html",
                           users=session.exec(select(User).order_by(User.id)).all())


@bp.route("/audit")
@admin_required
def audit_log():
    session = get_session()
    rows = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(500)).all()
    return render_template("account/audit.html", rows=rows)
