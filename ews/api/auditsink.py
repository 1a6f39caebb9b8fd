"""Audit rows from API requests, written in batches by one background thread.

A request hands its audit row to the sink (a deque append, microseconds, waking
no thread) instead of inserting and committing it itself; the writer thread
inserts whatever has queued up in one transaction every ``interval`` seconds. The sink is flushed
before ``GET /v1/audit`` answers and when the app shuts down. The cost: a hard
crash of the process loses at most the last ``interval`` seconds of rows.
Command-line writes (publish, users) do not use the sink.
"""

from __future__ import annotations

import collections
import logging
import threading
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.exc import SQLAlchemyError

from ews.db.accounts import now_utc
from ews.db.models import AuditEntry

log = logging.getLogger("ews.api")
_INSERT = insert(AuditEntry)


class AuditSink:
    """A queue of audit rows and the thread that writes them.

    The writer sleeps ``interval`` seconds between batches instead of waiting on the
    queue: a blocking ``get`` woke the thread (and handed it the GIL) on every
    request, which cost more than the put itself. ``flush`` and ``close`` wake it early.
    """

    def __init__(self, engine: Engine, interval: float = 0.1, max_batch: int = 1000) -> None:
        self.engine = engine
        self.interval = interval
        self.max_batch = max_batch
        self._rows: collections.deque[dict[str, Any]] = collections.deque()  # append/popleft are atomic
        self._flushes: collections.deque[threading.Event] = collections.deque()
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="ews-audit", daemon=True)
        self._thread.start()

    def record(self, actor: str, role: str, action: str, target: str, outcome: str = "ok") -> None:
        """Queue one audit row, stamped now."""
        row = {"at": now_utc(), "actor": actor, "role": role, "action": action, "target": target[:200]}
        row["outcome"] = outcome
        self._rows.append(row)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every row queued so far is written; False on timeout."""
        done = threading.Event()
        self._flushes.append(done)
        self._wake.set()
        return done.wait(timeout)

    def close(self) -> None:
        """Write what is queued and stop the thread."""
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            stopping = self._stopping
            # Flush markers first: every row queued before a flush was asked for is drained below.
            markers = [self._flushes.popleft() for _ in range(len(self._flushes))]
            self._drain()
            for marker in markers:
                marker.set()
            if stopping:
                return

    def _drain(self) -> None:
        while self._rows:
            batch = [self._rows.popleft() for _ in range(min(len(self._rows), self.max_batch))]
            self._write(batch)

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
