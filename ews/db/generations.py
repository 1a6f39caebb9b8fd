"""Generation counters: bumped with every change of what API processes cache.

``PUBLICATIONS`` moves in each publish's transaction (scores, trend and region
names change together), ``REVIEWS`` in each review's. A reader that sees a
counter value sees at least the data written with it, so a response built
after reading the counter may be cached under that value (it can only be
newer, never older). Counters only grow; a missing row reads as None, which
turns caching off rather than serving stale data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ScalarSelect, insert, select, update
from sqlalchemy.orm import Session

from ews.db.models import Generation

PUBLICATIONS = "publications"
REVIEWS = "reviews"

_G = Generation.__table__.c


def bump(session: Session, name: str) -> None:
    """Advance counter ``name`` inside the session's transaction (created at 1 when missing)."""
    done = session.connection().execute(update(Generation).where(_G.name == name).values(value=_G.value + 1))
    if done.rowcount == 0:
        session.connection().execute(insert(Generation).values(name=name, value=1))


def value_of(name: str) -> ScalarSelect[Any]:
    """Counter ``name`` as a scalar subquery, to ride along with a query a request makes anyway."""
    return select(_G.value).where(_G.name == name).scalar_subquery()


def current(session: Session, name: str) -> int | None:
    """Counter ``name`` now (None when its row is missing)."""
    value: int | None = session.connection().execute(select(_G.value).where(_G.name == name)).scalar()
    return value
