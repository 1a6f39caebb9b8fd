"""Jinja2 templates, shared page context and the headers every dashboard page carries."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ews.web import session as websession
from ews.web import style
from ews.web.svg import Attrs, marker

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
STATIC_URL = "/aset"
REMINDER = "Skor ini membantu pengecekan, bukan keputusan."

# Everything is served by ews itself: no CDN, no inline script, no framing by other sites.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def tier_icon(tier: str) -> Markup:
    """The small shape of a tier (the same shape as on the map), hidden from screen readers."""
    found = style.tier_style(tier)
    shape = marker(found.shape, 8, 8, 11, {"fill": "currentColor"})
    return Markup(
        f'<svg class="tier-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">{shape}</svg>'
    )


def map_swatch(tier: str, flagged: bool = False) -> Markup:
    """The map marker of a tier for the HTML legend (same shape, fill and outline as on the map)."""
    found = style.tier_style(tier)
    outline: Attrs = {"stroke": "#111111", "stroke-width": 2.2 if flagged else 0.8}
    shape = marker(found.shape, 9, 9, 12, {"fill": found.fill, **outline})
    return Markup(
        f'<svg class="swatch" viewBox="0 0 18 18" aria-hidden="true" focusable="false">{shape}</svg>'
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment (autoescaped, strict about undefined names), built once."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        tier_style=style.tier_style,
        tier_icon=tier_icon,
        map_swatch=map_swatch,
        tier_order=style.TIER_ORDER,
        outcomes=style.OUTCOMES,
        outcome_label=style.outcome_label,
        month_long=style.month_long,
        percent=style.percent,
        role_label=style.ROLE_LABELS,
        static=STATIC_URL,
        reminder=REMINDER,
    )
    return env


def page(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render ``template`` with ``context`` plus the request-wide values (caller, CSRF token)."""
    state = request.state
    full = {"caller": getattr(state, "web_caller", None), "csrf": getattr(state, "web_csrf", ""), **context}
    html = environment().get_template(template).render(full)
    response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
    renewed = getattr(state, "web_renewed", None)  # the session's last activity, moved to now
    if renewed is not None:
        set_cookie(request, response, renewed)
    return response


def set_cookie(request: Request, response: Response, value: websession.WebSession) -> None:
    """Attach ``value`` as the http-only, SameSite=Strict session cookie (Secure unless configured off)."""
    response.set_cookie(
        websession.COOKIE,
        websession.encode(value, request.app.state.web_signing_key),
        max_age=websession.MAX_AGE_S,
        httponly=True,
        secure=request.app.state.settings.cookie_secure,
        samesite="strict",
        path="/",
    )
