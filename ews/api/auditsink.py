"""Audit rows from API requests, written in batches by one background thread.

A request hands its audit row to the sink (a tuple appended to a deque, microseconds,
waking no thread) instead of inserting and committing it itself; the writer thread
inserts whatever has queued up in one transaction every ``interval`` seconds, with
multi-row ``INSERT ... VALUES`` statements of up to :data:`ROWS_PER_STATEMENT` rows.
Under load an ``executemany`` cost the writer more CPU per row: the SQLite driver releases
and retakes the GIL around every row, and each retake contends with the busy event loop. The sink is flushed
before ``GET /v1/audit`` answers and when the app shuts down. The cost: a hard
crash of the process loses at most the last ``interval`` seconds of rows. A batch the
database refuses is retried with its strings made storable (:func:`storable`), then row by
row: one bad row never drops the others.
Command-line writes (publish, users) do not use the sink.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.exc import SQLAlchemyError

from ews.db.accounts import now_utc
from ews.db.models import AuditEntry

log = logging.getLogger("ews.api")
_INSERT = insert(AuditEntry)
COLUMNS = ("at", "actor", "role", "action", "target", "outcome")
ROWS_PER_STATEMENT = 100  # 600 parameters: under SQLite's oldest limit of 999
Row = tuple[dt.datetime, str, str, str, str, str]  # in COLUMNS order

# Driver parameter markers by DB-API paramstyle (positional parameters only).
_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


class RowWriter:
    """Inserts audit rows with multi-row statements in the engine's own SQL dialect.

    The ``at`` values go through the column type's bind processor (on SQLite, the text
    SQLAlchemy stores), so the rows read back exactly as rows inserted through SQLAlchemy.
    Drivers with named parameters get one SQLAlchemy ``executemany`` per batch instead.
    """

    def __init__(self, engine: Engine) -> None:
        dialect = engine.dialect
        table = AuditEntry.__table__
        self._marker = _MARKERS.get(dialect.paramstyle)
        self._at: Callable[[Any], Any] | None = table.c.at.type.dialect_impl(dialect).bind_processor(dialect)
        quote = dialect.identifier_preparer.quote
        columns = ", ".join(quote(c) for c in COLUMNS)
        self._head = f"INSERT INTO {quote(AuditEntry.__tablename__)} ({columns}) VALUES "
        self._statements: dict[int, str] = {}  # by number of rows

    def _statement(self, rows: int) -> str:
        found = self._statements.get(rows)
        if found is None:
            one = f"({', '.join([str(self._marker)] * len(COLUMNS))})"
            found = self._statements[rows] = self._head + ", ".join([one] * rows)
        return found

    def __call__(self, connection: Connection, rows: list[Row]) -> None:
        if self._marker is None:
            connection.execute(_INSERT, [dict(zip(COLUMNS, row, strict=True)) for row in rows])
            return
        at = self._at
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            params: list[Any] = []
            for row in chunk:
                params.append(row[0] if at is None else at(row[0]))
                params.extend(row[1:])
            connection.exec_driver_sql(self._statement(len(chunk)), tuple(params))


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
        self._insert = RowWriter(engine)
        self._rows: collections.deque[Row] = collections.deque()  # append/popleft are atomic
        self._flushes: collections.deque[threading.Event] = collections.deque()
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="ews-audit", daemon=True)
        self._thread.start()

    def record(self, actor: str, role: str, action: str, target: str, outcome: str = "ok") -> None:
        """Queue one audit row, stamped now."""
        self._rows.append((now_utc(), actor, role, action, target[:200], outcome))

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

    def _write(self, batch: list[Row]) -> None:
        """Write ``batch`` in one transaction; on failure, with its strings made storable, then
        row by row, so one bad row never costs the others (a lost row is logged without its text)."""
        if not batch:
            return
        if self._try(batch) or self._try([storable(row) for row in batch]):
            return
        lost = 0
        for row in batch:
            if not (self._try([storable(row)]) or self._try([storable(row)])):
                lost += 1
                log.error("audit row lost after retries: %s %s by %s", row[3], row[5], ascii(row[1][:64]))
        if lost:
            log.error("%d of %d audit rows lost", lost, len(batch))

    def _try(self, rows: list[Row]) -> bool:
        try:
            with self.engine.begin() as connection:
                self._insert(connection, rows)
        except SQLAlchemyError:
            log.exception("writing %d audit rows failed", len(rows))
            return False
        return True


_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def storable(row: Row) -> Row:
    """``row`` with control characters (NUL: PostgreSQL refuses it) replaced by U+FFFD and
    ``target`` cut to its column's length; the API refuses such input, this is the last guard."""
    at, *texts = row
    actor, role, action, target, outcome = (_UNSTORABLE.sub("\ufffd", text) for text in texts)
    return (at, actor[:64], role[:16], action[:32], target[:200], outcome[:16])
