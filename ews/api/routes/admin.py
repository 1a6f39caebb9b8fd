"""Models, model reload and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from ews.api.deps import CallerDep, LiveModelsDep, SessionDep
from ews.api.routes.common import AUTH, FORBIDDEN, Page
from ews.service import admin
from ews.service.common import audited_write, require_role
from ews.service.schema_base import Text
from ews.service.schemas import AuditPage, ModelsOut, ReloadOut
from ews.service.security import Role

router = APIRouter(tags=["admin"], responses={**AUTH, **FORBIDDEN})


@router.get("/models")
async def models(session: SessionDep, caller: CallerDep, live: LiveModelsDep) -> ModelsOut:
    """The champion models and the published months with the models that produced them.

    Analysts and admins also get each model's id, kind, backtest figures (model vs baselines vs
    truth) and bias audit, read from its MLflow run at start-up or reload; lurah, camat and the
    case system get name, version, alias and trained-as-of month only.
    """
    return admin.models_info(session, live, caller)


@router.get("/audit")
async def audit_log(
    session: SessionDep,
    caller: CallerDep,
    actor: Annotated[Text | None, Query(max_length=64, description="Only this account.")] = None,
    action: Annotated[
        Text | None, Query(max_length=32, description="Only this action, e.g. rw.read.")
    ] = None,
    page: Page = 1,
    page_size: Annotated[int, Query(ge=1, le=500, description="Rows per page.")] = 100,
) -> AuditPage:
    """Who read or wrote what, newest first (admin only)."""
    return admin.audit_page(session, caller, actor=actor, action=action, page=page, page_size=page_size)


@router.post("/admin/reload")
async def reload_models(request: Request, session: SessionDep, caller: CallerDep) -> ReloadOut:
    """Load the @champion models again and swap them in; requests in flight finish on the old ones."""
    require_role(session, caller, {Role.ADMIN}, "models.reload", "champion")
    state = request.app.state
    fresh = await run_in_threadpool(state.model_loader, state.settings)
    state.live = fresh  # one reference assignment: atomic for every reader
    # Committed now, not queued on the sink: an admin action's row survives a crash.
    audited_write(
        session, caller, "models.reload", ", ".join(f"{m.name} v{m.version}" for m in fresh.info) or "none"
    )
    session.commit()
    return ReloadOut(live=list(fresh.info))
