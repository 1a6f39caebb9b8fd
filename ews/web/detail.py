"""The RW page's view: reasons with bars, score history, freshness, stale sources, counts, checks, errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from pydantic import ValidationError

from ews.features.vocab import SIGNAL_NAMES
from ews.service.rw_schemas import RwDetail, StaleSource
from ews.web import guide
from ews.web.style import month_long, outcome_label, rw_number, tier_meaning, tier_style
from ews.web.svg_charts import TrendPoint, render_factor_bar, render_trend

FIELD_MESSAGES = {
    "outcome": "Pilih hasil pengecekan.",
    "visit_date": "Isi tanggal kunjungan (hari/bulan/tahun).",
    "note": "Catatan paling banyak 2.000 karakter.",
}
VISIT_RANGE_MESSAGE = "Tanggal kunjungan harus antara 01-01-2000 dan hari ini; tidak boleh di masa depan."
CONTROL_MESSAGE = "Catatan berisi karakter kontrol yang tidak diizinkan; hapus lalu coba lagi."


@dataclass(frozen=True)
class Reason:
    """One reason code: its Indonesian sentence, whether it raises the score, and its bar."""

    text: str
    raises: bool
    bar: Markup


@dataclass(frozen=True)
class CheckRow:
    """A past check as listed on the RW page."""

    outcome: str
    outcome_label: str
    visit_date: str
    month: str
    note: str
    author: str


def reasons(item: RwDetail) -> list[Reason]:
    """The reason codes in stored order, each with a bar on the page's shared scale; officials' reasons
    carry no contribution, so they get no bar (the template lists them as plain sentences)."""
    largest = max((abs(f.contribution or 0.0) for f in item.factors), default=0.0)
    out = []
    for factor in item.factors:
        if factor.contribution is None:
            out.append(Reason(factor.text, True, Markup("")))
            continue
        direction = "menaikkan" if factor.contribution >= 0 else "menurunkan"
        bar = render_factor_bar(factor.contribution, largest, label=f"{direction} skor")
        out.append(Reason(factor.text, factor.contribution >= 0, bar))
    return out


@dataclass(frozen=True)
class TierMonth:
    """One published month of an official's trend: the month and its tier."""

    month: str
    tier: str
    label: str


def tier_months(item: RwDetail) -> list[TierMonth]:
    """The official view's trend: the tier of each published month, newest first."""
    return [
        TierMonth(month_long(p.month), p.tier, tier_style(p.tier).label)
        for p in reversed(item.trend)
        if p.tier is not None
    ]


def freshness_text(item: RwDetail) -> str:
    """How current the RW's signals are, in one sentence."""
    fresh = item.freshness
    if fresh.last_signal_month is None:
        return "Belum ada data sinyal yang dilaporkan untuk RW ini."
    last = month_long(fresh.last_signal_month)
    if not fresh.months_behind:
        return f"Data sinyal terakhir: {last} (terkini)."
    return f"Data sinyal terakhir: {last}, tertinggal {fresh.months_behind} bulan."


def stale_source_text(stale: StaleSource) -> str:
    """One sentence about a signal source the RW stopped sending; unknown columns keep their raw name."""
    known = SIGNAL_NAMES.get(stale.signal)
    label = known.id if known is not None else stale.signal
    return (
        f"Sumber data “{label}” tidak dilaporkan sejak {month_long(stale.last_month)} "
        f"(tertinggal {stale.months_behind} bulan); skor memakai data lama untuk sumber ini."
    )


def stale_source_texts(item: RwDetail) -> list[str]:
    """One sentence per stale signal source, longest silent first (as the service orders them)."""
    return [stale_source_text(s) for s in item.freshness.stale_sources]


def check_rows(item: RwDetail) -> list[CheckRow]:
    """Past checks, newest first (as the service returns them); the author is the account name."""
    return [
        CheckRow(
            r.outcome,
            outcome_label(r.outcome),
            r.visit_date.strftime("%d-%m-%Y"),
            month_long(r.as_of),
            r.note,
            r.author,
        )
        for r in item.reviews
    ]


def rw_context(item: RwDetail) -> dict[str, Any]:
    """Everything ``rw.html`` shows about one RW."""
    title = f"{rw_number(item.rw_code)}, Kelurahan {item.kelurahan_name}"
    official = item.view == "official"
    points = [TrendPoint(p.month, p.score, p.source == "backfill") for p in item.trend if p.score is not None]
    return {
        "title": title,
        "item": item,
        "official": official,
        "month": item.as_of,
        "tier_meaning": tier_meaning(item.tier),
        "reasons": reasons(item),
        "trend": None if official else render_trend(points, title=f"Riwayat skor 12 bulan, {title}"),
        "trend_points": points,
        "tier_months": tier_months(item),
        "freshness": freshness_text(item),
        "stale_sources": stale_source_texts(item),
        "checks": check_rows(item),
        "check_steps": guide.check_steps(item.tier),
        "do_not": guide.DO_NOT,
        "next_step": guide.next_step(item.reviews[0].outcome if item.reviews else None),
    }


def form_errors(exc: ValidationError) -> list[str]:
    """One Indonesian sentence per invalid field of the check form."""
    messages = [
        CONTROL_MESSAGE
        if error["type"] == "control_character"
        else VISIT_RANGE_MESSAGE
        if error["type"] == "visit_date_range"
        else FIELD_MESSAGES.get(str(error["loc"][0]) if error["loc"] else "", "Isian formulir tidak valid.")
        for error in exc.errors()
    ]
    return list(dict.fromkeys(messages))
