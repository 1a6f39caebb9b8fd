"""Helpers every service function shares: months, scope refusals, audit, factors, counts."""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from ews.db import audit, queries
from ews.exceptions import ApiError, NotFoundError, ScopeError
from ews.service.schemas import FactorOut
from ews.service.security import Caller, Role

AUDIT_SINK = "audit_sink"


def audited(session: Session, caller: Caller, action: str, target: str, outcome: str = "ok") -> None:
    """Record one audit row: through the app's audit sink when the session carries one
    (``ews.api.deps.get_session`` sets it), else inserted and committed here."""
    sink = session.info.get(AUDIT_SINK)
    if sink is not None:
        sink.record(caller.name, caller.role.value, action, target, outcome)
        return
    audit.record(session, caller.name, caller.role.value, action, target, outcome)
    session.commit()


def audited_write(session: Session, caller: Caller, action: str, target: str) -> None:
    """Add the audit row of a write to the session's own transaction, never to the sink: the
    caller commits both together, so a committed write always has its row (and a row that cannot
    be stored rolls the write back)."""
    audit.record(session, caller.name, caller.role.value, action, target)


def refuse(session: Session, caller: Caller, action: str, target: str, error: ApiError) -> NoReturn:
    """Audit a refused request, then raise ``error``."""
    audited(session, caller, action, target, outcome_of(error))
    raise error


def require_role(session: Session, caller: Caller, roles: Collection[Role], action: str, target: str) -> None:
    """Refuse (403, audited) unless the caller's role is one of ``roles``."""
    if caller.role not in roles:
        refuse(session, caller, action, target, scope_error(caller, roles, action))


def scope_error(caller: Caller, roles: Collection[Role], action: str) -> ScopeError:
    """The 403 for a caller whose role is not one of ``roles``."""
    allowed = ", ".join(sorted(r.value for r in roles))
    return ScopeError(f"role {caller.role.value} may not {action}; allowed: {allowed}")


def outcome_of(error: ApiError) -> str:
    """The audit outcome of a refusal: ``not_found`` for 404s, else ``denied``."""
    return "not_found" if isinstance(error, NotFoundError) else "denied"


def resolve_month(
    session: Session, caller: Caller, as_of: str | None, action: str, *, verify: bool = True
) -> str:
    """``as_of``, else the latest published month; 404 (audited) when none or unpublished.

    With ``verify=False`` an explicit ``as_of`` is not looked up: callers whose query finds
    nothing call :func:`refuse_unpublished` instead, saving a query on the hot path.
    """
    month = as_of or queries.latest_month(session)
    if month is None:
        refuse(
            session, caller, action, "-", NotFoundError("no month has been published yet; run `ews publish`")
        )
    if verify and as_of is not None:
        refuse_unpublished(session, caller, as_of, action)
    return month


def refuse_unpublished(session: Session, caller: Caller, as_of: str, action: str) -> None:
    """Refuse (404, audited) when month ``as_of`` was never published."""
    if not queries.is_published(session, as_of):
        refuse(session, caller, action, as_of, NotFoundError(f"month {as_of} has not been published"))


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def factors(text: str) -> list[FactorOut]:
    """Reason codes from the stored JSON list (non-finite numbers become null or 0)."""
    out = []
    for item in json.loads(text or "[]"):
        out.append(
            FactorOut(
                feature=str(item.get("feature", "")),
                value=_number(item.get("value")),
                contribution=_number(item.get("contribution")) or 0.0,
                text=str(item.get("text", "")),
                text_en=item.get("text_en"),
            )
        )
    return out


def shown_count(count: int, caller: Caller, threshold: int) -> int | str:
    """``count`` as shown to ``caller``: officials see ``"<threshold>"`` below the threshold."""
    if caller.is_official and count < threshold:
        return f"<{threshold}"
    return int(count)
