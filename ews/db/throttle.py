"""Backoff after failed dashboard sign-ins, per username and per client address.

A subject (``user:<name>`` whether or not the account exists, ``addr:<address>``) is
locked once its failures reach its threshold: for :data:`FIRST_LOCK`, doubling with each
further failure up to :data:`MAX_LOCK`. Failures older than :data:`FORGET_AFTER` no longer
count. Nothing here commits: the caller commits the count with the attempt's audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ews.db.models import SignInThrottle

USER_THRESHOLD = 5
ADDRESS_THRESHOLD = 20  # an office behind one address has many honest users
FIRST_LOCK = dt.timedelta(minutes=1)
MAX_LOCK = dt.timedelta(hours=1)
FORGET_AFTER = dt.timedelta(hours=24)
SUBJECT_LENGTH = 100


def user_subject(name: str) -> str:
    """The throttle subject of a typed username (case-insensitive, so ``Lurah`` counts as ``lurah``)."""
    return f"user:{name.strip().lower()}"[:SUBJECT_LENGTH]


def address_subject(address: str) -> str:
    """The throttle subject of a client address."""
    return f"addr:{address}"[:SUBJECT_LENGTH]


def lock_duration(failures: int, threshold: int) -> dt.timedelta | None:
    """How long a subject with ``failures`` recent failures is locked (None: not locked)."""
    if failures < threshold:
        return None
    doublings: int = min(failures - threshold, 16)
    return min(FIRST_LOCK * (1 << doublings), MAX_LOCK)


def utc(value: dt.datetime) -> dt.datetime:
    """``value`` as an aware UTC time (SQLite hands back naive ones)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def locked_until(session: Session, subjects: Iterable[str], now: dt.datetime) -> dt.datetime | None:
    """The latest lock among ``subjects`` that still holds at ``now``, else None."""
    rows = session.scalars(select(SignInThrottle).where(SignInThrottle.subject.in_(list(subjects))))
    locks = [utc(row.locked_until) for row in rows if row.locked_until is not None]
    current = [lock for lock in locks if lock > now]
    return max(current) if current else None


def record_failure(session: Session, subject: str, threshold: int, now: dt.datetime) -> int:
    """Count one failure of ``subject`` (locking it when due); return its recent failures."""
    row = session.get(SignInThrottle, subject)
    if row is None:
        row = _insert(session, subject, now)
    if now - utc(row.last_failure_at) > FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    lock = lock_duration(row.failures, threshold)
    row.locked_until = None if lock is None else now + lock
    session.flush()
    return row.failures


def _insert(session: Session, subject: str, now: dt.datetime) -> SignInThrottle:
    row = SignInThrottle(subject=subject, failures=0, last_failure_at=now, locked_until=None)
    try:
        with session.begin_nested():  # another request may insert the same subject first
            session.add(row)
    except IntegrityError:
        found = session.get(SignInThrottle, subject, populate_existing=True)
        if found is None:  # pragma: no cover - deleted again in between
            raise
        return found
    return row


def clear(session: Session, subject: str) -> None:
    """Forget the failures of ``subject`` (a successful sign-in or an admin's reset)."""
    session.execute(delete(SignInThrottle).where(SignInThrottle.subject == subject))


def forget_old(session: Session, now: dt.datetime) -> None:
    """Drop subjects whose last failure is older than :data:`FORGET_AFTER` and whose lock has ended."""
    cutoff = now - FORGET_AFTER
    stale = [
        row.subject
        for row in session.scalars(select(SignInThrottle).where(SignInThrottle.last_failure_at < cutoff))
        if row.locked_until is None or utc(row.locked_until) <= now
    ]
    if stale:
        session.execute(delete(SignInThrottle).where(SignInThrottle.subject.in_(stale)))
