"""Sentences and chart labels for the signal statistics (``signal__<name>__<stat>``).

Each sentence carries a reference point a lurah knows: levels are compared
with the other RWs of the kelurahan (``reference``, the mean of their values
in the same month, when the caller has it), the ratio with the 12 months
before, the trend with the 3 months before; long windows read in years.
"""

from __future__ import annotations

import math

from ews.features import names
from ews.features.describe_compare import PEERS, change, usable, with_peers
from ews.features.describe_coverage import COVERAGE_TEXT, Reference, StatText
from ews.features.vocab import Name, capital, period, plain, signal_name

Texts = tuple[str, str]


def _monthly(value: float, name: Name) -> Texts:
    """A mean level: "1,1 sebulan" for counts of events, "rata-rata 5,2%" for the rest."""
    shown_id, shown_en = plain(value, name)
    if name.per_month:
        return f"{shown_id} sebulan", f"{shown_en} a month"
    return f"rata-rata {shown_id}", f"{shown_en} on average"


def _per(name: Name) -> Texts:
    """What follows a pair of mean levels: " sebulan" for counts of events."""
    return (" sebulan", " a month") if name.per_month else ("", "")


def _level(subject: Texts, name: Name, value: float, reference: Reference) -> Texts:
    """A mean level after ``subject``, compared with the other RWs when there is a reference."""
    return with_peers(subject, lambda: _monthly(value, name), value, reference, name, _per(name))


def _last(name: Name, value: float, reference: Reference) -> Texts:
    if math.isnan(value):
        return f"{capital(name.id)} bulan lalu tidak dilaporkan", f"{capital(name.en)}: no report last month"
    subject = f"{capital(name.id)} bulan lalu", f"{capital(name.en)} last month"
    return with_peers(subject, lambda: plain(value, name), value, reference, name)


def _mean(months: int) -> StatText:
    def text(name: Name, value: float, reference: Reference) -> Texts:
        when_id, when_en = period(months)
        if math.isnan(value):
            return (
                f"{capital(name.id)} {when_id}: tidak dilaporkan",
                f"{capital(name.en)}, {when_en}: no report",
            )
        subject = f"{capital(name.id)} {when_id}", f"{capital(name.en)}, {when_en}"
        return _level(subject, name, value, reference)

    return text


def _ratio(name: Name, value: float, reference: Reference) -> Texts:
    subject_id, subject_en = (
        f"{capital(name.id)} 3 bulan terakhir",
        f"{capital(name.en)} in the last 3 months",
    )
    texts = _versus_year(subject_id, subject_en, value)
    if reference is None or not usable(reference):
        return texts
    peers_id, peers_en = change(reference)
    return f"{texts[0]}; {PEERS[0]} rata-rata {peers_id}", f"{texts[1]}; {PEERS[1]}: {peers_en} on average"


def _versus_year(subject_id: str, subject_en: str, ratio: float) -> Texts:
    """The last 3 months against the 12 months before them (the ratio's own reference)."""
    before_id, before_en = "12 bulan sebelumnya", "the 12 months before"
    if math.isnan(ratio):
        return (
            f"{subject_id} tidak dapat dibandingkan dengan {before_id}",
            f"{subject_en}: not comparable with {before_en}",
        )
    word_id, word_en = change(ratio)
    if word_id == "hampir sama":
        return f"{subject_id} hampir sama dengan {before_id}", f"{subject_en}: about the same as {before_en}"
    if word_id == "nol":
        return (
            f"{subject_id} nol, padahal {before_id} ada",
            f"{subject_en}: none, against some in {before_en}",
        )
    level_en = "the level of " if "times" in word_en or word_en == "twice" else "on "
    return f"{subject_id} {word_id} dibanding {before_id}", f"{subject_en}: {word_en} {level_en}{before_en}"


def _step(value: float, name: Name, lang: str) -> str:
    """The size of a trend: "+2 sebulan", "-1,5 poin persen"."""
    sign = "+" if value > 0 else "-"
    size = plain(abs(value), Name(name.id, name.en))[0 if lang == "id" else 1]
    if name.unit == "%":
        return f"{sign}{size} {'poin persen' if lang == 'id' else 'percentage points'}"
    if name.per_month:
        return f"{sign}{size} {'sebulan' if lang == 'id' else 'a month'}"
    return f"{sign}{size}"


def _trend(name: Name, value: float, reference: Reference) -> Texts:
    subject_id, subject_en = (
        f"{capital(name.id)} 3 bulan terakhir",
        f"{capital(name.en)} in the last 3 months",
    )
    if math.isnan(value):
        return (
            f"{subject_id} tidak dapat dibandingkan dengan 3 bulan sebelumnya",
            f"{subject_en}: not comparable with the 3 months before",
        )
    if abs(value) < 0.005:
        texts = (
            f"{subject_id} sama dengan 3 bulan sebelumnya",
            f"{subject_en}: level with the 3 months before",
        )
    else:
        word_id, word_en = ("naik", "up") if value > 0 else ("turun", "down")
        texts = (
            f"{subject_id} {word_id} dibanding 3 bulan sebelumnya ({_step(value, name, 'id')})",
            f"{subject_en}: {word_en} on the 3 months before ({_step(value, name, 'en')})",
        )
    if reference is None or not usable(reference):
        return texts
    peers_id, peers_en = _direction(value, reference)
    return f"{texts[0]}; {PEERS[0]} rata-rata {peers_id}", f"{texts[1]}; {PEERS[1]}: {peers_en} on average"


def _direction(value: float, reference: float) -> Texts:
    if abs(reference) < 0.005:
        return "tetap", "level"
    rising = reference > 0
    also = (value > 0) == rising and abs(value) >= 0.005
    word_id, word_en = ("naik", "up") if rising else ("turun", "down")
    return (f"juga {word_id}", f"{word_en} too") if also else (word_id, word_en)


def _decay(name: Name, value: float, reference: Reference) -> Texts:
    months = names.DECAY_LAGS
    if math.isnan(value):
        return (
            f"{capital(name.id)} tidak dilaporkan dalam {months} bulan terakhir",
            f"{capital(name.en)}: not reported in the last {months} months",
        )
    subject = (
        f"{capital(name.id)} {months} bulan terakhir, terutama bulan-bulan terbaru",
        f"{capital(name.en)} over the last {months} months, recent months weighing most",
    )
    return _level(subject, name, value, reference)


def _per_1000(name: Name, value: float, reference: Reference) -> Texts:
    rate = Name(name.id, name.en, per_month=name.per_month)  # a rate per residents carries no unit
    if math.isnan(value):
        return (
            f"{capital(name.id)} per 1.000 penduduk 3 bulan terakhir tidak diketahui",
            f"{capital(name.en)} per 1,000 residents in the last 3 months: unknown",
        )
    subject = (
        f"{capital(name.id)} per 1.000 penduduk, 3 bulan terakhir",
        f"{capital(name.en)} per 1,000 residents, last 3 months",
    )
    return _level(subject, rate, value, reference)


_STAT_TEXT: dict[str, StatText] = {
    "last": _last,
    "mean3": _mean(3),
    "mean12": _mean(12),
    "mean36": _mean(36),
    "ratio_3_12": _ratio,
    "trend": _trend,
    "decay": _decay,
    "per_1000": _per_1000,
}

_STAT_LABEL: dict[str, Texts] = {
    "last": ("bulan lalu", "last month"),
    "mean3": ("rata-rata 3 bln", "3-mo average"),
    "mean12": ("rata-rata 12 bln", "12-mo average"),
    "mean36": ("rata-rata 3 thn", "3-yr average"),
    "ratio_3_12": ("3 bln vs 12 bln sebelumnya", "3 mo vs 12 mo before"),
    "trend": ("tren", "trend"),
    "decay": ("bobot bulan terbaru", "recent, weighted"),
    "per_1000": ("per 1.000 penduduk", "per 1,000 residents"),
    "reported_share12": ("bulan terlapor", "months reported"),
    "missing_last": ("bulan lalu kosong", "missing last month"),
    "months_since_start": ("lama tercatat", "months on record"),
    "months_since_last": ("terakhir dilaporkan", "months since last report"),
}


def describe_signal(signal: str, stat: str, value: float, reference: Reference = None) -> Texts:
    """Sentences for one statistic of one signal; an unknown statistic reads as a plain value.

    ``reference`` is the mean of the same feature over the other RWs of the kelurahan in the same
    month; without a finite one the sentence carries no comparison with them.
    """
    name = signal_name(signal)
    value = value if math.isfinite(value) else math.nan
    text = _STAT_TEXT.get(stat) or COVERAGE_TEXT.get(stat)
    if text is not None:
        return text(name, value, reference)
    return with_peers(label_signal(signal, stat), lambda: plain(value, name), value, reference, name)


def label_signal(signal: str, stat: str) -> Texts:
    """Short chart label, e.g. ("Kontak ke pos pengaduan: 3 bln vs 12 bln sebelumnya", ...)."""
    name_id, name_en = signal_name(signal).label()
    stat_id, stat_en = _STAT_LABEL.get(stat, (stat.replace("_", " "), stat.replace("_", " ")))
    return f"{name_id}: {stat_id}", f"{name_en}: {stat_en}"
