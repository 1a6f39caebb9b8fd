"""The dashboard session: a signed, http-only, SameSite=Strict cookie, and CSRF tokens.

The cookie holds the signed-in account's name, never a password or key, plus
a CSRF token, the sign-in time, the account's session generation at sign-in
and the time of the last page request. Between a correct setup code and the
chosen password it holds only the name of the account being set up
(``setup``), which signs nobody in. Each request looks the account up again
(the same row carries its current generation), so a session ends on the
server when:

* the account is revoked (the lookup finds no active account, and the revoke
  bumps the generation), or an admin resets its password (a new generation);
* the user signs out (``POST /keluar`` bumps the generation: every session of
  the account, on any device, is refused from the next request);
* nobody requested a page for ``session_idle_minutes`` (default 30);
* it is older than ``MAX_AGE_S`` (8 hours) whatever the activity.

The signature (HMAC-SHA256 under the session secret) stops a visitor from
editing the cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, replace

COOKIE = "ews_sesi"
MAX_AGE_S = 8 * 3600
IDLE_S = 30 * 60  # the default idle timeout (``session_idle_minutes``)
TOUCH_S = 60  # the last-activity time in the cookie is renewed at most once a minute


def clock() -> float:
    """The current time in seconds (tests replace it to move past the idle timeout)."""
    return time.time()


@dataclass(frozen=True)
class WebSession:
    """What the cookie carries: the signed-in account's name (or None), the CSRF token, when it was
    issued, the account's session generation at sign-in, the last page request, and the account
    whose setup code was just accepted (choosing a password, not yet signed in)."""

    account: str | None
    csrf: str
    issued: int
    generation: int = 0
    seen: int = 0
    setup: str | None = None

    @property
    def signed_in(self) -> bool:
        """Whether someone signed in with this session."""
        return self.account is not None


def new_session(account: str | None = None, generation: int = 0, setup: str | None = None) -> WebSession:
    """A fresh session with a new CSRF token (rotated on every sign-in and sign-out)."""
    now = int(clock())
    return WebSession(account, secrets.token_urlsafe(24), now, generation, now, setup)


def touched(session: WebSession, now: float | None = None) -> WebSession | None:
    """``session`` with its last activity moved to now, or None when it was renewed under a minute ago."""
    current = int(clock() if now is None else now)
    return replace(session, seen=current) if current - session.seen >= TOUCH_S else None


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
    fields = {"k": session.account, "c": session.csrf, "t": session.issued, "g": session.generation}
    payload = _b64(json.dumps({**fields, "a": session.seen, "s": session.setup}).encode())
    mac = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def decode(
    value: str | None, key: bytes, now: float | None = None, idle_s: int = IDLE_S
) -> WebSession | None:
    """The session in a cookie value; None when absent, tampered with, malformed, expired or idle
    longer than ``idle_s`` (whether its generation is current is the caller's check)."""
    if not value or value.count(".") != 1:
        return None
    payload, mac = value.split(".")
    try:
        expected = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(_unb64(mac), expected):
            return None
        data = json.loads(_unb64(payload))
        session = WebSession(
            _text(data["k"]), str(data["c"]), int(data["t"]), int(data["g"]), int(data["a"]), _text(data["s"])
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        # UnicodeError and binascii.Error are ValueErrors: a cookie that is not our base64 text.
        return None
    current = clock() if now is None else now
    age, idle = current - session.issued, current - session.seen
    return session if 0 <= age <= MAX_AGE_S and idle <= idle_s and session.seen >= session.issued else None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError("a cookie field that should be text is not")


def csrf_ok(session: WebSession | None, submitted: str | None) -> bool:
    """Whether a form's CSRF token matches its session's (constant-time)."""
    if session is None or not submitted:
        return False
    return hmac.compare_digest(session.csrf.encode(), submitted.encode())
