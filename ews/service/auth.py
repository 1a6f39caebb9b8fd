"""Who is calling: the one place where a credential becomes a :class:`Caller`.

An API key (``Authorization: Bearer``, or typed into the dashboard's key
form) and a dashboard session (an account name and its session generation,
from the signed cookie) are checked here, against the same accounts table,
and both end in :func:`caller_of`. The JSON API (``ews.api.deps``) and the
dashboard (``ews.web.auth``, ``ews.web.attempts``) call these functions;
neither builds a caller of its own.
"""

from __future__ import annotations

from typing import Final, Protocol

from sqlalchemy.orm import Session

from ews.db import accounts
from ews.exceptions import AuthError
from ews.service.security import Caller, Role, hash_key, keys_match

# Who may use the dashboard (the case system and admins use keys on the API only).
DASHBOARD_ROLES: Final = frozenset({Role.LURAH, Role.CAMAT, Role.ANALYST})
UNKNOWN_KEY: Final = "the API key is unknown or has been revoked"


class AccountLike(Protocol):
    """What a caller is made of: an account row (ORM object or SQL row)."""

    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def area(self) -> str | None: ...


def caller_of(account: AccountLike) -> Caller:
    """The caller an account stands for."""
    return account_caller(account.name, account.role, account.area)


def account_caller(name: str, role: str, area: str | None) -> Caller:
    """The caller of an account given by its columns (a raw row); refuses an unknown role."""
    return Caller(name=name, role=Role(role), area=area)


def check_key(key: str, key_hash: str | None) -> None:
    """Raise ``AuthError`` unless ``key`` is the one whose hash is ``key_hash`` (None: no such key)."""
    if key_hash is None or not keys_match(key, key_hash):
        raise AuthError(UNKNOWN_KEY)


def caller_from_key(session: Session, key: str) -> Caller:
    """The active account holding ``key``; raise ``AuthError`` for unknown or revoked keys."""
    account = accounts.find_active(session, hash_key(key))
    if account is None:
        raise AuthError(UNKNOWN_KEY)
    check_key(key, account.key_hash)
    return caller_of(account)


def session_caller(session: Session, account_name: str | None, generation: int) -> Caller | None:
    """The official a dashboard session signs in, or None when it signs nobody in (any more):
    unknown or revoked account, a role without dashboard access, or sessions ended since (sign-out,
    revoke and password reset bump the account's generation)."""
    account = accounts.find_signed_in(session, account_name) if account_name else None
    if account is None or Role(account.role) not in DASHBOARD_ROLES:
        return None
    if account.session_generation != generation:
        return None
    return caller_of(account)
