"""The monitor's report (analysts only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from ews.api.deps import CallerDep, SessionDep
from ews.api.routes.common import AUTH, FORBIDDEN, json_response
from ews.service import monitor
from ews.service.monitor_schemas import MonitorOut
from ews.service.schemas import MONTH_PATTERN, ErrorOut

ReportMonth = Annotated[
    str | None,
    Query(
        pattern=MONTH_PATTERN,
        description="The as-of month of the report, YYYY-MM; default: the latest stored report.",
        examples=["2026-01"],
    ),
]

router = APIRouter(
    tags=["monitor"],
    responses={
        **AUTH,
        **FORBIDDEN,
        404: {"model": ErrorOut, "description": "No monitor report is stored for that month (or yet)."},
    },
)


@router.get("/monitor", response_model=MonitorOut)
async def get_monitor(session: SessionDep, caller: CallerDep, as_of: ReportMonth = None) -> Response:
    """What ``ews monitor`` found as of a month (default: the latest stored report): sources that
    started, stopped, paused or shifted, score drift per kota, realised performance of published
    flags, check outcomes among checked RWs, and alerts with "retrain recommended"."""
    return json_response(monitor.monitor_report(session, caller, as_of))
