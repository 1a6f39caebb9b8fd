"""The per-generation cache: a newer generation empties it, an older one is ignored, bytes are bounded."""

from __future__ import annotations

from ews.api.cache import GenerationCache


def test_entries_live_for_one_generation() -> None:
    cache: GenerationCache[bytes] = GenerationCache(1000, len)
    cache.put((1, 1), "a", b"x")
    assert cache.get((1, 1), "a") == b"x"
    assert cache.get((1, 2), "a") is None  # a review or publish since: not served
    cache.put((1, 2), "b", b"y")
    assert cache.get((1, 1), "a") is None and cache.get((1, 2), "b") == b"y" and len(cache) == 1
    cache.put((1, 1), "a", b"old")  # built from an older snapshot: dropped
    assert cache.get((1, 2), "a") is None and len(cache) == 1


def test_unknown_counters_are_never_cached() -> None:
    cache: GenerationCache[bytes] = GenerationCache(1000, len)
    cache.put((None, 1), "a", b"x")
    assert cache.get((None, 1), "a") is None and len(cache) == 0


def test_size_is_bounded_in_bytes_oldest_first() -> None:
    cache: GenerationCache[bytes] = GenerationCache(10, len)
    for key in "abcd":
        cache.put((1,), key, b"123")
    assert [cache.get((1,), k) for k in "abcd"] == [None, b"123", b"123", b"123"]
    cache.put((1,), "big", b"x" * 11)  # larger than the whole budget: not kept
    assert cache.get((1,), "big") is None and len(cache) == 3
    cache.put((1,), "b", b"1234")  # replacing an entry counts its new size once: 10 bytes, all kept
    assert [cache.get((1,), k) for k in "bcd"] == [b"1234", b"123", b"123"]
    cache.put((1,), "e", b"!")  # one byte over: the oldest left ("c") goes
    assert cache.get((1,), "c") is None and len(cache) == 3
