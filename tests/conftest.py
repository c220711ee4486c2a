"""Shared fixtures for the web tests (Flask-tutorial style).

`app` is a fresh app per test on its own SQLite file, with the schema built by the real Alembic
migrations; `client` its test client; `officer` a signed-up officer; `login` and `csrf` helpers;
`db` opens a fresh database session; `pg_url` an isolated PostgreSQL schema (skipped when no
server answers).
"""

from __future__ import annotations

import os
import re
import secrets
from types import SimpleNamespace
from urllib.parse import quote

import pytest

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
OFFICER_PASSWORD = "Tr0ub4dor&3-horse-staple"


def extract_csrf(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "no csrf_token field on the page"
    return found.group(1)


def make_app(database_url: str, **extra):
    from web import create_app
    from web.cli import migrate_database

    config = {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret"}
    config.update(extra)
    app = create_app(config)
    with app.app_context():
        migrate_database(app)
    return app


@pytest.fixture(name="make_app")
def _make_app_fixture():
    """make_app(database_url, **config) -> a migrated app (dispose its engine when done)."""
    return make_app


@pytest.fixture
def app_config() -> dict:
    """Extra config for the `app` fixture; override in a test module to change it."""
    return {}


@pytest.fixture
def app(tmp_path, app_config):
    app = make_app(f"sqlite:///{tmp_path}/app.db", **app_config)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    """`with db() as s:` a fresh session (never a stale snapshot across requests)."""
    from sqlmodel import Session

    def _open() -> Session:
        return Session(app.extensions["db_engine"], expire_on_commit=False)

    return _open


def _create_user(app, username: str, password: str, role: str) -> SimpleNamespace:
    from web.db import session_scope
    from web.services.users import create_user

    with session_scope(app.extensions["db_engine"]) as session:
        user = create_user(session=session, username=username, password=password, role=role)
        return SimpleNamespace(id=user.id, username=username, password=password, role=role)


@pytest.fixture
def make_user(app):
    """make_user(username, role="officer", password=...) -> SimpleNamespace(id, username, ...)."""

    def _make(username: str, role: str = "officer", password: str = OFFICER_PASSWORD):
        return _create_user(app, username, password, role)

    return _make


@pytest.fixture
def officer(make_user):
    return make_user("officer1")


@pytest.fixture
def admin(make_user):
    return make_user("admin1", role="admin")


def do_login(client, username: str, password: str, next: str | None = None):
    """GET the sign-in form, take its csrf_token, POST the credentials; returns the response."""
    page = client.get("/auth/login")
    assert page.status_code == 200
    url = "/auth/login" + (f"?next={quote(next, safe='')}" if next is not None else "")
    return client.post(url, data={"username": username, "password": password,
                                  "csrf_token": extract_csrf(page.get_data(as_text=True))})


def get_csrf(client, url: str = "/") -> str:
    """The csrf_token of the form on `url` (the session's token once signed in)."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return extract_csrf(page.get_data(as_text=True))


@pytest.fixture
def login():
    return do_login


@pytest.fixture
def csrf():
    return get_csrf


# --- PostgreSQL -------------------------------------------------------------------------------

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_url():
    """A URL whose connections use a fresh schema (search_path), dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from web.db import normalize_url

    base = normalize_url(os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT)
    admin_engine = create_engine(base, connect_args={"connect_timeout": 3})
    try:
        conn = admin_engine.connect()
    except OperationalError as exc:
        admin_engine.dispose()
        where = make_url(base).render_as_string()
        if os.environ.get("CI"):  # CI starts the server: unreachable there is a failure
            pytest.fail(f"PostgreSQL not reachable at {where} on CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {where}: {exc}")
    schema = f"t_{secrets.token_hex(6)}"
    try:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.commit()
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        conn.rollback()
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.commit()
        conn.close()
        admin_engine.dispose()


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """argon2 at production cost takes ~0.3 s per hash here; tests use a cheap setting."""
    from argon2 import PasswordHasher

    from web.services import users

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "_hasher", cheap)
    monkeypatch.setattr(users, "_DUMMY_HASH", cheap.hash("timing-equaliser-not-a-password"))


@pytest.fixture
def token_for(app):
    """token_for(user) -> a raw API token made by services.users.create_token."""
    from web.db import session_scope
    from web.models import User
    from web.services.users import create_token

    def _make(user) -> str:
        with session_scope(app.extensions["db_engine"]) as session:
            _tok, raw = create_token(session=session, user=session.get(User, user.id), name="test")
        return raw

    return _make
