"""The audit sink writes every queued row: on flush, and on close."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ews.api import auditsink
from ews.api.auditsink import ROWS_PER_STATEMENT, AuditSink
from ews.db import audit
from ews.db.engine import Store
from ews.db.models import AuditEntry


def _count(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_flush_and_close_write_every_row(database_url: str) -> None:
    store = Store.open(database_url)
    sink = AuditSink(store.engine, interval=5.0, max_batch=7)
    for i in range(20):
        sink.record("lurah", "lurah", "rw.read", f"31.71.01.1001.{i:03d}")
    assert sink.flush()
    assert _count(store) == 20
    sink.record("camat", "camat", "flags.read", "2024-06 31.71.01", "denied")
    sink.close()
    with store.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None and (last.actor, last.outcome) == ("camat", "denied")
    assert _count(store) == 21
    store.close()


def test_batched_rows_read_back_like_rows_inserted_through_sqlalchemy(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several multi-row statements in one batch; every column reads back as a session insert's."""
    at = dt.datetime(2025, 6, 30, 23, 59, 58, 123456, tzinfo=dt.UTC)
    monkeypatch.setattr(auditsink, "now_utc", lambda: at)
    monkeypatch.setattr(audit, "now_utc", lambda: at)
    store = Store.open(database_url)
    with store.session() as session:
        audit.record(session, "analis", "analyst", "cases.score", "K-0", "denied")
        session.commit()
    sink = AuditSink(store.engine, interval=5.0)
    rows = 2 * ROWS_PER_STATEMENT + 7
    for i in range(1, rows + 1):
        sink.record("analis", "analyst", "cases.score", f"K-{i}" + "x" * 300 * (i == rows), "denied")
    sink.close()
    with store.session() as session:
        written = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert len(written) == rows + 1
    first = written[0]
    for i, entry in enumerate(written):
        assert (entry.at, entry.actor, entry.role, entry.action, entry.outcome) == (
            first.at, first.actor, first.role, first.action, first.outcome,
        )  # fmt: skip
        expected = f"K-{i}" + ("x" * 300 if i == rows else "")
        assert entry.target == expected[:200]
    store.close()
