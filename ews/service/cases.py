"""Case reopen risk: published scores of recently closed cases, and live scores of one case.

Only the case system and analysts reach these; lurah and camat never see a case id.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from ews.db import queries
from ews.db.models import CaseScore
from ews.exceptions import RequestError
from ews.features.cases_payload import CasePayload
from ews.months import parse_month
from ews.service.case_schemas import CaseRiskItem, CaseRiskPage, LiveCaseScore
from ews.service.common import audited, factors, require_role, resolve_month, scope_error
from ews.service.live import LiveModels
from ews.service.security import CASE_READERS, Caller

Record = Callable[[str, str, str], None]  # (action, target, outcome) -> audited


def _case_item(row: CaseScore) -> CaseRiskItem:
    return CaseRiskItem(
        case_id=row.case_id,
        rw_code=row.rw_code,
        closed_at=row.closed_at,
        score=row.score,
        tier=row.tier,
        rank=row.rank,
        flagged=row.flagged,
        factors=factors(row.top_factors),
    )


def cases_at_risk(
    session: Session,
    caller: Caller,
    as_of: str | None = None,
    *,
    flagged_only: bool = False,
    page: int = 1,
    page_size: int = 50,
) -> CaseRiskPage:
    """Recently closed cases of the month by reopen risk, highest first."""
    require_role(session, caller, CASE_READERS, "cases.read", as_of or "latest")
    month = resolve_month(session, caller, as_of, "cases.read")
    total, rows = queries.case_page(session, month, flagged_only, (page - 1) * page_size, page_size)
    audited(session, caller, "cases.read", f"{month} page {page}")
    items = [_case_item(row) for row in rows]
    return CaseRiskPage(as_of=month, page=page, page_size=page_size, total=total, items=items)


def live_case_score(
    session: Session, caller: Caller, live: LiveModels, payload: CasePayload, as_of: str | None = None
) -> LiveCaseScore:
    """Score one case payload with the live reopen model (audited; the payload is not stored)."""

    def record(action: str, target: str, outcome: str) -> None:
        audited(session, caller, action, target, outcome)

    return score_case(record, caller, live, payload, as_of)


def score_case(
    record: Record, caller: Caller, live: LiveModels, payload: CasePayload, as_of: str | None = None
) -> LiveCaseScore:
    """:func:`live_case_score` auditing through ``record`` (the API hands its sink, no session needed)."""
    target = payload.case_id or payload.rw_code or "payload"
    if caller.role not in CASE_READERS:
        record("cases.score", target, "denied")
        raise scope_error(caller, CASE_READERS, "cases.score")
    scorer = live.require_reopen()
    try:
        result = scorer.score_parts(payload, None if as_of is None else parse_month(as_of))
    except (ValueError, OverflowError) as exc:  # dates at the edge of the calendar
        record("cases.score", target, "denied")
        raise RequestError(f"the case dates cannot be scored: {exc}") from exc
    record("cases.score", target, "ok")
    # One validation from plain values (the scorer's parts), never pydantic objects built twice.
    return LiveCaseScore.model_validate(
        {
            "score": result.score,
            "tier": result.tier,
            "flagged": result.flagged,
            "as_of": result.as_of,
            "model": live.reopen_info,
            "factors": result.factors,
            "clipped": result.clipped,
        }
    )
