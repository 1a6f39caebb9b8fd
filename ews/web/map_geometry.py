"""RW cells and area outlines for the map, from ``boundaries.geojson`` or from RW centroids (shapely).

Everything here works in a local plane: ``x`` is longitude scaled by the cosine
of the area's latitude and ``y`` grows southwards (north up on screen), both in
degrees, so distances are true to scale over a city. Without boundaries each RW
gets the Voronoi cell of its centroid, clipped to the union of its kelurahan
hulls (each hull buffered by about half the usual RW spacing); a kelurahan or
kota outline is the union of its RWs' cells or polygons.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

XY = tuple[float, float]
MIN_BUFFER = 0.0012  # degrees (~130 m): the margin around a kelurahan of one or two RWs
BUFFER_SHARE = 0.6  # of the median distance between neighbouring RWs
CLOSING = 2.0  # gaps narrower than about four margins between kelurahan hulls are filled
JITTER = 1e-7  # separates RWs that share a centroid, so each still gets a cell


def plane(lon: float, lat: float, lat0: float) -> XY:
    """Longitude/latitude as plane coordinates around latitude ``lat0`` (north up, y down)."""
    return lon * math.cos(math.radians(lat0)), -lat


def buffer_distance(sites: Sequence[XY]) -> float:
    """About half the median distance between neighbouring sites (at least :data:`MIN_BUFFER`)."""
    points = [Point(xy) for xy in sites]
    if len(points) < 2:
        return MIN_BUFFER * 2
    (source, _), distances = shapely.STRtree(points).query_nearest(
        points, return_distance=True, exclusive=True, all_matches=False
    )
    nearest = np.full(len(points), np.inf)
    np.minimum.at(nearest, source, distances)
    spacing = float(np.median(nearest[np.isfinite(nearest)])) if np.isfinite(nearest).any() else 0.0
    return max(spacing * BUFFER_SHARE, MIN_BUFFER)


def _distinct(sites: Mapping[str, XY]) -> dict[str, XY]:
    seen: set[XY] = set()
    out = {}
    for code in sorted(sites):
        x, y = sites[code]
        while (x, y) in seen:
            x += JITTER
        seen.add((x, y))
        out[code] = (x, y)
    return out


def hull_region(
    sites: Mapping[str, XY], group: Callable[[str], str], closing: float = CLOSING
) -> BaseGeometry:
    """The union of each group's convex hull of sites, buffered by :func:`buffer_distance`."""
    margin = buffer_distance(list(sites.values()))
    members: dict[str, list[XY]] = {}
    for code, xy in sites.items():
        members.setdefault(group(code), []).append(xy)
    hulls = [MultiPoint(xy).convex_hull.buffer(margin, quad_segs=4) for xy in members.values()]
    # Closing (grow, then shrink) fills the slivers between neighbouring kelurahan; simplifying by an
    # eighth of the margin keeps every site well inside (each lies a full margin from its hull's edge).
    closed = (
        shapely.unary_union(hulls)
        .buffer(margin * closing, quad_segs=2)
        .buffer(-margin * closing, quad_segs=2)
    )
    return closed.simplify(margin / 8)


def voronoi_cells(
    sites: Mapping[str, XY], group: Callable[[str], str], closing: float = CLOSING
) -> dict[str, BaseGeometry]:
    """One cell per site: its Voronoi region clipped to :func:`hull_region` (disjoint, covering the site)."""
    if not sites:
        return {}
    region = hull_region(sites, group, closing)
    if len(sites) == 1:
        return {code: region for code in sites}
    spread = _distinct(sites)
    codes = list(spread)
    points = MultiPoint([spread[c] for c in codes])
    diagram = shapely.voronoi_polygons(points, extend_to=region, ordered=True)
    clipped = shapely.intersection(np.asarray(diagram.geoms), region)
    return dict(zip(codes, clipped, strict=True))


def _lonlat_shape(geometry: Mapping[str, Any]) -> BaseGeometry | None:
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    try:
        found = shapely.make_valid(shape(dict(geometry)))
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
        return None
    return None if found.is_empty or found.area <= 0 else found


def _all_shapes(boundaries: Mapping[str, Any]) -> dict[str, BaseGeometry]:
    parts: dict[str, list[BaseGeometry]] = {}
    for feature in boundaries.get("features") or []:
        code = str((feature.get("properties") or {}).get("rw_code", ""))
        found = _lonlat_shape(feature.get("geometry") or {})
        if found is not None:
            parts.setdefault(code, []).append(found)
    return {code: shapely.unary_union(found) for code, found in parts.items()}


_PARSED: list[tuple[Mapping[str, Any], dict[str, BaseGeometry]]] = []


def boundary_shapes(boundaries: Mapping[str, Any] | None, codes: Iterable[str]) -> dict[str, BaseGeometry]:
    """The lon/lat polygon of each wanted RW in a FeatureCollection (by ``properties.rw_code``).

    The service loads its boundaries once, so the last collection parsed is kept (by identity).
    """
    if not boundaries:
        return {}
    if not _PARSED or _PARSED[0][0] is not boundaries:
        _PARSED[:] = [(boundaries, _all_shapes(boundaries))]
    shapes = _PARSED[0][1]
    return {code: shapes[code] for code in codes if code in shapes}


def to_plane(geometry: BaseGeometry, lat0: float) -> BaseGeometry:
    """A lon/lat geometry in the plane of :func:`plane`."""
    squash = math.cos(math.radians(lat0))
    return shapely.transform(geometry, lambda xy: np.column_stack([xy[:, 0] * squash, -xy[:, 1]]))


def dissolve(cells: Mapping[str, BaseGeometry], key: Callable[[str], str]) -> dict[str, BaseGeometry]:
    """The union of the cells of each key (a kelurahan or kota outline), in key order."""
    groups: dict[str, list[BaseGeometry]] = {}
    for code, cell in cells.items():
        groups.setdefault(key(code), []).append(cell)
    return {k: shapely.unary_union(groups[k], grid_size=None) for k in sorted(groups)}


def label_point(geometry: BaseGeometry) -> XY:
    """A point well inside an outline (the pole of inaccessibility of its largest part)."""
    parts = getattr(geometry, "geoms", [geometry])
    largest = max(parts, key=lambda g: g.area)
    if largest.geom_type != "Polygon" or largest.area <= 0:
        point = largest.representative_point()
    else:
        point = polylabel(largest, tolerance=math.sqrt(largest.area) / 50)
    return float(point.x), float(point.y)


def inside(geometry: BaseGeometry, xy: XY) -> XY:
    """``xy`` when it lies in ``geometry``, else a point inside it (where a marker for a polygon goes)."""
    if geometry.covers(Point(xy)):
        return xy
    return label_point(geometry)


def polygons(geometry: BaseGeometry) -> list[Polygon]:
    """The polygons of a (multi)polygon or collection; lines and points are dropped."""
    if isinstance(geometry, Polygon):
        return [geometry]
    return [p for part in getattr(geometry, "geoms", []) for p in polygons(part)]


def svg_path(geometry: BaseGeometry, digits: int = 1) -> str:
    """SVG path data of every ring (use ``fill-rule="evenodd"`` for holes); empty for no area."""
    rings = []
    for polygon in polygons(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            coords = [f"{_round(x, digits)} {_round(y, digits)}" for x, y in list(ring.coords)[:-1]]
            if len(coords) >= 3:
                rings.append("M" + " ".join(coords) + "Z")
    return "".join(rings)


def _round(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else str(round(value))
    return "0" if text in ("-0", "") else text
