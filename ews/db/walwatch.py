"""Whether a SQLite database in WAL mode may have changed, read from shared memory in under a microsecond.

Every connection to a WAL database maps the ``-shm`` file, whose first bytes
are the *wal-index header* (https://sqlite.org/walformat.html, section 2.1):
two copies of a 48-byte record that a writer rewrites on every commit (the
``iChange`` counter and ``mxFrame``, the last committed frame, move; a WAL
restart changes the salts). A writer writes the second copy, then the first;
a reader that reads the first, then the second, and finds them equal has read
one consistent header, which is how SQLite's own readers read it.

So an unchanged header proves no transaction has committed since it was last
read, for a few hundred nanoseconds instead of the ~8 us of a
``PRAGMA data_version`` round trip through the driver. :class:`WalWatch`
says only "unchanged" or "look properly": a torn read, a database not in WAL
mode, an in-memory database or a missing ``-shm`` file give ``None`` (the
caller falls back to ``PRAGMA data_version``).
"""

from __future__ import annotations

import contextlib
import mmap
import os
from pathlib import Path
from typing import Any

HEADER_BYTES = 48  # one copy of the wal-index header
_IS_INIT = 12  # byte offset of isInit in the header: 0 until a connection has built the index


class WalWatch:
    """The wal-index header of one SQLite database file, mapped read-only."""

    def __init__(self, mapped: mmap.mmap) -> None:
        self._map = mapped

    @classmethod
    def of(cls, connection: Any) -> WalWatch | None:
        """A watch of the database behind a DB-API ``sqlite3`` connection; None if it cannot be watched.

        The connection must stay open while the watch is used: it keeps the ``-shm`` file that
        the other connections share (SQLite removes it when the last connection closes).
        """
        cursor = connection.cursor()
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            cursor.execute("PRAGMA data_version").fetchone()  # opens the WAL and its index if not yet
            files = {row[1]: row[2] for row in cursor.execute("PRAGMA database_list").fetchall()}
        finally:
            cursor.close()
        path = files.get("main") or ""
        if str(mode).lower() != "wal" or not path:  # in-memory or temporary: nothing to map
            return None
        return cls.at(Path(f"{path}-shm"))

    @classmethod
    def at(cls, shm: Path) -> WalWatch | None:
        """A watch of the ``-shm`` file ``shm``; None if it is missing or too short."""
        try:
            with open(shm, "rb") as handle:
                if os.fstat(handle.fileno()).st_size < 2 * HEADER_BYTES:
                    return None
                return cls(mmap.mmap(handle.fileno(), 2 * HEADER_BYTES, access=mmap.ACCESS_READ))
        except (OSError, ValueError):
            return None

    def token(self) -> bytes | None:
        """The current header, or None when it cannot be trusted (being rewritten, or not built)."""
        first = self._map[:HEADER_BYTES]
        second = self._map[HEADER_BYTES : 2 * HEADER_BYTES]
        return first if first == second and first[_IS_INIT] else None

    def close(self) -> None:
        """Unmap the header."""
        with contextlib.suppress(BufferError, ValueError):
            self._map.close()
