"""Serialised answers of published reads, kept per generation of the data they show.

Published months only change when ``ews publish`` runs and RW detail also when a
review is written; both bump a counter in ``generations`` in the same transaction
(``ews.db.generations``). Every request reads the counters with its key lookup (one
query, see ``ews.api.deps``), so an entry is served only while the counters it was
built under are still current — whichever process wrote the change. An entry holds
the JSON body for one privacy view (officials or not) and the area it belongs to;
scope checks and auditing still run on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

V = TypeVar("V")
Generation = tuple[int | None, ...]


@dataclass(frozen=True)
class CachedRw:
    """One RW's detail body and the area that decides who may read it."""

    body: bytes
    kelurahan_code: str
    kecamatan_code: str


class GenerationCache(Generic[V]):
    """A map bounded in bytes whose entries all belong to one generation; a newer one empties it.

    ``weigh`` gives an entry's size; the oldest entries go first when ``max_bytes`` would
    be passed (flag pages come in many sizes and filters, so a count alone bounds nothing).
    Requests run on one event-loop thread and never await inside ``get``/``put``, so no
    lock is needed. A generation with an unknown (None) counter is never cached.
    """

    def __init__(self, max_bytes: int, weigh: Callable[[V], int]) -> None:
        self.max_bytes = max_bytes
        self.weigh = weigh
        self._generation: Generation | None = None
        self._entries: dict[Hashable, V] = {}
        self._bytes = 0

    def get(self, generation: Generation, key: Hashable) -> V | None:
        """The entry for ``key`` if it was stored under ``generation``."""
        if generation != self._generation:
            return None
        return self._entries.get(key)

    def put(self, generation: Generation, key: Hashable, value: V) -> None:
        """Store ``value``; a newer generation first drops every older entry."""
        if None in generation:
            return
        if generation != self._generation:
            older = _is_older(generation, self._generation)
            if older:
                return  # built from a snapshot older than what is cached: not worth keeping
            self._generation, self._entries, self._bytes = generation, {}, 0
        size = self.weigh(value)
        if size > self.max_bytes:
            return
        if key in self._entries:
            self._bytes -= self.weigh(self._entries.pop(key))
        while self._entries and self._bytes + size > self.max_bytes:
            self._bytes -= self.weigh(self._entries.pop(next(iter(self._entries))))  # oldest first
        self._entries[key] = value
        self._bytes += size

    def __len__(self) -> int:
        return len(self._entries)


def _is_older(generation: Generation, than: Generation | None) -> bool:
    if than is None:
        return False
    pairs = zip(generation, than, strict=True)
    return any(new is not None and old is not None and new < old for new, old in pairs)


@dataclass(frozen=True)
class ReadCaches:
    """The caches of one app (one per process; ``create_app`` makes them)."""

    latest_month: GenerationCache[str]
    rw: GenerationCache[CachedRw]
    flags: GenerationCache[bytes]

    @classmethod
    def new(cls, max_bytes: int = 64 << 20) -> ReadCaches:
        """Empty caches, each holding at most ``max_bytes`` of bodies."""
        return cls(
            GenerationCache(1 << 10, len),
            GenerationCache(max_bytes, lambda entry: len(entry.body)),
            GenerationCache(max_bytes, len),
        )
