"""Dashboard sign-in attempts: backoff, argon2 checks and the audit row, each in one transaction.

Every attempt is audited durably (``web.signin``, ``web.setup_code``, ``web.password_set``;
outcome ``ok``, ``denied``, ``locked`` or ``expired``) in the same transaction as what it
changes: the failure counts, the spent setup code, the new password. A wrong password
and an unknown username look the same to the visitor: one message, the same argon2
work (a dummy hash stands in for a missing one) and the same backoff.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from ews.db import accounts, audit, throttle
from ews.db.models import Account
from ews.exceptions import AuthError
from ews.service import auth, passwords
from ews.service.common import audited_write
from ews.service.security import Caller, Role


class Kind(StrEnum):
    """How an attempt ended."""

    SIGNED_IN = "signed_in"  # start a session for ``name``
    SETUP = "setup"  # a valid setup code: let ``name`` choose a password
    LOCKED = "locked"  # too many failures: wait ``wait_minutes``
    WRONG = "wrong"  # unknown username, wrong password or code, unknown key
    EXPIRED = "expired"  # the right setup code, too late (or reset, or spent meanwhile)
    ROLE = "role"  # a valid key of a role that has no dashboard
    INVALID = "invalid"  # the chosen password breaks a rule: ``problem`` says which


@dataclass(frozen=True)
class Outcome:
    """The result of an attempt, for the route to turn into a page or a redirect."""

    kind: Kind
    name: str | None = None
    generation: int = 0
    wait_minutes: int = 0
    problem: str | None = None


def _target(address: str) -> str:
    return f"dashboard {address}"


def _caller(account: Account) -> Caller:
    return auth.caller_of(account)


def _locked(db: Session, subjects: list[str], address: str, now: dt.datetime) -> Outcome | None:
    until = throttle.locked_until(db, subjects, now)
    if until is None:
        return None
    audit.record(db, "-", "-", "web.signin", _target(address), "locked")
    db.commit()
    return Outcome(Kind.LOCKED, wait_minutes=max(1, math.ceil((until - now).total_seconds() / 60)))


def _fail(db: Session, user: str | None, account: Account | None, address: str, now: dt.datetime) -> Outcome:
    if user is not None:
        throttle.record_failure(db, user, throttle.USER_THRESHOLD, now)
    throttle.record_failure(db, throttle.address_subject(address), throttle.ADDRESS_THRESHOLD, now)
    throttle.forget_old(db, now)
    actor, role = (account.name, account.role) if account is not None else ("-", "-")
    audit.record(db, actor, role, "web.signin", _target(address), "denied")
    db.commit()
    return Outcome(Kind.WRONG)


def _match(account: Account | None, secret: str) -> str | None:
    """``"setup"``, ``"password"`` or None; always two argon2 checks, whatever the account holds."""
    code = passwords.normalise_code(secret)
    setup_hash = account.setup_code_hash if account is not None else None
    code_ok = passwords.verify_secret(setup_hash, code or secret)
    password_ok = passwords.verify_secret(account.password_hash if account is not None else None, secret)
    if code_ok and code is not None:
        return "setup"
    return "password" if password_ok else None


def password_attempt(
    db: Session, username: str, secret: str, address: str, now: dt.datetime | None = None
) -> Outcome:
    """Check a username with a password or a setup code (backoff first)."""
    now = now or accounts.now_utc()
    name = username.strip()
    user = throttle.user_subject(name)
    locked = _locked(db, [user, throttle.address_subject(address)], address, now)
    if locked is not None:
        return locked
    account = accounts.get_active(db, name)
    matched = _match(account, secret)
    if account is None or matched is None or Role(account.role) not in passwords.PASSWORD_ROLES:
        return _fail(db, user, account, address, now)
    if matched == "setup":
        return _setup_code(db, account, address, now)
    throttle.clear(db, user)
    audited_write(db, _caller(account), "web.signin", _target(address))
    db.commit()
    return Outcome(Kind.SIGNED_IN, account.name, account.session_generation)


def _setup_code(db: Session, account: Account, address: str, now: dt.datetime) -> Outcome:
    expired = passwords.code_expired(account.setup_expires_at, now)
    if not expired:
        throttle.clear(db, throttle.user_subject(account.name))
    audit.record(
        db, account.name, account.role, "web.setup_code", _target(address), "expired" if expired else "ok"
    )
    db.commit()
    if expired:
        return Outcome(Kind.EXPIRED)
    return Outcome(Kind.SETUP, account.name, account.session_generation)


def key_attempt(db: Session, key: str, address: str, now: dt.datetime | None = None) -> Outcome:
    """Check an API key (analysts and scripts may still sign in with one); backoff per address."""
    now = now or accounts.now_utc()
    locked = _locked(db, [throttle.address_subject(address)], address, now)
    if locked is not None:
        return locked
    try:
        caller = auth.caller_from_key(db, key)
    except AuthError:
        return _fail(db, None, None, address, now)
    if caller.role not in passwords.PASSWORD_ROLES:
        audit.record(db, caller.name, caller.role.value, "web.signin", _target(address), "denied")
        db.commit()
        return Outcome(Kind.ROLE)
    account = accounts.get_active(db, caller.name)
    audited_write(db, caller, "web.signin", _target(address))
    db.commit()
    return Outcome(Kind.SIGNED_IN, caller.name, 0 if account is None else account.session_generation)


def choose_password(
    db: Session, name: str, generation: int, password: str, confirm: str, address: str
) -> Outcome:
    """Store the password chosen after a setup code and spend the code; ``EXPIRED`` when the code
    was reset, spent or ran out meanwhile, ``INVALID`` (with the rule) when the password breaks one."""
    account = accounts.get_active(db, name)
    if (
        account is None
        or account.session_generation != generation
        or account.setup_code_hash is None
        or passwords.code_expired(account.setup_expires_at, accounts.now_utc())
    ):
        return Outcome(Kind.EXPIRED)
    problem = passwords.password_problem(password, confirm, account.name)
    if problem is not None:
        return Outcome(Kind.INVALID, problem=problem)
    accounts.set_password(db, account, passwords.hash_secret(password))
    caller = _caller(account)
    audited_write(db, caller, "web.password_set", _target(address))
    audited_write(db, caller, "web.signin", _target(address))
    db.commit()
    return Outcome(Kind.SIGNED_IN, account.name, account.session_generation)
