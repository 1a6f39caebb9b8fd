"""Accounts: add, revoke, list, and find by key hash.

The caller hashes keys (``ews.api.security``); this module never sees a key.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from ews.db.models import Account
from ews.exceptions import ConfigError


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
