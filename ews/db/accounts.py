"""Accounts: add, revoke, list, and find by key hash.

The caller hashes keys (``ews.api.security``); this module never sees a key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import Any

from sqlalchemy import Engine, Row, bindparam, select
from sqlalchemy.orm import Session

from ews.db import generations
from ews.db.models import Account
from ews.exceptions import ConfigError, StorageError


def now_utc() -> dt.datetime:
    """The current time, timezone-aware in UTC (what every timestamp column stores)."""
    return dt.datetime.now(dt.UTC)


def get_account(session: Session, name: str) -> Account | None:
    """The account called ``name``, revoked or not."""
    return session.scalars(select(Account).where(Account.name == name)).first()


def add_account(session: Session, name: str, role: str, area: str | None, key_hash: str) -> Account:
    """Create ``name`` (or re-issue a revoked one); raise ``ConfigError`` if it is active."""
    account = get_account(session, name)
    if account is not None and account.revoked_at is None:
        raise ConfigError(f"account {name!r} already exists; revoke it first or choose another name")
    if account is None:
        account = Account(name=name)
        session.add(account)
    account.role, account.area, account.key_hash = role, area, key_hash
    account.created_at, account.revoked_at = now_utc(), None
    session.flush()
    return account


def revoke_account(session: Session, name: str) -> Account:
    """Revoke ``name`` so its key stops working; raise ``ConfigError`` if unknown or revoked."""
    account = get_account(session, name)
    if account is None:
        raise ConfigError(f"no account is called {name!r}; `ews users list` shows the accounts")
    if account.revoked_at is not None:
        raise ConfigError(f"account {name!r} was already revoked")
    account.revoked_at = now_utc()
    session.flush()
    return account


def list_accounts(session: Session) -> list[Account]:
    """Every account, by name."""
    return list(session.scalars(select(Account).order_by(Account.name)))


_ACTIVE = select(Account.name, Account.role, Account.area, Account.key_hash).where(
    Account.key_hash == bindparam("key_hash"), Account.revoked_at.is_(None)
)


def find_active(session: Session, key_hash: str) -> Row[str, str, str | None, str] | None:
    """Name, role, area and key hash of the unrevoked account whose key hashes to ``key_hash``.

    Core on the session's connection: this runs on every request.
    """
    return session.connection().execute(_ACTIVE, {"key_hash": key_hash}).first()


_ACTIVE_WITH_GENERATIONS = select(
    Account.name,
    Account.role,
    Account.area,
    Account.key_hash,
    generations.value_of(generations.PUBLICATIONS).label("publications"),
    generations.value_of(generations.REVIEWS).label("reviews"),
).where(Account.key_hash == bindparam("key_hash"), Account.revoked_at.is_(None))


ActiveKey = tuple[str, str, str | None, str, int | None, int | None]


class KeyLookup:
    """:func:`find_active` plus the ``publications`` and ``reviews`` generations, in one statement
    run on the database driver directly.

    The API's hot routes make this their only query when the answer is cached: the key is
    checked against the live accounts table on every request (a revoke by another process
    counts at once) and the counters say whether a cached answer is still current.

    Every API request makes this query, and SQLAlchemy's per-execution work (context,
    result wrapping, pool check-out with its ping and reset) cost several times the
    driver's on this indexed lookup. So the statement is compiled once for the engine's
    dialect and runs on one connection of its own in autocommit mode: each query sees
    every commit made before it (a revoke by another process counts at once) and no
    transaction stays open between requests. A failed query (e.g. the server restarted)
    is retried once on a new connection. Only plain strings and integers come back.
    Returns ``(name, role, area, key_hash, publications, reviews)`` or None.
    """

    def __init__(self, engine: Engine) -> None:
        compiled = _ACTIVE_WITH_GENERATIONS.compile(dialect=engine.dialect)
        self.engine = engine
        self.sql = str(compiled)
        self.positions = compiled.positiontup  # None for named paramstyles (psycopg)
        params = compiled.construct_params({"key_hash": ""})
        self.fixed = {k: v for k, v in params.items() if k != "key_hash"}
        self._lock = threading.Lock()  # one connection: never two queries at once
        self._connection: Any = None

    def __call__(self, key_hash: str) -> ActiveKey | None:
        params = {**self.fixed, "key_hash": key_hash}
        args = params if self.positions is None else tuple(params[name] for name in self.positions)
        with self._lock:
            try:
                row = self._fetch(args)
            except self.engine.dialect.loaded_dbapi.Error:
                self._close()
                try:
                    row = self._fetch(args)
                except self.engine.dialect.loaded_dbapi.Error as exc:  # answered as 503, like the ORM's
                    self._close()
                    raise StorageError(f"the service database failed: {exc.__class__.__name__}") from exc
        return None if row is None else (row[0], row[1], row[2], row[3], row[4], row[5])

    def close(self) -> None:
        """Close the lookup's connection (the app's shutdown)."""
        with self._lock:
            self._close()

    def _fetch(self, args: Any) -> Any:
        if self._connection is None:
            fairy = self.engine.raw_connection()  # runs the engine's connect hooks (SQLite pragmas)
            fairy.detach()  # ours for good: the pool neither counts nor resets it
            driver = fairy.dbapi_connection
            assert driver is not None  # a connection fresh from the pool
            self.engine.dialect.set_isolation_level(driver, "AUTOCOMMIT")
            self._connection = fairy
        cursor = self._connection.cursor()
        try:
            cursor.execute(self.sql, args)
            return cursor.fetchone()
        finally:
            cursor.close()

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(self.engine.dialect.loaded_dbapi.Error):  # already broken
                connection.close()
