"""Engine, sessions and schema migrations for the service store.

One :class:`Store` per process: the API keeps it on ``app.state``, the CLI
builds one per command. ``Store.open`` applies the Alembic migrations shipped
in ``ews/migrations`` so a fresh database (SQLite file or PostgreSQL) is ready
without a separate step.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ews.exceptions import ConfigError, StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers keep a consistent snapshot while a publish rewrites a month;
    # synchronous=NORMAL keeps per-request audit commits well under a millisecond.
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; raise ``ConfigError`` when the URL cannot be used."""
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True, pool_size=10)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise ConfigError(f"database URL {url!r} is not a usable SQLAlchemy URL ({exc})") from exc


def alembic_config(engine: Engine) -> Any:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; raise ``StorageError`` when the database refuses."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config(engine)
    try:
        target = ScriptDirectory.from_config(config).get_current_head() if revision == "head" else revision
        with engine.connect() as connection:
            if MigrationContext.configure(connection).get_current_revision() == target:
                return  # already there: skip loading the migration environment
        command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise StorageError(
            f"could not migrate the database at {engine.url!r}: {exc.__class__.__name__}"
        ) from exc


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Undo migrations down to ``revision`` (``base`` drops every table)."""
    from alembic import command

    try:
        command.downgrade(alembic_config(engine), revision)
    except SQLAlchemyError as exc:
        problem = exc.__class__.__name__
        raise StorageError(f"could not downgrade the database at {engine.url!r}: {problem}") from exc


@dataclass(frozen=True)
class Store:
    """An engine and its session factory."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Store:
        """Connect to ``url`` and (by default) apply pending migrations."""
        engine = make_engine(url)
        if upgrade:
            migrate(engine)
        return cls(engine, sessionmaker(engine, expire_on_commit=False))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise StorageError(f"the service database failed: {exc.__class__.__name__}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()
