"""Accounts and keys: hashing, revocation, re-issue, role and area checks."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ews.api.accounts import account_rows, create_account, revoke
from ews.db import accounts
from ews.db.engine import Store
from ews.exceptions import ConfigError
from ews.service.security import Caller, Role, check_area_pattern, hash_key, keys_match, new_key


def test_keys_are_unique_and_hashed_with_sha256() -> None:
    keys = {new_key() for _ in range(200)}
    assert len(keys) == 200
    key = keys.pop()
    assert hash_key(key) == hashlib.sha256(key.encode()).hexdigest()
    assert keys_match(key, hash_key(key))
    assert not keys_match(key + "x", hash_key(key))


@given(st.text(min_size=1, max_size=60))
def test_only_the_exact_key_matches(other: str) -> None:
    key = "ews_fixed-key-for-the-property"
    assert keys_match(other, hash_key(key)) == (other == key)


def test_add_find_revoke_and_reissue(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        with store.session() as session:
            accounts.add_account(session, "camat-gambir", "camat", "31.71.01", hash_key("k1"))
        with store.session() as session:
            assert accounts.find_active(session, hash_key("k1")) is not None
            with pytest.raises(ConfigError, match="already exists"):
                accounts.add_account(session, "camat-gambir", "camat", "31.71.01", hash_key("k2"))
        with store.session() as session:
            accounts.revoke_account(session, "camat-gambir")
        with store.session() as session:
            assert accounts.find_active(session, hash_key("k1")) is None
            accounts.add_account(session, "camat-gambir", "camat", "31.71.01", hash_key("k2"))
        with store.session() as session:
            assert accounts.find_active(session, hash_key("k2")) is not None
            assert accounts.find_active(session, hash_key("k1")) is None
    finally:
        store.close()


@pytest.mark.parametrize(
    ("role", "area"),
    [(Role.LURAH, None), (Role.LURAH, "31.71.01"), (Role.CAMAT, "31.71.01.1001"), (Role.ANALYST, "31.71")],
)
def test_area_must_fit_the_role(role: Role, area: str | None) -> None:
    with pytest.raises(ConfigError, match=role.value):
        check_area_pattern(role, area)


def test_area_must_exist_once_regions_are_published(service_world: object) -> None:
    url = service_world.url  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match=r"31\.71\.01\.1999"):
        create_account("lurah-x", "lurah", "31.71.01.1999", url)
    assert create_account("lurah-cideng", "lurah", "31.71.01.1002", url).startswith("ews_")
    rows = {row[0]: row for row in account_rows(url)}
    assert rows["lurah-cideng"][1:3] == ("lurah", "31.71.01.1002")
    revoke("lurah-cideng", url)
    assert dict((r[0], r[4]) for r in account_rows(url))["lurah-cideng"] != "-"
    with pytest.raises(ConfigError, match="already revoked"):
        revoke("lurah-cideng", url)


def test_unknown_role_lists_the_roles() -> None:
    with pytest.raises(ConfigError, match="lurah, camat, analyst, case_system, admin"):
        create_account("x", "bupati", None, "sqlite://")


def test_caller_scope_rules() -> None:
    lurah = Caller("l", Role.LURAH, "31.71.01.1001")
    camat = Caller("c", Role.CAMAT, "31.71.01")
    assert lurah.covers("31.71.01.1001", "31.71.01") and not lurah.covers("31.71.01.1002", "31.71.01")
    assert camat.covers("31.71.01.1002", "31.71.01") and not camat.covers("31.71.02.1001", "31.71.02")
    assert Caller("a", Role.ANALYST).covers("31.75.01.1001", "31.75.01")
    assert not Caller("s", Role.CASE_SYSTEM).covers("31.71.01.1001", "31.71.01")
    assert not Caller("x", Role.ADMIN).covers("31.71.01.1001", "31.71.01")
