"""Headline figures of a full synthetic Jakarta against the public ones (docs/synth.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ews.data import schema
from ews.data.folder import DataFolder
from ews.data.validate import validate_folder


def test_real_administrative_units(jakarta: DataFolder) -> None:
    regions = jakarta.regions
    assert regions["kota_code"].nunique() == 6
    assert regions["kecamatan_code"].nunique() == 44
    assert regions["kelurahan_code"].nunique() == 267
    gambir = regions.loc[regions["kelurahan_code"] == "31.71.01.1001"]
    assert set(gambir["kelurahan_name"]) == {"Gambir"}
    assert "31.01" in set(regions["kota_code"])  # Kepulauan Seribu is included


def test_codes_follow_the_contract_and_nest(jakarta: DataFolder) -> None:
    regions = jakarta.regions
    assert regions["rw_code"].str.fullmatch(schema.RW_CODE_PATTERN[1:-1]).all()
    assert regions["rw_code"].is_unique
    assert (regions["rw_code"].str[:13] == regions["kelurahan_code"]).all()
    assert (regions["kelurahan_code"].str[:8] == regions["kecamatan_code"]).all()
    assert (regions["kecamatan_code"].str[:5] == regions["kota_code"]).all()


def test_rw_count_and_population(jakarta: DataFolder) -> None:
    regions = jakarta.regions
    assert 2_500 <= len(regions) <= 2_900
    assert 10.3e6 <= regions["population"].sum() <= 10.9e6
    assert (regions["households"] < regions["population"]).all()
    assert (regions["area_km2"] > 0).all()


def test_centroids_lie_in_jakarta(jakarta: DataFolder) -> None:
    mainland = jakarta.regions[jakarta.regions["kota_code"] != "31.01"]
    assert mainland["lat"].between(-6.40, -6.05).all()
    assert mainland["lon"].between(106.65, 107.0).all()
    islands = jakarta.regions[jakarta.regions["kota_code"] == "31.01"]
    assert (islands["lat"] > -6.0).all()  # Kepulauan Seribu lies north, in the Java Sea


def test_cases_a_year_in_the_public_range(jakarta: DataFolder) -> None:
    per_year = jakarta.cases["reported_at"].dt.year.value_counts()
    assert sorted(per_year.index) == [2024, 2025]
    assert per_year.between(1_700, 2_100).all(), per_year.to_dict()


def test_channel_shares(jakarta: DataFolder) -> None:
    channels = jakarta.cases["channel"].value_counts()
    main = (
        channels.reindex(["pos_pengaduan", "datang_langsung", "hotline"])
        / channels.reindex(["pos_pengaduan", "datang_langsung", "hotline"]).sum()
    )
    assert main["pos_pengaduan"] == pytest.approx(0.58, abs=0.06)
    assert main["datang_langsung"] == pytest.approx(0.27, abs=0.06)
    assert main["hotline"] == pytest.approx(0.15, abs=0.05)
    others = 1 - channels[["pos_pengaduan", "datang_langsung", "hotline"]].sum() / channels.sum()
    assert 0.05 <= others <= 0.25
    assert set(channels.index) == set(schema.CHANNELS)


def test_household_share_and_categories(jakarta: DataFolder) -> None:
    cases = jakarta.cases
    assert (cases["place"] == "rumah_tangga").mean() == pytest.approx(0.56, abs=0.04)
    for column, allowed in schema.CASE_CATEGORIES.items():
        assert set(cases[column].dropna()) <= set(allowed), column
    adults = cases[cases["victim_group"] == "perempuan_dewasa"]
    children = cases[cases["victim_group"] != "perempuan_dewasa"]
    assert (adults["victim_age"].dropna() >= 18).all()
    assert (children["victim_age"].dropna() <= 17).all()


def test_late_reports_and_missing_incident_dates(jakarta: DataFolder) -> None:
    cases = jakarta.cases
    dated = cases.dropna(subset=["incident_date"])
    assert (dated["incident_date"] <= dated["reported_at"]).all()
    late = (dated["reported_at"] - dated["incident_date"]).dt.days > 30
    assert 0.15 <= late.mean() <= 0.5
    assert 0.05 <= cases["incident_date"].isna().mean() <= 0.2


def test_repeat_victims_keep_their_group(jakarta: DataFolder) -> None:
    cases = jakarta.cases
    repeated = cases[cases["victim_key"].duplicated(keep=False)]
    assert 0.03 <= cases["victim_key"].duplicated().mean() <= 0.25
    assert (repeated.groupby("victim_key")["victim_group"].nunique() == 1).all()
    assert (repeated.groupby("victim_key")["rw_code"].nunique() == 1).all()


def test_events_alternate_and_follow_the_report(jakarta: DataFolder) -> None:
    events = jakarta.case_events.merge(jakarta.cases[["case_id", "reported_at"]], on="case_id")
    assert (events["at"] >= events["reported_at"]).all()
    order = events.groupby("case_id").cumcount()
    expected = order.map(lambda i: "closed" if i % 2 == 0 else "reopened")
    assert (events["event"] == expected).all()
    reopened = events.loc[events["event"] == "reopened", "case_id"].nunique()
    assert 0.05 <= reopened / events["case_id"].nunique() <= 0.3


def test_reopening_depends_on_case_attributes(jakarta: DataFolder) -> None:
    reopened = set(jakarta.case_events.loc[jakarta.case_events["event"] == "reopened", "case_id"])
    cases = jakarta.cases.assign(reopened=jakarta.cases["case_id"].isin(reopened))
    by_partner = cases.groupby(cases["perpetrator_relation"] == "pasangan")["reopened"].mean()
    assert by_partner[True] > 1.5 * by_partner[False]
    repeat = cases["victim_key"].duplicated()
    assert cases.loc[repeat, "reopened"].mean() > cases.loc[~repeat, "reopened"].mean()


def test_signals_have_gaps_and_a_late_source(jakarta: DataFolder) -> None:
    signals = jakarta.signals
    expected = {"kontak_pos_pengaduan", "panggilan_112_kdrt", "laporan_kader_rw", "penerima_bansos"}
    assert expected | {"absensi_sekolah_pct"} == set(jakarta.signal_columns)
    rows_per_rw_month = len(signals) / (len(jakarta.regions) * 24)
    assert 0.97 <= rows_per_rw_month < 1.0  # some RW-month rows are missing
    assert 0.005 <= signals["panggilan_112_kdrt"].isna().mean() <= 0.05
    assert signals["laporan_kader_rw"].isna().mean() > 0.1  # not every RW cadre reports
    july = signals["month"] % 12 == 6
    assert signals.loc[july, "absensi_sekolah_pct"].isna().all()  # school holiday


def test_signals_lead_next_month_cases(jakarta: DataFolder) -> None:
    """RW-months whose 112 calls were high are followed by more cases next month."""
    cases = jakarta.cases
    label = cases["incident_date"].fillna(cases["reported_at"])
    hit = pd.Series(
        1, index=pd.MultiIndex.from_arrays([cases["rw_code"], label.dt.year * 12 + label.dt.month - 2])
    )
    signals = jakarta.signals.set_index(["rw_code", "month"])
    next_case = signals.index.isin(hit.index)
    calls = (
        signals["panggilan_112_kdrt"]
        / jakarta.regions.set_index("rw_code")["population"]
        .reindex(signals.index.get_level_values("rw_code"))
        .to_numpy()
    )
    high = calls > calls.median()
    assert next_case[high.to_numpy()].mean() > 1.2 * next_case[~high.to_numpy()].mean()


def test_folder_validates_without_issues(jakarta_dir: Path) -> None:
    report = validate_folder(jakarta_dir)
    assert report.ok
    assert list(report.issues) == []
