"""Alembic environment: run migrations on the engine handed over by ``ews.db.engine.migrate``.

Run from the command line (``alembic -x url=...``), the URL comes from ``-x url``
or ``EWS_DATABASE_URL``.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Engine

from ews.db.engine import make_engine
from ews.db.models import Base


def _engine() -> Engine:
    given = context.config.attributes.get("engine")
    if isinstance(given, Engine):
        return given
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        "EWS_DATABASE_URL", "sqlite:///ews.db"
    )
    return make_engine(url)


def run_migrations_online() -> None:
    """Apply migrations in one transaction per run (SQLite needs batch mode for ALTER)."""
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=engine.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
