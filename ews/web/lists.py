"""Every RW of the area as a list: searchable on screen ("Semua RW"), and printable per kelurahan.

A lurah must reach any RW of the kelurahan, flagged or not, within two taps
(menu "Semua RW", then the RW), to record a check a cadre reported. The
printed list is for the monthly RW meeting: the flagged RWs first, each with
an empty box for what was found. Both show only what the official view
shows: tier, flag and check status, no score and no case count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from ews.service.areas import AreaRw, CheckStatus
from ews.web.style import TIER_ORDER, rw_number
from ews.web.views import check_text, rw_href

PAGE_SIZE: Final = 50
MAX_QUERY: Final = 60


@dataclass(frozen=True)
class RwRow:
    """One RW in the list."""

    rw_code: str
    title: str
    kelurahan_name: str
    kecamatan_name: str
    tier: str
    flagged: bool
    check: str
    href: str


@dataclass(frozen=True)
class RwListPage:
    """One page of the (filtered) list, with what paging needs."""

    rows: list[RwRow]
    total: int
    page: int
    pages: int
    query: str


def _words(query: str) -> list[str]:
    # "rw 5", "RW5", "gambir 005": the word "rw" goes, a number sticks to it or stands alone.
    words = []
    for word in query.lower().split():
        word = word[2:] if word.startswith("rw") and word[2:].isdigit() else word
        if word and word != "rw":
            words.append(word)
    return words


def _matches(rw: AreaRw, words: Sequence[str]) -> bool:
    # Every word must match: a number is the RW's number (5 = 005, not 015), other words a name.
    number = int(rw.rw_code.rsplit(".", 1)[-1])
    names = f"{rw.kelurahan_name} {rw.kecamatan_name}".lower()
    return all(int(word) == number if word.isdigit() else word in names for word in words)


def search(rws: Sequence[AreaRw], query: str) -> list[AreaRw]:
    """The RWs matching every word of ``query`` (case-insensitive), in code order."""
    words = _words(query)
    return sorted((rw for rw in rws if _matches(rw, words)), key=lambda rw: rw.rw_code)


def _row(rw: AreaRw, checks: Mapping[str, CheckStatus], month: str) -> RwRow:
    check = check_text(checks.get(rw.rw_code))
    title = f"{rw_number(rw.rw_code)} {rw.kelurahan_name}"
    href = rw_href(rw.rw_code, month)
    return RwRow(rw.rw_code, title, rw.kelurahan_name, rw.kecamatan_name, rw.tier, rw.flagged, check, href)


def list_page(
    rws: Sequence[AreaRw], checks: Mapping[str, CheckStatus], month: str, query: str, page: int
) -> RwListPage:
    """Page ``page`` (from 1; clamped) of the RWs matching ``query``."""
    query = query.strip()[:MAX_QUERY]
    found = search(rws, query)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    chunk = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return RwListPage([_row(rw, checks, month) for rw in chunk], len(found), page, pages, query)


@dataclass(frozen=True)
class PrintedKelurahan:
    """One kelurahan's sheet: flagged RWs first (highest tier first), then the others."""

    name: str
    kecamatan_name: str
    flagged: list[RwRow]
    others: list[RwRow]


def _tier_order(row: RwRow) -> tuple[int, str]:
    return (-TIER_ORDER.index(row.tier) if row.tier in TIER_ORDER else 0, row.rw_code)


def printed(rws: Sequence[AreaRw], checks: Mapping[str, CheckStatus], month: str) -> list[PrintedKelurahan]:
    """One sheet per kelurahan of the area, in code order."""
    groups: dict[str, list[AreaRw]] = {}
    for rw in rws:
        groups.setdefault(rw.kelurahan_code, []).append(rw)
    sheets = []
    for code in sorted(groups):
        rows = sorted((_row(rw, checks, month) for rw in groups[code]), key=_tier_order)
        first = groups[code][0]
        flagged = [r for r in rows if r.flagged]
        others = [r for r in rows if not r.flagged]
        sheets.append(PrintedKelurahan(first.kelurahan_name, first.kecamatan_name, flagged, others))
    return sheets


@dataclass(frozen=True)
class KelurahanChoice:
    """A kelurahan to print, with its kecamatan (the analyst's picker)."""

    code: str
    name: str
    kecamatan_name: str


def kelurahan_choices(rws: Sequence[AreaRw]) -> list[KelurahanChoice]:
    """Every kelurahan of ``rws`` once, in code order."""
    seen = {
        rw.kelurahan_code: KelurahanChoice(rw.kelurahan_code, rw.kelurahan_name, rw.kecamatan_name)
        for rw in rws
    }
    return [seen[code] for code in sorted(seen)]
