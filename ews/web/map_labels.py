"""Map labels that never collide: greedy placement over candidate positions with box checks.

Each label asks for a list of candidate positions in order of preference; the
first whose box stays in the frame and overlaps neither an obstacle (a marker)
nor a label already placed wins. A label with no free place is left out and
returned, so the caller can list it in a legend instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CHAR_WIDTH = 0.68  # of the font size: a generous average for bold sans-serif digits and letters
ASCENT, DESCENT = 0.78, 0.24  # of the font size, above and below the baseline
GAP = 2.0  # between a marker and its label
LINE = 1.1  # line height of a label of several lines, in font sizes


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in SVG units."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area (touching edges do not count)."""
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def within(self, other: Box) -> bool:
        """Whether this box lies inside ``other``."""
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 and self.y1 <= other.y1


def square(x: float, y: float, half: float) -> Box:
    """The box of a marker of half-size ``half`` centred on (x, y)."""
    return Box(x - half, y - half, x + half, y + half)


def text_box(content: str, x: float, baseline: float, size: float) -> Box:
    """The box of ``content`` drawn centred on ``x`` (``text-anchor="middle"``) at ``baseline``.

    A newline starts a further line, :data:`LINE` font sizes lower.
    """
    lines = content.split("\n")
    half = max(len(line) for line in lines) * size * CHAR_WIDTH / 2
    depth = (len(lines) - 1) * size * LINE
    return Box(x - half, baseline - size * ASCENT, x + half, baseline + depth + size * DESCENT)


@dataclass(frozen=True)
class LabelRequest:
    """A label to place: its text, font size, CSS class and candidate (x, baseline) positions."""

    key: str
    text: str
    size: float
    css_class: str
    candidates: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Placed:
    """A placed label: where its text goes and the box it takes."""

    request: LabelRequest
    x: float
    baseline: float
    box: Box


def around_marker(
    x: float, y: float, half: float, content: str, size: float
) -> tuple[tuple[float, float], ...]:
    """Candidates next to a marker: right, left, above, below, then the four diagonals."""
    width = len(content) * size * CHAR_WIDTH
    side = half + GAP + width / 2
    middle = y + size * (ASCENT - DESCENT) / 2
    above, below = y - half - GAP - size * DESCENT, y + half + GAP + size * ASCENT
    return (
        (x + side, middle),
        (x - side, middle),
        (x, above),
        (x, below),
        (x + side, above),
        (x - side, above),
        (x + side, below),
        (x - side, below),
    )


def around_point(x: float, y: float, size: float, steps: int = 3) -> tuple[tuple[float, float], ...]:
    """Candidates for an area label: its anchor first, then rings of shifts outwards."""
    out = [(x, y + size * 0.3)]
    for ring in range(1, steps + 1):
        dy, dx = ring * size * 1.1, ring * size * 2.0
        for sx, sy in ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1)):
            out.append((x + sx * dx, y + size * 0.3 + sy * dy))
    return tuple(out)


def place_labels(
    requests: Sequence[LabelRequest], obstacles: Iterable[Box], frame: Box
) -> tuple[list[Placed], list[LabelRequest]]:
    """Place ``requests`` in order; return the placed labels and those left without a free place."""
    blocked = list(obstacles)
    placed: list[Placed] = []
    left_out: list[LabelRequest] = []
    for request in requests:
        spot = _first_free(request, blocked, frame)
        if spot is None:
            left_out.append(request)
            continue
        placed.append(spot)
        blocked.append(spot.box)
    return placed, left_out


def _first_free(request: LabelRequest, blocked: Sequence[Box], frame: Box) -> Placed | None:
    for x, baseline in request.candidates:
        box = text_box(request.text, x, baseline, request.size)
        if box.within(frame) and not any(box.overlaps(other) for other in blocked):
            return Placed(request, x, baseline, box)
    return None
