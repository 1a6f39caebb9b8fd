"""The area map: every RW of the area, labelled and linked, drawn as inline SVG with no tiles or network.

Geometry, best first: RW polygons from an optional ``boundaries.geojson``; else
cells drawn from the RW centroids (Voronoi, clipped to the buffered kelurahan
hulls; :mod:`ews.web.map_geometry`); else, without coordinates, a tile grid
grouped by kelurahan. Three scales:

- a kelurahan (lurah): its outline, RW cells tinted by tier, a marker per RW
  with its number written next to it;
- a kecamatan or a few kelurahan (camat): the same, with kelurahan outlines
  and names placed where they cover no marker (left-out names are listed
  under the map);
- the province (analyst): kota outlines and names only, flagged RWs as marker
  links, the other RWs as small dots, Kepulauan Seribu in an inset.

Every marker links to the same RW page as the list; only the RWs passed in are
drawn, so a lurah's map never shows another area's tiers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from markupsafe import Markup
from shapely.geometry.base import BaseGeometry

from ews.web import map_layers as layers
from ews.web.map_geometry import XY, label_point
from ews.web.map_labels import Box, LabelRequest, Placed, around_marker, around_point, place_labels, text_box
from ews.web.map_scene import (
    SERIBU,
    Outlines,
    Scene,
    Site,
    cached_scenes,
    inset_frame,
    kelurahan_of,
    kota_of,
    sites_from,
)
from ews.web.svg import Attrs, el, svg_root, text, tier_defs, tier_fill

WIDTH = 360.0
PAD = 12.0
PATTERN_PREFIX = "peta"
PROVINCE_MIN = 300  # more RWs than this (or more than one kota): the province scale
LIMITS = {"kelurahan": (240.0, 400.0), "area": (280.0, 520.0), "province": (280.0, 440.0)}
RW_FONT, AREA_FONT, KOTA_FONT = 11.5, 12.5, 12.0
LURAH_RW_FONT, LURAH_MARKER = 15.0, 20.0  # a kelurahan's few RWs get larger numbers and markers
LEGEND_LINE = 14.0
MAX_CANDIDATES = 400


@dataclass(frozen=True)
class MapPoint:
    """One RW on the map."""

    rw_code: str
    label: str
    tier: str
    flagged: bool = False
    href: str | None = None
    group: str = ""
    lat: float | None = None
    lon: float | None = None
    kota: str = ""

    @property
    def located(self) -> bool:
        """Whether the RW has a usable centroid."""
        return self.lat is not None and self.lon is not None and math.isfinite(self.lat + self.lon)


def map_scale(points: Sequence[MapPoint]) -> str:
    """``kelurahan`` (one kelurahan), ``province`` (several kota or many RWs) or ``area`` (in between)."""
    if len({kota_of(p.rw_code) for p in points}) > 1 or len(points) > PROVINCE_MIN:
        return "province"
    return "kelurahan" if len({kelurahan_of(p.rw_code) for p in points}) == 1 else "area"


def marker_size(n_points: int, largest: float = 16.0) -> float:
    """Marker width for a map of ``n_points`` RWs: large for a kelurahan, small for the province."""
    return min(largest, max(5.0, 120.0 / math.sqrt(max(n_points, 1))))


def _marks(points: Sequence[MapPoint], scenes: Sequence[Scene], size: float) -> list[layers.Mark]:
    where = {code: xy for scene in scenes for code, xy in scene.sites.items()}
    out = []
    for p in points:
        if p.rw_code in where:
            x, y = where[p.rw_code]
            drawn = size * (1.3 if p.flagged else 1.0)
            out.append(layers.Mark(p.rw_code, p.label, p.tier, p.flagged, p.href, x, y, drawn))
    return out


def short_kota(name: str) -> str:
    """``Kota Administrasi Jakarta Pusat`` -> ``Jakarta Pusat`` (the label at province scale)."""
    for prefix in ("Kota Administrasi ", "Kabupaten Administrasi ", "Kota ", "Kabupaten "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _number(rw_code: str) -> str:
    return rw_code.rsplit(".", 1)[-1]


def _inside(outline: BaseGeometry, content: str, anchor: XY, size: float, whole: bool) -> list[XY]:
    """Label positions in ``outline`` (the whole box, or its middle), nearest to ``anchor`` first."""
    x0, y0, x1, y1 = outline.bounds
    xs, ys = np.arange(x0, x1, size), np.arange(y0 + size, y1 + size, size * 0.5)
    grid = [(float(x), float(y)) for x in xs for y in ys]
    if not grid:
        return []
    boxes = [text_box(content, x, y, size) for x, y in grid]
    if whole:
        shapes = shapely.box(*np.array([(b.x0, b.y0, b.x1, b.y1) for b in boxes]).T)
    else:
        shapes = shapely.points([((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2) for b in boxes])
    shapely.prepare(outline)
    fits = [xy for xy, ok in zip(grid, shapely.contains(outline, shapes), strict=True) if ok]
    fits.sort(key=lambda xy: (xy[0] - anchor[0]) ** 2 + (xy[1] - anchor[1]) ** 2)
    return fits[:MAX_CANDIDATES]


def _area_requests(
    scene: Scene, names: Mapping[str, str], size: float, css: str, *, outside: bool
) -> list[LabelRequest]:
    """A label per named outline: inside it first; near its middle too when ``outside`` is allowed."""
    out = []
    for key, outline in scene.outlines.items():
        if names.get(key):
            x, y = label_point(outline)
            candidates = _inside(outline, names[key], (x, y), size, whole=outside)
            if outside:
                candidates += around_point(x, y, size)
            out.append(LabelRequest(key, names[key], size, css, tuple(candidates)))
    return out


def _rw_requests(marks: Sequence[layers.Mark], size: float) -> list[LabelRequest]:
    ordered = sorted(marks, key=lambda m: (-layers.tier_rank(m.tier), not m.flagged, m.rw_code))
    return [
        LabelRequest(
            m.rw_code,
            _number(m.rw_code),
            size,
            "rw-num",
            around_marker(m.x, m.y, m.half, _number(m.rw_code), size),
        )
        for m in ordered
    ]


def _labels(
    scale: str,
    points: Sequence[MapPoint],
    marks: Sequence[layers.Mark],
    main: Scene,
    blocked: list[Box],
    frame: Box,
) -> tuple[list[Placed], list[str]]:
    """Area names first (they must not cover a marker), then RW numbers; returns what found no place."""
    obstacles = [m.box for m in marks] + blocked
    if scale == "province":
        names = {kota_of(p.rw_code): short_kota(p.kota).replace(" ", "\n", 1) for p in points}
        names.pop(SERIBU, None)  # named by its inset
        requests = _area_requests(main, names, KOTA_FONT, "kota-label", outside=False)
    else:
        names = {kelurahan_of(p.rw_code): p.group for p in points} if scale == "area" else {}
        font = LURAH_RW_FONT if scale == "kelurahan" else RW_FONT
        requests = _area_requests(main, names, AREA_FONT, "map-label", outside=True) + _rw_requests(
            marks, font
        )
    placed, left_out = place_labels(requests, obstacles, frame)
    return placed, [
        r.text.replace("\n", " ") for r in left_out if r.css_class != "rw-num" or scale == "kelurahan"
    ]


def _legend(left_out: Sequence[str], top: float) -> tuple[list[str], float]:
    if not left_out:
        return [], top
    lines = layers.legend_lines(sorted(left_out), "Tanpa label di peta:")
    body = [
        el(
            "text",
            {"x": PAD, "y": top + LEGEND_LINE * (i + 1), "font-size": 11, "class": "map-note"},
            text(line),
        )
        for i, line in enumerate(lines)
    ]
    return body, top + LEGEND_LINE * len(lines) + 6


def _layers(scale: str, scenes: Sequence[Scene], marks: Sequence[layers.Mark]) -> list[str]:
    """Areas under markers: kota outlines and dots (province), else RW cells and kelurahan outlines."""
    body = []
    for scene in scenes:
        if scale == "province":
            body.append(layers.outlines(scene.outlines, "kota-outline", tolerance=0.6))
        else:
            body.append(layers.cells(marks, scene.cells))
            body.append(layers.outlines(scene.outlines, "outline"))
    if scale == "province":
        body.append(layers.dots([m for m in marks if not m.flagged]))
        return [*body, layers.markers([m for m in marks if m.flagged])]
    return [*body, layers.markers(marks, hit=True)]


def _geo(points: Sequence[MapPoint], sites: Sequence[Site], title: str) -> Markup:
    scale = map_scale(points)
    style = Outlines(kota_of, 5.0, 0.25) if scale == "province" else Outlines(kelurahan_of)
    main, inset, height = cached_scenes(tuple(sites), style, WIDTH, PAD, LIMITS[scale])
    scenes = [main] if inset is None else [main, inset]
    largest = LURAH_MARKER if scale == "kelurahan" else 16.0
    marks = _marks(points, scenes, marker_size(len(points), largest) if scale != "province" else 7.0)
    body, blocked = [], []
    if inset is not None:
        blocked.append(inset_frame(inset))
        body.append(layers.inset_frame(blocked[0], ("Kepulauan Seribu", "Kep. Seribu")))
    body += _layers(scale, scenes, marks)
    shown = [m for m in marks if m.flagged or scale != "province"]
    placed, left_out = _labels(scale, points, shown, main, blocked, Box(2, 2, WIDTH - 2, height - 2))
    body.append(layers.labels(placed))
    legend, height = _legend(left_out, height)
    return svg_root(WIDTH, height, title, [b for b in (*body, *legend) if b], f"map map-{scale}", "group")


def _tile_size(n_points: int) -> float:
    return 54.0 if n_points <= 120 else 22.0


def _tiles(points: Sequence[MapPoint]) -> tuple[list[str], float]:
    tile = _tile_size(len(points))
    columns = int((WIDTH - 2 * PAD) // tile)
    body, y = [], PAD
    groups: dict[str, list[MapPoint]] = {}
    for point in sorted(points, key=lambda p: (p.group, p.rw_code)):
        groups.setdefault(point.group, []).append(point)
    for group, members in groups.items():
        body.append(el("text", {"x": PAD, "y": y + 11, "class": "map-group"}, text(group)))
        y += 16
        for i, point in enumerate(members):
            x0, y0 = PAD + (i % columns) * tile, y + (i // columns) * tile
            body.append(_tile(point, x0, y0, tile))
        y += math.ceil(len(members) / columns) * tile + 8
    return body, y


def _tile(point: MapPoint, x0: float, y0: float, tile: float) -> str:
    outline: Attrs = {"stroke": "#111111", "stroke-width": 2.2 if point.flagged else 0.8}
    values: Attrs = {"x": x0 + 1, "y": y0 + 1, "width": tile - 2, "height": tile - 2}
    rect = el("rect", {**values, "fill": tier_fill(PATTERN_PREFIX, point.tier), **outline})
    children = [rect]
    if tile >= 40:
        label: Attrs = {"x": x0 + tile / 2, "y": y0 + tile - 7, "font-size": RW_FONT, "text-anchor": "middle"}
        children.append(el("text", {**label, "class": "rw-num"}, text(_number(point.rw_code))))
    mark = layers.Mark(point.rw_code, point.label, point.tier, point.flagged, point.href, 0, 0, 0)
    return layers.link(point.href, layers.accessible_name(mark), *children)


def render_map(
    points: Sequence[MapPoint], boundaries: Mapping[str, Any] | None = None, *, title: str
) -> Markup:
    """The map of ``points`` (see the module docstring for the layouts and scales); the legend is HTML."""
    centroids = {p.rw_code: (float(p.lon or 0.0), float(p.lat or 0.0)) for p in points if p.located}
    sites = sites_from([p.rw_code for p in points], centroids, boundaries) if points else []
    shaped = any(site.shape is not None for site in sites)
    if sites and (shaped or len(sites) == len(points)):
        drawn = {site.rw_code for site in sites}
        return _geo([p for p in points if p.rw_code in drawn], sites, title)
    body, height = _tiles(points)
    return svg_root(WIDTH, height, title, [tier_defs(PATTERN_PREFIX), *body], "map", "group")
