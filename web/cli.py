"""`flask --app web ...` commands for operators."""

from __future__ import annotations

import json
import secrets
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from sqlmodel import select

from web.db import session_scope
from web.services import ServiceError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _engine():
    return current_app.extensions["db_engine"]


def migrate_database(app: Flask | None = None) -> None:
    """Bring the schema to the latest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    app = app or current_app
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    cfg.attributes["engine"] = app.extensions["db_engine"]
    command.upgrade(cfg, "head")


@contextmanager
def _service_session():
    """A committed session for one command; a service's refusal becomes a clean CLI error."""
    try:
        with session_scope(_engine()) as session:
            yield session
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc


def random_password() -> str:
    return secrets.token_urlsafe(12)


def seed_database(*, owner_username: str | None = None) -> int:
    """Load seeds/sample_leads.json into an empty pipeline; returns the number of leads added."""
    from web.models import Lead, User
    from web.services.leads import create_lead, parse_date

    path = SEEDS / "sample_leads.json"
    if not path.is_file():
        return 0
    with session_scope(_engine()) as session:
        if session.exec(select(Lead)).first() is not None:
            return 0
        owner = None
        if owner_username:
            owner = session.exec(select(User).where(User.username == owner_username)).first()
        added = 0
        for item in json.loads(path.read_text(encoding="utf-8")):
            data = {k: v for k, v in item.items() if k not in ("status", "owner_note", "next_follow_up")}
            data["status"] = item.get("status", "new")
            data["next_follow_up"] = parse_date(item.get("next_follow_up"))
            data["note"] = item.get("owner_note")
            create_lead(session=session, data=data, user=owner, source="import", commit=False)
            added += 1
        return added


def init_app(app: Flask) -> None:
    __import__("web.backup").backup.init_app(app)  # backup DEST, restore SRC [--yes]

    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the database schema."""
        migrate_database()
        click.echo("database is at the latest schema")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(["officer", "admin"]), default="officer")
    @click.option("--password", help="default: a random one, printed once")
    def create_user_cmd(username, role, password):
        """Create a user; prints a random password unless one is given."""
        from web.services.users import create_user

        shown = password or random_password()
        with _service_session() as session:
            create_user(session=session, username=username, password=shown, role=role)
        click.echo(f"created {role} {username!r}" + ("" if password else f" with password: {shown}"))

    @app.cli.command("reset-password")
    @click.argument("username")
    @click.option("--password", help="default: a random one, printed once")
    def reset_password_cmd(username, password):
        """Set a new password (and end the user's sessions)."""
        from web.services.users import get_user, set_password

        shown = password or random_password()
        with _service_session() as session:
            set_password(session=session, user=get_user(session=session, username=username),
                         password=shown)
        click.echo(f"password of {username!r} reset" + ("" if password else f": {shown}"))

    @app.cli.command("create-token")
    @click.argument("username")
    @click.option("--name", default="cli")
    def create_token_cmd(username, name):
        """Print a new API token for USERNAME (shown once)."""
        from web.services.users import create_token, get_user

        with _service_session() as session:
            _tok, raw = create_token(session=session,
                                     user=get_user(session=session, username=username), name=name)
        click.echo(raw)

    @app.cli.command("disable-user")
    @click.argument("username")
    def disable_user_cmd(username):
        """Disable an account: its sessions and tokens stop working at once."""
        from web.services.users import get_user, set_active

        with _service_session() as session:
            set_active(session=session, user=get_user(session=session, username=username),
                       active=False)
        click.echo(f"disabled {username!r}")

    @app.cli.command("seed")
    @click.option("--owner", help="username to own the sample leads")
    def seed_cmd(owner):
        """Load the sample leads into an empty pipeline."""
        n = seed_database(owner_username=owner)
        click.echo(f"added {n} sample leads" if n else "pipeline not empty (or no seeds); nothing added")
