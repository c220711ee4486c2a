"""The user's account: API tokens, their own password. Admins: users (create, reset a
password, disable) and the audit log."""

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
from marshmallow import ValidationError
from sqlmodel import select

from web.auth import admin_required, client_ip, login_required
from web.db import get_session
from web.i18n import current_lang
from web.i18n import gettext as _
from web.models import ROLES, ApiToken, AuditEvent, User
from web.schemas import PasswordChangeIn, PasswordResetIn, TokenIn, UserCreateIn
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


SHOWN_PASSWORD_KEY = "shown_password"


def _users_page(*, errors=None, form=None, status: int = 200):
    session = get_session()
    shown = flask_session.pop(SHOWN_PASSWORD_KEY, None)
    if shown and shown.get("by") != g.user.id:
        shown = None
    return render_template("account/users.html",
                           users=session.exec(select(User).order_by(User.id)).all(),
                           errors=errors or {}, form=form or {}, shown=shown,
                           roles=ROLES), status


def _errors_of(exc: ValidationError, schema) -> dict[str, list[str]]:
    """{field: readable messages in the interface language}."""
    from web.validation import explain

    out: dict[str, list[str]] = {}
    for err in explain(exc.messages, schema):
        out.setdefault(err.field, []).append(err.zh if current_lang() == "zh" else err.en)
    return out


def _show_once(username: str, password: str) -> None:
    flask_session[SHOWN_PASSWORD_KEY] = {"username": username, "password": password,
                                         "by": g.user.id}


@bp.route("/users", methods=("GET", "POST"))
@admin_required
def users():
    """Admins: every user; create one, reset a password, disable or enable an account."""
    session = get_session()
    if request.method == "POST":  # enable / disable
        user = session.get(User, int(request.form.get("user_id", "0") or 0)) or abort(404)
        if user.id == g.user.id:
            abort(400, description="you cannot disable your own account")
        active = request.form.get("active") == "1"
        user_service.set_active(session=session, user=user, active=active)
        audit.record(session=session, action="user.enable" if active else "user.disable",
                     user=g.user, ip=client_ip(), target=user.username)
        flash(_("{user} can sign in again.", user=user.username) if active
              else _("{user} is disabled; their sessions and API tokens have ended.",
                     user=user.username))
        return redirect(url_for("account.users"))
    return _users_page()


@bp.route("/users/new", methods=("POST",))
@admin_required
def create_user():
    """Admins: a new user; without a password given, a generated one is shown once."""
    session = get_session()
    form = request.form.to_dict()
    schema = UserCreateIn()
    try:
        data = schema.load(form)
    except ValidationError as exc:
        return _users_page(errors=_errors_of(exc, schema), form=form, status=422)
    password = data.get("password") or user_service.generate_password()
    try:
        user = user_service.create_user(session=session, username=data["username"],
                                        password=password, role=data["role"],
                                        display_name=data.get("display_name") or "")
    except ServiceError as exc:
        return _users_page(errors={exc.field or "username": [exc.text(current_lang())]},
                           form=form, status=422)
    audit.record(session=session, action="user.create", user=g.user, ip=client_ip(),
                 target=user.username, detail=f"role {user.role}")
    if not data.get("password"):
        _show_once(user.username, password)
    flash(_("User {user} created.", user=user.username))
    return redirect(url_for("account.users"), code=303)


@bp.route("/users/<int:user_id>/password", methods=("POST",))
@admin_required
def reset_password(user_id: int):
    """Admins: a new password for another user (their sessions end); empty: generated."""
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    form = request.form.to_dict()
    schema = PasswordResetIn()
    try:
        data = schema.load(form)
    except ValidationError as exc:
        found = [m for msgs in _errors_of(exc, schema).values() for m in msgs]
        return _users_page(errors={f"reset-{user.id}": found}, status=422)
    password = data.get("password") or user_service.generate_password()
    try:
        user_service.set_password(session=session, user=user, password=password)
    except ServiceError as exc:
        return _users_page(errors={f"reset-{user.id}": [exc.text(current_lang())]}, status=422)
    audit.record(session=session, action="user.password_reset", user=g.user, ip=client_ip(),
                 target=user.username)
    if not data.get("password"):
        _show_once(user.username, password)
    flash(_("The password of {user} is reset; their sessions have ended.", user=user.username))
    return redirect(url_for("account.users"), code=303)


@bp.route("/password", methods=("GET", "POST"))
@login_required
def password():
    """Every user: change their own password (the current one first). Other sessions end."""
    if getattr(g, "api_token_auth", False):
        abort(403)
    if request.method == "GET":
        return render_template("account/password.html", errors={})
    session = get_session()
    schema = PasswordChangeIn()
    try:
        data = schema.load(request.form.to_dict())
    except ValidationError as exc:
        return render_template("account/password.html", errors=_errors_of(exc, schema)), 422
    try:
        user_service.change_own_password(
            session=session, user=g.user, current=data["current_password"],
            new=data["new_password"], keep_session=getattr(g.user_session, "id", None))
    except ServiceError as exc:
        audit.record(session=session, action="user.password_change_failed", user=g.user,
                     ip=client_ip(), target=g.user.username, detail=exc.field or "")
        return render_template("account/password.html",
                               errors={exc.field or "new_password": [exc.text(current_lang())]}), 422
    audit.record(session=session, action="user.password_change", user=g.user, ip=client_ip(),
                 target=g.user.username)
    flash(_("Your password is changed; your other sessions have ended."))
    return redirect(url_for("account.password"), code=303)


# what an audit entry's action code means (English source texts; Chinese in translations/admin)
AUDIT_ACTIONS = {
    "login": "signed in", "login.failed": "sign-in failed", "login.throttled": "sign-in throttled",
    "logout": "signed out", "token.create": "API token created", "token.revoke": "API token revoked",
    "token.use": "API token used", "token.invalid": "invalid API token",
    "user.create": "user created", "user.enable": "user enabled", "user.disable": "user disabled",
    "user.password_reset": "password reset by an admin",
    "user.password_change": "own password changed",
    "user.password_change_failed": "own password change refused",
    "lead.create": "lead created", "lead.update": "lead updated", "lead.edit": "lead edited",
    "lead.bulk_update": "leads updated together", "lead.delete": "lead deleted",
    "lead.merge": "leads merged", "lead.note": "note added", "lead.outcome": "outcome recorded",
    "lead.public_submit": "self-submitted lead", "lead.rescore": "lead re-scored",
    "lead.rescore_all": "all leads re-scored", "lead.rescore_changed": "changed leads re-scored",
    "lead.export": "leads exported", "job.upload": "lead list uploaded",
    "job.start": "batch job started", "job.cancel": "batch job cancelled",
    "job.delete": "batch job deleted", "job.download": "batch result downloaded",
    "job.import": "batch rows imported", "outcome.import": "outcomes imported",
    "outcome.export": "outcomes exported", "plan.import": "plan imported",
    "plan.apply": "plan draft applied", "plan.edit": "plan details edited",
    "plan.status": "plan status changed", "plan.withdraw": "plan withdrawn",
}


@bp.route("/audit")
@admin_required
def audit_log():
    """Admins: the latest 500 audit entries, actions in words, times in Shanghai time."""
    session = get_session()
    rows = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(500)).all()
    return render_template("account/audit.html", rows=rows,
                           action_text=lambda code: _(AUDIT_ACTIONS[code])
                           if code in AUDIT_ACTIONS else "")
