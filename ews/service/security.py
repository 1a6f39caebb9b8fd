"""API keys, roles and area scopes.

A key is ``ews_`` + 32 random bytes (URL-safe base64); only its sha256 is
stored, so a stolen database does not yield usable keys. The token's entropy
makes a plain (unsalted) hash safe against guessing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from ews.data import schema
from ews.exceptions import ConfigError

KEY_PREFIX = "ews_"


class Role(StrEnum):
    """Who an account is; the role fixes what it may call and how far its area reaches."""

    LURAH = "lurah"
    CAMAT = "camat"
    ANALYST = "analyst"
    CASE_SYSTEM = "case_system"
    ADMIN = "admin"


# Roles whose reads are limited to one area, and the code pattern of that area.
AREA_PATTERNS: dict[Role, str] = {
    Role.LURAH: schema.KELURAHAN_CODE_PATTERN,
    Role.CAMAT: schema.KECAMATAN_CODE_PATTERN,
}
# Officials see aggregates only: no case ids, small counts suppressed.
OFFICIALS = frozenset({Role.LURAH, Role.CAMAT})
RW_READERS = frozenset({Role.LURAH, Role.CAMAT, Role.ANALYST})
CASE_READERS = frozenset({Role.ANALYST, Role.CASE_SYSTEM})


@dataclass(frozen=True)
class Caller:
    """The authenticated account behind a request."""

    name: str
    role: Role
    area: str | None = None

    @property
    def is_official(self) -> bool:
        """True for lurah and camat, who get suppressed counts and no identifiers."""
        return self.role in OFFICIALS

    def covers(self, kelurahan_code: str, kecamatan_code: str) -> bool:
        """Whether an RW in this kelurahan/kecamatan is inside the caller's area."""
        if self.role is Role.LURAH:
            return kelurahan_code == self.area
        if self.role is Role.CAMAT:
            return kecamatan_code == self.area
        return self.role is Role.ANALYST


def new_key() -> str:
    """A fresh high-entropy API key (shown once, never stored)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """The hex sha256 of ``key``: what the accounts table stores."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def keys_match(key: str, stored_hash: str) -> bool:
    """Constant-time check of ``key`` against a stored hash."""
    return hmac.compare_digest(hash_key(key), stored_hash)


def parse_role(text: str) -> Role:
    """The role named ``text``; raise ``ConfigError`` listing the allowed roles."""
    try:
        return Role(text.strip().lower())
    except ValueError as exc:
        allowed = ", ".join(r.value for r in Role)
        raise ConfigError(f"role {text!r} is not one of: {allowed}") from exc


def check_area_pattern(role: Role, area: str | None) -> str | None:
    """Validate the area code a role needs; raise ``ConfigError`` naming the bad value."""
    pattern = AREA_PATTERNS.get(role)
    if pattern is None:
        if area:
            raise ConfigError(
                f"role {role.value} covers the whole province, so --area {area!r} is not allowed"
            )
        return None
    if not area or not re.match(pattern, area):
        kind = "kelurahan (PP.KK.CC.DDDD)" if role is Role.LURAH else "kecamatan (PP.KK.CC)"
        raise ConfigError(f"role {role.value} needs --area with a {kind} code, got {area!r}")
    return area
