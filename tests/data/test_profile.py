"""The folder profile: late, lapsed, paused, empty and constant sources; the folder's shape.

Each test builds a small valid folder (the hand-built one of data_folders.py with
its signals replaced by 27 months, 2022-01 to 2024-03, unless said otherwise),
reads it like every command does and checks the exact months and columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import pytest
import typer
from data_folders import Frames, Writer, valid_frames
from typer.testing import CliRunner

from ews.data.load import read_folder
from ews.data.profile import FolderProfile, SignalProfile, profile_folder
from ews.months import format_month, parse_month

FIRST, LAST = "2022-01", "2024-03"
Cell = Callable[[int, str], str]


def months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, as ``YYYY-MM``."""
    return [format_month(m) for m in range(parse_month(first), parse_month(last) + 1)]


def between(first: str, last: str) -> Callable[[str], bool]:
    """True for months in [first, last] (``YYYY-MM`` compares as text)."""
    return lambda month: first <= month <= last


def full(rw: int, month: str) -> str:
    """A value in every cell, varying by RW and month (so the column is not constant)."""
    return str(rw + int(month[-2:]))


def blank_when(is_blank: Callable[[str], bool]) -> Cell:
    """``full`` except in the months ``is_blank`` selects, which are left empty for every RW."""
    return lambda rw, month: "" if is_blank(month) else full(rw, month)


def frames_with(
    columns: dict[str, Cell], first: str = FIRST, last: str = LAST, neighbors: bool = True
) -> Frames:
    """The valid folder with one signals row per RW per month and a cell per column from ``columns``."""
    frames = valid_frames(neighbors=neighbors)
    codes = list(frames["regions"]["rw_code"])
    rows = [
        {"rw_code": code, "month": month, **{name: cell(i, month) for name, cell in columns.items()}}
        for month in months(first, last)
        for i, code in enumerate(codes)
    ]
    frames["signals"] = pd.DataFrame(rows)
    return frames


def profile_of(write: Writer, frames: Frames, name: str = "data") -> FolderProfile:
    """Write the folder as CSV, read it as every command does, profile it."""
    return profile_folder(read_folder(write(frames, name=name)))


def signal(profile: FolderProfile, column: str) -> SignalProfile:
    """The profile of one signal column."""
    return next(s for s in profile.signals if s.column == column)


def m(text: str) -> int:
    return parse_month(text)


def test_a_full_long_folder_has_no_warnings(write: Writer) -> None:
    profile = profile_of(write, frames_with({"kontak_pos_pengaduan": full, "panggilan_112_kdrt": full}))
    assert profile.warnings() == []
    assert (profile.first_signal_month, profile.last_signal_month) == (m(FIRST), m(LAST))
    assert profile.signal_month_count == 27 and profile.history_months == 27
    kontak = signal(profile, "kontak_pos_pengaduan")
    assert (kontak.first_month, kontak.last_month, kontak.gaps) == (m(FIRST), m(LAST), ())
    assert kontak.missing_share == 0.0
    assert not (kontak.empty or kontak.constant or kontak.starts_late or kontak.lapses)


def test_a_source_that_starts_late_is_named_with_its_first_month(write: Writer) -> None:
    late = blank_when(lambda month: month < "2023-07")
    profile = profile_of(write, frames_with({"kontak_pos_pengaduan": full, "laporan_kader_rw": late}))
    kader = signal(profile, "laporan_kader_rw")
    assert (kader.first_month, kader.last_month) == (m("2023-07"), m(LAST))
    assert kader.starts_late and not kader.lapses and kader.gaps == ()
    assert kader.missing_share == pytest.approx(18 / 27)
    assert kader.active_missing_share == 0.0
    assert profile.warnings() == [
        "signal 'laporan_kader_rw' starts late: first data 2023-07 (the folder's signals start 2022-01)"
    ]
    assert not signal(profile, "kontak_pos_pengaduan").starts_late


def test_a_source_that_lapses_is_named_with_its_last_month(write: Writer) -> None:
    lapsed = blank_when(lambda month: month > "2023-10")
    profile = profile_of(write, frames_with({"kontak_pos_pengaduan": full, "penerima_bansos": lapsed}))
    bansos = signal(profile, "penerima_bansos")
    assert (bansos.first_month, bansos.last_month) == (m(FIRST), m("2023-10"))
    assert bansos.lapses and not bansos.starts_late
    assert profile.warnings() == [
        "signal 'penerima_bansos' lapses: last data 2023-10 (the folder's signals run to 2024-03)"
    ]


def test_one_month_late_or_short_is_already_named(write: Writer) -> None:
    edges = blank_when(lambda month: month in (FIRST, LAST))
    profile = profile_of(write, frames_with({"kontak_pos_pengaduan": full, "penerima_bansos": edges}))
    bansos = signal(profile, "penerima_bansos")
    assert (bansos.first_month, bansos.last_month) == (m("2022-02"), m("2024-02"))
    assert profile.warnings() == [
        "signal 'penerima_bansos' starts late: first data 2022-02 (the folder's signals start 2022-01)",
        "signal 'penerima_bansos' lapses: last data 2024-02 (the folder's signals run to 2024-03)",
    ]


def test_pauses_of_three_months_or_more_are_gaps_shorter_ones_are_not(write: Writer) -> None:
    pauses = [
        between("2022-05", "2022-06"),  # 2 months: ordinary lag, not a gap
        between("2022-09", "2022-11"),  # 3 months: the shortest gap
        between("2023-03", "2023-07"),  # 5 months
    ]
    paused = blank_when(lambda month: any(pause(month) for pause in pauses))
    profile = profile_of(write, frames_with({"kontak_pos_pengaduan": full, "absensi_sekolah_pct": paused}))
    school = signal(profile, "absensi_sekolah_pct")
    assert school.gaps == ((m("2022-09"), m("2022-11")), (m("2023-03"), m("2023-07")))
    assert (school.first_month, school.last_month) == (m(FIRST), m(LAST))
    assert school.missing_share == pytest.approx(10 / 27)
    assert profile.warnings() == [
        "signal 'absensi_sekolah_pct' has no data from 2022-09 to 2022-11 (3 months)",
        "signal 'absensi_sekolah_pct' has no data from 2023-03 to 2023-07 (5 months)",
    ]


def test_a_gap_where_the_file_has_no_rows_at_all_counts(write: Writer) -> None:
    frames = frames_with({"kontak_pos_pengaduan": full})
    signals = frames["signals"]
    frames["signals"] = signals[~signals["month"].isin(months("2023-01", "2023-04"))]
    profile = profile_of(write, frames)
    assert signal(profile, "kontak_pos_pengaduan").gaps == ((m("2023-01"), m("2023-04")),)
    assert profile.signal_month_count == 27
    assert profile.warnings() == [
        "signal 'kontak_pos_pengaduan' has no data from 2023-01 to 2023-04 (4 months)"
    ]


def test_an_empty_column_is_only_called_empty(write: Writer) -> None:
    profile = profile_of(
        write, frames_with({"kontak_pos_pengaduan": full, "laporan_baru": lambda rw, month: ""})
    )
    new = signal(profile, "laporan_baru")
    assert new.empty and (new.first_month, new.last_month) == (None, None)
    assert new.missing_share == 1.0 and not (new.constant or new.starts_late or new.lapses)
    assert profile.warnings() == ["signal 'laporan_baru' is empty: no RW reports it in any month"]


def test_a_constant_column_names_its_value(write: Writer) -> None:
    def zero_or_blank(rw: int, month: str) -> str:
        return "" if rw == 0 else "0"

    profile = profile_of(
        write, frames_with({"kontak_pos_pengaduan": full, "panggilan_112_kdrt": zero_or_blank})
    )
    calls = signal(profile, "panggilan_112_kdrt")
    assert calls.constant and calls.constant_value == 0.0 and calls.distinct_values == 1
    assert calls.missing_share == pytest.approx(0.25)
    assert not signal(profile, "kontak_pos_pengaduan").constant
    assert profile.warnings() == ["signal 'panggilan_112_kdrt' is constant: every reported value is 0"]


def test_two_distinct_values_are_not_constant(write: Writer) -> None:
    def zero_or_one(rw: int, month: str) -> str:
        return str(rw % 2)

    profile = profile_of(write, frames_with({"kumuh_sinyal": zero_or_one}))
    flags = signal(profile, "kumuh_sinyal")
    assert flags.distinct_values == 2 and not flags.constant and flags.constant_value is None
    assert profile.warnings() == []


def test_a_source_most_rws_skip_is_sparse(write: Writer) -> None:
    def one_rw(rw: int, month: str) -> str:
        return full(rw, month) if rw == 0 else ""

    profile = profile_of(write, frames_with({"kontak_pos_pengaduan": full, "laporan_kader_rw": one_rw}))
    assert signal(profile, "laporan_kader_rw").active_missing_share == pytest.approx(0.75)
    assert profile.warnings() == [
        "signal 'laporan_kader_rw' is missing for 75% of RW-months from 2022-01 to 2024-03"
    ]


def test_cases_after_the_last_signal_month_are_counted(write: Writer) -> None:
    frames = valid_frames()  # signals 2024-01 to 2024-03
    frames["cases"].loc[1, "reported_at"] = "2024-05-10"
    frames["cases"].loc[2, ["incident_date", "reported_at"]] = ["2024-08-01", "2024-08-01"]
    frames["case_events"] = frames["case_events"][frames["case_events"]["case_id"] == "K-0001"]
    profile = profile_of(write, frames)
    assert (profile.cases_after_signals, profile.months_cases_past_signals) == (2, 5)
    assert (profile.first_case_month, profile.last_case_month) == (m("2024-01"), m("2024-08"))
    assert (profile.first_month, profile.last_month) == (m("2024-01"), m("2024-08"))
    assert profile.history_months == 8
    assert profile.warnings() == [
        "the folder holds 8 months of history (2024-01 to 2024-08): fewer than 24, "
        "so the backtest may use fewer folds or a shorter warm-up",
        "2 cases were reported after the last signal month 2024-03 (up to 2024-08, 5 months later)",
    ]


def test_no_case_events_is_a_warning(write: Writer) -> None:
    frames = frames_with({"kontak_pos_pengaduan": full})
    frames["case_events"] = frames["case_events"].iloc[0:0]
    profile = profile_of(write, frames)
    assert profile.case_events_empty and profile.case_event_count == 0
    assert profile.warnings() == [
        "case_events has no rows: no case is ever closed, so the case-reopen model cannot be trained"
    ]


def test_a_single_kota_is_named(write: Writer) -> None:
    frames = frames_with({"kontak_pos_pengaduan": full})
    north = "31.72.01.1001.004"
    for name in ("regions", "signals", "cases"):
        frames[name] = frames[name][frames[name]["rw_code"] != north]
    frames["case_events"] = frames["case_events"][frames["case_events"]["case_id"] != "K-0003"]
    profile = profile_of(write, frames)
    assert profile.kota_count == 1 and profile.kota_codes == ("31.71",) and profile.rw_count == 3
    assert profile.warnings() == [
        "one kota only (31.71 Jakarta Pusat): comparisons between kota have a single group"
    ]


@pytest.mark.parametrize(
    ("located", "source", "sentence"),
    [
        (4, "lat/lon", "no neighbors file: neighbours are the nearest RWs by lat/lon"),
        (0, "kelurahan", "no neighbors file and no lat/lon: neighbours are the RWs of the same kelurahan"),
        (
            3,
            "lat/lon and kelurahan",
            "no neighbors file: neighbours are the nearest RWs by lat/lon, "
            "and the RWs of the same kelurahan for the 1 RW without lat/lon",
        ),
    ],
)
def test_without_a_neighbors_file_the_source_is_named(
    write: Writer, located: int, source: str, sentence: str
) -> None:
    frames = frames_with({"kontak_pos_pengaduan": full}, neighbors=False)
    frames["regions"].loc[located:, ["lat", "lon"]] = ""
    profile = profile_of(write, frames)
    assert profile.neighbors_absent and profile.neighbor_source == source
    assert profile.rws_without_location == 4 - located
    assert profile.warnings() == [sentence]


def test_a_short_history_counts_signal_and_case_months(write: Writer) -> None:
    profile = profile_of(write, valid_frames())  # 2024-01 to 2024-03, cases inside
    assert profile.history_months == 3
    assert profile.warnings() == [
        "the folder holds 3 months of history (2024-01 to 2024-03): fewer than 24, "
        "so the backtest may use fewer folds or a shorter warm-up"
    ]
    longer = profile_of(write, frames_with({"kontak_pos_pengaduan": full}, first="2022-04"), name="two")
    assert longer.history_months == 24 and longer.warnings() == []


def test_markdown_has_a_row_per_signal_and_the_warnings(write: Writer) -> None:
    late = blank_when(lambda month: month < "2023-07")
    profile = profile_of(write, frames_with({"kontak_pos_pengaduan": full, "laporan_kader_rw": late}))
    text = profile.markdown()
    assert text.startswith("## Data profile\n")
    assert "| kontak_pos_pengaduan | 2022-01 | 2024-03 | 0.0% | - | - |" in text
    assert "| laporan_kader_rw | 2023-07 | 2024-03 | 66.7% | - | starts late |" in text
    assert "- signal 'laporan_kader_rw' starts late: first data 2023-07" in text


def test_as_dict_is_json_with_months_as_text(write: Writer) -> None:
    paused = blank_when(between("2023-03", "2023-07"))
    profile = profile_of(write, frames_with({"kontak_pos_pengaduan": paused}))
    data = json.loads(json.dumps(profile.as_dict()))
    assert data["first_signal_month"] == "2022-01" and data["last_signal_month"] == "2024-03"
    assert data["signals"][0]["column"] == "kontak_pos_pengaduan"
    assert data["signals"][0]["gaps"] == [["2023-03", "2023-07"]]
    assert data["warnings"] == profile.warnings()


def test_validate_prints_the_profile_warnings_and_exits_zero(app: typer.Typer, write: Writer) -> None:
    late = blank_when(lambda month: month < "2023-07")
    folder = write(frames_with({"kontak_pos_pengaduan": full, "laporan_kader_rw": late}))
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[-2:] == [
        "warning profile: signal 'laporan_kader_rw' starts late: first data 2023-07 "
        "(the folder's signals start 2022-01)",
        f"0 errors, 1 warning in {folder}",
    ]
    assert lines[0].startswith("profile: 4 RWs in 2 kota; signals 2022-01 to 2024-03 (27 months, 2 columns)")


def test_validate_skips_the_profile_when_there_are_errors(app: typer.Typer, write: Writer) -> None:
    frames = frames_with({"laporan_kader_rw": blank_when(lambda month: month < "2023-07")})
    frames["signals"].loc[0, "month"] = "2024-13"
    result = CliRunner().invoke(app, ["validate", str(write(frames))])
    assert result.exit_code == 1
    assert "profile" not in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("1 error, 0 warnings in ")
