"""What one ``ews publish`` stores, computed from the data folder and score frames.

Everything here uses only what is known as of the published month (contract
section 2), so pages never show a case or signal from the future of ``as_of``.
The 12-month trend combines months already published with optional backfill
scores (the current champion scoring earlier months) for the months that
were never published; each point records which of the two it came from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ews.data.folder import DataFolder, known_as_of
from ews.data.schema import REGION_TEXT_COLUMNS
from ews.db.frames import check_case_scores, check_rw_scores
from ews.exceptions import DataError
from ews.months import format_month, months_of_dates, parse_month

TREND_MONTHS = 12
# A source counts as stale only if the RW reported it at least once in this many months before as_of.
STALE_LOOKBACK = 24


@dataclass(frozen=True)
class PublishBundle:
    """Everything stored for one month; ``ews.db.publish.publish`` writes it in one transaction."""

    as_of: str
    regions: pd.DataFrame
    rw_scores: pd.DataFrame
    trend: pd.DataFrame
    case_scores: pd.DataFrame
    rw_model: str
    reopen_model: str


def data_freshness(folder: DataFolder, as_of: int) -> pd.Series:
    """Per RW, the last month (``YYYY-MM``) before ``as_of`` with any signal reported; None if never."""
    signals = folder.signals[folder.signals["month"] < as_of]
    reported = signals[list(folder.signal_columns)].notna().any(axis=1)
    last = signals.loc[reported].groupby("rw_code")["month"].max()
    out = last.reindex(folder.regions["rw_code"].to_numpy())
    return pd.Series(
        [None if pd.isna(m) else format_month(int(m)) for m in out], index=out.index, dtype=object
    )


def stale_sources(folder: DataFolder, as_of: int) -> pd.Series:
    """Per RW, a JSON list of the signal sources that fell behind as of month ``as_of``.

    A source (a signal column) is stale for an RW when the RW reported it at least once in
    the :data:`STALE_LOOKBACK` months before ``as_of`` but not in the month before ``as_of``
    (the last month a score can use). Each entry is ``{"signal", "last_month"}`` with the
    last reported month as ``YYYY-MM``, longest silent first, then in column order; ``"[]"``
    when none is behind. Sources never reported in the window are not listed: the RW has
    no such source, or it was dropped long ago.
    """
    index = pd.Index(folder.regions["rw_code"].to_numpy(), name="rw_code")
    columns = list(folder.signal_columns)
    months = folder.signals["month"].to_numpy()
    window = folder.signals.loc[(months >= as_of - STALE_LOOKBACK) & (months < as_of)]
    if not columns or window.empty:
        return pd.Series("[]", index=index, dtype=object)
    reported = window[columns].notna().to_numpy()
    # The month where reported, -1 elsewhere: the per-RW maximum is the last reported month.
    stamped = np.where(reported, window["month"].to_numpy(dtype="int64")[:, None], -1)
    last = pd.DataFrame(stamped, columns=columns).groupby(window["rw_code"].to_numpy()).max()
    behind = last.where((last >= 0) & (last < as_of - 1)).stack().dropna()
    lists: dict[str, list[tuple[int, int, str]]] = {}
    order = {name: i for i, name in enumerate(columns)}
    codes = behind.index.get_level_values(0).astype(str)
    signals = behind.index.get_level_values(1).astype(str)
    for rw_code, signal, month in zip(codes, signals, behind.to_numpy(dtype="int64").tolist(), strict=True):
        lists.setdefault(rw_code, []).append((month, order[signal], signal))
    texts = {
        rw_code: json.dumps([{"signal": s, "last_month": format_month(m)} for m, _, s in sorted(entries)])
        for rw_code, entries in lists.items()
    }
    return pd.Series(texts, dtype=object).reindex(index, fill_value="[]")


def _open_cases(folder: DataFolder) -> pd.Series:
    # A case is open until its last known event is `closed`; no event means still open.
    last_event = folder.case_events.groupby("case_id")["event"].last()
    status = folder.cases["case_id"].map(last_event)
    is_open = status.isna() | (status != "closed")
    return is_open.groupby(folder.cases["rw_code"]).sum()


def case_counts(folder: DataFolder, as_of: int) -> pd.DataFrame:
    """Per RW: cases reported in the 3 and 12 months before ``as_of``, and cases open at ``as_of``."""
    known = known_as_of(folder, as_of)
    months = pd.Series(months_of_dates(known.cases["reported_at"]), index=known.cases.index)
    rw = known.cases["rw_code"]
    index = pd.Index(folder.regions["rw_code"].to_numpy(), name="rw_code")
    frame = pd.DataFrame(index=index)
    for column, span in (("cases_3m", 3), ("cases_12m", 12)):
        recent = months >= as_of - span
        frame[column] = recent.groupby(rw).sum().reindex(index, fill_value=0)
    frame["open_cases"] = _open_cases(known).reindex(index, fill_value=0)
    return frame.fillna(0).astype("int64").reset_index()


def trend_frame(as_of: str, history: Mapping[str, pd.Series], sources: Mapping[str, str]) -> pd.DataFrame:
    """Long frame ``rw_code, month, score, source`` over the 12 months ending at ``as_of``."""
    end = parse_month(as_of)
    parts = []
    for month in (format_month(m) for m in range(end - TREND_MONTHS + 1, end + 1)):
        scores = history.get(month)
        if scores is None or scores.empty:
            continue
        part = pd.DataFrame({"rw_code": scores.index.astype(str), "score": scores.to_numpy(dtype="float64")})
        parts.append(part.assign(month=month, source=sources.get(month, "published")))
    if not parts:
        return pd.DataFrame(columns=["rw_code", "month", "score", "source"])
    out = pd.concat(parts, ignore_index=True)
    out = out[["rw_code", "month", "score", "source"]]
    finite: pd.DataFrame = out.loc[np.isfinite(out["score"].to_numpy())]
    return finite.reset_index(drop=True)


def _with_area(cases: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    codes = regions.set_index("rw_code")[["kelurahan_code", "kecamatan_code"]]
    out = cases.join(codes, on="rw_code")
    unknown = out.loc[out["kelurahan_code"].isna(), "rw_code"]
    if len(unknown):
        raise DataError(f"case scores name rw_code {unknown.iloc[0]!r}, which is not in the regions")
    return out


def build_bundle(
    folder: DataFolder,
    as_of: str,
    rw_scores: pd.DataFrame,
    case_scores: pd.DataFrame,
    history: Mapping[str, pd.Series],
    sources: Mapping[str, str],
    models: tuple[str, str],
) -> PublishBundle:
    """Check the frames and add freshness (with stale sources), case counts and the trend for the month."""
    month = parse_month(as_of)
    scores = check_rw_scores(rw_scores, as_of)
    scores["last_signal_month"] = scores["rw_code"].map(data_freshness(folder, month))
    scores["stale_sources"] = scores["rw_code"].map(stale_sources(folder, month)).fillna("[]")
    scores = scores.merge(case_counts(folder, month), on="rw_code", how="left")
    scores[["cases_3m", "cases_12m", "open_cases"]] = scores[["cases_3m", "cases_12m", "open_cases"]].fillna(
        0
    )
    current = {as_of: scores.set_index("rw_code")["score"]}
    trend = trend_frame(as_of, {**history, **current}, {**sources, as_of: "published"})
    cases = _with_area(check_case_scores(case_scores, as_of), folder.regions)
    regions = folder.regions.loc[:, list(REGION_TEXT_COLUMNS)].astype(str)
    return PublishBundle(as_of, regions, scores, trend, cases, models[0], models[1])
