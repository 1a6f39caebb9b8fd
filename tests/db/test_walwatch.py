"""The wal-index header moves with every commit, from any connection, and only then."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ews.db.walwatch import WalWatch


def _wal_database(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    return connection


def test_every_commit_by_another_connection_changes_the_header(tmp_path: Path) -> None:
    reader = _wal_database(tmp_path / "db.sqlite")
    writer = sqlite3.connect(tmp_path / "db.sqlite", isolation_level=None)
    watch = WalWatch.of(reader)
    assert watch is not None
    seen = [watch.token()]
    for value in range(30):
        assert watch.token() == seen[-1]  # nothing committed: the same header
        writer.execute("INSERT INTO t VALUES (?)", (value,))
        seen.append(watch.token())
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the next commit restarts the WAL
    writer.execute("INSERT INTO t VALUES (99)")
    seen.append(watch.token())
    assert None not in seen and len(set(seen)) == len(seen)
    watch.close()


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(["insert", "read", "checkpoint", "rolled back"]), min_size=1, max_size=12))
def test_the_header_changes_exactly_when_a_transaction_commits(
    tmp_path_factory: pytest.TempPathFactory, steps: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("wal")
    reader = _wal_database(folder / "db.sqlite")
    writer = sqlite3.connect(folder / "db.sqlite", isolation_level=None)
    watch = WalWatch.of(reader)
    assert watch is not None
    before = watch.token()
    for step in steps:
        if step == "insert":
            writer.execute("INSERT INTO t VALUES (1)")
        elif step == "read":
            writer.execute("SELECT count(*) FROM t").fetchone()
        elif step == "checkpoint":
            writer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        else:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("INSERT INTO t VALUES (2)")
            writer.execute("ROLLBACK")
        after = watch.token()
        assert (after != before) == (step == "insert"), step
        before = after
    watch.close()


def test_databases_that_cannot_be_watched_give_none(tmp_path: Path) -> None:
    assert WalWatch.of(sqlite3.connect(":memory:")) is None
    rollback = sqlite3.connect(tmp_path / "plain.sqlite", isolation_level=None)
    rollback.execute("CREATE TABLE t (x INTEGER)")  # the default rollback journal: no -shm file
    assert WalWatch.of(rollback) is None
    assert WalWatch.at(tmp_path / "missing.sqlite-shm") is None
