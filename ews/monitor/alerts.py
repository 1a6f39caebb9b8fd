"""Alerts: one plain sentence per finding, and "retrain recommended" when it is warranted.

Pure: the parts of the report in, :class:`Alert` rows out, each sentence in English (``text``,
the JSON's) and in Bahasa Indonesia (``text_id``, the analyst view's). A seasonal lift
is named in ``sources`` and never alerted on. Retraining is recommended when
the latest matured month's realised precision fell below its expected range,
or when a source that feeds one of the model's top features started, stopped,
paused or shifted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ews.monitor.result import Alert, RealisedMonth, ScoresPart, SourceChange


def source_sentence(change: SourceChange, names: Mapping[str, str]) -> str:
    """``kontak_pos_pengaduan rose 150% in kecamatan Gambir (31.71.01) from 2025-01 ...``."""
    where = _where(change, names)
    months = f"{int(change.size)} month{'s' if change.size != 1 else ''}"
    if change.kind == "started":
        share = f"{change.size:.0%} of its RWs"
        return f"{change.signal} started reporting {where} in {change.from_month} ({share})."
    if change.kind == "stopped":
        return f"{change.signal} has had no report {where} since {change.from_month} ({months})."
    if change.kind == "paused":
        span = f"from {change.from_month} to {change.to_month} ({months})"
        return f"{change.signal} paused {where} {span}, then resumed."
    verb = "rose" if change.size > 0 else "fell"
    text = f"{change.signal} {verb} {abs(change.size):.0%} {where} from {change.from_month}"
    if change.kind == "seasonal":
        return text + ", as in the same months of earlier years (the 16-day campaign)."
    return text + " against its own trailing 12 months."


def source_kalimat(change: SourceChange, names: Mapping[str, str]) -> str:
    """:func:`source_sentence` in Bahasa Indonesia, for the analyst view."""
    where = _where(change, names, indonesian=True)
    months = f"{int(change.size)} bulan"
    if change.kind == "started":
        return (
            f"{change.signal} mulai dilaporkan {where} pada {change.from_month} ({change.size:.0%} RW-nya)."
        )
    if change.kind == "stopped":
        return f"{change.signal} tidak ada laporan {where} sejak {change.from_month} ({months})."
    if change.kind == "paused":
        span = f"dari {change.from_month} sampai {change.to_month} ({months})"
        return f"{change.signal} terhenti {where} {span}, lalu berlanjut."
    verb = "naik" if change.size > 0 else "turun"
    text = f"{change.signal} {verb} {abs(change.size):.0%} {where} sejak {change.from_month}"
    if change.kind == "seasonal":
        return text + ", seperti pada bulan yang sama tahun-tahun sebelumnya (kampanye 16 hari)."
    return text + " dibanding 12 bulan sebelumnya."


_LEVEL_ID = {"province": "provinsi", "kota": "kota", "kecamatan": "kecamatan"}


def _where(change: SourceChange, names: Mapping[str, str], indonesian: bool = False) -> str:
    name = names.get(change.area_code)
    label = f"{name} ({change.area_code})" if name else change.area_code
    if indonesian:
        return f"di {_LEVEL_ID[change.area_level]} {label}"
    return f"in {change.area_level} {label}"


def top_signals(rw_scores: pd.DataFrame, signals: Sequence[str], top: int) -> set[str]:
    """Signals named in the ``top`` features most often among the latest month's flagged RWs' reasons."""
    if not len(rw_scores) or "top_factors" not in rw_scores:
        return set()
    latest = rw_scores[rw_scores["as_of"].astype(str) == rw_scores["as_of"].astype(str).max()]
    counts: Counter[str] = Counter()
    for text in latest.loc[latest["flagged"].astype(bool), "top_factors"]:
        counts.update(str(item.get("feature", "")) for item in json.loads(text or "[]"))
    features = [feature for feature, _ in counts.most_common(top)]
    return {signal for signal in signals if any(signal in feature for feature in features)}


def alerts(
    sources: Sequence[SourceChange],
    scores: ScoresPart,
    realised: Sequence[RealisedMonth],
    top: set[str],
    names: Mapping[str, str],
) -> list[Alert]:
    """Every alert, then at most one "retrain recommended" with its reasons.

    Check outcomes inform and never alert: they are selective labels.
    """
    out = [
        Alert(kind=f"source_{c.kind}", text=source_sentence(c, names), text_id=source_kalimat(c, names))
        for c in sources
        if c.kind != "seasonal"
    ]
    out += _score_alerts(scores, names)
    out += _realised_alerts(realised)
    reasons = list(_retrain_reasons(sources, realised, top))
    if reasons:
        text = "Retrain recommended: " + "; ".join(en for en, _ in reasons) + "."
        text_id = "Disarankan melatih ulang model: " + "; ".join(id_ for _, id_ in reasons) + "."
        out.append(Alert(kind="retrain", text=text, text_id=text_id))
    return out


def _score_alerts(scores: ScoresPart, names: Mapping[str, str]) -> list[Alert]:
    out = []
    for kota in (k for k in scores.kota if k.moved):
        label = names.get(kota.kota_code, kota.kota_code)
        text = (
            f"Scores in kota {label} moved in {scores.month}: median {kota.p50:.3f} "
            f"(before {kota.before_p50 or 0:.3f}), flag share {kota.flag_share:.1%} "
            f"(before {kota.before_flag_share or 0:.1%})."
        )
        text_id = (
            f"Skor di kota {label} bergeser pada {scores.month}: median {kota.p50:.3f} "
            f"(sebelumnya {kota.before_p50 or 0:.3f}), bagian RW ditandai {kota.flag_share:.1%} "
            f"(sebelumnya {kota.before_flag_share or 0:.1%})."
        )
        out.append(Alert(kind="scores", text=text, text_id=text_id))
    return out


def _realised_alerts(realised: Sequence[RealisedMonth]) -> list[Alert]:
    out = []
    for month in realised:
        if month.outside and month.precision is not None:
            below = month.precision < (month.expected_low or 0)
            span = f"{month.expected_low:.3f}-{month.expected_high:.3f}"
            text = (
                f"Realised precision of the {month.month} flags was {month.precision:.3f}, "
                f"{'below' if below else 'above'} the {span} the backtest led to expect."
            )
            text_id = (
                f"Presisi nyata daftar RW ditandai {month.month} adalah {month.precision:.3f}, "
                f"{'di bawah' if below else 'di atas'} rentang {span} yang diharapkan dari backtest."
            )
            out.append(Alert(kind="realised", text=text, text_id=text_id))
        if month.calibration_outside:
            text = (
                f"Scores of {month.month} were off: mean predicted {month.mean_predicted:.4f} "
                f"against an observed rate of {month.observed_rate:.4f}."
            )
            text_id = (
                f"Skor {month.month} meleset: rata-rata prediksi {month.mean_predicted:.4f} "
                f"dibanding tingkat teramati {month.observed_rate:.4f}."
            )
            out.append(Alert(kind="calibration", text=text, text_id=text_id))
    return out


def _retrain_reasons(
    sources: Sequence[SourceChange], realised: Sequence[RealisedMonth], top: set[str]
) -> Iterable[tuple[str, str]]:
    """Each reason to retrain, in English and in Bahasa Indonesia."""
    latest = realised[-1] if realised else None
    if (
        latest
        and latest.precision is not None
        and latest.outside
        and latest.precision < (latest.expected_low or 0)
    ):
        yield (
            f"realised precision of {latest.month} fell below its expected range",
            f"presisi nyata {latest.month} turun di bawah rentang yang diharapkan",
        )
    touched = sorted({c.signal for c in sources if c.kind != "seasonal" and c.signal in top})
    if touched:
        names = ", ".join(touched)
        yield (
            f"{names} changed and feed{'s' if len(touched) == 1 else ''} top features",
            f"{names} berubah dan dipakai fitur utama model",
        )
