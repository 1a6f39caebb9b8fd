"""The dashboard pages: home (flagged RWs, map, area summary), RW detail with the check form, analyst view."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ews.api.deps import LiveModelsDep, SessionDep, SettingsDep
from ews.data import schema
from ews.db import queries
from ews.exceptions import ApiError, NotFoundError, RequestError, ScopeError
from ews.service import admin, monitor, reviews, rw
from ews.service.areas import area_rws, check_status
from ews.service.common import shown_count
from ews.service.review_schemas import ReviewIn
from ews.service.rw_schemas import FlagPage
from ews.service.schemas import MONTH_PATTERN
from ews.service.security import Caller, Role
from ews.web import detail, evaluation, monitor_view, views
from ews.web.auth import WebCallerDep
from ews.web.geo import Geometry
from ews.web.render import page
from ews.web.svg_map import render_map

router = APIRouter(include_in_schema=False)

MESSAGES = {
    NotFoundError: "Data yang diminta tidak ada di wilayah Anda, atau bulan itu belum diterbitkan.",
    ScopeError: "Akun Anda tidak dapat membuka halaman ini.",
    RequestError: "Permintaan tidak dapat diproses. Periksa isian lalu coba lagi.",
}
STALE_FORM = "Formulir sudah kedaluwarsa. Muat ulang halaman lalu coba lagi."
FUTURE_VISIT = detail.VISIT_RANGE_MESSAGE
FLAGS_PER_PAGE = 20


@dataclass(frozen=True)
class CheckForm:
    """What the official typed into the check form, and what was wrong with it."""

    outcome: str = ""
    note: str = ""
    visit_date: str = ""
    errors: list[str] = field(default_factory=list)
    # Made when the form is drawn and sent with it: a resubmission (a retry on a flaky connection, a
    # double tap) carries the same id, and the check is stored once.
    # Hex: no letter-dash-digit run that could read as a case id (K-0...) in a page.
    client_id: str = field(default_factory=lambda: secrets.token_hex(16))


def error_page(request: Request, exc: ApiError) -> HTMLResponse:
    """An Indonesian error page with the error's HTTP status (the English detail stays in the audit/log)."""
    message = next((m for cls, m in MESSAGES.items() if isinstance(exc, cls)), "Terjadi kesalahan.")
    return page(
        request, "galat.html", {"title": "Tidak dapat ditampilkan", "message": message}, exc.status_code
    )


def month_param(value: str | None) -> str | None:
    """``?bulan=`` as a month, or None for the latest; raise ``NotFoundError`` for anything else."""
    if not value:
        return None
    if re.match(MONTH_PATTERN, value) is None:
        raise NotFoundError(f"month {value!r} is not written YYYY-MM")
    return value


def area_map(request: Request, rws: list[Any], month: str, title: str) -> Any:
    """The map of ``rws`` (one kelurahan, a kecamatan or the province: the map picks its layout)."""
    geometry: Geometry = request.app.state.web_geometry()
    points = views.map_points(rws, geometry, month)
    return render_map(points, geometry.boundaries, title=f"Peta tingkat risiko RW, {title}")


def _flag_page(db: Session, caller: Caller, as_of: str | None, hal: int, threshold: int) -> FlagPage:
    """Page ``hal`` of the flag list, clamped to the last page."""
    flags = rw.flags(db, caller, as_of, page=hal, page_size=FLAGS_PER_PAGE, threshold=threshold)
    last = max(1, -(-flags.total // FLAGS_PER_PAGE))
    if hal <= last:
        return flags
    return rw.flags(db, caller, as_of, page=last, page_size=FLAGS_PER_PAGE, threshold=threshold)


def _home(
    request: Request, db: Session, caller: Caller, as_of: str | None, threshold: int, hal: int = 1
) -> dict[str, Any]:
    flags = _flag_page(db, caller, as_of, hal, threshold)
    month, rws = area_rws(db, caller, flags.as_of)
    checks = check_status(db, month, [r.rw_code for r in rws if r.flagged])
    title = views.area_title(caller, rws)
    by = "kota" if caller.role is Role.ANALYST else "kelurahan"
    show = caller.role is not Role.LURAH
    table = views.summaries(rws, checks, by, lambda n: shown_count(n, caller, threshold)) if show else []
    rows = views.flag_rows(flags.items, checks, month, start=(flags.page - 1) * FLAGS_PER_PAGE + 1)
    return {
        "title": title,
        "month": month,
        "total_flags": flags.total,
        "flag_page": flags.page,
        "flag_pages": max(1, -(-flags.total // FLAGS_PER_PAGE)),
        "flags": rows,
        "summaries": table,
        "summary_by": by,
        # Kelurahan case totals beside tier and flag told a camat more about a "<3" than the official
        # view allows (bench/bench_privacy.py): analysts only.
        "summary_cases": caller.role is Role.ANALYST,
        "map": area_map(request, rws, month, title),
    }


@router.get("/", response_class=HTMLResponse)
async def home(
    request: Request,
    db: SessionDep,
    caller: WebCallerDep,
    settings: SettingsDep,
    bulan: str | None = None,
    hal: int = Query(1, ge=1, le=10_000),
) -> Response:
    """The month's flagged RWs of the caller's area (20 a page), the area map, and (camat, analyst) the
    summary per kelurahan or kota."""
    try:
        context = _home(request, db, caller, month_param(bulan), settings.small_count_threshold, hal)
    except ApiError as exc:
        return error_page(request, exc)
    return page(request, "beranda.html", context)


def _rw_page(
    request: Request,
    db: Session,
    caller: Caller,
    rw_code: str,
    as_of: str | None,
    threshold: int,
    **extra: Any,
) -> HTMLResponse:
    status_code = int(extra.pop("status_code", 200))
    try:
        if re.match(schema.RW_CODE_PATTERN, rw_code) is None:
            raise NotFoundError(f"RW {rw_code!r} was not found")
        context = detail.rw_context(rw.rw_detail(db, caller, rw_code, month_param(as_of), threshold))
    except ApiError as exc:
        return error_page(request, exc)
    base = {"form": CheckForm(), "saved": False, "today": dt.date.today().isoformat()}
    return page(request, "rw.html", {**base, **context, **extra}, status_code)


@router.get("/rw/{rw_code}", response_class=HTMLResponse)
async def rw_page(
    request: Request,
    db: SessionDep,
    caller: WebCallerDep,
    settings: SettingsDep,
    rw_code: str,
    bulan: str | None = None,
    tersimpan: int = 0,
) -> Response:
    """One RW: tier, reasons, 12-month history, freshness, case counts, past checks and the check form."""
    return _rw_page(
        request, db, caller, rw_code, bulan, settings.small_count_threshold, saved=bool(tersimpan)
    )


def _store_check(db: Session, caller: Caller, rw_code: str, form: CheckForm, bulan: str) -> list[str]:
    """Store the check; the form's errors in Indonesian (empty when it was stored)."""
    try:
        values: dict[str, str | None] = {"outcome": form.outcome, "note": form.note}
        values |= {
            "visit_date": form.visit_date,
            "client_id": form.client_id or None,
            "as_of": month_param(bulan),
        }
        body = ReviewIn.model_validate(values)
    except ValidationError as exc:
        return detail.form_errors(exc)
    try:
        reviews.add_review(db, caller, rw_code, body)
    except RequestError:
        return [FUTURE_VISIT]
    return []


@router.post("/rw/{rw_code}/cek", response_class=HTMLResponse)
async def post_check(
    request: Request,
    db: SessionDep,
    caller: WebCallerDep,
    settings: SettingsDep,
    rw_code: str,
    outcome: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    visit_date: Annotated[str, Form(max_length=20)] = "",
    bulan: Annotated[str, Form(max_length=7)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    client_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Store a check (CSRF-protected), then show the RW page with it listed; on errors, the form again.
    A form sent twice (same ``client_id``) is stored once."""
    form = CheckForm(outcome, note, visit_date, client_id=client_id)
    threshold = settings.small_count_threshold
    if not csrf or csrf != request.state.web_csrf:
        form = CheckForm(outcome, note, visit_date, [STALE_FORM], client_id)
        return _rw_page(request, db, caller, rw_code, bulan, threshold, form=form, status_code=400)
    try:
        errors = _store_check(db, caller, rw_code, form, bulan)
    except ApiError as exc:
        return error_page(request, exc)
    if errors:
        form = CheckForm(outcome, note, visit_date, errors, client_id)
        return _rw_page(request, db, caller, rw_code, bulan, threshold, form=form, status_code=422)
    query = f"bulan={bulan}&tersimpan=1" if bulan else "tersimpan=1"
    return RedirectResponse(f"/rw/{rw_code}?{query}#riwayat", status_code=303)


@router.get("/analis", response_class=HTMLResponse)
async def analyst(request: Request, db: SessionDep, caller: WebCallerDep, live: LiveModelsDep) -> Response:
    """Analysts: the monitor's latest alerts, the published months with their model versions, and each
    champion's backtest and bias audit."""
    if caller.role is not Role.ANALYST:
        return error_page(request, ScopeError(f"role {caller.role.value} may not open the analyst view"))
    info = admin.models_info(db, live, caller)
    names = queries.kota_names(db)
    models = [evaluation.model_view(m, names) for m in info.live]
    context = {"info": info, "models": models, "monitor": monitor_view.summary(db, caller)}
    return page(request, "analis.html", {"title": "Model dan publikasi", **context})


@router.get("/analis/monitor", response_class=HTMLResponse)
async def monitor_report(
    request: Request, db: SessionDep, caller: WebCallerDep, bulan: str | None = None
) -> Response:
    """Analysts: the monitor's stored HTML report of a month (default: the latest stored)."""
    try:
        found = monitor.stored_report(db, caller, month_param(bulan))
    except ApiError as exc:
        return error_page(request, exc)
    return monitor_view.report_page(request, found.report_html)
