"""Audit rows from API requests, written in batches by one background thread.

A request hands its audit row to the sink (a queue put, microseconds) instead
of inserting and committing it itself; the writer thread inserts whatever has
queued up in one transaction every ``interval`` seconds. The sink is flushed
before ``GET /v1/audit`` answers and when the app shuts down. The cost: a hard
crash of the process loses at most the last ``interval`` seconds of rows.
Command-line writes (publish, users) do not use the sink.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.exc import SQLAlchemyError

from ews.db.accounts import now_utc
from ews.db.models import AuditEntry

log = logging.getLogger("ews.api")
_INSERT = insert(AuditEntry)


class AuditSink:
    """A queue of audit rows and the thread that writes them."""

    def __init__(self, engine: Engine, interval: float = 0.1, max_batch: int = 1000) -> None:
        self.engine = engine
        self.interval = interval
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[dict[str, Any] | threading.Event | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="ews-audit", daemon=True)
        self._thread.start()

    def record(self, actor: str, role: str, action: str, target: str, outcome: str = "ok") -> None:
        """Queue one audit row, stamped now."""
        row = {"at": now_utc(), "actor": actor, "role": role, "action": action, "target": target[:200]}
        self._queue.put({**row, "outcome": outcome})

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every row queued so far is written; False on timeout."""
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        """Write what is queued and stop the thread."""
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            batch, markers, stop = self._collect()
            self._write(batch)
            for marker in markers:
                marker.set()
            if stop:
                return

    def _collect(self) -> tuple[list[dict[str, Any]], list[threading.Event], bool]:
        batch: list[dict[str, Any]] = []
        markers: list[threading.Event] = []
        item = self._queue.get()
        while True:
            if item is None:
                return batch, markers, True
            if isinstance(item, threading.Event):
                markers.append(item)  # a flush: write now rather than wait for more rows
                return batch, markers, False
            batch.append(item)
            if len(batch) >= self.max_batch:
                return batch, markers, False
            try:
                item = self._queue.get(timeout=self.interval)
            except queue.Empty:
                return batch, markers, False

    def _write(self, batch: list[dict[str, Any]]) -> None:
        if not batch:
            return
        for attempt in range(3):
            try:
                with self.engine.begin() as connection:
                    connection.execute(_INSERT, batch)
                return
            except SQLAlchemyError:
                log.exception("writing %d audit rows failed (attempt %d of 3)", len(batch), attempt + 1)
        log.error("audit rows lost after 3 attempts: %s", batch)
