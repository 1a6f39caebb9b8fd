"""Reviews: what a lurah, camat or analyst found when checking an RW."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ews.db import generations
from ews.db.accounts import now_utc
from ews.db.models import Review
from ews.exceptions import RequestError
from ews.service.common import audited_write, refuse, require_role, resolve_month
from ews.service.review_schemas import ReviewIn, ReviewOut, visit_date_problem
from ews.service.rw import find_rw, review_out
from ews.service.security import RW_READERS, Caller

ACTION = "review.write"


def _check_visit(session: Session, caller: Caller, rw_code: str, visit: dt.date) -> None:
    # ReviewIn already refuses these (422 naming body.visit_date); this guards callers that build one
    # without validation (model_construct).
    problem = visit_date_problem(visit)
    if problem is not None:
        refuse(session, caller, ACTION, rw_code, RequestError(problem))


def add_review(session: Session, caller: Caller, rw_code: str, body: ReviewIn) -> ReviewOut:
    """Store a review of an RW in the caller's area, stamped with who and when."""
    return store_review(session, caller, rw_code, body)[0]


def _earlier(session: Session, caller: Caller, client_id: str | None) -> Review | None:
    if client_id is None:
        return None
    query = select(Review).where(Review.author == caller.name, Review.client_id == client_id)
    return session.scalars(query).first()


def store_review(session: Session, caller: Caller, rw_code: str, body: ReviewIn) -> tuple[ReviewOut, bool]:
    """Store a review (True), or find the one this caller already stored with the same ``client_id``
    (False): a retried check is stored once. Same scope checks either way."""
    require_role(session, caller, RW_READERS, ACTION, rw_code)
    month = resolve_month(session, caller, body.as_of, ACTION)
    find_rw(session, caller, month, rw_code, ACTION)
    _check_visit(session, caller, rw_code, body.visit_date)
    earlier = _earlier(session, caller, body.client_id)
    if earlier is not None:
        return review_out(earlier), False
    try:
        return _insert(session, caller, rw_code, month, body), True
    except IntegrityError:
        # The same retry raced this one and committed first: answer with its review.
        session.rollback()
        earlier = _earlier(session, caller, body.client_id)
        if earlier is None:
            raise
        return review_out(earlier), False


def _insert(session: Session, caller: Caller, rw_code: str, month: str, body: ReviewIn) -> ReviewOut:
    review = Review(
        rw_code=rw_code,
        as_of=month,
        outcome=body.outcome,
        note=body.note.strip(),
        visit_date=body.visit_date,
        author=caller.name,
        author_role=caller.role.value,
        created_at=now_utc(),
        client_id=body.client_id,
    )
    session.add(review)
    # With the review, in its transaction: cached RW details (every API process) go stale now.
    generations.bump(session, generations.REVIEWS)
    # And its audit row: a review acknowledged (201) is never without one, even after a crash.
    audited_write(session, caller, ACTION, rw_code)
    session.commit()
    return review_out(review)
