"""Passwords and one-time setup codes for the dashboard: argon2 hashing, code format, rules, backoff.

Officials (lurah, camat; analysts too) sign in to the dashboard with a username and a
password they chose. ``ews users add`` and ``ews users reset-password`` print a short
setup code instead (8 characters from an alphabet without look-alikes, shown as
``ABCD-EFGH``); it is stored only as an argon2 hash, expires after :data:`SETUP_TTL`,
and is spent when its owner chooses a password. Pure functions: no database here.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ews.service.security import Role

# Who signs in to the dashboard with a password, and who gets an API key printed.
PASSWORD_ROLES = frozenset({Role.LURAH, Role.CAMAT, Role.ANALYST})
KEY_ROLES = frozenset({Role.ANALYST, Role.CASE_SYSTEM, Role.ADMIN})

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH = 8
SETUP_TTL = dt.timedelta(hours=72)
MIN_LENGTH = 8
MAX_LENGTH = 128


# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): about 30 ms a check on one core of the
# 2-core servers, where the library default (64 MiB, 4 lanes) took 0.4 s and stalled other requests.
# Hashes carry their parameters, so raising these later still verifies the stored ones.
TIME_COST, MEMORY_KIB, LANES = 2, 19 * 1024, 1


@cache
def hasher() -> PasswordHasher:
    """argon2id with :data:`TIME_COST`, :data:`MEMORY_KIB` and :data:`LANES`."""
    return PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=LANES)


def hash_secret(secret: str) -> str:
    """The argon2id hash (salted, with its parameters) of a password or normalised setup code."""
    return hasher().hash(secret)


def verify_secret(stored: str | None, secret: str) -> bool:
    """Whether ``secret`` matches ``stored``; with no stored hash a dummy one is checked, so an
    unknown account costs the same time as a known one."""
    try:
        return hasher().verify(stored or _dummy_hash(), secret) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return hash_secret(secrets.token_urlsafe(16))


def new_setup_code() -> str:
    """A fresh setup code: 8 random characters of :data:`CODE_ALPHABET` (about 40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def show_code(code: str) -> str:
    """The code as printed for a person: ``ABCD-EFGH``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(text: str) -> str | None:
    """``text`` as a setup code (case, spaces and dashes ignored), or None when it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def setup_expiry(now: dt.datetime) -> dt.datetime:
    """When a code issued at ``now`` stops working."""
    return now + SETUP_TTL


def code_expired(expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a code with this expiry is no longer valid (naive times from SQLite are UTC)."""
    if expires_at is None:
        return True
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=dt.UTC)
    return now >= expires_at


def password_problem(password: str, confirm: str, username: str) -> str | None:
    """Why ``password`` cannot be used, in Indonesian, or None when it can."""
    if password != confirm:
        return "Kedua kata sandi tidak sama. Ketik ulang kata sandi yang sama."
    if len(password) < MIN_LENGTH:
        return f"Kata sandi minimal {MIN_LENGTH} karakter."
    if len(password) > MAX_LENGTH:
        return f"Kata sandi maksimal {MAX_LENGTH} karakter."
    if password.strip().lower() == username.strip().lower():
        return "Kata sandi tidak boleh sama dengan nama pengguna."
    if len(set(password)) < 3:
        return "Kata sandi terlalu mudah ditebak. Gunakan beberapa huruf atau angka yang berbeda."
    return None
