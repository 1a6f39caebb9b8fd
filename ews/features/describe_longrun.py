"""Sentences and chart labels for the long-run and near-repeat RW features."""

from __future__ import annotations

import math
import re

from ews.features.vocab import count, number, span

Texts = tuple[str, str]
# The features hold log(rate + floor); the floor is taken off again for display.
_RATE_FLOOR = 1e-3
# Far beyond any real rate; keeps exp() finite for any finite value.
_LOG_CAP = 50.0


def _per_year(value: float) -> tuple[str, str]:
    if math.isnan(value):
        return "tidak diketahui", "unknown"
    rate = max(math.exp(min(value, _LOG_CAP)) - _RATE_FLOOR, 0.0) * 12
    return f"{number(rate, 'id', 1)} per tahun", f"{number(rate, 'en', 1)} a year"


def _decay(match: re.Match[str], value: float, threshold: int) -> Texts:
    n_id, n_en = count(value, threshold, "id"), count(value, threshold, "en")
    if match["nbr"]:
        return (
            f"Kejadian baru-baru ini di RW tetangga (bulan terakhir berbobot penuh): {n_id}",
            f"Recent incidents in neighbouring RWs (last month weighs most): {n_en}",
        )
    return (
        f"Kejadian baru-baru ini di RW ini (bulan terakhir berbobot penuh): {n_id}",
        f"Recent incidents in this RW (last month weighs most): {n_en}",
    )


def _own_rate(match: re.Match[str], value: float, threshold: int) -> Texts:
    shown_id, shown_en = _per_year(value)
    return (
        f"Rata-rata kasus jangka panjang RW ini (disesuaikan dengan kelurahan): {shown_id}",
        f"Long-run case rate of this RW (adjusted towards its kelurahan): {shown_en}",
    )


def _kel_rate(match: re.Match[str], value: float, threshold: int) -> Texts:
    shown_id, shown_en = _per_year(value)
    return (
        f"Kasus yang biasa untuk RW seukuran ini di kelurahannya: {shown_id}",
        f"Usual cases for an RW this size in its kelurahan: {shown_en}",
    )


def _history(match: re.Match[str], value: float, threshold: int) -> Texts:
    span_id, span_en = span(0.0 if math.isnan(value) else value)
    return f"Riwayat data: {span_id}", f"Data history: {span_en}"


HANDLERS = (
    (re.compile(r"^(?P<nbr>nbr_)?cases_decay$"), _decay),
    (re.compile(r"^log_case_rate_longrun$"), _own_rate),
    (re.compile(r"^log_kel_rate_longrun$"), _kel_rate),
    (re.compile(r"^history_months$"), _history),
)
LABELS: dict[str, Texts] = {
    "cases_decay": ("Kejadian baru-baru ini", "Recent incidents"),
    "nbr_cases_decay": ("Kejadian baru di RW tetangga", "Recent incidents nearby"),
    "log_case_rate_longrun": ("Rata-rata kasus jangka panjang", "Long-run case rate"),
    "log_kel_rate_longrun": ("Rata-rata kelurahan", "Kelurahan rate"),
    "history_months": ("Riwayat data", "Data history"),
}
