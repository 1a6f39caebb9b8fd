"""The generating truth of a synthetic world, for tests and benchmarks only.

Training and scoring never read this: it holds what no real data folder can,
the probabilities the world was drawn from, so any ranking can be compared
with the best possible one. Files: ``truth.json`` (seed, months, calibration),
``rw_month.parquet`` (intensities per RW and month), ``case_hazard.parquet``
(reopen hazard scale per case) and ``case_events.parquet``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ews.exceptions import DataError, TimeRuleError
from ews.months import format_month, month_start, parse_month_series

META_FILE = "truth.json"
RW_MONTH_FILE = "rw_month.parquet"
HAZARD_FILE = "case_hazard.parquet"
EVENTS_FILE = "case_events.parquet"
REOPEN_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Truth:
    """A loaded truth folder.

    ``rw_month``: ``rw_code``, ``month`` (int), ``intensity`` (expected
    incidents), ``report_prob``, ``label_intensity`` (expected reported cases
    by label month), ``incidents``. ``case_hazard``: case_id -> per-day reopen
    hazard at the first closing. ``events``: every case event of the world.
    """

    meta: dict[str, Any]
    rw_month: pd.DataFrame
    case_hazard: pd.Series
    events: pd.DataFrame

    @property
    def start(self) -> int:
        """First month of the world (month index)."""
        return int(self.meta["start"])

    @property
    def end(self) -> int:
        """Last month of the world (month index)."""
        return int(self.meta["end"])


def write_truth(directory: Path, truth: Truth) -> None:
    """Write ``truth`` into an existing empty directory."""
    meta = json.dumps(truth.meta, indent=2, sort_keys=True)
    (directory / META_FILE).write_text(meta + "\n", encoding="utf-8")
    for file, frame in truth_tables(truth).items():
        frame.to_parquet(directory / file, index=False)


def truth_tables(truth: Truth) -> dict[str, pd.DataFrame]:
    """The truth's tables as stored (file name -> frame; months as ``YYYY-MM``)."""
    rw_month = truth.rw_month.assign(month=truth.rw_month["month"].map(format_month))
    hazard = truth.case_hazard.rename("hazard_scale").rename_axis("case_id").reset_index()
    return {RW_MONTH_FILE: rw_month, HAZARD_FILE: hazard, EVENTS_FILE: truth.events}


def load_truth(directory: str | Path) -> Truth:
    """Read a truth folder written by :func:`ews.synth.generate`."""
    path = Path(directory)
    if not (path / META_FILE).is_file():
        raise DataError(f"{path} is not a synthetic truth folder: {META_FILE} is missing")
    meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    rw_month = pd.read_parquet(path / RW_MONTH_FILE)
    rw_month["rw_code"] = rw_month["rw_code"].astype("string")
    rw_month["month"] = parse_month_series(rw_month["month"]).astype("int64")
    hazard = pd.read_parquet(path / HAZARD_FILE)
    events = pd.read_parquet(path / EVENTS_FILE)
    events["at"] = pd.to_datetime(events["at"]).astype("datetime64[ns]")
    series = pd.Series(hazard["hazard_scale"].to_numpy(), index=hazard["case_id"].astype("string"))
    return Truth(meta=meta, rw_month=rw_month, case_hazard=series, events=events)


def rw_probability(truth: Truth, as_of: int, horizon: int = 1) -> pd.Series:
    """P(the RW gets >= 1 eventually reported case with label month in [as_of, as_of + horizon)).

    Reported cases by label month are Poisson given the intensities, so the
    probability is ``1 - exp(-sum of label intensities)``. For horizon 1 the
    intensity depends only on the past, so this is the best possible score;
    for longer horizons it also uses the realised path inside the window.
    """
    if horizon < 1:
        raise TimeRuleError(f"horizon {horizon} is not allowed; it must be at least 1 month")
    if as_of < truth.start or as_of + horizon - 1 > truth.end:
        window = f"{format_month(as_of)} + {horizon} month(s)"
        span = f"{format_month(truth.start)}..{format_month(truth.end)}"
        raise TimeRuleError(f"the window {window} is outside the synthetic world's months {span}")
    frame = truth.rw_month
    inside = frame[(frame["month"] >= as_of) & (frame["month"] < as_of + horizon)]
    total = inside.groupby("rw_code", sort=True)["label_intensity"].sum()
    probability: pd.Series = (1.0 - np.exp(-total)).rename("probability")
    return probability


def _check_known(truth: Truth, ids: pd.Index) -> None:
    unknown = ids.difference(truth.case_hazard.index)
    if len(unknown):
        raise DataError(f"case_id {unknown[0]!r} is not a case of this synthetic world")


def reopen_probability(truth: Truth, case_ids: Iterable[str], as_of: int) -> pd.Series:
    """P(a ``reopened`` event in [as_of first day, +90 days)) for cases closed as of ``as_of``.

    A case whose last event before ``as_of`` is not ``closed`` (open, or no
    event yet) gets NaN. The reopen day is the closing day plus the ceiling of
    a continuous waiting time, hence the (s - 1, s + 89] interval below.
    """
    ids = pd.Index(list(case_ids), dtype="string", name="case_id")
    _check_known(truth, ids)
    params = truth.meta["params"]["reopen"]
    cutoff = month_start(as_of)
    before = truth.events[truth.events["at"] < cutoff]
    before = before[before["case_id"].isin(ids)]
    last = before.groupby("case_id").tail(1).set_index("case_id")
    reopens = before[before["event"] == "reopened"].groupby("case_id").size()
    closed = last[last["event"] == "closed"]
    k = reopens.reindex(closed.index, fill_value=0).to_numpy()
    days = ((cutoff - closed["at"]).dt.days).to_numpy(dtype=np.float64)
    tau = float(params["tau_days"])
    scale = truth.case_hazard.loc[closed.index].to_numpy() * float(params["later_factor"]) ** k
    mass = scale * tau * (np.exp(-(days - 1) / tau) - np.exp(-(days + REOPEN_WINDOW_DAYS - 1) / tau))
    prob = np.where(k < int(params["max_reopens"]), 1.0 - np.exp(-mass), 0.0)
    result = pd.Series(prob, index=closed.index.astype("string"), name="probability")
    return result.reindex(ids)
