"""Alerts: one plain sentence per finding, and "retrain recommended" when it is warranted.

Pure: the parts of the report in, :class:`Alert` rows out. A seasonal lift
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


def _where(change: SourceChange, names: Mapping[str, str]) -> str:
    name = names.get(change.area_code)
    label = f"{name} ({change.area_code})" if name else change.area_code
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
        Alert(kind=f"source_{c.kind}", text=source_sentence(c, names))
        for c in sources
        if c.kind != "seasonal"
    ]
    out += _score_alerts(scores, names)
    out += _realised_alerts(realised)
    reasons = list(_retrain_reasons(sources, realised, top))
    if reasons:
        out.append(Alert(kind="retrain", text="Retrain recommended: " + "; ".join(reasons) + "."))
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
        out.append(Alert(kind="scores", text=text))
    return out


def _realised_alerts(realised: Sequence[RealisedMonth]) -> list[Alert]:
    out = []
    for month in realised:
        if month.outside and month.precision is not None:
            side = "below" if month.precision < (month.expected_low or 0) else "above"
            text = (
                f"Realised precision of the {month.month} flags was {month.precision:.3f}, {side} the "
                f"{month.expected_low:.3f}-{month.expected_high:.3f} the backtest led to expect."
            )
            out.append(Alert(kind="realised", text=text))
        if month.calibration_outside:
            text = (
                f"Scores of {month.month} were off: mean predicted {month.mean_predicted:.4f} "
                f"against an observed rate of {month.observed_rate:.4f}."
            )
            out.append(Alert(kind="calibration", text=text))
    return out


def _retrain_reasons(
    sources: Sequence[SourceChange], realised: Sequence[RealisedMonth], top: set[str]
) -> Iterable[str]:
    latest = realised[-1] if realised else None
    if (
        latest
        and latest.precision is not None
        and latest.outside
        and latest.precision < (latest.expected_low or 0)
    ):
        yield f"realised precision of {latest.month} fell below its expected range"
    touched = sorted({c.signal for c in sources if c.kind != "seasonal" and c.signal in top})
    if touched:
        yield f"{', '.join(touched)} changed and feed{'s' if len(touched) == 1 else ''} top features"
