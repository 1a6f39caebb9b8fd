"""The hot published reads behind ``GET /v1/rw/{code}`` and ``GET /v1/flags``, cached per generation.

A cache hit costs the request's one key-and-generations query (``ews.api.deps``), a
dict lookup, the scope check and an audit queue put. A miss (or anything unusual: no
month published yet, a role that may not read, a kelurahan outside the area) runs the
plain service function in ``ews.service.rw``, which applies every rule and audits,
and caches its serialised answer under the generations the request saw. Bodies differ
only by the privacy view (officials or not) and the serving threshold, which is fixed
per app, so entries are shared between callers; who may see one is checked per request.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ews.api.cache import CachedRw, Generation
from ews.api.deps import RequestContext
from ews.db import queries
from ews.exceptions import NotFoundError
from ews.service import rw
from ews.service.common import outcome_of
from ews.service.security import RW_READERS

LATEST = "latest"


def _publications(context: RequestContext) -> Generation:
    return (context.generations.publications,)


def published_month(context: RequestContext, session: Session | None = None) -> str | None:
    """The latest published month, remembered until the next publish (None before the first)."""
    cached = context.caches.latest_month.get(_publications(context), LATEST)
    if cached is not None:
        return cached
    if session is None:
        with context.session() as own:
            latest = queries.latest_month(own)
    else:
        latest = queries.latest_month(session)
    if latest is not None:
        context.caches.latest_month.put(_publications(context), LATEST, latest)
    return latest


def rw_detail_json(context: RequestContext, rw_code: str, as_of: str | None) -> bytes:
    """``GET /v1/rw/{rw_code}`` as JSON bytes: scoped, suppressed for officials, audited."""
    caller, threshold = context.caller, context.settings.small_count_threshold
    month = (as_of or published_month(context)) if caller.role in RW_READERS else None
    generation = (context.generations.publications, context.generations.reviews)
    key = (month, rw_code, caller.is_official)
    hit = context.caches.rw.get(generation, key) if month is not None else None
    if hit is None:
        with context.session() as session:  # refusals (403, 404) are raised and audited in here
            detail = rw.rw_detail(session, caller, rw_code, month or as_of, threshold)
        hit = CachedRw(detail.model_dump_json().encode(), detail.kelurahan_code, detail.kecamatan_code)
        context.caches.rw.put(generation, (detail.as_of, rw_code, caller.is_official), hit)
        return hit.body
    if not caller.covers(hit.kelurahan_code, hit.kecamatan_code):
        error = NotFoundError(f"RW {rw_code!r} was not found")  # the same 404 as an unknown RW
        context.record("rw.read", rw_code, outcome_of(error))
        raise error
    context.record("rw.read", rw_code)
    return hit.body


def flags_json(
    context: RequestContext,
    as_of: str | None,
    *,
    kelurahan: str | None,
    tier: str | None,
    page: int,
    page_size: int,
) -> bytes:
    """``GET /v1/flags`` as JSON bytes: the caller's area, suppressed for officials, audited."""
    caller, threshold = context.caller, context.settings.small_count_threshold
    area = rw.scoped_area(caller, kelurahan) if caller.role in RW_READERS else None
    month = (as_of or published_month(context)) if area is not None else None
    generation = _publications(context)
    key = (month, area, tier, page, page_size, caller.is_official)
    body = context.caches.flags.get(generation, key) if month is not None else None
    if body is None:
        with context.session() as session:  # refusals are raised and audited in here
            found = rw.flags(
                session,
                caller,
                month or as_of,
                kelurahan=kelurahan,
                tier=tier,
                page=page,
                page_size=page_size,
                threshold=threshold,
            )
        body = found.model_dump_json().encode()
        stored = (found.as_of, area, tier, page, page_size, caller.is_official)
        context.caches.flags.put(generation, stored, body)
        return body
    assert area is not None  # a hit needs a month, which needs an area
    scope = area.kelurahan_code or area.kecamatan_code or "province"
    context.record("flags.read", f"{month} {scope}")
    return body
