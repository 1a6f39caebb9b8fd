"""Accounts: add, revoke, list, find by key hash or name, setup codes and passwords.

The caller hashes keys, passwords and setup codes (``ews.service.security``, ``ews.service.passwords``);
this module never sees a key, password or code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import Any

from sqlalchemy import Engine, Row, bindparam, select, update
from sqlalchemy.orm import Session

from ews.db import generations
from ews.db.models import Account
from ews.db.walwatch import WalWatch
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
        account = Account(name=name, session_generation=0)
        session.add(account)
    else:  # a re-issued account starts with no live dashboard session
        account.session_generation += 1
    account.role, account.area, account.key_hash = role, area, key_hash
    account.created_at, account.revoked_at = now_utc(), None
    account.password_hash = account.setup_code_hash = account.setup_expires_at = None
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
    account.session_generation += 1  # ends its dashboard sessions (the key lookup refuses them too)
    session.flush()
    return account


def list_accounts(session: Session) -> list[Account]:
    """Every account, by name."""
    return list(session.scalars(select(Account).order_by(Account.name)))


_ACTIVE = select(
    Account.name, Account.role, Account.area, Account.key_hash, Account.session_generation
).where(Account.key_hash == bindparam("key_hash"), Account.revoked_at.is_(None))


def find_active(session: Session, key_hash: str) -> Row[str, str, str | None, str, int] | None:
    """Name, role, area, key hash and session generation of the unrevoked account whose key hashes
    to ``key_hash``.

    Core on the session's connection: this runs on every request (the dashboard checks the
    session generation from the same row, so ending sessions costs no extra query).
    """
    return session.connection().execute(_ACTIVE, {"key_hash": key_hash}).first()


_SIGNED_IN = select(Account.name, Account.role, Account.area, Account.session_generation).where(
    Account.name == bindparam("name"), Account.revoked_at.is_(None)
)


def find_signed_in(session: Session, name: str) -> Row[str, str, str | None, int] | None:
    """Name, role, area and session generation of the unrevoked account ``name`` (one Core query:
    every dashboard page runs it to check the cookie's generation)."""
    return session.connection().execute(_SIGNED_IN, {"name": name}).first()


def get_active(session: Session, name: str) -> Account | None:
    """The unrevoked account called ``name``, or None."""
    account = get_account(session, name)
    return account if account is not None and account.revoked_at is None else None


def set_setup_code(session: Session, name: str, code_hash: str, expires_at: dt.datetime) -> Account:
    """Give ``name`` a new one-time setup code: its password is cleared and its dashboard sessions
    end. Raise ``ConfigError`` if no active account has that name. Not committed."""
    account = get_active(session, name)
    if account is None:
        raise ConfigError(f"no active account is called {name!r}; `ews users list` shows the accounts")
    account.password_hash, account.setup_code_hash, account.setup_expires_at = None, code_hash, expires_at
    account.session_generation += 1
    session.flush()
    return account


def set_password(session: Session, account: Account, password_hash: str) -> None:
    """Store the password ``account``'s owner chose and spend its setup code. Not committed."""
    account.password_hash, account.setup_code_hash, account.setup_expires_at = password_hash, None, None
    session.flush()


def end_sessions(session: Session, name: str) -> bool:
    """Bump the session generation of the unrevoked account ``name`` (every dashboard session it
    has, on any device, is refused from the next request); False if none. Not committed.
    """
    bumped = session.execute(
        update(Account)
        .where(Account.name == name, Account.revoked_at.is_(None))
        .values(session_generation=Account.session_generation + 1)
    )
    return bool(getattr(bumped, "rowcount", 0))


_ACTIVE_WITH_GENERATIONS = select(
    Account.name,
    Account.role,
    Account.area,
    Account.key_hash,
    generations.value_of(generations.PUBLICATIONS).label("publications"),
    generations.value_of(generations.REVIEWS).label("reviews"),
).where(Account.key_hash == bindparam("key_hash"), Account.revoked_at.is_(None))


ActiveKey = tuple[str, str, str | None, str, int | None, int | None]
SEEN_LIMIT = 1024  # remembered key answers (SQLite) before they are all forgotten


class KeyLookup:
    """:func:`find_active` plus the ``publications`` and ``reviews`` generations, in one statement
    run on the database driver directly.

    The API's hot routes make this their only query when the answer is cached: the key is
    checked against the live accounts table on every request (a revoke by another process
    counts at once) and the counters say whether a cached answer is still current. On
    SQLite a cheaper check comes first: while no other connection has committed, the
    answer read last time is still exact and is returned without the query (see
    ``_lookup``).

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
        # SQLite: answers seen since the database last changed (see _lookup).
        self._sqlite = engine.dialect.name == "sqlite"
        self._seen: dict[str, ActiveKey | None] = {}
        self._version: Any = None
        self._watch: WalWatch | None = None  # the -shm header of this connection's database
        self._token: bytes | None = None  # the header when the answers in _seen were last proven

    def __call__(self, key_hash: str) -> ActiveKey | None:
        with self._lock:
            try:
                return self._lookup(key_hash)
            except self.engine.dialect.loaded_dbapi.Error:
                self._close()
                try:
                    return self._lookup(key_hash)
                except self.engine.dialect.loaded_dbapi.Error as exc:  # answered as 503, like the ORM's
                    self._close()
                    raise StorageError(f"the service database failed: {exc.__class__.__name__}") from exc

    def _lookup(self, key_hash: str) -> ActiveKey | None:
        """The row for ``key_hash``; on SQLite, the last one read while no other connection has committed.

        ``PRAGMA data_version`` changes exactly when another connection has committed
        to the database since this connection last asked (SQLite's documented
        guarantee), and the accounts and counters change only through commits from
        other connections (this one only reads). So an unchanged version proves a
        remembered answer is still what the query would return, revokes from other
        processes included, for a third of the query's cost. Any commit (the audit
        writer's, every tenth of a second under load) makes the next request query.
        Cheaper still comes first: while the WAL's shared header reads as it did when
        the answers were last proven, nothing at all has committed (``_header``).
        """
        token = None
        if self._sqlite:
            token = self._header()
            if token is not None and token == self._token and key_hash in self._seen:
                return self._seen[key_hash]  # no commit at all since the answers were last proven
            version = self._cursor_value("PRAGMA data_version")
            if version != self._version:
                self._seen.clear()
                self._version = version
            elif key_hash in self._seen:
                self._token = token
                return self._seen[key_hash]
        params = {**self.fixed, "key_hash": key_hash}
        args = params if self.positions is None else tuple(params[name] for name in self.positions)
        row = self._fetch(args)
        found = None if row is None else (row[0], row[1], row[2], row[3], row[4], row[5])
        if self._sqlite:
            if len(self._seen) >= SEEN_LIMIT:  # unknown keys tried at random must not grow it
                self._seen.clear()
            self._seen[key_hash] = found
            self._token = token
        return found

    def _header(self) -> bytes | None:
        """The wal-index header (``ews.db.walwatch``), read before anything else of this request.

        Remembered with the answers once they are proven current (``self._token``): while it
        reads the same, no transaction has committed since, so the answers still hold without
        asking SQLite. A header read before the proof, not after, errs towards asking again.
        """
        self._connect()
        return None if self._watch is None else self._watch.token()

    def _cursor_value(self, sql: str) -> Any:
        cursor = self._connect().cursor()
        try:
            cursor.execute(sql)
            return cursor.fetchone()[0]
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the lookup's connection (the app's shutdown)."""
        with self._lock:
            self._close()

    def _connect(self) -> Any:
        if self._connection is None:
            fairy = self.engine.raw_connection()  # runs the engine's connect hooks (SQLite pragmas)
            fairy.detach()  # ours for good: the pool neither counts nor resets it
            driver = fairy.dbapi_connection
            assert driver is not None  # a connection fresh from the pool
            self.engine.dialect.set_isolation_level(driver, "AUTOCOMMIT")
            self._connection = fairy
            if self._sqlite:
                self._watch = WalWatch.of(driver)
        return self._connection

    def _fetch(self, args: Any) -> Any:
        cursor = self._connect().cursor()
        try:
            cursor.execute(self.sql, args)
            return cursor.fetchone()
        finally:
            cursor.close()

    def _close(self) -> None:
        # data_version counts per connection: a new one starts afresh, so forget all answers.
        self._seen.clear()
        self._version = None
        self._token = None
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(self.engine.dialect.loaded_dbapi.Error):  # already broken
                connection.close()
