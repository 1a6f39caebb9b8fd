"""The session cookie: round trip, refused when edited, signed with another key, or too old."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from ews.web import session as ws

KEY = ws.signing_key("rahasia")


def test_round_trip_keeps_hash_and_token() -> None:
    original = ws.new_session("ab" * 32)
    assert ws.decode(ws.encode(original, KEY), KEY) == original


def test_edited_cookie_is_refused() -> None:
    value = ws.encode(ws.new_session("ab" * 32), KEY)
    payload, mac = value.split(".")
    forged = ws.encode(ws.new_session("cd" * 32), KEY).split(".")[0]
    assert ws.decode(f"{forged}.{mac}", KEY) is None
    assert ws.decode(value, ws.signing_key("lain")) is None
    assert ws.decode(payload, KEY) is None


def test_old_cookie_is_refused() -> None:
    value = ws.encode(ws.new_session("ab" * 32), KEY)
    assert ws.decode(value, KEY, now=time.time() + ws.MAX_AGE_S + 5) is None


def test_empty_secret_gives_a_random_key() -> None:
    assert ws.signing_key("") != ws.signing_key("")
    assert ws.signing_key("x") == ws.signing_key("x")


def test_csrf_needs_the_sessions_own_token() -> None:
    state = ws.new_session()
    assert ws.csrf_ok(state, state.csrf)
    assert not ws.csrf_ok(state, ws.new_session().csrf)
    assert not ws.csrf_ok(state, "") and not ws.csrf_ok(None, state.csrf)


@given(st.text(max_size=200))
def test_garbage_never_decodes_and_never_raises(value: str) -> None:
    assert ws.decode(value, KEY) is None


def test_a_setup_session_round_trips_and_signs_nobody_in() -> None:
    pending = ws.new_session(None, 3, setup="lurah-gambir")
    decoded = ws.decode(ws.encode(pending, KEY), KEY)
    assert decoded == pending and decoded is not None
    assert not decoded.signed_in and decoded.setup == "lurah-gambir"
