"""The RW page's charts: the 12-month score history and the reason-code bars.

Both are plain inline SVG sized through their viewBox; the page also prints
the same numbers as text so nothing is only in the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ews.web.style import month_short, percent
from ews.web.svg import Attrs, el, nice_ceiling, num, svg_root, text

WIDTH, HEIGHT = 320.0, 190.0
LEFT, RIGHT, TOP, BOTTOM = 36.0, 16.0, 10.0, 28.0
INK, GRID, LINE = "#1b1b1b", "#c8c8c8", "#0b4f8a"
UP, DOWN = "#a3361f", "#1d5f8c"


@dataclass(frozen=True)
class TrendPoint:
    """One month of an RW's score history; ``backfill`` marks a later rescoring, not a publication."""

    month: str
    score: float
    backfill: bool = False


def axis_percent(value: float) -> str:
    """Axis label: a whole percentage when it is one (``40%``), else one decimal (``2,5%``)."""
    pct = round(value * 100, 1)
    return f"{pct:.0f}%" if pct == int(pct) else percent(value)


def _y_axis(top: float) -> list[str]:
    out, plot_h = [], HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h * (1 - i / 4)
        out.append(el("line", {"x1": LEFT, "x2": WIDTH - RIGHT, "y1": y, "y2": y, "stroke": GRID}))
        out.append(
            el(
                "text",
                {"x": LEFT - 4, "y": y + 4, "text-anchor": "end", "class": "axis"},
                text(axis_percent(value)),
            )
        )
    return out


def _x_labels(points: Sequence[TrendPoint], xs: Sequence[float]) -> list[str]:
    # Every other month keeps 12 labels readable on a phone; the last month is always named.
    out = []
    for i, (point, x) in enumerate(zip(points, xs, strict=True)):
        if (len(points) - 1 - i) % 2 == 0:
            values: Attrs = {"x": x, "y": HEIGHT - BOTTOM + 16, "text-anchor": "middle", "class": "axis"}
            out.append(el("text", values, text(month_short(point.month))))
    return out


def _dots(points: Sequence[TrendPoint], xs: Sequence[float], ys: Sequence[float]) -> list[str]:
    out = []
    for point, x, y in zip(points, xs, ys, strict=True):
        fill = "#ffffff" if point.backfill else LINE
        tip = f"{month_short(point.month)}: {percent(point.score)}" + (
            " (dihitung belakangan)" if point.backfill else ""
        )
        dot: Attrs = {"cx": x, "cy": y, "r": 3.5, "fill": fill, "stroke": LINE, "stroke-width": 1.6}
        out.append(el("circle", dot, el("title", {}, text(tip))))
    return out


def render_trend(points: Sequence[TrendPoint], *, title: str) -> Markup:
    """Score by month as a line with dots (hollow dots: months scored later, not published then)."""
    if not points:
        empty = el(
            "text", {"x": WIDTH / 2, "y": HEIGHT / 2, "text-anchor": "middle"}, text("Belum ada riwayat skor")
        )
        return svg_root(WIDTH, HEIGHT, title, [empty], "chart trend", "img")
    top = nice_ceiling(max(p.score for p in points) * 1.1)
    step = (WIDTH - LEFT - RIGHT) / max(len(points) - 1, 1)
    xs = [LEFT + step * i if len(points) > 1 else (LEFT + WIDTH - RIGHT) / 2 for i in range(len(points))]
    ys = [TOP + (HEIGHT - TOP - BOTTOM) * (1 - p.score / top) for p in points]
    line = el(
        "polyline",
        {
            "points": " ".join(f"{num(x)},{num(y)}" for x, y in zip(xs, ys, strict=True)),
            "fill": "none",
            "stroke": LINE,
            "stroke-width": 2,
        },
    )
    body = [*_y_axis(top), line, *_dots(points, xs, ys), *_x_labels(points, xs)]
    return svg_root(WIDTH, HEIGHT, title, body, "chart trend", "img")


def render_factor_bar(contribution: float, largest: float, *, label: str) -> Markup:
    """One reason code's bar: right and red-brown raises the score, left and blue lowers it.

    Bars share the scale of the ``largest`` absolute contribution on the page so
    their lengths compare; the sentence itself is HTML next to the bar (it wraps).
    """
    width, height, mid = 200.0, 16.0, 100.0
    length = 0.0 if largest <= 0 else min(abs(contribution) / largest, 1.0) * (mid - 2)
    x = mid if contribution >= 0 else mid - length
    fill = UP if contribution >= 0 else DOWN
    axis = el("line", {"x1": mid, "x2": mid, "y1": 0, "y2": height, "stroke": INK, "stroke-width": 1})
    bar = el("rect", {"x": x, "y": 3, "width": max(length, 1.0), "height": height - 6, "fill": fill})
    return svg_root(width, height, label, [bar, axis], "chart factor-bar", "img")
