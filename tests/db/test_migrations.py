"""The packaged Alembic migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from ews.db.engine import Store, downgrade, migrate
from ews.db.models import Base


def test_migrations_match_the_models(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        store.close()


def test_migrating_twice_and_down_and_up_again_works(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        migrate(store.engine)
        downgrade(store.engine)
        assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
        migrate(store.engine)
        assert {"accounts", "audit_log", "rw_scores", "reviews"} <= set(
            inspect(store.engine).get_table_names()
        )
    finally:
        store.close()
