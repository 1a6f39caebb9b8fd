"""Sentences and chart labels for the signal statistics (``signal__<name>__<stat>``)."""

from __future__ import annotations

import math
from collections.abc import Callable

from ews.features import names
from ews.features.vocab import Name, capital, multiple, number, signal_name, with_unit

Texts = tuple[str, str]


def _verb(name: Name) -> str:
    return "are" if name.plural else "is"


def ratio_phrase(ratio: float) -> Texts:
    """How a 3-month level compares with the 12-month usual level, in words."""
    if math.isnan(ratio):
        return "tidak dapat dibandingkan dengan biasanya", "not comparable with the usual level"
    if ratio >= names.RATIO_CAP:
        return (
            "jauh di atas biasanya (sepuluh kali lipat atau lebih)",
            "far above the usual level (ten times or more)",
        )
    times = multiple(ratio)
    if times is not None:
        return f"{times[0]} dari biasanya", f"{times[1]} the usual level"
    if ratio >= 1.1:
        pct = round((ratio - 1) * 100)
        return f"{pct}% lebih tinggi dari biasanya", f"{pct}% above the usual level"
    if ratio > 0.9:
        return "sekitar sama dengan biasanya", "about the usual level"
    if ratio <= 0:
        return "nol, padahal biasanya ada", "zero, against a usual level above zero"
    pct = round((1 - ratio) * 100)
    return f"{pct}% lebih rendah dari biasanya", f"{pct}% below the usual level"


def _ratio(name: Name, value: float) -> Texts:
    phrase_id, phrase_en = ratio_phrase(value)
    return (
        f"{capital(name.id)} 3 bulan terakhir {phrase_id}",
        f"{capital(name.en)} in the last 3 months {_verb(name)} {phrase_en}",
    )


def _last(name: Name, value: float) -> Texts:
    if math.isnan(value):
        return f"{capital(name.id)} bulan lalu tidak dilaporkan", f"{capital(name.en)}: no report last month"
    return (
        f"{capital(name.id)} bulan lalu: {with_unit(value, name, 'id')}",
        f"{capital(name.en)} last month: {with_unit(value, name, 'en')}",
    )


def _mean(months: int) -> Callable[[Name, float], Texts]:
    def text(name: Name, value: float) -> Texts:
        return (
            f"{capital(name.id)}, rata-rata {months} bulan terakhir: {with_unit(value, name, 'id')}",
            f"{capital(name.en)}, average of the last {months} months: {with_unit(value, name, 'en')}",
        )

    return text


def _trend(name: Name, value: float) -> Texts:
    if math.isnan(value):
        return f"{capital(name.id)}: arah perubahan tidak diketahui", f"{capital(name.en)}: direction unknown"
    if value == 0:
        return (
            f"{capital(name.id)} 3 bulan terakhir tetap dibanding 3 bulan sebelumnya",
            f"{capital(name.en)} in the last 3 months held level with the 3 months before",
        )
    size_id, size_en = with_unit(abs(value), name, "id"), with_unit(abs(value), name, "en")
    word_id, word_en = ("naik", "rose") if value > 0 else ("turun", "fell")
    return (
        f"{capital(name.id)} 3 bulan terakhir {word_id} {size_id} per bulan dibanding 3 bulan sebelumnya",
        f"{capital(name.en)} in the last 3 months {word_en} by {size_en} a month on the 3 months before",
    )


def _decay(name: Name, value: float) -> Texts:
    months = names.DECAY_LAGS
    if math.isnan(value):
        return (
            f"{capital(name.id)}: tidak dilaporkan {months} bulan terakhir",
            f"{capital(name.en)}: not reported in the last {months} months",
        )
    shown_id, shown_en = with_unit(value, name, "id"), with_unit(value, name, "en")
    return (
        f"{capital(name.id)} {months} bulan terakhir, bulan terbaru paling berbobot: {shown_id}",
        f"{capital(name.en)} over the last {months} months, latest weighted most: {shown_en}",
    )


def _per_1000(name: Name, value: float) -> Texts:
    shown_id, shown_en = number(value, "id", 2), number(value, "en", 2)
    return (
        f"{capital(name.id)} per 1.000 penduduk (rata-rata 3 bulan terakhir): {shown_id}",
        f"{capital(name.en)} per 1,000 residents (average of the last 3 months): {shown_en}",
    )


def _reported_share(name: Name, value: float) -> Texts:
    months = 0 if math.isnan(value) else round(value * 12)
    return (
        f"{capital(name.id)} dilaporkan pada {months} dari 12 bulan terakhir",
        f"{capital(name.en)}: reported in {months} of the last 12 months",
    )


def _missing_last(name: Name, value: float) -> Texts:
    if value >= 0.5:
        return f"{capital(name.id)} bulan lalu tidak dilaporkan", f"{capital(name.en)}: no report last month"
    return f"{capital(name.id)} bulan lalu dilaporkan", f"{capital(name.en)}: reported last month"


def _since_start(name: Name, value: float) -> Texts:
    cap = names.LOOKBACK
    if math.isnan(value):
        return (
            f"{capital(name.id)} tidak dilaporkan dalam {cap} bulan terakhir",
            f"{capital(name.en)}: not reported in the last {cap} months",
        )
    if value >= cap:
        return (
            f"{capital(name.id)} sudah dilaporkan sejak {cap} bulan lalu atau lebih",
            f"{capital(name.en)}: reported for {cap} months or more",
        )
    months = round(value)
    return (
        f"{capital(name.id)} mulai dilaporkan {months} bulan lalu",
        f"{capital(name.en)}: first reported {months} month{'s' if months != 1 else ''} ago",
    )


def _since_last(name: Name, value: float) -> Texts:
    cap = names.LOOKBACK
    if math.isnan(value):
        return (
            f"{capital(name.id)} tidak dilaporkan dalam {cap} bulan terakhir",
            f"{capital(name.en)}: not reported in the last {cap} months",
        )
    months = round(value)
    if months <= 1:
        return f"{capital(name.id)} dilaporkan bulan lalu", f"{capital(name.en)}: reported last month"
    return (
        f"{capital(name.id)} terakhir dilaporkan {months} bulan lalu",
        f"{capital(name.en)}: last reported {months} months ago",
    )


_STAT_TEXT: dict[str, Callable[[Name, float], Texts]] = {
    "last": _last,
    "mean3": _mean(3),
    "mean12": _mean(12),
    "mean36": _mean(36),
    "ratio_3_12": _ratio,
    "trend": _trend,
    "decay": _decay,
    "per_1000": _per_1000,
    "reported_share12": _reported_share,
    "missing_last": _missing_last,
    "months_since_start": _since_start,
    "months_since_last": _since_last,
}

_STAT_LABEL: dict[str, Texts] = {
    "last": ("bulan lalu", "last month"),
    "mean3": ("rata-rata 3 bln", "3-mo average"),
    "mean12": ("rata-rata 12 bln", "12-mo average"),
    "mean36": ("rata-rata 36 bln", "36-mo average"),
    "ratio_3_12": ("3 bln vs biasanya", "3 mo vs usual"),
    "trend": ("tren", "trend"),
    "decay": ("bobot bulan terbaru", "recent, weighted"),
    "per_1000": ("per 1.000 penduduk", "per 1,000 residents"),
    "reported_share12": ("bulan terlapor", "months reported"),
    "missing_last": ("bulan lalu kosong", "missing last month"),
    "months_since_start": ("lama tercatat", "months on record"),
    "months_since_last": ("terakhir dilaporkan", "months since last report"),
}


def describe_signal(signal: str, stat: str, value: float) -> Texts:
    """Sentences for one statistic of one signal; an unknown statistic reads as a plain value."""
    name = signal_name(signal)
    text = _STAT_TEXT.get(stat)
    if text is None:
        label_id, label_en = label_signal(signal, stat)
        return f"{label_id}: {with_unit(value, name, 'id')}", f"{label_en}: {with_unit(value, name, 'en')}"
    return text(name, value)


def label_signal(signal: str, stat: str) -> Texts:
    """Short chart label, e.g. ("Kontak ke pos pengaduan: 3 bln vs biasanya", ...)."""
    name_id, name_en = signal_name(signal).label()
    stat_id, stat_en = _STAT_LABEL.get(stat, (stat.replace("_", " "), stat.replace("_", " ")))
    return f"{name_id}: {stat_id}", f"{name_en}: {stat_en}"
