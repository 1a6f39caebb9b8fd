"""What the map draws, in SVG units: marker positions, RW cells and area outlines, framed.

A scene is built in the plane of :mod:`ews.web.map_geometry` and then scaled
into a box of the drawing. The province map keeps Kepulauan Seribu (kota
``31.01``, 40 km out at sea) in an inset of its own, so the mainland fills the
frame instead of a third of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import shapely
from shapely import affinity
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from ews.web.map_geometry import (
    CLOSING,
    XY,
    boundary_shapes,
    dissolve,
    inside,
    plane,
    polygons,
    to_plane,
    voronoi_cells,
)
from ews.web.map_labels import Box

SERIBU = "31.01"
INSET_MAX = (116.0, 116.0)  # width, height of the Kepulauan Seribu inset
INSET_GAP = 8.0
INSET_MIN_WIDTH = 96.0  # room for the inset's name
INSET_SHRINK = (1.0, 0.85)  # smaller insets tried before the inset gets a band of its own
INSET_MARGIN, INSET_TITLE = 5.0, 14.0  # inside the inset's frame: a margin, and room for its name on top
HOLE_SHARE = 0.05  # holes smaller than this share of their outline are filled


def kelurahan_of(rw_code: str) -> str:
    """``31.71.01.1001.005`` -> ``31.71.01.1001``."""
    return rw_code.rsplit(".", 1)[0]


def kota_of(rw_code: str) -> str:
    """``31.71.01.1001.005`` -> ``31.71``."""
    return rw_code[:5]


@dataclass(frozen=True)
class Site:
    """Where one RW is: its centroid (lon, lat) and its boundary polygon (lon/lat), either may be missing."""

    rw_code: str
    lonlat: XY | None
    shape: BaseGeometry | None = None


@dataclass(frozen=True)
class Scene:
    """One framed picture (the main map or the inset) in SVG units."""

    sites: dict[str, XY]
    cells: dict[str, BaseGeometry]
    outlines: dict[str, BaseGeometry]
    box: Box
    scale: float  # SVG units per plane degree


@dataclass(frozen=True)
class Outlines:
    """How areas are outlined: by which key (kelurahan or kota), how much of the gaps between
    kelurahan to close (in buffer margins), and below which share of an outline a hole is filled."""

    key: Callable[[str], str]
    closing: float = CLOSING
    holes: float = HOLE_SHARE


@dataclass(frozen=True)
class _Plane:
    sites: dict[str, XY]
    cells: dict[str, BaseGeometry]
    outlines: dict[str, BaseGeometry]

    def bounds(self) -> tuple[float, float, float, float]:
        parts = [*self.cells.values(), shapely.MultiPoint(list(self.sites.values()))]
        x0, y0, x1, y1 = shapely.total_bounds(parts)
        return float(x0), float(y0), float(x1), float(y1)


def sites_from(
    codes: Sequence[str], centroids: Mapping[str, XY], boundaries: Mapping[str, Any] | None
) -> list[Site]:
    """The sites of ``codes`` that have a centroid (lon, lat) or a boundary polygon."""
    shapes = boundary_shapes(boundaries, codes)
    return [Site(c, centroids.get(c), shapes.get(c)) for c in codes if c in centroids or c in shapes]


def _fill_small_holes(geometry: BaseGeometry, share: float) -> BaseGeometry:
    kept = []
    for polygon in polygons(geometry):
        holes = [r for r in polygon.interiors if Polygon(r).area >= polygon.area * share]
        kept.append(Polygon(polygon.exterior, holes))
    return shapely.unary_union(kept) if kept else geometry


def _in_plane(sites: Sequence[Site], lat0: float, style: Outlines) -> _Plane:
    shaped = {s.rw_code: to_plane(s.shape, lat0) for s in sites if s.shape is not None}
    centres = {s.rw_code: plane(s.lonlat[0], s.lonlat[1], lat0) for s in sites if s.lonlat is not None}
    if shaped:
        cells = shaped
        points = {
            code: inside(cell, centres.get(code, (math.nan, math.nan))) for code, cell in shaped.items()
        }
        points |= {code: xy for code, xy in centres.items() if code not in shaped}
    else:
        cells, points = voronoi_cells(centres, kelurahan_of, style.closing), centres
    outlines = {k: _fill_small_holes(g, style.holes) for k, g in dissolve(cells, style.key).items()}
    return _Plane(points, cells, outlines)


def _framed(found: _Plane, target: Box) -> Scene:
    x0, y0, x1, y1 = found.bounds()
    width, height = target.x1 - target.x0, target.y1 - target.y0
    scale = min(width / max(x1 - x0, 1e-9), height / max(y1 - y0, 1e-9))
    ox = target.x0 + (width - (x1 - x0) * scale) / 2 - x0 * scale
    oy = target.y0 + (height - (y1 - y0) * scale) / 2 - y0 * scale
    matrix = [scale, 0.0, 0.0, scale, ox, oy]

    def move(geometry: BaseGeometry) -> BaseGeometry:
        return affinity.affine_transform(geometry, matrix)

    sites = {code: (ox + x * scale, oy + y * scale) for code, (x, y) in found.sites.items()}
    cells = {code: move(g) for code, g in found.cells.items()}
    outlines = {code: move(g) for code, g in found.outlines.items()}
    return Scene(sites, cells, outlines, target, scale)


def _height(found: _Plane, width: float, pad: float, limits: tuple[float, float]) -> float:
    x0, y0, x1, y1 = found.bounds()
    aspect = (y1 - y0) / max(x1 - x0, 1e-9)
    return min(max(aspect * (width - 2 * pad) + 2 * pad, limits[0]), limits[1])


def _inset_size(found: _Plane) -> tuple[float, float]:
    x0, y0, x1, y1 = found.bounds()
    aspect = (y1 - y0) / max(x1 - x0, 1e-9)
    width, height = INSET_MAX
    fitted = (width, min(height, width * aspect)) if aspect * width <= height else (height / aspect, height)
    return max(fitted[0], INSET_MIN_WIDTH), fitted[1]


def _free_corner(main: Scene, size: tuple[float, float], frame: Box) -> Box | None:
    taken = shapely.unary_union(list(main.outlines.values()))
    w, h = size
    corners = [
        Box(frame.x0, frame.y1 - h, frame.x0 + w, frame.y1),  # south-west: open land outside Jakarta
        Box(frame.x0, frame.y0, frame.x0 + w, frame.y0 + h),
        Box(frame.x1 - w, frame.y0, frame.x1, frame.y0 + h),
        Box(frame.x1 - w, frame.y1 - h, frame.x1, frame.y1),
    ]
    for corner in corners:
        area = box(corner.x0, corner.y0, corner.x1, corner.y1).buffer(INSET_GAP / 2)
        if not area.intersects(taken):
            return corner
    return None


@lru_cache(maxsize=16)
def cached_scenes(
    sites: tuple[Site, ...], style: Outlines, width: float, pad: float, limits: tuple[float, float]
) -> tuple[Scene, Scene | None, float]:
    """:func:`build_scenes`, remembered: the geometry of an area changes only with its data folder,
    so a page draws the province's 2,700 cells once per process, not on every request."""
    return build_scenes(sites, style, width, pad, limits)


def build_scenes(
    sites: Sequence[Site],
    style: Outlines,
    width: float,
    pad: float,
    limits: tuple[float, float],
) -> tuple[Scene, Scene | None, float]:
    """The main scene, the Kepulauan Seribu inset (when the map also has mainland RWs), the drawing height."""
    lats = [s.lonlat[1] for s in sites if s.lonlat is not None]
    lats += [float(s.shape.centroid.y) for s in sites if s.shape is not None and s.lonlat is None]
    lat0 = sum(lats) / len(lats)
    islands = [s for s in sites if kota_of(s.rw_code) == SERIBU]
    mainland = [s for s in sites if kota_of(s.rw_code) != SERIBU]
    if not islands or not mainland:
        found = _in_plane(sites, lat0, style)
        height = _height(found, width, pad, limits)
        return _framed(found, Box(pad, pad, width - pad, height - pad)), None, height
    main_plane, inset_plane = _in_plane(mainland, lat0, style), _in_plane(islands, lat0, style)
    height = _height(main_plane, width, pad, limits)
    frame = Box(pad, pad, width - pad, height - pad)
    main = _framed(main_plane, frame)
    full = _inset_size(inset_plane)
    sizes = [(full[0] * k, full[1] * k) for k in INSET_SHRINK]
    corner = next((c for c in (_free_corner(main, size, frame) for size in sizes) if c is not None), None)
    size = full
    if corner is None:  # no free corner: the inset gets a band of its own above the mainland
        shift = size[1] + INSET_GAP
        main = _framed(main_plane, Box(pad, pad + shift, width - pad, height + shift - pad))
        corner, height = Box(pad, pad, pad + size[0], pad + size[1]), height + shift
    return main, _framed(inset_plane, _shrunk(corner)), height


def _shrunk(outer: Box) -> Box:
    m = INSET_MARGIN
    return Box(outer.x0 + m, outer.y0 + m + INSET_TITLE, outer.x1 - m, outer.y1 - m)


def inset_frame(inset: Scene) -> Box:
    """The frame drawn around an inset scene (its box plus the margin and the title band)."""
    m, inner = INSET_MARGIN, inset.box
    return Box(inner.x0 - m, inner.y0 - m - INSET_TITLE, inner.x1 + m, inner.y1 + m)
