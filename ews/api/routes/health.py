"""GET /v1/health: liveness, without authentication."""

from __future__ import annotations

from fastapi import APIRouter

from ews import __version__
from ews.api.deps import SessionDep
from ews.api.routes.common import AUTH
from ews.db import queries
from ews.service.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", responses={503: AUTH[503]})
async def health(session: SessionDep) -> HealthOut:
    """The service is up and its database answers; names the latest published month."""
    return HealthOut(version=__version__, latest_month=queries.latest_month(session))
