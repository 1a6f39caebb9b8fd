"""The "Semua RW" page (every RW of the area, searchable), one kelurahan's map, and the printable
monthly list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from ews.api.deps import SessionDep
from ews.exceptions import ApiError, NotFoundError
from ews.service.areas import area_rws, check_status
from ews.service.security import Caller, Role
from ews.web import lists, views
from ews.web.auth import WebCallerDep
from ews.web.pages import area_map, error_page, month_param
from ews.web.render import page

router = APIRouter(include_in_schema=False)


def _area(db: Session, caller: Caller, bulan: str | None) -> tuple[str, list[Any], dict[str, Any]]:
    month, rws = area_rws(db, caller, month_param(bulan))
    return month, rws, check_status(db, month, [r.rw_code for r in rws])


@router.get("/semua-rw", response_class=HTMLResponse)
async def all_rws(
    request: Request,
    db: SessionDep,
    caller: WebCallerDep,
    bulan: str | None = None,
    cari: str = Query("", max_length=200),
    hal: int = Query(1, ge=1, le=10_000),
) -> Response:
    """Every RW of the caller's area, flagged or not, searchable by number or name, 50 a page."""
    try:
        month, rws, checks = _area(db, caller, bulan)
    except ApiError as exc:
        return error_page(request, exc)
    listed = lists.list_page(rws, checks, month, cari, hal)
    title = f"Semua RW, {views.area_title(caller, rws)}"
    return page(request, "semua_rw.html", {"title": title, "month": month, "listed": listed})


@router.get("/cetak", response_class=HTMLResponse)
async def printable(
    request: Request,
    db: SessionDep,
    caller: WebCallerDep,
    bulan: str | None = None,
    kelurahan: str = Query("", max_length=20),
) -> Response:
    """The month's list per kelurahan for the RW meeting, laid out for paper (print stylesheet). An
    analyst picks one kelurahan first (the whole province would be hundreds of sheets)."""
    try:
        month, rws, checks = _area(db, caller, bulan)
    except ApiError as exc:
        return error_page(request, exc)
    chosen = [rw for rw in rws if rw.kelurahan_code == kelurahan] if kelurahan else rws
    title = f"Daftar cek bulanan, {views.area_title(caller, rws)}"
    if caller.role is Role.ANALYST and not kelurahan:
        choices = lists.kelurahan_choices(rws)
        return page(request, "cetak.html", {"title": title, "month": month, "sheets": [], "choices": choices})
    sheets = lists.printed(chosen, checks, month)
    return page(request, "cetak.html", {"title": title, "month": month, "sheets": sheets, "choices": []})


@router.get("/peta", response_class=HTMLResponse)
async def kelurahan_map(
    request: Request,
    db: SessionDep,
    caller: WebCallerDep,
    kelurahan: str = Query(max_length=20),
    bulan: str | None = None,
) -> Response:
    """One kelurahan of the caller's area on its own map, large enough that every RW gets a full tap
    target (the camat's and analyst's maps draw many kelurahan at once)."""
    try:
        month, rws, checks = _area(db, caller, bulan)
        chosen = [rw for rw in rws if rw.kelurahan_code == kelurahan]
        if not chosen:
            raise NotFoundError(f"kelurahan {kelurahan!r} was not found in your area")
    except ApiError as exc:
        return error_page(request, exc)
    title = f"Kelurahan {chosen[0].kelurahan_name}"
    listed = lists.list_page(chosen, checks, month, "", 1)
    context = {
        "title": title,
        "month": month,
        "map": area_map(request, chosen, month, title),
        "listed": listed,
    }
    return page(request, "peta.html", context)
