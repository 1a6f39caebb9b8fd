"""Each source detector on tiny hand-built frames: the right kind, area and first month."""

from __future__ import annotations

import pandas as pd
import pytest
from monitor_frames import KEC_A, KEC_B, blank, campaign, regions, shift_from, signals

from ews.monitor.result import SourceChange
from ews.monitor.settings import MonitorSettings
from ews.monitor.sources import source_changes
from ews.months import parse_month

AS_OF = parse_month("2026-01")
EVERYTHING = MonitorSettings(lookback=60)


def changes(frame: pd.DataFrame, settings: MonitorSettings = EVERYTHING) -> list[SourceChange]:
    return source_changes(frame, regions(), ["calls"], AS_OF, settings)


def found(frame: pd.DataFrame) -> set[tuple[str, str, str]]:
    return {(c.kind, c.area_code, c.from_month) for c in changes(frame)}


@pytest.mark.parametrize("seed", range(5))
def test_a_flat_poisson_world_raises_nothing(seed: int) -> None:
    assert changes(signals(seed)) == []


def test_a_source_that_starts_late_is_started_at_its_first_month_once() -> None:
    frame = blank(signals(), "2021-01", "2023-06")
    assert found(frame) == {("started", "31", "2023-07")}  # the kota and kecamatan lines fold into it
    (change,) = changes(frame)
    assert change.size == 1.0 and change.area_level == "province"


def test_a_source_that_stops_is_stopped_from_its_first_silent_month() -> None:
    frame = blank(signals(), "2024-03", "2025-12")
    (change,) = changes(frame)
    assert (change.kind, change.area_code, change.from_month, change.size) == (
        "stopped",
        "31",
        "2024-03",
        22.0,
    )


def test_a_stop_is_reported_however_long_ago_it_was() -> None:
    frame = blank(signals(), "2022-03", "2025-12")
    assert [c.kind for c in changes(frame, MonitorSettings(lookback=3))] == ["stopped"]


def test_a_gap_then_resumption_is_a_pause_in_the_area_that_paused() -> None:
    frame = blank(signals(), "2023-05", "2023-07", area=KEC_B)
    (change,) = changes(frame)
    assert (change.kind, change.area_code, change.from_month, change.to_month) == (
        "paused",
        KEC_B,
        "2023-05",
        "2023-07",
    )
    assert change.size == 3.0


def test_a_gap_in_the_same_month_every_year_is_not_a_pause() -> None:
    frame = signals()
    for year in range(2021, 2026):
        frame = blank(frame, f"{year}-07", f"{year}-07")
    assert changes(frame) == []


def test_a_level_shift_is_found_at_its_month_and_area() -> None:
    frame = shift_from(signals(), "2024-02", KEC_A, 2.5)
    shifts = {(c.area_code, c.from_month) for c in changes(frame) if c.kind == "shift"}
    assert (KEC_A, "2024-02") in shifts
    assert not any(area == KEC_B for area, _ in shifts)
    kec = next(c for c in changes(frame) if c.area_code == KEC_A)
    assert 1.0 < kec.size < 2.0 and kec.z is not None and kec.z > 4


def test_a_drop_is_a_negative_shift() -> None:
    frame = signals(mean=4.0)
    frame = frame.assign(
        calls=frame["calls"].where(frame["month"] < parse_month("2025-03"), frame["calls"] // 3)
    )
    change = next(c for c in changes(frame) if c.area_code == "31")
    assert (change.kind, change.from_month) == ("shift", "2025-03") and change.size < -0.5


def test_old_changes_fall_outside_the_lookback() -> None:
    frame = shift_from(signals(), "2022-06", KEC_A, 2.5)
    assert changes(frame, MonitorSettings(lookback=12)) == []
    assert changes(frame, MonitorSettings(lookback=48))


def test_a_campaign_lift_repeated_every_year_is_seasonal_after_its_first_year() -> None:
    frame = campaign(signals(mean=6.0), {2021: 1.8, 2022: 1.8, 2023: 1.8, 2024: 1.8, 2025: 1.8})
    found = {(c.kind, c.from_month) for c in changes(frame) if c.area_code == "31"}
    assert {("seasonal", f"{year}-11") for year in range(2022, 2026)} <= found
    assert not any(kind == "shift" and month > "2022-01" for kind, month in found)


def test_a_lift_far_above_earlier_campaigns_is_a_shift() -> None:
    frame = campaign(signals(mean=6.0), {2022: 1.6, 2023: 1.6, 2024: 1.6, 2025: 4.0})
    kinds = {c.from_month: c.kind for c in changes(frame) if c.area_code == "31"}
    assert kinds["2024-11"] == "seasonal" and kinds["2025-11"] == "shift"


def test_known_as_of_only_signals_before_the_as_of_month_count() -> None:
    frame = shift_from(signals(), "2025-10", KEC_A, 3.0)
    assert not source_changes(frame, regions(), ["calls"], parse_month("2025-11"), EVERYTHING)
    assert source_changes(frame, regions(), ["calls"], parse_month("2025-12"), EVERYTHING)
