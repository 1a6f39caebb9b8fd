"""Map geometry: Voronoi cells from centroids, boundaries when given, kelurahan outlines, the Seribu inset."""

from __future__ import annotations

import itertools

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from ews.web.map_geometry import (
    boundary_shapes,
    buffer_distance,
    hull_region,
    svg_path,
    voronoi_cells,
)
from ews.web.map_labels import Box
from ews.web.map_scene import Outlines, Site, build_scenes, kelurahan_of, kota_of, sites_from
from ews.web.svg_map import LIMITS

GAMBIR, CIDENG = "31.71.01.1001", "31.71.01.1002"
SITES = {
    f"{GAMBIR}.001": (106.820, -6.170),
    f"{GAMBIR}.002": (106.823, -6.176),
    f"{GAMBIR}.003": (106.818, -6.179),
    f"{GAMBIR}.004": (106.826, -6.171),
    f"{CIDENG}.001": (106.808, -6.170),
    f"{CIDENG}.002": (106.806, -6.166),
    f"{CIDENG}.003": (106.811, -6.164),
}


def _square(lon: float, lat: float, half: float = 0.002) -> dict[str, object]:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _assert_tiling(cells: dict[str, shapely.Geometry], sites: dict[str, tuple[float, float]]) -> None:
    for code, cell in cells.items():
        assert cell.covers(Point(sites[code])), f"the cell of {code} must cover its centroid"
    for (a, cell_a), (b, cell_b) in itertools.combinations(cells.items(), 2):
        assert cell_a.intersection(cell_b).area < 1e-12, f"cells {a} and {b} overlap"


def test_cells_cover_each_centroid_are_disjoint_and_lie_inside_the_outline() -> None:
    cells = voronoi_cells(SITES, kelurahan_of)
    assert set(cells) == set(SITES)
    _assert_tiling(cells, SITES)
    region = hull_region(SITES, kelurahan_of)
    tolerance = buffer_distance(list(SITES.values())) / 100
    for cell in cells.values():
        assert cell.area > 0 and cell.difference(region.buffer(tolerance)).area == 0
    assert abs(shapely.unary_union(list(cells.values())).area - region.area) < region.area * 1e-6


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(106.70, 106.95), st.floats(-6.35, -6.10), st.sampled_from([GAMBIR, CIDENG])),
        min_size=1,
        max_size=25,
    )
)
def test_cells_tile_any_set_of_centroids_even_shared_ones(raw: list[tuple[float, float, str]]) -> None:
    sites = {f"{kel}.{i:03d}": (lon, lat) for i, (lon, lat, kel) in enumerate(raw, start=1)}
    cells = voronoi_cells(sites, kelurahan_of)
    assert set(cells) == set(sites)
    for code, cell in cells.items():
        assert cell.area > 0 and cell.distance(Point(sites[code])) < 1e-6
    for cell_a, cell_b in itertools.combinations(cells.values(), 2):
        assert cell_a.intersection(cell_b).area < 1e-10


def test_without_boundaries_the_scene_draws_cells_from_centroids_and_kelurahan_outlines() -> None:
    sites = sites_from(sorted(SITES), SITES, None)
    main, inset, height = build_scenes(sites, Outlines(kelurahan_of), 360.0, 12.0, LIMITS["area"])
    assert inset is None and LIMITS["area"][0] <= height <= LIMITS["area"][1]
    assert set(main.cells) == set(SITES) and set(main.outlines) == {GAMBIR, CIDENG}
    frame = shapely.box(main.box.x0 - 1e-6, main.box.y0 - 1e-6, main.box.x1 + 1e-6, main.box.y1 + 1e-6)
    for code, cell in main.cells.items():
        assert frame.covers(cell)
        assert cell.covers(Point(main.sites[code]))
        assert main.outlines[kelurahan_of(code)].buffer(1e-6).covers(cell)
    _assert_tiling(main.cells, main.sites)


def test_boundaries_when_given_replace_the_cells_and_keep_markers_inside_their_polygon() -> None:
    features = [
        {"properties": {"rw_code": code}, "geometry": _square(lon, lat)} for code, (lon, lat) in SITES.items()
    ]
    features.append({"properties": {"rw_code": "31.72.01.1001.001"}, "geometry": _square(106.9, -6.1)})
    features.append({"properties": {"rw_code": f"{GAMBIR}.001"}, "geometry": {"type": "Point"}})
    boundaries = {"type": "FeatureCollection", "features": features}
    shapes = boundary_shapes(boundaries, SITES)
    assert set(shapes) == set(SITES)  # another area's RW and a non-polygon are left out
    far_off = {code: (lon + 1.0, lat) for code, (lon, lat) in SITES.items()}  # centroids outside the polygons
    sites = sites_from(sorted(SITES), far_off, boundaries)
    main, _, _ = build_scenes(sites, Outlines(kelurahan_of), 360.0, 12.0, LIMITS["area"])
    for code, cell in main.cells.items():
        assert cell.geom_type == "Polygon" and len(cell.exterior.coords) == 5  # the square itself
        assert cell.buffer(1e-6).covers(Point(main.sites[code]))


def test_an_rw_without_coordinates_or_polygon_is_not_a_site() -> None:
    sites = sites_from([f"{GAMBIR}.001", f"{GAMBIR}.009"], SITES, None)
    assert [s.rw_code for s in sites] == [f"{GAMBIR}.001"]
    main, _, _ = build_scenes(sites, Outlines(kelurahan_of), 360.0, 12.0, LIMITS["kelurahan"])
    assert main.cells[f"{GAMBIR}.001"].area > 0  # a lone RW still gets an outline


def _province_sites() -> list[Site]:
    mainland = {
        f"31.{k}.01.1001.{i:03d}": (106.70 + 0.05 * (i % 5) + 0.01 * j, -6.15 - 0.04 * (i // 5) - 0.01 * j)
        for j, k in enumerate(("71", "72", "73", "74", "75"))
        for i in range(1, 16)
    }
    islands = {f"31.01.01.1001.{i:03d}": (106.55 + 0.01 * i, -5.6 - 0.04 * i) for i in range(1, 6)}
    return [Site(code, xy) for code, xy in {**mainland, **islands}.items()]


def test_kepulauan_seribu_is_an_inset_and_the_mainland_fills_the_frame() -> None:
    main, inset, height = build_scenes(
        _province_sites(), Outlines(kota_of, 5.0, 0.25), 360.0, 12.0, (280.0, 440.0)
    )
    assert inset is not None
    assert all(kota_of(code) == "31.01" for code in inset.sites)
    assert all(kota_of(code) != "31.01" for code in main.sites)
    xs = [x for x, _ in main.sites.values()]
    assert max(xs) - min(xs) > 0.8 * (360 - 24)  # the mainland is not squeezed by the islands 40 km away
    box = shapely.box(inset.box.x0, inset.box.y0, inset.box.x1, inset.box.y1)
    assert not any(box.covers(Point(xy)) for xy in main.sites.values())
    assert all(box.buffer(1e-6).covers(Point(xy)) for xy in inset.sites.values())
    assert set(main.outlines) == {"31.71", "31.72", "31.73", "31.74", "31.75"} and height <= 440 + 130


def test_a_seribu_only_area_is_drawn_as_the_whole_map() -> None:
    islands = [s for s in _province_sites() if kota_of(s.rw_code) == "31.01"]
    main, inset, _ = build_scenes(islands, Outlines(kelurahan_of), 360.0, 12.0, (240.0, 400.0))
    assert inset is None and len(main.sites) == 5


def test_svg_path_writes_every_ring_and_skips_empty_geometry() -> None:
    square = shapely.box(0, 0, 10, 10).difference(shapely.box(2, 2, 4, 4))
    assert svg_path(square, 0).count("M") == 2 and svg_path(square, 0).endswith("Z")
    assert svg_path(shapely.Point(1, 1).buffer(0), 0) == ""
    assert Box(0, 0, 1, 1).overlaps(Box(0.5, 0.5, 2, 2)) and not Box(0, 0, 1, 1).overlaps(Box(1, 0, 2, 1))


@pytest.mark.parametrize("count", [1, 2])
def test_one_or_two_rws_still_get_cells(count: int) -> None:
    sites = dict(list(SITES.items())[:count])
    cells = voronoi_cells(sites, kelurahan_of)
    assert len(cells) == count and all(c.area > 0 for c in cells.values())
    _assert_tiling(cells, sites)
