"""Stress worlds (``generate(..., profiles=...)``): each profile keeps its promise, validates, truth fits."""

from __future__ import annotations

import filecmp
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_run import exit_code

from ews.data.validate import validate_folder
from ews.exceptions import ConfigError
from ews.months import parse_month, parse_month_series
from ews.synth import generate
from ews.synth.profiles import PROFILES, SynthProfile
from ews.synth.truth import load_truth, rw_probability

START, END = parse_month("2021-01"), parse_month("2023-12")
COUNTS = ("kontak_pos_pengaduan", "panggilan_112_kdrt", "laporan_kader_rw")
HIDING = ("late_source", "lapsed_source", "outage", "empty_column", "no_neighbors", "no_events", "case_tail")
COMBINED = "late_source,lapsed_source,outage,empty_column,short_18,case_tail,no_neighbors,no_events,rare"

World = Callable[[str], Path]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Jakarta Pusat 2021-01..2023-12, seed 2, per profile string (``""``: default); built once each."""
    root = tmp_path_factory.mktemp("profiles")
    built: dict[str, Path] = {}

    def make(profiles: str) -> Path:
        if profiles not in built:
            out = root / (profiles.replace(",", "+") or "default")
            names = [profiles] if profiles else []
            generate(out, seed=2, start=START, end=END, areas=["31.71"], profiles=names)
            built[profiles] = out
        return built[profiles]

    return make


def _truth_dir(folder: Path) -> Path:
    return folder.with_name(folder.name + "-truth")


def _signals(folder: Path) -> pd.DataFrame:
    frame = pd.read_csv(folder / "signals.csv", dtype={"rw_code": str, "month": str})
    frame["m"] = parse_month_series(frame["month"]).astype("int64")
    return frame


def _cases(folder: Path) -> pd.DataFrame:
    cases = pd.read_csv(folder / "cases.csv", dtype=str)
    label = pd.to_datetime(cases["incident_date"].fillna(cases["reported_at"]))
    cases["label_month"] = label.dt.year * 12 + label.dt.month - 1
    reported = pd.to_datetime(cases["reported_at"])
    cases["report_month"] = reported.dt.year * 12 + reported.dt.month - 1
    return cases


def _months_with_values(signals: pd.DataFrame, column: str) -> set[int]:
    return set(signals.loc[signals[column].notna(), "m"])


@pytest.mark.parametrize("profiles", [*PROFILES, COMBINED])
def test_every_profile_writes_a_folder_that_validates(world: World, profiles: str) -> None:
    folder = world(profiles)
    report = validate_folder(folder)
    assert report.error_count == 0, [str(issue) for issue in report.errors]
    truth = load_truth(_truth_dir(folder))
    assert truth.meta["profiles"] == profiles.split(",")
    assert rw_probability(truth, truth.end).between(0, 1).all()


@pytest.mark.parametrize("profile", HIDING)
def test_hiding_profiles_leave_the_world_and_its_truth_as_they_are(world: World, profile: str) -> None:
    """Blanking signals or dropping a file changes what is handed over, never the process or the cases."""
    default, stressed = world(""), world(profile)
    assert filecmp.cmp(default / "cases.csv", stressed / "cases.csv", shallow=False)
    assert filecmp.cmp(default / "regions.csv", stressed / "regions.csv", shallow=False)
    for name in ("rw_month.parquet", "case_hazard.parquet", "case_events.parquet"):
        assert filecmp.cmp(_truth_dir(default) / name, _truth_dir(stressed) / name, shallow=False)
    before, after = _signals(default), _signals(stressed)
    both = before.merge(after, on=["rw_code", "month"], suffixes=("", "_stressed"))
    assert len(both) == len(after)
    compared = 0
    for column in before.columns.drop(["rw_code", "month", "m"]):
        kept = both[column].notna() & both[f"{column}_stressed"].notna()
        assert (both.loc[kept, column] == both.loc[kept, f"{column}_stressed"]).all(), column
        compared += int(kept.sum())
    assert compared > 0.5 * len(after)


def test_late_source_has_values_only_in_its_last_six_months(world: World) -> None:
    signals = _signals(world("late_source"))
    months = _months_with_values(signals, "laporan_kader_rw")
    assert min(months) == END - 5
    assert months == set(range(END - 5, END + 1))


def test_lapsed_source_stops_eight_months_before_the_end(world: World) -> None:
    signals = _signals(world("lapsed_source"))
    months = _months_with_values(signals, "kontak_pos_pengaduan")
    assert max(months) == END - 8
    assert len(months) >= 12


def test_outage_empties_one_signal_for_five_months_in_the_middle(world: World) -> None:
    signals = _signals(world("outage"))
    months = _months_with_values(signals, "panggilan_112_kdrt")
    missing = sorted(set(range(START, END + 1)) - months)
    assert len(missing) == 5 and missing[-1] - missing[0] == 4
    assert missing[0] > START and missing[-1] < END
    assert _months_with_values(signals, "kontak_pos_pengaduan") == _months_with_values(
        _signals(world("")), "kontak_pos_pengaduan"
    )


def test_empty_column_is_announced_and_empty(world: World) -> None:
    signals = _signals(world("empty_column"))
    assert "laporan_puspaga" in signals.columns
    assert signals["laporan_puspaga"].isna().all()


@pytest.mark.parametrize("months", [14, 18])
def test_short_history_writes_exactly_that_many_months(world: World, months: int) -> None:
    folder = world(f"short_{months}")
    signals, cases = _signals(folder), _cases(folder)
    assert sorted(signals["m"].unique()) == list(range(END - months + 1, END + 1))
    assert cases["report_month"].between(END - months + 1, END).all()
    assert load_truth(_truth_dir(folder)).start == END - months + 1


def test_case_tail_cases_and_events_go_on_after_the_signals(world: World) -> None:
    folder = world("case_tail")
    last_signal = int(_signals(folder)["m"].max())
    assert last_signal == END - 12
    assert _cases(folder)["report_month"].max() >= last_signal + 12
    events = pd.read_csv(folder / "case_events.csv")
    assert (pd.to_datetime(events["at"]) >= pd.Timestamp("2023-01-01")).any()


def test_no_neighbors_and_no_events(world: World) -> None:
    assert not (world("no_neighbors") / "neighbors.csv").exists()
    events = world("no_events") / "case_events.csv"
    assert events.read_text(encoding="utf-8") == "case_id,event,at\n"
    assert load_truth(_truth_dir(world("no_events"))).events.shape[0] > 0  # the world still reopens


def test_single_kota_keeps_one_kota(tmp_path: Path) -> None:
    out = tmp_path / "data"
    generate(out, seed=2, start=parse_month("2023-01"), end=END, profiles=["single_kota"])
    regions = pd.read_csv(out / "regions.csv", dtype=str)
    assert regions["kota_code"].unique().tolist() == ["31.71"]
    assert validate_folder(out).error_count == 0


def _monthly_share(folder: Path) -> float:
    """Mean share of RWs with a case per label month (months whose late reports are mostly in)."""
    cases, n = _cases(folder), len(pd.read_csv(folder / "regions.csv"))
    months = range(START, END - 2)
    per_month = cases.groupby("label_month")["rw_code"].nunique().reindex(months, fill_value=0)
    return float(per_month.mean() / n)


def test_rare_has_about_one_percent_of_rws_with_a_case_and_a_truth_to_match(world: World) -> None:
    folder = world("rare")
    share = _monthly_share(folder)
    assert 0.005 < share < 0.02
    assert _monthly_share(world("")) > 0.04
    truth = load_truth(_truth_dir(folder))
    expected = np.mean([rw_probability(truth, m).mean() for m in range(START, END - 2)])
    assert 0.005 < expected < 0.02
    assert abs(expected - share) < 0.4 * share


def _repeat_slope(folder: Path) -> float:
    """Within-RW slope of the truth's intensity on the RW's incidents the month before."""
    frame = load_truth(_truth_dir(folder)).rw_month.sort_values(["rw_code", "month"])
    frame = frame.assign(prev=frame.groupby("rw_code")["incidents"].shift(1)).dropna()
    centred = frame[["intensity", "prev"]] - frame.groupby("rw_code")[["intensity", "prev"]].transform("mean")
    return float((centred["intensity"] * centred["prev"]).sum() / (centred["prev"] ** 2).sum())


def test_repeat_profiles_change_near_repeat_but_not_the_volume(world: World) -> None:
    weak, default, strong = (_repeat_slope(world(p)) for p in ("weak_repeat", "", "strong_repeat"))
    assert weak < 0.6 * default and strong > 2.0 * default
    volume = len(_cases(world("")))
    for profile in ("weak_repeat", "strong_repeat"):
        assert abs(len(_cases(world(profile))) - volume) < 0.3 * volume


def _with_truth(folder: Path, lag: int = 0) -> pd.DataFrame:
    """Signals joined to the truth's intensity and incidents of ``lag`` months earlier."""
    truth = load_truth(_truth_dir(folder)).rw_month
    signals = _signals(folder).assign(m=lambda f: f["m"] - lag)
    return signals.merge(truth, left_on=["rw_code", "m"], right_on=["rw_code", "month"])


def _truth_correlation(folder: Path, column: str) -> tuple[float, int]:
    """Across RWs: correlation of the RW's mean signal with its mean true intensity, and the RW count."""
    frame = _with_truth(folder).dropna(subset=[column])
    means = frame.groupby("rw_code")[[column, "intensity"]].mean().astype(float)
    correlation = np.corrcoef(means[column], means["intensity"])[0, 1]
    return float(correlation), len(means)


def test_noise_signals_carry_no_information_about_the_truth(world: World) -> None:
    """Independent columns correlate only by chance: within 4 standard errors (1 / sqrt(RWs)) of 0."""
    for column in (*COUNTS, "penerima_bansos", "absensi_sekolah_pct"):
        noise, rws = _truth_correlation(world("noise_signals"), column)
        assert abs(noise) < 4 / np.sqrt(rws), column
        assert _truth_correlation(world(""), column)[0] > 0.3, column


def _lag_correlation(folder: Path, lag: int, column: str = "panggilan_112_kdrt") -> float:
    """Within-RW correlation of the signal with the incidents ``lag`` months before."""
    frame = _with_truth(folder, lag).dropna(subset=[column])
    values = frame[[column, "incidents"]].astype(float)
    centred = values - values.groupby(frame["rw_code"]).transform("mean")
    return float(np.corrcoef(centred[column], centred["incidents"])[0, 1])


def test_alt_signals_follow_incidents_a_month_later(world: World) -> None:
    alt, default = world("alt_signals"), world("")
    assert _lag_correlation(alt, 1) > _lag_correlation(alt, 0) + 0.08
    assert _lag_correlation(default, 0) > _lag_correlation(default, 1) + 0.1


def test_alt_signals_are_overdispersed(world: World) -> None:
    """Negative binomial with a drifting propensity: variance well above the mean, unlike Poisson echoes."""

    def dispersion(folder: Path) -> float:
        calls = _signals(folder)["panggilan_112_kdrt"].dropna().astype(float)
        return float(calls.var() / calls.mean())

    assert dispersion(world("alt_signals")) > 1.3 * dispersion(world(""))


def test_profiles_parse_from_repeated_and_comma_separated_values() -> None:
    profile = SynthProfile.parse(["late_source, short_18", "rare", "late_source"])
    assert profile.names == ("late_source", "short_18", "rare")
    assert SynthProfile.parse("no_events").names == ("no_events",)
    assert SynthProfile.parse(()).names == ()


def test_an_unknown_profile_is_one_sentence_naming_it_and_the_allowed_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'late_sauce' is unknown") as err:
        generate(tmp_path / "data", start=START, end=END, areas=["31.71.01"], profiles=["rare,late_sauce"])
    assert all(name in str(err.value) for name in PROFILES)
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("profiles", "message"),
    [(["short_14,short_18"], "contradict"), (["noise_signals", "alt_signals"], "contradict")],
)
def test_contradicting_profiles_are_refused(tmp_path: Path, profiles: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        generate(tmp_path / "data", start=START, end=END, areas=["31.71.01"], profiles=profiles)


def test_a_range_too_short_for_the_profiles_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="at least 30 months"):
        generate(tmp_path / "d", start=parse_month("2022-01"), end=END, profiles=["short_18", "case_tail"])


_run = exit_code


def test_cli_profile_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    argv = ["synth", str(out), "--start", "2022-01", "--end", "2023-12", "--area", "31.71.01"]
    assert _run([*argv, "--profile", "late_source,short_18", "--profile", "no_neighbors"]) == 0
    printed = capsys.readouterr().out
    assert "profiles: late_source, short_18, no_neighbors" in printed
    assert not (out / "neighbors.csv").exists()
    assert _run([*argv, "--force", "--profile", "bogus"]) == 1
    assert "'bogus' is unknown" in capsys.readouterr().err


def test_cli_help_lists_every_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["synth", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert all(name in text for name in PROFILES)
