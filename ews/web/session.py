"""The dashboard session: a signed, http-only, SameSite=Strict cookie, and CSRF tokens.

The cookie holds the sha256 of the account's API key (what the accounts
table stores), never the key itself, plus a CSRF token and the sign-in time.
Each request looks the hash up again, so revoking a key ends its sessions at
once. The signature (HMAC-SHA256 under the session secret) stops a visitor
from editing the cookie; the key hash is not a usable API key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

COOKIE = "ews_sesi"
MAX_AGE_S = 8 * 3600


@dataclass(frozen=True)
class WebSession:
    """What the cookie carries: the signed-in key hash (or None), the CSRF token and when it was issued."""

    key_hash: str | None
    csrf: str
    issued: int

    @property
    def signed_in(self) -> bool:
        """Whether someone signed in with this session."""
        return self.key_hash is not None


def new_session(key_hash: str | None = None) -> WebSession:
    """A fresh session with a new CSRF token (rotated on every sign-in and sign-out)."""
    return WebSession(key_hash, secrets.token_urlsafe(24), int(time.time()))


def signing_key(secret: str) -> bytes:
    """The HMAC key for ``secret``; an empty secret gets a random one (sessions end on restart)."""
    material = secret or secrets.token_hex(32)
    return hashlib.sha256(b"ews-web-session\x00" + material.encode("utf-8")).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(session: WebSession, key: bytes) -> str:
    """The cookie value: base64 JSON payload + "." + base64 HMAC of it."""
    payload = _b64(json.dumps({"k": session.key_hash, "c": session.csrf, "t": session.issued}).encode())
    mac = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def decode(value: str | None, key: bytes, now: float | None = None) -> WebSession | None:
    """The session in a cookie value; None when absent, tampered with, malformed or expired."""
    if not value or value.count(".") != 1:
        return None
    payload, mac = value.split(".")
    try:
        expected = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(_unb64(mac), expected):
            return None
        data = json.loads(_unb64(payload))
        session = WebSession(data["k"], str(data["c"]), int(data["t"]))
    except (ValueError, KeyError, TypeError):
        # UnicodeError and binascii.Error are ValueErrors: a cookie that is not our base64 text.
        return None
    age = (time.time() if now is None else now) - session.issued
    return session if 0 <= age <= MAX_AGE_S else None


def csrf_ok(session: WebSession | None, submitted: str | None) -> bool:
    """Whether a form's CSRF token matches its session's (constant-time)."""
    if session is None or not submitted:
        return False
    return hmac.compare_digest(session.csrf.encode(), submitted.encode())
