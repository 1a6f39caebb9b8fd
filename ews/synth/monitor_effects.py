"""Effects for ``ews monitor`` to find, cut into a finished synthetic signals frame (opt-in).

The default world already opens complaint posts in waves (January 2022-2025,
``ReportParams.post_counts``), starts the cadre reports during 2023 and
closes schools under COVID; the stress profiles ``late_source``,
``lapsed_source`` and ``outage`` add a late source, a lapse and a pause.
Two effects are missing there and live here, applied after the world is
drawn so the default world's bytes never change:

- :class:`Campaign`: the 16-day campaign (25 Nov - 10 Dec) lifts a signal in
  November and December of every year;
- :class:`LevelShift`: a post opening: one area's signal jumps by a factor
  from one month on.

Each effect adds Poisson counts (``x + Poisson(x * (factor - 1))``), so the
cells stay whole counts and empty cells stay empty. ``expected`` gives the
change the monitor should report for each effect, for the tests.

``ews synth --profile campaign`` / ``--profile post_opening`` apply them
while the world is drawn (:func:`apply_profile_effects`, called where the
signals are made), and every ``ews synth`` writes ``checks.csv``: RWs chosen
by an office's observable rule, outcomes drawn from the truth (:func:`truth_checks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.data import schema
from ews.months import format_month, parse_month
from ews.synth.profiles import Span, SynthProfile

CAMPAIGN_LIFT = ((11, 1.6), (12, 1.8))


@dataclass(frozen=True)
class Campaign:
    """``column`` times the factor of each calendar month in ``lifts``, every year."""

    column: str
    lifts: tuple[tuple[int, float], ...] = CAMPAIGN_LIFT


@dataclass(frozen=True)
class LevelShift:
    """``column`` of the RWs under ``area`` times ``factor`` from ``from_month`` (``YYYY-MM``) on."""

    column: str
    area: str
    from_month: str
    factor: float = 2.5


Effect = Campaign | LevelShift


def _factor(frame: pd.DataFrame, effect: Effect) -> npt.NDArray[np.float64]:
    months = frame["month"].astype(str)
    if isinstance(effect, Campaign):
        calendar = months.str[5:7].astype(int)
        lifts = dict(effect.lifts)
        return calendar.map(lambda m: lifts.get(m, 1.0)).to_numpy(dtype=np.float64)
    inside = frame["rw_code"].astype(str).str.startswith(effect.area) & (months >= effect.from_month)
    return np.where(inside.to_numpy(), effect.factor, 1.0)


def apply_effects(frame: pd.DataFrame, effects: Sequence[Effect], seed: int = 0) -> pd.DataFrame:
    """A copy of the signals frame (``month`` as ``YYYY-MM`` text) with ``effects`` added."""
    out = frame.copy()
    rng = np.random.default_rng([seed, 14])
    for effect in effects:
        values = pd.to_numeric(out[effect.column], errors="coerce").to_numpy(dtype=np.float64)
        extra = np.maximum(_factor(out, effect) - 1.0, 0.0) * np.nan_to_num(values)
        lifted = values + rng.poisson(extra)
        out[effect.column] = pd.array(np.where(np.isnan(values), np.nan, lifted)).astype("Int64")
    return out


def inject_into_folder(folder: Path, effects: Sequence[Effect], seed: int = 0) -> None:
    """Rewrite ``folder/signals.csv`` with ``effects`` added (a synthetic CSV folder)."""
    path = Path(folder) / "signals.csv"
    frame = pd.read_csv(path, dtype={"rw_code": str, "month": str})
    apply_effects(frame, effects, seed).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def expected(effect: Effect, first_year: int, last_year: int) -> list[tuple[str, str, str]]:
    """The (signal, kind, first month) the monitor should report for ``effect``.

    A campaign is "seasonal" from its second year on (the first has no earlier
    year to match); a level shift is a "shift" from its month.
    """
    if isinstance(effect, LevelShift):
        return [(effect.column, "shift", effect.from_month)]
    first = min(month for month, _ in effect.lifts)
    return [
        (effect.column, "seasonal", format_month(parse_month(f"{year}-{first:02d}")))
        for year in range(first_year + 1, last_year + 1)
    ]


CHECKED_SHARE, NOT_CHECKABLE_SHARE, REFERRED_SHARE = 0.7, 0.05, 0.3


def synthetic_checks(rw_month: pd.DataFrame, flags: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Checks of flagged RWs drawn from the truth, as an official would record them.

    ``rw_month`` is the truth's table (``rw_code``, ``month`` index,
    ``incidents``), ``flags`` the flagged ``rw_code`` per ``month`` (index).
    About 70% of flags are visited 2-25 days into the month; 5% cannot be
    checked; a visit finds an indication when the RW had an incident that
    month, reported or not (30% of those are referred to UPTD PPA). Returns
    ``rw_code, month, visit_date, outcome, role`` (``checks.csv`` plus the month).
    """
    rng = np.random.default_rng([seed, 15])
    merged = flags[["rw_code", "month"]].merge(rw_month[["rw_code", "month", "incidents"]], how="left")
    visited = merged[rng.random(len(merged)) < CHECKED_SHARE].reset_index(drop=True)
    draw = rng.random(len(visited))
    found = visited["incidents"].fillna(0).to_numpy() > 0
    outcome = np.where(
        found, np.where(draw < REFERRED_SHARE, "dirujuk_uptd_ppa", "ada_indikasi"), "sudah_dicek_aman"
    )
    outcome = np.where(rng.random(len(visited)) < NOT_CHECKABLE_SHARE, "tidak_dapat_dicek", outcome)
    first_day = pd.to_datetime([format_month(int(m)) + "-01" for m in visited["month"]])
    days = pd.to_timedelta(rng.integers(2, 26, len(visited)), unit="D")
    return pd.DataFrame(
        {
            "rw_code": visited["rw_code"].astype(str),
            "month": visited["month"].astype("int64"),
            "visit_date": (first_day + days).strftime("%Y-%m-%d"),
            "outcome": outcome,
            "role": np.where(rng.random(len(visited)) < 0.8, "lurah", "camat"),
        }
    )


CAMPAIGN_SIGNAL, POST_SIGNAL = "panggilan_112_kdrt", "kontak_pos_pengaduan"
POST_MONTHS_BEFORE_END = 8  # the post opens in the 9th-last signal month
FLAG_SHARE = 0.05
CASE_MONTHS, CONTACT_MONTHS = 12, 3  # the office's rule: cases of the last year, contacts of the last quarter


def post_opening(rw_codes: pd.Series, span: Span) -> LevelShift:
    """The ``post_opening`` profile's shift: the kecamatan with the most RWs (lowest code on ties),
    from the 9th-last signal month on."""
    kecamatan = rw_codes.astype(str).str[:8].value_counts()
    area = min(kecamatan[kecamatan == kecamatan.max()].index)
    return LevelShift(POST_SIGNAL, area, format_month(span.signal_end - POST_MONTHS_BEFORE_END))


def profile_effects(profile: SynthProfile, rw_codes: pd.Series, span: Span) -> list[Effect]:
    """The effects named by ``profile`` (``campaign``, ``post_opening``), in that order."""
    effects: list[Effect] = []
    if "campaign" in profile:
        effects.append(Campaign(CAMPAIGN_SIGNAL))
    if "post_opening" in profile:
        effects.append(post_opening(rw_codes, span))
    return effects


def apply_profile_effects(frame: pd.DataFrame, profile: SynthProfile, span: Span, seed: int) -> pd.DataFrame:
    """The signals frame with the profile's effects added; the very same frame without any."""
    effects = [e for e in profile_effects(profile, frame["rw_code"], span) if e.column in frame]
    return apply_effects(frame, effects, seed) if effects else frame


def office_flags(frames: dict[str, pd.DataFrame], rw_codes: pd.Series, months: Sequence[int]) -> pd.DataFrame:
    """Each month's flags as an office could draw them from its own data: ``rw_code, month``.

    An RW's score as of ``M`` is its cases reported in the :data:`CASE_MONTHS` months before
    ``M`` plus its complaint-post contacts in the :data:`CONTACT_MONTHS` months before ``M``
    (the generated ``cases`` and ``signals`` frames, never the truth); the flags are the top
    :data:`FLAG_SHARE` of RWs (at least one) among those with a positive score, lowest code on ties.
    """
    codes = pd.Index(rw_codes.astype(str).unique()).sort_values()
    span = pd.RangeIndex(min(months) - CASE_MONTHS, max(months) + 1)
    score = _past(_monthly(frames[schema.CASES], codes, span, None), CASE_MONTHS)
    signals = frames[schema.SIGNALS]
    if POST_SIGNAL in signals:
        score += _past(_monthly(signals, codes, span, POST_SIGNAL), CONTACT_MONTHS)
    wide = score.loc[list(months)].rename_axis(index="month", columns="rw_code").reset_index()
    long = wide.melt(id_vars="month", var_name="rw_code", value_name="score")
    long = long[long["score"] > 0].sort_values(["month", "score", "rw_code"], ascending=[True, False, True])
    quota = np.maximum(1, np.floor(FLAG_SHARE * len(codes))).astype(int)
    flags = long[long.groupby("month").cumcount() < quota]
    out: pd.DataFrame = flags[["rw_code", "month"]].astype({"month": "int64"}).reset_index(drop=True)
    return out


def _monthly(frame: pd.DataFrame, codes: pd.Index, span: pd.RangeIndex, column: str | None) -> pd.DataFrame:
    """Months (rows, ``span``) x RWs (columns): case counts by report month, or a signal's sum."""
    if column is None:
        stamps = pd.to_datetime(frame["reported_at"])
        month = (stamps.dt.year * 12 + stamps.dt.month - 1).to_numpy()
        values = pd.Series(1.0, index=frame.index)
    else:
        text = frame["month"].astype(str)
        month = text.map({m: parse_month(m) for m in text.unique()}).to_numpy()
        values = pd.to_numeric(frame[column], errors="coerce").astype("float64").fillna(0.0)
    table = pd.DataFrame(0.0, index=span, columns=codes)
    if len(frame):
        sums = values.groupby([month, frame["rw_code"].astype(str).to_numpy()]).sum().unstack()
        table = table.add(sums.reindex(index=span, columns=codes).fillna(0.0))
    return table


def _past(panel: pd.DataFrame, width: int) -> pd.DataFrame:
    """Each row replaced by the sum of the ``width`` rows before it (months strictly before)."""
    past: pd.DataFrame = panel.rolling(width, min_periods=1).sum().shift(1).fillna(0.0)
    return past


def truth_checks(frames: dict[str, pd.DataFrame], rw_month: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``checks.csv`` (rw_code, visit_date, outcome, role) for a synthetic world.

    Who is checked follows an observable rule (:func:`office_flags`, from the data folder's own
    frames), so check features carry no more of the truth than a real office's would; what a
    check finds is drawn from the truth (:func:`synthetic_checks`: the RW's hidden incidents).
    """
    months = sorted(int(m) for m in rw_month["month"].unique())
    flags = office_flags(frames, frames[schema.REGIONS]["rw_code"], months)
    checks = synthetic_checks(rw_month, flags, seed)
    ordered = checks.sort_values(["visit_date", "rw_code"], kind="stable").reset_index(drop=True)
    return ordered[["rw_code", "visit_date", "outcome", "role"]]
