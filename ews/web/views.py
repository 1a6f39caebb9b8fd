"""View models: what each page shows, built from service results (pure, no I/O).

Pages get plain dataclasses, so templates hold no logic beyond loops and the
tests check what an official will read without a browser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ews.service.areas import AreaRw, CheckStatus
from ews.service.rw_schemas import FlagItem
from ews.service.security import Caller, Role
from ews.web.geo import Geometry
from ews.web.style import CONCERN_OUTCOMES, outcome_label, rw_number
from ews.web.svg_map import MapPoint

NOT_CHECKED = "Belum dicek"


@dataclass(frozen=True)
class FlagRow:
    """One flagged RW in the home list."""

    position: int
    rw_code: str
    title: str
    kelurahan_name: str
    tier: str
    reason: str
    href: str
    check: str
    checked: bool


@dataclass(frozen=True)
class AreaSummary:
    """One kelurahan (camat view) or kota (analyst view): RWs, flags, checks and open concerns."""

    code: str
    name: str
    rws: int
    flagged: int
    checked: int
    concerns: int
    cases_12m: int | str


def rw_href(rw_code: str, month: str) -> str:
    """The RW page of ``rw_code`` for ``month`` (codes are digits and dots: safe in a path)."""
    return f"/rw/{rw_code}?bulan={month}"


def area_title(caller: Caller, rws: Sequence[AreaRw]) -> str:
    """``Kelurahan Gambir``, ``Kecamatan Gambir`` or ``DKI Jakarta`` for the caller's area."""
    if caller.role is Role.LURAH:
        return f"Kelurahan {rws[0].kelurahan_name}" if rws else f"Kelurahan {caller.area}"
    if caller.role is Role.CAMAT:
        return f"Kecamatan {rws[0].kecamatan_name}" if rws else f"Kecamatan {caller.area}"
    return "DKI Jakarta"


def check_text(status: CheckStatus | None) -> str:
    """An RW's check status as the lists show it: the latest outcome, or "Belum dicek"."""
    return (
        NOT_CHECKED
        if status is None or status.latest_outcome is None
        else outcome_label(status.latest_outcome)
    )


def flag_rows(
    items: Sequence[FlagItem], checks: Mapping[str, CheckStatus], month: str, start: int = 1
) -> list[FlagRow]:
    """The flagged list in the order given (the service ranks it), numbered from ``start`` (a later
    page continues the numbers), with each RW's check status."""
    rows = []
    for position, item in enumerate(items, start=start):
        status = checks.get(item.rw_code)
        title = f"{rw_number(item.rw_code)} {item.kelurahan_name}"
        reason = item.top_factor or "Skor lebih tinggi dari RW lain di wilayah ini"
        href, check = rw_href(item.rw_code, month), check_text(status)
        row = FlagRow(
            position, item.rw_code, title, item.kelurahan_name, item.tier, reason, href, check, bool(status)
        )
        rows.append(row)
    return rows


def map_points(rws: Iterable[AreaRw], geometry: Geometry, month: str) -> list[MapPoint]:
    """Every RW of the area as a map point, each linking to its RW page (the same href as the list)."""
    points = []
    for rw in rws:
        lat, lon = geometry.centroids.get(rw.rw_code, (None, None))
        label = f"{rw_number(rw.rw_code)} {rw.kelurahan_name}"
        href = rw_href(rw.rw_code, month)
        point = MapPoint(
            rw.rw_code, label, rw.tier, rw.flagged, href, rw.kelurahan_name, lat, lon, rw.kota_name
        )
        points.append(point)
    return points


def _summary(
    code: str,
    name: str,
    members: Sequence[AreaRw],
    checks: Mapping[str, CheckStatus],
    shown: Callable[[int], int | str],
) -> AreaSummary:
    flagged = [rw for rw in members if rw.flagged]
    statuses = [checks[rw.rw_code] for rw in flagged if rw.rw_code in checks]
    concerns = sum(1 for s in statuses if s.latest_outcome in CONCERN_OUTCOMES)
    cases = shown(sum(rw.cases_12m for rw in members))
    return AreaSummary(code, name, len(members), len(flagged), len(statuses), concerns, cases)


def summaries(
    rws: Sequence[AreaRw],
    checks: Mapping[str, CheckStatus],
    by: str,
    shown: Callable[[int], int | str],
) -> list[AreaSummary]:
    """One summary per kelurahan (``by="kelurahan"``) or kota (``by="kota"``), in code order.

    ``shown`` formats case counts for the caller (officials see ``<3`` for small ones).
    """
    groups: dict[str, list[AreaRw]] = {}
    names: dict[str, str] = {}
    for rw in rws:
        code = rw.kelurahan_code if by == "kelurahan" else rw.kelurahan_code[:5]
        groups.setdefault(code, []).append(rw)
        names[code] = rw.kelurahan_name if by == "kelurahan" else rw.kota_name
    return [_summary(code, names[code], groups[code], checks, shown) for code in sorted(groups)]
