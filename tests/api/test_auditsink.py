"""The audit sink writes every queued row: on flush, and on close."""

from __future__ import annotations

from sqlalchemy import func, select

from ews.api.auditsink import AuditSink
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
