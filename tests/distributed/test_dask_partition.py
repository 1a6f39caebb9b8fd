"""Partitions: every RW once, halos of cross-kota neighbours, victims and first month carried over."""

from __future__ import annotations

import pytest
from dask_world import kota_of

from ews.data.folder import DataFolder
from ews.exceptions import ConfigError
from ews.features.neighbors import neighbor_pairs
from ews.features.partition import Level, split_folder


@pytest.mark.parametrize("by", ["province", "kota", "kecamatan"])
def test_every_rw_is_own_in_exactly_one_partition(three_kota: DataFolder, by: Level) -> None:
    parts = split_folder(three_kota, by)
    owned = [code for part in parts for code in part.own]
    assert sorted(owned) == sorted(three_kota.regions["rw_code"].astype(str))
    assert len(parts) == {"province": 1, "kota": 3, "kecamatan": 5}[by]


@pytest.mark.parametrize("fixture", ["three_kota", "no_neighbors_file"])
def test_the_halo_holds_every_neighbour_from_another_kota(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    folder: DataFolder = request.getfixturevalue(fixture)
    pairs = neighbor_pairs(folder)
    kota = kota_of(folder)
    crossing = pairs[kota[pairs["rw_code"]].to_numpy() != kota[pairs["neighbor_code"]].to_numpy()]
    assert len(crossing) > 0, "the test world must have neighbours across kota lines"
    for part in split_folder(folder, "kota"):
        members = set(part.folder.regions["rw_code"].astype(str))
        mine = crossing[crossing["rw_code"].isin(part.own)]
        assert set(mine["neighbor_code"]) <= members
        assert part.halo == len(members - set(part.own)) > 0
        # Without a neighbors file the whole folder's lat/lon pairs travel as an explicit frame.
        assert part.folder.neighbors is not None


def test_a_victims_cases_in_other_kota_and_the_first_month_come_along(three_kota: DataFolder) -> None:
    cases = three_kota.cases
    latest = cases[cases["rw_code"].astype(str).str.startswith("31.74")]["reported_at"].idxmax()
    key = cases.loc[latest, "victim_key"]
    (selatan,) = (p for p in split_folder(three_kota, "kota") if p.key == "31.74")
    carried = selatan.folder.cases
    assert set(cases.loc[cases["victim_key"] == key, "case_id"]) <= set(carried["case_id"])
    assert selatan.folder.first_month == three_kota.first_month


def test_an_unknown_level_is_a_config_error(three_kota: DataFolder) -> None:
    with pytest.raises(ConfigError, match="partition level 'kelurahan' is unknown"):
        split_folder(three_kota, "kelurahan")  # type: ignore[arg-type]
