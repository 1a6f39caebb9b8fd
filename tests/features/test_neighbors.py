"""Neighbour pairs from each of the three sources, and the features that borrow from them."""

from __future__ import annotations

from typing import Any

from ews.features.rw import build_rw_features, neighbor_pairs
from ews.months import parse_month as pm

A1, A2, A3 = "31.71.01.1001.001", "31.71.01.1001.002", "31.71.01.1001.003"
B1, B2 = "31.71.01.1002.001", "31.71.01.1002.002"


def pair_set(frame: Any) -> set[tuple[str, str]]:
    return set(zip(frame["rw_code"], frame["neighbor_code"], strict=True))


def test_neighbors_file_is_read_as_symmetric_and_cleaned(folder_factory: Any, rows: Any) -> None:
    regions = [rows.region(c, lat=-6.17, lon=106.82) for c in (A1, A2, B1)]
    listed = [
        {"rw_code": A1, "neighbor_code": B1},
        {"rw_code": B1, "neighbor_code": A1},
        {"rw_code": A2, "neighbor_code": A2},
        {"rw_code": A2, "neighbor_code": "31.99.99.9999.001"},
    ]
    pairs = neighbor_pairs(folder_factory(regions, neighbors=listed))
    # The file wins over coordinates: A1 and A2 share a centroid yet are not neighbours.
    assert pair_set(pairs) == {(A1, B1), (B1, A1)}
    assert list(pairs.columns) == ["rw_code", "neighbor_code"]


def test_coordinates_give_nearest_rws_within_the_radius(folder_factory: Any, rows: Any) -> None:
    # Nine RWs 100 m apart on a line, and one island 20 km away.
    codes = [f"31.71.01.1001.{i:03d}" for i in range(1, 10)]
    regions = [rows.region(c, lat=-6.17, lon=106.80 + i * 0.0009) for i, c in enumerate(codes)]
    regions.append(rows.region("31.01.01.1001.001", lat=-5.99, lon=106.80))
    pairs = pair_set(neighbor_pairs(folder_factory(regions)))
    assert (codes[0], codes[1]) in pairs and (codes[1], codes[0]) in pairs
    assert (codes[0], codes[6]) in pairs
    assert (codes[0], codes[8]) not in pairs
    assert not any("31.01.01" in a or "31.01.01" in b for a, b in pairs)
    assert all(a != b for a, b in pairs)


def test_rws_without_coordinates_fall_back_to_their_kelurahan(folder_factory: Any, rows: Any) -> None:
    regions = [
        rows.region(A1, lat=-6.17, lon=106.82),
        rows.region(A2, lat=-6.171, lon=106.821),
        rows.region(A3),
        rows.region(B1, lat=-6.1701, lon=106.8201),
    ]
    pairs = pair_set(neighbor_pairs(folder_factory(regions)))
    assert {(A3, A1), (A3, A2), (A1, A3)} <= pairs
    assert (A3, B1) not in pairs
    assert (A1, B1) in pairs


def test_without_file_or_coordinates_the_kelurahan_is_the_neighbourhood(
    folder_factory: Any, rows: Any
) -> None:
    regions = [rows.region(c) for c in (A1, A2, A3, B1, B2)]
    pairs = pair_set(neighbor_pairs(folder_factory(regions)))
    assert pairs == {(a, b) for group in ((A1, A2, A3), (B1, B2)) for a in group for b in group if a != b}


def test_neighbour_features_sum_cases_of_neighbours_only(folder_factory: Any, rows: Any) -> None:
    regions = [rows.region(c) for c in (A1, A2, A3, B1)]
    cases = [
        rows.case("a", A1, "2024-01-05"),
        rows.case("b", A2, "2024-01-06"),
        rows.case("c", A2, "2023-12-01"),
    ]
    folder = folder_factory(regions, cases=cases)
    features = build_rw_features(folder, [pm("2024-02")]).xs(pm("2024-02"), level="as_of")
    assert features.loc[A1, ["nbr_cases_1m", "nbr_cases_3m"]].tolist() == [1, 2]
    assert features.loc[A3, "nbr_cases_3m"] == 3
    assert features.loc[B1, "nbr_cases_12m"] == 0
    assert features["nbr_count"].tolist() == [2, 2, 2, 0]
