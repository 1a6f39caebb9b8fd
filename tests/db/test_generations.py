"""Generation counters move with every publish and review, in the same transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from service_world import BUSY_RW, build_service_world, publish_world

from ews.db import generations
from ews.db.accounts import KeyLookup
from ews.db.engine import Store


def _values(url: str) -> tuple[int | None, int | None]:
    store = Store.open(url)
    try:
        with store.session() as session:
            return (
                generations.current(session, generations.PUBLICATIONS),
                generations.current(session, generations.REVIEWS),
            )
    finally:
        store.close()


def test_publish_and_review_bump_their_counters(database_url: str) -> None:
    import datetime as dt

    from ews.service.review_schemas import ReviewIn
    from ews.service.reviews import add_review
    from ews.service.security import Caller, Role

    build_service_world(database_url)
    published, reviewed = _values(database_url)
    assert published is not None and reviewed is not None
    publish_world(database_url)
    assert _values(database_url) == (published + 1, reviewed)
    store = Store.open(database_url)
    try:
        with store.session() as session:
            body = ReviewIn(outcome="ada_indikasi", note="x", visit_date=dt.date(2024, 6, 4))
            add_review(session, Caller("analyst", Role.ANALYST), BUSY_RW, body)
    finally:
        store.close()
    assert _values(database_url) == (published + 1, reviewed + 1)


def test_bump_creates_a_missing_counter(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        with store.session() as session:
            generations.bump(session, "elsewhere")
            generations.bump(session, "elsewhere")
        with store.session() as session:
            assert generations.current(session, "elsewhere") == 2
            assert generations.current(session, "never") is None
    finally:
        store.close()


def test_key_lookup_returns_the_active_account_and_counters(database_url: str) -> None:
    from ews.api.accounts import revoke
    from ews.service.security import hash_key

    world = build_service_world(database_url)
    publications, reviews = _values(database_url)
    store = Store.open(database_url)
    try:
        lookup = KeyLookup(store.engine)
        row = lookup(hash_key(world.keys["camat"]))
        assert row is not None
        assert row[:3] == ("camat", "camat", "31.71.01") and row[4:] == (publications, reviews)
        assert lookup(hash_key("ews_unknown")) is None
        revoke("camat", database_url)
        assert lookup(hash_key(world.keys["camat"])) is None
    finally:
        store.close()


def test_key_lookup_on_sqlite_queries_again_only_after_another_connection_commits(
    database_url: str, monkeypatch: Any
) -> None:
    from ews.api.accounts import revoke
    from ews.service.security import hash_key

    world = build_service_world(database_url)
    store = Store.open(database_url)
    lookup = KeyLookup(store.engine)
    queries: list[object] = []
    fetch = lookup._fetch
    monkeypatch.setattr(lookup, "_fetch", lambda args: queries.append(args) or fetch(args))
    try:
        key = hash_key(world.keys["lurah"])
        first = [lookup(key) for _ in range(5)]
        assert first[0] is not None and first.count(first[0]) == 5
        sqlite = store.engine.dialect.name == "sqlite"
        # SQLite: one query, then the remembered answer; other databases query every time.
        assert len(queries) == (1 if sqlite else 5)
        revoke("lurah", database_url)  # a commit from another connection
        assert lookup(key) is None
        assert len(queries) == (2 if sqlite else 6)
    finally:
        lookup.close()
        store.close()


def test_key_lookup_opens_a_new_connection_after_a_broken_one(database_url: str) -> None:
    from ews.service.security import hash_key

    world = build_service_world(database_url)
    store = Store.open(database_url)
    lookup = KeyLookup(store.engine)
    try:
        assert lookup(hash_key(world.keys["analyst"])) is not None
        lookup._connection.dbapi_connection.close()  # e.g. the database server restarted
        row = lookup(hash_key(world.keys["analyst"]))
        assert row is not None and row[0] == "analyst"
    finally:
        lookup.close()
        store.close()


def test_key_lookup_that_keeps_failing_is_a_storage_error(database_url: str) -> None:
    import pytest

    from ews.exceptions import StorageError

    store = Store.open(database_url)
    lookup = KeyLookup(store.engine)
    lookup.sql = "SELECT * FROM no_such_table"  # fails on the first and on the new connection
    try:
        with pytest.raises(StorageError, match="the service database failed"):
            lookup("0" * 64)
    finally:
        lookup.close()
        store.close()


def test_key_lookup_on_sqlite_asks_nothing_while_the_wal_header_stands_still(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from ews.api.accounts import revoke
    from ews.service.security import hash_key

    database_url = f"sqlite:///{tmp_path / 'ews.db'}"  # the WAL header is SQLite's
    world = build_service_world(database_url)
    store = Store.open(database_url)
    lookup = KeyLookup(store.engine)
    asked: list[str] = []
    ask = lookup._cursor_value
    monkeypatch.setattr(lookup, "_cursor_value", lambda sql: asked.append(sql) or ask(sql))
    try:
        key = hash_key(world.keys["lurah"])
        answers = [lookup(key) for _ in range(5)]
        assert answers[0] is not None and answers.count(answers[0]) == 5
        assert asked == ["PRAGMA data_version"]  # the first answer only; then the header alone
        revoke("lurah", database_url)  # a commit from another process moves the header
        assert lookup(key) is None and len(asked) == 2
    finally:
        lookup.close()
        store.close()
