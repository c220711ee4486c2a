"""Configuration: defaults, then environment variables. Refuses an unsafe production setup."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SECRET = "dev-only-change-me"
INSTANCE = Path(__file__).resolve().parent.parent / "instance"


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def load_config(test_config: dict | None = None) -> dict:
    env = os.environ
    cfg = {
        "ENV": env.get("APP_ENV", "development"),
        "SECRET_KEY": env.get("SECRET_KEY", DEFAULT_SECRET),
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'app.db'}",
        # uploads (web.security.UPLOAD_ENDPOINTS) may be this large; every other request body is
        # held to MAX_BODY_LENGTH; one non-file form field to MAX_FORM_MEMORY_SIZE (413 beyond)
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_MB", "50")) * 1024 * 1024,
        "MAX_BODY_LENGTH": int(env.get("MAX_BODY_MB", "10")) * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 512 * 1024,
        "MAX_FORM_PARTS": 1000,
        # reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none)
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0") or 0),
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "30")),  # ASVS 3.3.2 (L2)
        "SESSION_ABSOLUTE_HOURS": int(env.get("SESSION_ABSOLUTE_HOURS", "12")),
        "PUBLIC_RATE_LIMIT": env.get("PUBLIC_RATE_LIMIT", "60/minute"),
        # calls with a valid API token count per token, against this limit instead
        "TOKEN_RATE_LIMIT": env.get("TOKEN_RATE_LIMIT", "6000/minute"),
        # a token verified this many seconds ago is trusted for reads without the database
        # (revoked in this process: at once; in another process: within this time; 0: off)
        "TOKEN_CACHE_SECONDS": float(env.get("TOKEN_CACHE_SECONDS", "5")),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10/minute"),
        "JOBS_DIR": env.get("JOBS_DIR") or str(INSTANCE / "jobs"),
        "JOB_CONCURRENCY": int(env.get("JOB_CONCURRENCY", "1")),
        "RUN_WORKER_IN_APP": _bool(env.get("RUN_WORKER_IN_APP"), False),
        "TESTING": False,
        "API_TITLE": "Shanghai investment-promotion matcher API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
    if test_config:
        cfg.update(test_config)
    cfg["PRODUCTION"] = cfg["ENV"] == "production"
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["SESSION_COOKIE_SECURE"] = cfg["PRODUCTION"] and not _bool(env.get("ALLOW_HTTP"))
    if cfg["SESSION_COOKIE_SECURE"]:
        cfg.setdefault("PREFERRED_URL_SCHEME", "https")
    if cfg["PRODUCTION"] and (not cfg["SECRET_KEY"] or cfg["SECRET_KEY"] == DEFAULT_SECRET
                              or len(cfg["SECRET_KEY"]) < 32):
        raise ConfigError("APP_ENV=production needs a SECRET_KEY of at least 32 random characters "
                          "(not the development default)")
    return cfg
