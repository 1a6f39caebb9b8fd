"""Account management behind ``ews users``: checks, hashing and auditing around ``ews.db.accounts``."""

from __future__ import annotations

from ews.api.publishing import operator
from ews.api.security import AREA_PATTERNS, Role, check_area_pattern, hash_key, new_key, parse_role
from ews.config import ServeSettings, build_settings
from ews.db import accounts, audit, queries
from ews.db.engine import Store
from ews.exceptions import ConfigError

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
    """Create (or re-issue a revoked) account and return its new API key."""
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
    finally:
        store.close()
    return key


def revoke(name: str, database_url: str | None = None) -> None:
    """Revoke ``name``'s key (audited)."""
    store = _store(database_url)
    try:
        with store.session() as session:
            accounts.revoke_account(session, name)
            audit.record(session, operator(), "admin", "account.revoke", name)
    finally:
        store.close()


def account_rows(database_url: str | None = None) -> list[tuple[str, str, str, str, str]]:
    """Every account as printable text: name, role, area, created, revoked."""
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
                )
                for a in rows
            ]
    finally:
        store.close()
