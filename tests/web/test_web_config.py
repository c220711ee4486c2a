"""Configuration: production refuses an unsafe secret key."""

from __future__ import annotations

import secrets

import pytest

from web import create_app
from web.config import DEFAULT_SECRET, ConfigError, load_config


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("ALLOW_HTTP", raising=False)


def test_production_with_the_default_key_refuses_to_start(production):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_with_the_default_key_set_explicitly_refuses(production, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", DEFAULT_SECRET)
    with pytest.raises(ConfigError):
        create_app()


@pytest.mark.parametrize("key", ["short", "x" * 31, ""])
def test_production_with_a_short_or_empty_key_refuses(production, monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError):
        load_config()


def test_production_with_a_long_random_key_starts(production, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    app = create_app()
    try:
        assert app.config["PRODUCTION"] is True
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    finally:
        app.extensions["db_engine"].dispose()


def test_development_accepts_the_default_key(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    cfg = load_config({"DATABASE_URL": "sqlite:///:memory:"})
    assert cfg["PRODUCTION"] is False
    assert cfg["SECRET_KEY"] == DEFAULT_SECRET
