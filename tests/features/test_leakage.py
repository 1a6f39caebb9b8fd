"""THE no-leakage property (contract section 2).

Features as of M built from the full folder equal, exactly, features built
from ``known_as_of(folder, M)``; and rows for M do not depend on which other
as-of months were built with them (training and scoring cannot drift).
Labels with ``known_at=K`` equal labels computed on the folder cut at K.
Officials' checks are covered too: a check visited on or after M's first day
never changes the features as of M.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ews.data.folder import DataFolder, known_as_of
from ews.data.load import read_folder
from ews.features.labels import rw_labels
from ews.features.rw import build_rw_features
from ews.months import format_month
from ews.months import parse_month as pm

START = pm("2023-01")
N_MONTHS = 30
CODES = ("31.71.01.1001.001", "31.71.01.1001.002", "31.71.01.1002.001", "31.71.02.1001.001")
TYPES = ("fisik", "psikis", "seksual", "siber")
OUTCOMES = ("sudah_dicek_aman", "ada_indikasi", "dirujuk_uptd_ppa", "tidak_dapat_dicek")


def assert_no_leak(folder: DataFolder, months: list[int]) -> None:
    together = build_rw_features(folder, months)
    for month in months:
        alone = build_rw_features(known_as_of(folder, month), [month])
        pd.testing.assert_frame_equal(together.loc[[month]], alone, check_exact=True)


def assert_labels_mature(folder: DataFolder, months: list[int], known_at: int, horizon: int) -> None:
    full = rw_labels(folder, months, horizon=horizon, known_at=known_at)
    cut = rw_labels(known_as_of(folder, known_at), months, horizon=horizon, known_at=known_at)
    pd.testing.assert_series_equal(full, cut, check_exact=True)


def _date(day: int) -> str:
    return (pd.Timestamp(format_month(START) + "-01") + pd.Timedelta(days=day)).strftime("%Y-%m-%d")


@st.composite
def raw_folders(draw: st.DrawFn) -> dict[str, Any]:
    span = N_MONTHS * 30
    cases, events = [], []
    for i in range(draw(st.integers(0, 25))):
        reported = draw(st.integers(0, span))
        delay = draw(st.one_of(st.none(), st.integers(0, 200)))
        case = {
            "case_id": f"k{i}",
            "rw_code": draw(st.sampled_from(CODES)),
            "reported_at": _date(reported),
            "incident_date": "" if delay is None else _date(max(reported - delay, 0)),
            "victim_key": draw(st.sampled_from(["", "v1", "v2", "v3"])),
            "violence_type": draw(st.sampled_from(TYPES)),
        }
        cases.append(case)
        day = reported
        for step in range(draw(st.integers(0, 3))):
            day += draw(st.integers(0, 120))
            events.append({"case_id": f"k{i}", "event": ("closed", "reopened")[step % 2], "at": _date(day)})
    # Signals come from a seeded generator: cheap to draw, and gaps are what matter here.
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    signals = []
    for code in CODES:
        kader_from = int(rng.integers(0, N_MONTHS))
        for m in np.flatnonzero(rng.random(N_MONTHS) < 0.7):
            kontak = "" if rng.random() < 0.2 else float(rng.gamma(2.0, 5.0))
            kader = "" if m < kader_from else int(rng.integers(0, 9))
            signals.append(
                {"rw_code": code, "month": format_month(START + m), "kontak": kontak, "kader": kader}
            )
    checks = None
    if draw(st.booleans()):  # half the folders have a checks file (perhaps with no rows)
        checks = [
            {"rw_code": draw(st.sampled_from(CODES)), "visit_date": _date(draw(st.integers(0, span))),
             "outcome": draw(st.sampled_from(OUTCOMES)), "role": "lurah"}
            for _ in range(draw(st.integers(0, 12)))
        ]  # fmt: skip
    return {"cases": cases, "events": events, "signals": signals, "checks": checks}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=raw_folders(), picks=st.lists(st.integers(1, N_MONTHS + 2), min_size=1, max_size=3))
def test_random_tiny_folders_do_not_leak(
    folder_factory: Any, rows: Any, raw: dict[str, Any], picks: list[int]
) -> None:
    regions = [rows.region(code, population=500 + 100 * i) for i, code in enumerate(CODES)]
    cases = [rows.case(c.pop("case_id"), c.pop("rw_code"), c.pop("reported_at"), **c) for c in raw["cases"]]
    folder = folder_factory(
        regions, signals=raw["signals"], cases=cases, events=raw["events"], checks=raw["checks"]
    )
    months = sorted({START + p for p in picks})
    assert_no_leak(folder, months)
    assert_labels_mature(folder, [START + p for p in range(0, N_MONTHS, 3)], months[-1], horizon=2)


def test_hand_built_folder_does_not_leak(folder_factory: Any, rows: Any) -> None:
    cases = [
        rows.case("a", CODES[0], "2023-03-01", incident_date="2023-02-27", victim_key="v"),
        rows.case("b", CODES[0], "2023-03-31", victim_key="v"),
        rows.case("c", CODES[1], "2023-04-01", incident_date="2023-01-05"),
    ]
    events = [
        {"case_id": "a", "event": "closed", "at": "2023-03-31"},
        {"case_id": "a", "event": "reopened", "at": "2023-04-01"},
    ]
    signals = [{"rw_code": CODES[0], "month": format_month(START + m), "kontak": m} for m in range(6)]
    folder = folder_factory([rows.region(c) for c in CODES], signals=signals, cases=cases, events=events)
    assert_no_leak(folder, [pm("2023-03"), pm("2023-04"), pm("2023-05"), pm("2023-06")])
    assert_labels_mature(folder, [pm("2023-01"), pm("2023-02"), pm("2023-03")], pm("2023-04"), horizon=1)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    month=st.integers(1, N_MONTHS),
    late=st.lists(
        st.tuples(st.integers(0, 90), st.sampled_from(OUTCOMES), st.sampled_from(CODES)), max_size=5
    ),
)
def test_a_check_on_or_after_the_month_changes_nothing_before_it(
    folder_factory: Any, rows: Any, month: int, late: list[tuple[int, str, str]]
) -> None:
    first_day = pd.Timestamp(format_month(START + month) + "-01")
    days = [(first_day - pd.Timedelta(days=1 + 17 * i)).strftime("%Y-%m-%d") for i in range(6)]
    known = [
        {"rw_code": CODES[i % 4], "visit_date": day, "outcome": OUTCOMES[i % 4], "role": "camat"}
        for i, day in enumerate(days)
    ]
    after = [
        {"rw_code": code, "visit_date": (first_day + pd.Timedelta(days=day)).strftime("%Y-%m-%d"),
         "outcome": outcome, "role": "lurah"}
        for day, outcome, code in late
    ]  # fmt: skip
    regions = [rows.region(c) for c in CODES]
    before = build_rw_features(folder_factory(regions, checks=known), [START + month])
    with_late = build_rw_features(folder_factory(regions, checks=known + after), [START + month])
    pd.testing.assert_frame_equal(before, with_late, check_exact=True)
    assert before.filter(like="checks__").to_numpy().sum() > 0  # the known checks do count


@pytest.fixture
def tiny_folder(request: pytest.FixtureRequest) -> DataFolder:
    synth = pytest.importorskip("ews.synth")
    if not hasattr(synth, "generate"):
        pytest.skip("ews.synth.generate is not written yet")
    return read_folder(request.getfixturevalue("tiny_world"))


def test_tiny_world_does_not_leak(tiny_folder: DataFolder) -> None:
    last = tiny_folder.last_month
    assert_no_leak(tiny_folder, [last - 20, last - 9, last - 1, last + 1])
    months = list(range(tiny_folder.first_month + 1, last - 2))
    assert_labels_mature(tiny_folder, months, last - 6, horizon=3)
