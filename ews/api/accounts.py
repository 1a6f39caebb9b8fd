"""Account management behind ``ews users``: checks, hashing and auditing around ``ews.db.accounts``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ews.api.publishing import operator
from ews.config import ServeSettings, build_settings
from ews.db import accounts, audit, queries, throttle
from ews.db.engine import Store
from ews.db.models import Account
from ews.exceptions import ConfigError
from ews.service import passwords
from ews.service.security import AREA_PATTERNS, Role, check_area_pattern, hash_key, new_key, parse_role


@dataclass(frozen=True)
class Issued:
    """What ``ews users add`` shows once: an API key for roles that use the API, and a setup code
    (with its expiry) for roles that sign in to the dashboard."""

    name: str
    role: Role
    key: str | None
    setup_code: str | None
    expires_at: dt.datetime | None


_AREA_COLUMN = {Role.LURAH: "kelurahan_code", Role.CAMAT: "kecamatan_code"}


def _store(database_url: str | None) -> Store:
    return Store.open(build_settings(ServeSettings, database_url=database_url).database_url)


def check_area(store: Store, role: Role, area: str | None) -> str | None:
    """The area a role needs: the right code pattern, and published when any region is."""
    area = check_area_pattern(role, area)
    if area is None or role not in AREA_PATTERNS:
        return area
    with store.session() as session:
        known = queries.area_known(session, _AREA_COLUMN[role], area)
    if known is False:
        raise ConfigError(
            f"area {area!r} is not a {_AREA_COLUMN[role].split('_')[0]} in the published regions"
        )
    return area


def create_account(name: str, role_name: str, area: str | None, database_url: str | None = None) -> str:
    """Create (or re-issue a revoked) account with an API key only, and return the key (scripts)."""
    key = add_user(name, role_name, area, database_url, setup=False).key
    assert key is not None  # with setup=False the key is always returned
    return key


def add_user(
    name: str, role_name: str, area: str | None, database_url: str | None = None, *, setup: bool = True
) -> Issued:
    """Create (or re-issue a revoked) account in one audited transaction.

    Every account holds a key hash; the key is returned for roles that use the API (and for all
    roles with ``setup=False``). Dashboard roles get a one-time setup code unless ``setup=False``.
    """
    role = parse_role(role_name)
    store = _store(database_url)
    try:
        area = check_area(store, role, area)
        key = new_key()
        with store.session() as session:
            accounts.add_account(session, name, role.value, area, hash_key(key))
            audit.record(
                session, operator(), "admin", "account.add", f"{name} {role.value} {area or ''}".strip()
            )
            code, expires = (
                _issue_code(session, name) if setup and role in passwords.PASSWORD_ROLES else (None, None)
            )
    finally:
        store.close()
    shown_key = key if role in passwords.KEY_ROLES or not setup else None
    return Issued(name, role, shown_key, code, expires)


def _issue_code(session: Session, name: str) -> tuple[str, dt.datetime]:
    code, expires = passwords.new_setup_code(), passwords.setup_expiry(accounts.now_utc())
    accounts.set_setup_code(session, name, passwords.hash_secret(code), expires)
    throttle.clear(session, throttle.user_subject(name))
    return passwords.show_code(code), expires


def reset_password(name: str, database_url: str | None = None) -> Issued:
    """Give ``name`` a new setup code (72 h), clear its password and end its dashboard sessions
    (audited, one transaction); ``ConfigError`` for unknown, revoked or API-only accounts."""
    store = _store(database_url)
    try:
        with store.session() as session:
            account = accounts.get_active(session, name)
            if account is None:
                raise ConfigError(f"no active account is called {name!r}; `ews users list` shows them")
            role = Role(account.role)
            if role not in passwords.PASSWORD_ROLES:
                raise ConfigError(f"account {name!r} ({role.value}) signs in with an API key, not a password")
            code, expires = _issue_code(session, name)
            audit.record(session, operator(), "admin", "account.reset_password", name)
    finally:
        store.close()
    return Issued(name, role, None, code, expires)


def revoke(name: str, database_url: str | None = None) -> None:
    """Revoke ``name``'s key (audited)."""
    store = _store(database_url)
    try:
        with store.session() as session:
            accounts.revoke_account(session, name)
            audit.record(session, operator(), "admin", "account.revoke", name)
    finally:
        store.close()


def _sign_in_state(account: Account) -> str:
    if account.password_hash is not None:
        return "password"
    if account.setup_code_hash is None:
        return "-"
    expires = account.setup_expires_at
    if expires is None or passwords.code_expired(expires, accounts.now_utc()):
        return "code expired"
    return f"code until {expires:%Y-%m-%d %H:%M}"


def account_rows(database_url: str | None = None) -> list[tuple[str, str, str, str, str, str]]:
    """Every account as printable text: name, role, area, created, revoked, dashboard sign-in."""
    store = _store(database_url)
    try:
        with store.session() as session:
            rows = accounts.list_accounts(session)
            return [
                (
                    a.name,
                    a.role,
                    a.area or "-",
                    a.created_at.strftime("%Y-%m-%d %H:%M"),
                    a.revoked_at.strftime("%Y-%m-%d %H:%M") if a.revoked_at else "-",
                    _sign_in_state(a),
                )
                for a in rows
            ]
    finally:
        store.close()
