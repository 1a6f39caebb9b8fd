"""The monitor's report in the analyst view: a summary on ``/analis`` and the stored HTML page.

The summary lists the alerts of the latest stored report as plain Indonesian sentences, with
"retrain recommended" as its own notice. The stored page (``ews.monitor.html``) is served as
it is, under a CSP of its own: no scripts at all, and its inline ``<style>`` allowed only by
the hash of that very block, so nothing else inline can run or style the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from ews.service import monitor
from ews.service.security import Caller
from ews.web.render import SECURITY_HEADERS, set_cookie

RETRAIN = "retrain"
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@dataclass(frozen=True)
class MonitorSummary:
    """What ``/analis`` shows of the latest stored report."""

    as_of: str
    alerts: list[str]
    retrain: str | None
    changes: int
    link: str


def summary(session: Session, caller: Caller) -> MonitorSummary | None:
    """The latest stored report's summary (the read is audited), or None when none is stored."""
    found = monitor.find_report(session, caller, None)
    if found is None:
        return None
    body = json.loads(found.report_json)
    alerts = [a for a in body.get("alerts", []) if isinstance(a, dict)]
    sentences = [_sentence(a) for a in alerts if a.get("kind") != RETRAIN]
    retrain = next((_sentence(a) for a in alerts if a.get("kind") == RETRAIN), None)
    changes = sum(1 for c in body.get("sources", []) if c.get("kind") != "seasonal")
    link = f"/analis/monitor?bulan={found.as_of}"
    return MonitorSummary(found.as_of, sentences, retrain, changes, link)


def _sentence(alert: dict[str, object]) -> str:
    """The Indonesian sentence; the English one for reports stored before ``text_id`` existed."""
    return str(alert.get("text_id") or alert.get("text") or "")


def report_csp(html: str) -> str:
    """The stored page's CSP: nothing loads or runs; its own ``<style>`` blocks by hash only."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in _STYLE.findall(html)
    )
    styles = f"style-src {hashes}; " if hashes else ""
    return (
        f"default-src 'none'; {styles}img-src 'self' data:; "
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    )


def report_page(request: Request, html: str) -> HTMLResponse:
    """The stored HTML report with the dashboard's headers and its own CSP (session renewed as usual)."""
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": report_csp(html)}
    response = HTMLResponse(html, headers=headers)
    renewed = getattr(request.state, "web_renewed", None)
    if renewed is not None:
        set_cookie(request, response, renewed)
    return response
