"""Reviews: what a lurah, camat or analyst found when checking an RW."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ews.api.schemas import ReviewIn, ReviewOut, visit_date_problem
from ews.api.security import RW_READERS, Caller
from ews.api.service.common import audited_write, refuse, require_role, resolve_month
from ews.api.service.rw import find_rw, review_out
from ews.db import generations
from ews.db.accounts import now_utc
from ews.db.models import Review
from ews.exceptions import RequestError

ACTION = "review.write"


def _check_visit(session: Session, caller: Caller, rw_code: str, visit: dt.date) -> None:
    # ReviewIn already refuses these (422 naming body.visit_date); this guards callers that build one
    # without validation (model_construct).
    problem = visit_date_problem(visit)
    if problem is not None:
        refuse(session, caller, ACTION, rw_code, RequestError(problem))


def add_review(session: Session, caller: Caller, rw_code: str, body: ReviewIn) -> ReviewOut:
    """Store a review of an RW in the caller's area, stamped with who and when."""
    require_role(session, caller, RW_READERS, ACTION, rw_code)
    month = resolve_month(session, caller, body.as_of, ACTION)
    find_rw(session, caller, month, rw_code, ACTION)
    _check_visit(session, caller, rw_code, body.visit_date)
    review = Review(
        rw_code=rw_code,
        as_of=month,
        outcome=body.outcome,
        note=body.note.strip(),
        visit_date=body.visit_date,
        author=caller.name,
        author_role=caller.role.value,
        created_at=now_utc(),
    )
    session.add(review)
    # With the review, in its transaction: cached RW details (every API process) go stale now.
    generations.bump(session, generations.REVIEWS)
    # And its audit row: a review acknowledged (201) is never without one, even after a crash.
    audited_write(session, caller, ACTION, rw_code)
    session.commit()
    return review_out(review)
