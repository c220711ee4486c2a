"""Alembic environment: the schema is SQLModel's metadata (web.models)."""

from __future__ import annotations

import os

from alembic import context
from sqlmodel import SQLModel

import web.models  # noqa: F401  (registers the tables)
from web.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def _engine():
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    from web.config import load_config

    return make_engine(os.environ.get("DATABASE_URL") or load_config()["DATABASE_URL"])


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite",
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
