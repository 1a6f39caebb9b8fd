"""The area map: RWs coloured by tier, drawn as inline SVG with no tiles or network.

Three layouts, best first: RW boundaries from an optional ``boundaries.geojson``
(polygons hatched by tier); RW centroids (lat/lon) as tier-shaped markers;
and, when coordinates are missing, a tile grid grouped by kelurahan so the
map still shows every RW of the area. Only the RWs passed in are drawn, so a
lurah's map never shows another area's tiers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ews.web.style import TIER_ORDER, tier_style
from ews.web.svg import el, marker, num, svg_root, text, tier_defs, tier_fill

WIDTH = 360.0
PAD = 12.0
TILE = 22.0
PATTERN_PREFIX = "peta"

Ring = list[tuple[float, float]]


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

    @property
    def located(self) -> bool:
        """Whether the RW has a usable centroid."""
        return self.lat is not None and self.lon is not None and math.isfinite(self.lat + self.lon)


@dataclass(frozen=True)
class _Frame:
    """Equirectangular projection of a lon/lat box into the drawing area (north up)."""

    lon0: float
    lat1: float
    scale_x: float
    scale_y: float
    offset_x: float
    pad: float

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        return self.offset_x + (lon - self.lon0) * self.scale_x, self.pad + (self.lat1 - lat) * self.scale_y


def _frame(lons: Sequence[float], lats: Sequence[float], pad: float) -> tuple[_Frame, float]:
    """The projection and the drawing height that fits the area's shape (between 200 and 420)."""
    # Degrees of longitude shrink with cos(latitude); without this Jakarta looks stretched.
    squash = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * squash, 1e-4)
    span_y = max(max(lats) - min(lats), 1e-4)
    height = min(max(span_y / span_x * (WIDTH - 2 * pad) + 2 * pad, 200.0), 420.0)
    unit = min((WIDTH - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    offset = (WIDTH - span_x * unit) / 2
    return _Frame(min(lons), max(lats), unit * squash, unit, offset, pad), height


def _rings(geometry: Mapping[str, Any]) -> list[Ring]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return [[(float(p[0]), float(p[1])) for p in ring] for polygon in polygons for ring in polygon]


def boundary_rings(boundaries: Mapping[str, Any] | None, codes: Iterable[str]) -> dict[str, list[Ring]]:
    """The polygon rings of each wanted RW in a GeoJSON FeatureCollection (by ``properties.rw_code``)."""
    wanted, out = set(codes), dict[str, list[Ring]]()
    for feature in (boundaries or {}).get("features") or []:
        code = str((feature.get("properties") or {}).get("rw_code", ""))
        rings = _rings(feature.get("geometry") or {})
        if code in wanted and rings:
            out.setdefault(code, []).extend(rings)
    return out


def _link(point: MapPoint, shape: str) -> str:
    label = f"{point.label}: risiko {tier_style(point.tier).label.lower()}"
    if point.href is None:
        return el("g", {"class": "rw"}, el("title", {}, text(label)), shape)
    return el(
        "a", {"href": point.href, "class": "rw", "aria-label": label}, el("title", {}, text(label)), shape
    )


def _outline(point: MapPoint) -> dict[str, str | float]:
    return {"stroke": "#111111", "stroke-width": 2.2 if point.flagged else 0.8}


def _polygons(points: Sequence[MapPoint], rings: Mapping[str, list[Ring]], frame: _Frame) -> list[str]:
    out = []
    for point in points:
        paths = []
        for ring in rings.get(point.rw_code, []):
            xy = (frame.project(lon, lat) for lon, lat in ring)
            paths.append("M" + " L".join(f"{num(x)} {num(y)}" for x, y in xy) + " Z")
        if paths:
            fill = tier_fill(PATTERN_PREFIX, point.tier)
            out.append(_link(point, el("path", {"d": " ".join(paths), "fill": fill, **_outline(point)})))
    return out


def marker_size(n_points: int) -> float:
    """Marker width for a map of ``n_points`` RWs: large for a kelurahan, small for the province."""
    return min(16.0, max(4.0, 120.0 / math.sqrt(max(n_points, 1))))


def _markers(points: Sequence[MapPoint], frame: _Frame) -> list[str]:
    out, size = [], marker_size(len(points))
    # Low tiers first so the high-risk markers are drawn on top where centroids crowd.
    for point in sorted(points, key=lambda p: (_tier_rank(p.tier), p.flagged, p.rw_code)):
        x, y = frame.project(float(point.lon or 0.0), float(point.lat or 0.0))
        style = tier_style(point.tier)
        scaled = size * (1.3 if point.flagged else 1.0)
        out.append(_link(point, marker(style.shape, x, y, scaled, {"fill": style.fill, **_outline(point)})))
    return out


def _group_labels(points: Sequence[MapPoint], frame: _Frame) -> list[str]:
    """Kelurahan names at the middle of their RWs, when the map shows more than one kelurahan."""
    groups: dict[str, list[tuple[float, float]]] = {}
    for point in points:
        groups.setdefault(point.group, []).append(
            frame.project(float(point.lon or 0.0), float(point.lat or 0.0))
        )
    if len(groups) < 2:
        return []
    out = []
    for name, xy in sorted(groups.items()):
        x, y = sum(p[0] for p in xy) / len(xy), sum(p[1] for p in xy) / len(xy)
        out.append(el("text", {"x": x, "y": y, "text-anchor": "middle", "class": "map-label"}, text(name)))
    return out


def _tier_rank(tier: str) -> int:
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else -1


def _tiles(points: Sequence[MapPoint]) -> tuple[list[str], float]:
    columns = int((WIDTH - 2 * PAD) // TILE)
    body, y = [], PAD
    groups: dict[str, list[MapPoint]] = {}
    for point in sorted(points, key=lambda p: (p.group, p.rw_code)):
        groups.setdefault(point.group, []).append(point)
    for group, members in groups.items():
        body.append(el("text", {"x": PAD, "y": y + 11, "class": "map-group"}, text(group)))
        y += 16
        for i, point in enumerate(members):
            x0, y0 = PAD + (i % columns) * TILE, y + (i // columns) * TILE
            tile = el(
                "rect",
                {
                    "x": x0 + 1,
                    "y": y0 + 1,
                    "width": TILE - 2,
                    "height": TILE - 2,
                    "fill": tier_fill(PATTERN_PREFIX, point.tier),
                    **_outline(point),
                },
            )
            body.append(_link(point, tile))
        y += math.ceil(len(members) / columns) * TILE + 8
    return body, y


def _geo_layout(points: Sequence[MapPoint], rings: Mapping[str, list[Ring]]) -> tuple[list[str], float]:
    located = [p for p in points if p.located and p.rw_code not in rings]
    corners = [xy for ring_list in rings.values() for ring in ring_list for xy in ring]
    corners += [(float(p.lon or 0.0), float(p.lat or 0.0)) for p in located]
    # Keep whole markers inside the picture: the margin grows with the marker size.
    pad = PAD + marker_size(len(located))
    frame, height = _frame([xy[0] for xy in corners], [xy[1] for xy in corners], pad)
    labels = _group_labels(located, frame)
    return _polygons(points, rings, frame) + _markers(located, frame) + labels, height


def render_map(
    points: Sequence[MapPoint], boundaries: Mapping[str, Any] | None = None, *, title: str
) -> Markup:
    """The map of ``points`` (see the module docstring for the three layouts); the legend is HTML."""
    rings = boundary_rings(boundaries, (p.rw_code for p in points))
    if rings or (points and all(p.located for p in points)):
        body, height = _geo_layout(points, rings)
    else:
        body, height = _tiles(points)
    return svg_root(WIDTH, height, title, [tier_defs(PATTERN_PREFIX), *body], "map", "group")
