"""Dashboard passwords: argon2 hashing, setup codes and their expiry, password rules, backoff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ews.db import accounts, throttle
from ews.db.engine import Store
from ews.service import passwords
from ews.web import attempts
from ews.web.attempts import Kind

NOW = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)


def test_hashes_are_salted_argon2id_and_verify_only_the_secret() -> None:
    first, second = passwords.hash_secret("rahasia-panjang"), passwords.hash_secret("rahasia-panjang")
    assert first.startswith("$argon2id$") and first != second
    assert passwords.verify_secret(first, "rahasia-panjang")
    assert not passwords.verify_secret(first, "rahasia-panjanG")
    assert not passwords.verify_secret(None, "rahasia-panjang")  # no hash: a dummy is checked, never a match
    assert not passwords.verify_secret("bukan-hash", "rahasia-panjang")


def test_setup_codes_are_short_unambiguous_and_shown_grouped() -> None:
    codes = {passwords.new_setup_code() for _ in range(300)}
    assert len(codes) == 300
    code = codes.pop()
    assert len(code) == 8 and set(code) <= set(passwords.CODE_ALPHABET)
    assert not set("01OIL") & set(passwords.CODE_ALPHABET)
    shown = passwords.show_code(code)
    assert shown == f"{code[:4]}-{code[4:]}"
    assert passwords.normalise_code(shown.lower()) == code
    assert passwords.normalise_code(f" {code[:4]} {code[4:]} ") == code
    assert passwords.normalise_code("ABCD-EFG0") is None and passwords.normalise_code("ABC") is None


@settings(max_examples=60)
@given(st.text(max_size=20))
def test_normalised_codes_are_always_well_formed(text: str) -> None:
    code = passwords.normalise_code(text)
    assert code is None or (len(code) == 8 and set(code) <= set(passwords.CODE_ALPHABET))


def test_setup_codes_expire_after_72_hours() -> None:
    expires = passwords.setup_expiry(NOW)
    assert expires - NOW == dt.timedelta(hours=72)
    assert not passwords.code_expired(expires, NOW + dt.timedelta(hours=71, minutes=59))
    assert passwords.code_expired(expires, NOW + dt.timedelta(hours=72))
    assert not passwords.code_expired(expires.replace(tzinfo=None), NOW)  # SQLite hands back naive UTC
    assert passwords.code_expired(None, NOW)


@pytest.mark.parametrize(
    ("password", "confirm", "needle"),
    [
        ("kebun-mangga-7", "kebun-mangga-8", "tidak sama"),
        ("pendek", "pendek", "minimal 8"),
        ("Lurah-Gambir", "Lurah-Gambir", "nama pengguna"),
        ("aaaaaaaaab", "aaaaaaaaab", "mudah ditebak"),
        ("x" * 129 + "yz", "x" * 129 + "yz", "maksimal"),
    ],
)
def test_password_rules_answer_in_indonesian(password: str, confirm: str, needle: str) -> None:
    problem = passwords.password_problem(password, confirm, "lurah-gambir")
    assert problem is not None and needle in problem


def test_a_good_password_passes() -> None:
    assert passwords.password_problem("kebun mangga tujuh", "kebun mangga tujuh", "lurah-gambir") is None


def test_locks_grow_from_one_minute_to_an_hour() -> None:
    assert throttle.lock_duration(4, 5) is None
    minutes = [throttle.lock_duration(n, 5) for n in (5, 6, 7, 12, 40)]
    assert minutes == [dt.timedelta(minutes=m) for m in (1, 2, 4, 60, 60)]


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()


def test_failures_lock_a_subject_and_old_failures_are_forgotten(store: Store) -> None:
    subject = throttle.user_subject(" Lurah-Gambir ")
    assert subject == "user:lurah-gambir"
    with store.session() as session:
        for _ in range(5):
            throttle.record_failure(session, subject, throttle.USER_THRESHOLD, NOW)
    with store.session() as session:
        assert throttle.locked_until(session, [subject], NOW) == NOW + dt.timedelta(minutes=1)
        assert throttle.locked_until(session, [subject], NOW + dt.timedelta(minutes=2)) is None
        later = NOW + dt.timedelta(minutes=2)
        throttle.record_failure(session, subject, throttle.USER_THRESHOLD, later)  # sixth: two minutes
        assert throttle.locked_until(session, [subject], later) == later + dt.timedelta(minutes=2)
    with store.session() as session:
        next_day = NOW + dt.timedelta(days=2)
        assert throttle.record_failure(session, subject, throttle.USER_THRESHOLD, next_day) == 1
        throttle.clear(session, subject)
        assert throttle.locked_until(session, [subject], next_day) is None
        throttle.record_failure(session, "addr:old", throttle.ADDRESS_THRESHOLD, NOW)
        throttle.forget_old(session, next_day)
        assert session.get(throttle.SignInThrottle, "addr:old") is None


def _official(store: Store, name: str, *, password: str | None = None, code: str | None = None) -> None:
    with store.session() as session:
        accounts.add_account(session, name, "lurah", "31.71.01.1001", f"{name:x<64}"[:64])
        if code is not None:
            accounts.set_setup_code(session, name, passwords.hash_secret(code), passwords.setup_expiry(NOW))
        if password is not None:
            account = accounts.get_active(session, name)
            assert account is not None
            accounts.set_password(session, account, passwords.hash_secret(password))


def test_unknown_and_known_usernames_lock_alike(store: Store) -> None:
    _official(store, "lurah-a", password="kebun mangga tujuh")
    for name in ("lurah-a", "tidak-ada"):
        with store.sessions() as session:
            kinds = [
                attempts.password_attempt(session, name, "salah-sekali", f"10.0.0.{len(name)}", NOW).kind
                for _ in range(6)
            ]
        assert kinds == [Kind.WRONG] * 5 + [Kind.LOCKED]
    with store.sessions() as session:  # locked: even the right password waits
        locked = attempts.password_attempt(session, "lurah-a", "kebun mangga tujuh", "10.0.0.99", NOW)
        assert locked.kind is Kind.LOCKED and locked.wait_minutes == 1
        later = NOW + dt.timedelta(minutes=1, seconds=1)
        signed_in = attempts.password_attempt(session, "lurah-a", "kebun mangga tujuh", "10.0.0.99", later)
        assert (signed_in.kind, signed_in.name) == (Kind.SIGNED_IN, "lurah-a")


def test_one_address_trying_many_names_is_locked(store: Store) -> None:
    _official(store, "lurah-b", password="kebun mangga tujuh")
    with store.sessions() as session:
        for i in range(throttle.ADDRESS_THRESHOLD):
            attempts.password_attempt(session, f"tebakan-{i}", "salah-sekali", "10.9.9.9", NOW)
        assert (
            attempts.password_attempt(session, "lurah-b", "kebun mangga tujuh", "10.9.9.9", NOW).kind
            is Kind.LOCKED
        )
        other = attempts.password_attempt(session, "lurah-b", "kebun mangga tujuh", "10.1.1.1", NOW)
        assert other.kind is Kind.SIGNED_IN


def test_setup_code_is_accepted_once_and_not_after_it_expires(store: Store) -> None:
    _official(store, "lurah-c", code="ABCDEFGH")
    with store.sessions() as session:
        assert attempts.password_attempt(session, "lurah-c", "abcd-efgh", "10.0.0.1", NOW).kind is Kind.SETUP
        late = NOW + passwords.SETUP_TTL
        assert (
            attempts.password_attempt(session, "lurah-c", "ABCD-EFGH", "10.0.0.1", late).kind is Kind.EXPIRED
        )
        account = accounts.get_active(session, "lurah-c")
        assert account is not None
        chosen = attempts.choose_password(
            session,
            "lurah-c",
            account.session_generation,
            "kebun mangga tujuh",
            "kebun mangga tujuh",
            "10.0.0.1",
        )
        assert chosen.kind is Kind.SIGNED_IN
        assert attempts.password_attempt(session, "lurah-c", "ABCD-EFGH", "10.0.0.1", NOW).kind is Kind.WRONG
