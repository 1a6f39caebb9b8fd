"""The SVG layers of the map: RW cells, outlines, markers, dots and labels (pure string building).

Every RW drawn as a marker is a link to its RW page, with its full name as the
accessible name and its number written next to it (nothing needs a hover).
The RW's cell under it is a second, hidden link to the same page, so a tap
anywhere in the cell opens it (the cell is the tap target: at least 44 CSS px
wherever the RWs are not packed closer than that).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from ews.web.map_geometry import svg_path
from ews.web.map_labels import CHAR_WIDTH, LINE, Box, Placed, square
from ews.web.style import TIER_ORDER, tier_style
from ews.web.svg import Attrs, el, marker, text

HIT_RADIUS = 27.0  # SVG units: 44 CSS px across when the 360-unit map is about 295 px wide (a phone)
CELL_DIGITS = 0  # whole SVG units (under half a pixel on a phone) for cells and outlines


@dataclass(frozen=True)
class Mark:
    """One RW to draw: where, how big, and what it links to."""

    rw_code: str
    name: str
    tier: str
    flagged: bool
    href: str | None
    x: float
    y: float
    size: float

    @property
    def half(self) -> float:
        """Half the marker's extent (diamonds and triangles reach 1.25 times half their size)."""
        return self.size * 0.625

    @property
    def box(self) -> Box:
        """The marker's box, which labels must keep clear of."""
        return square(self.x, self.y, self.half)


def tier_rank(tier: str) -> int:
    """Position of ``tier`` in :data:`TIER_ORDER` (-1 for an unknown tier)."""
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else -1


def accessible_name(mark: Mark) -> str:
    """``RW 005 Gambir: risiko tinggi, perlu dicek``."""
    flag = ", perlu dicek" if mark.flagged else ""
    return f"{mark.name}: risiko {tier_style(mark.tier).label.lower()}{flag}"


def link(href: str | None, label: str, *children: str) -> str:
    """A link named ``label``, or a named group when there is nothing to link to."""
    if href is None:
        return el("g", {"role": "img", "aria-label": label}, *children)
    return el("a", {"href": href, "aria-label": label}, *children)


def _by_tier(marks: Iterable[Mark]) -> list[tuple[str, list[Mark]]]:
    groups: dict[str, list[Mark]] = {}
    for mark in sorted(marks, key=lambda m: (m.flagged, m.rw_code)):
        groups.setdefault(mark.tier, []).append(mark)
    return sorted(groups.items(), key=lambda item: tier_rank(item[0]))


def cells(marks: Sequence[Mark], shapes: Mapping[str, BaseGeometry]) -> str:
    """Each RW's cell tinted by tier: a hidden duplicate link (out of the tab order) to the RW page.

    The cell is the RW's tap target: a tap anywhere in it opens the same page as its marker.
    """
    out = []
    for tier, members in _by_tier(m for m in marks if m.rw_code in shapes):
        areas = []
        for mark in members:
            path = el("path", {"d": svg_path(shapes[mark.rw_code], CELL_DIGITS)})
            areas.append(el("a", {"href": mark.href, "tabindex": "-1"}, path) if mark.href else path)
        out.append(el("g", {"fill": tier_style(tier).fill}, *areas))
    return el("g", {"class": "cells", "aria-hidden": "true"}, *out) if out else ""


def outlines(shapes: Mapping[str, BaseGeometry], css_class: str, tolerance: float = 0.0) -> str:
    """Area outlines (kelurahan or kota) as one path each, drawn without pointer events."""
    simple = [shape.simplify(tolerance) if tolerance else shape for _, shape in sorted(shapes.items())]
    paths = [svg_path(shape, CELL_DIGITS) for shape in simple]
    body = [el("path", {"d": d}) for d in paths if d]
    values = {"class": css_class, "fill-rule": "evenodd", "aria-hidden": "true"}
    return el("g", values, *body) if body else ""


def _nearest(marks: Sequence[Mark]) -> dict[str, float]:
    out = {}
    for mark in marks:
        others = (math.hypot(mark.x - o.x, mark.y - o.y) for o in marks if o.rw_code != mark.rw_code)
        out[mark.rw_code] = min(others, default=2 * HIT_RADIUS)
    return out


def markers(marks: Sequence[Mark], *, hit: bool = False) -> str:
    """Every mark as a tier-shaped marker link named for screen readers; high tiers drawn last (on top).

    With ``hit``, each link also holds an invisible circle of up to :data:`HIT_RADIUS`, never more than
    half the way to the nearest other RW: it lies inside the RW's own Voronoi cell, so it only widens
    the tap target where the cell is clipped at the edge of the area.
    """
    spacing = _nearest(marks) if hit else {}
    out = []
    for tier, members in _by_tier(marks):
        style, links = tier_style(tier), []
        for mark in members:
            width: Attrs = {"stroke-width": 2.2} if mark.flagged else {}
            children = [marker(style.shape, mark.x, mark.y, mark.size, width)]
            if hit:
                radius = min(HIT_RADIUS, spacing[mark.rw_code] / 2)
                children.insert(0, el("circle", {"cx": mark.x, "cy": mark.y, "r": radius, "class": "hit"}))
            links.append(link(mark.href, accessible_name(mark), *children))
        out.append(el("g", {"fill": style.fill}, *links))
    return el("g", {"class": "marks", "stroke": "#111111", "stroke-width": 0.8}, *out) if out else ""


def dots(marks: Sequence[Mark]) -> str:
    """RWs as small dots, one path per tier (round for rendah, square otherwise): a density layer."""
    out = []
    for tier, members in _by_tier(marks):
        points = sorted((round(m.x), round(m.y)) for m in members)
        moves = [f"M{points[0][0]} {points[0][1]}h0"]
        moves += [f"m{x - px} {y - py}h0" for (px, py), (x, y) in itertools.pairwise(points)]
        cap = "round" if tier == "rendah" else "square"
        out.append(el("path", {"d": "".join(moves), "stroke": tier_style(tier).fill, "stroke-linecap": cap}))
    return el("g", {"class": "dots", "aria-hidden": "true"}, *out) if out else ""


def _text(placed: Placed) -> str:
    first, *more = placed.request.text.split("\n")
    lines = [text(first)]
    lines += [el("tspan", {"x": placed.x, "dy": f"{LINE}em"}, text(line)) for line in more]
    return el("text", {"x": placed.x, "y": placed.baseline}, *lines)


def labels(placed: Iterable[Placed]) -> str:
    """Placed labels, grouped by class (no pointer events: a tap goes to the marker or cell under them)."""
    groups: dict[tuple[str, float], list[str]] = {}
    for p in placed:
        key = (p.request.css_class, p.request.size)
        groups.setdefault(key, []).append(_text(p))
    body = [
        el("g", {"class": css, "font-size": size, "text-anchor": "middle"}, *items)
        for (css, size), items in sorted(groups.items())
    ]
    return el("g", {"class": "labels", "aria-hidden": "true"}, *body) if body else ""


def inset_frame(frame: Box, titles: Sequence[str], size: float = 10.5) -> str:
    """The frame of an inset with its name (the longest of ``titles`` that fits) in the top band."""
    fits = [t for t in titles if len(t) * size * CHAR_WIDTH <= frame.x1 - frame.x0 - 6]
    title = max(fits, key=len) if fits else min(titles, key=len)
    rect = el(
        "rect",
        {
            "x": frame.x0,
            "y": frame.y0,
            "width": frame.x1 - frame.x0,
            "height": frame.y1 - frame.y0,
            "class": "inset",
        },
    )
    name = el(
        "text",
        {"x": frame.x0 + 4, "y": frame.y0 + 12, "font-size": size, "class": "inset-title"},
        text(title),
    )
    return el("g", {"aria-hidden": "true"}, rect, name)


def legend_lines(names: Sequence[str], prefix: str, width: int = 52) -> list[str]:
    """``prefix`` and ``names`` wrapped into lines of about ``width`` characters."""
    lines, current = [], prefix
    for i, name in enumerate(names):
        piece = name + ("," if i < len(names) - 1 else "")
        if len(current) + 1 + len(piece) > width and current:
            lines.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    return [*lines, current]
