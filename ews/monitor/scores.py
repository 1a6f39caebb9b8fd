"""Scores: this month's score distribution and flag share per kota, against the months before.

Pure: the published ``rw_scores`` rows in (``as_of`` ``YYYY-MM``, ``kota_code``,
``score``, ``flagged``), a :class:`ScoresPart` out. "This month" is the latest
publication at or before the as-of month; "before" is the median over up to
``score_history`` earlier publications. A kota has ``moved`` when its median
score moved by ``score_shift`` (relative) or its flag share by
``flag_share_shift`` (relative, and by at least one RW's worth).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ews.monitor.result import KotaScores, ScoresPart
from ews.monitor.settings import MonitorSettings


def score_drift(rw_scores: pd.DataFrame, as_of: str, settings: MonitorSettings) -> ScoresPart:
    """Per kota: quantiles and flag share of the latest publication up to ``as_of`` against before."""
    months = sorted(m for m in rw_scores["as_of"].astype(str).unique() if m <= as_of)
    if not months:
        return ScoresPart(available=False, reason=f"no month is published up to {as_of}")
    month, before = months[-1], months[-1 - settings.score_history : -1]
    summary = _per_kota(rw_scores)
    now = summary[summary["as_of"] == month]
    past = summary[summary["as_of"].isin(before)].groupby("kota_code")[["p50", "flag_share"]].median()
    rows = [_kota(row, past, settings) for row in now.to_dict("records")]
    return ScoresPart(available=True, month=month, before=list(before), kota=rows)


def _per_kota(rw_scores: pd.DataFrame) -> pd.DataFrame:
    frame = rw_scores.assign(
        as_of=rw_scores["as_of"].astype(str), kota_code=rw_scores["kota_code"].astype(str)
    )
    grouped = frame.groupby(["as_of", "kota_code"])
    out = pd.DataFrame({f"p{round(q * 100)}": grouped["score"].quantile(q) for q in (0.1, 0.5, 0.9)})
    out["mean"] = grouped["score"].mean()
    out["n"] = grouped["score"].size()
    out["flag_share"] = grouped["flagged"].mean()
    return out.reset_index()


def _kota(row: dict[str, Any], past: pd.DataFrame, settings: MonitorSettings) -> KotaScores:
    code = str(row["kota_code"])
    n, share, p50 = int(row["n"]), float(row["flag_share"]), float(row["p50"])
    known = past.to_dict("index").get(code)
    before_p50 = None if known is None else float(known["p50"])
    before_share = None if known is None else float(known["flag_share"])
    moved = False
    if before_p50 is not None and before_p50 > 0:
        moved = abs(p50 / before_p50 - 1.0) >= settings.score_shift
    if before_share is not None:
        change = abs(share - before_share)
        moved = moved or (
            change >= settings.flag_share_shift * max(before_share, 1.0 / n) and change > 1.0 / n
        )
    return KotaScores(
        kota_code=code,
        n=n,
        p10=_r(row["p10"]),
        p50=round(p50, 5),
        p90=_r(row["p90"]),
        mean=_r(row["mean"]),
        flag_share=round(share, 4),
        before_p50=None if before_p50 is None else round(before_p50, 5),
        before_flag_share=None if before_share is None else round(before_share, 4),
        moved=bool(moved),
    )


def _r(value: Any) -> float:
    return round(float(value), 5)
