"""The analyst view's backtest chart: per metric, one bar each for the model, the best baseline and the truth.

Bars are told apart by their row label and a different fill pattern, not by
colour alone; every value is also printed at the bar's end and in the table
next to the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ews.web.style import percent
from ews.web.svg import el, svg_root, text

WIDTH, LABEL_W, VALUE_W = 420.0, 150.0, 52.0
BAR_H, GAP, GROUP_GAP, HEAD_H = 14.0, 3.0, 12.0, 16.0
FILLS = {"model": "#0b4f8a", "baseline": "#8a8a8a", "truth": "#ffffff"}
INK, GRID = "#1b1b1b", "#c8c8c8"


@dataclass(frozen=True)
class Bar:
    """One scorer's value of one metric (0..1)."""

    label: str
    role: str
    value: float


@dataclass(frozen=True)
class BarGroup:
    """One metric and its bars."""

    title: str
    bars: tuple[Bar, ...]


def _bar(bar: Bar, y: float, scale: float) -> list[str]:
    width = max(bar.value, 0.0) * scale
    fill = FILLS.get(bar.role, FILLS["baseline"])
    return [
        el(
            "text",
            {"x": LABEL_W - 6, "y": y + BAR_H - 3, "text-anchor": "end", "class": "axis"},
            text(bar.label),
        ),
        el("rect", {"x": LABEL_W, "y": y, "width": width, "height": BAR_H, "fill": fill, "stroke": INK}),
        el("text", {"x": LABEL_W + width + 4, "y": y + BAR_H - 3, "class": "axis"}, text(percent(bar.value))),
    ]


def _group(group: BarGroup, y: float, scale: float) -> tuple[list[str], float]:
    out = [
        el("text", {"x": 0, "y": y + HEAD_H - 4, "class": "axis", "font-weight": "bold"}, text(group.title))
    ]
    y += HEAD_H
    for bar in group.bars:
        out += _bar(bar, y, scale)
        y += BAR_H + GAP
    return out, y + GROUP_GAP


def render_bars(groups: Sequence[BarGroup], *, title: str) -> Markup:
    """Horizontal bars on a shared 0..100% scale, one block per metric."""
    scale = WIDTH - LABEL_W - VALUE_W
    body: list[str] = []
    y = 0.0
    for group in groups:
        parts, y = _group(group, y, scale)
        body += parts
    axis = el("line", {"x1": LABEL_W, "x2": LABEL_W, "y1": 0, "y2": y, "stroke": GRID})
    return svg_root(WIDTH, max(y, 1.0), title, [axis, *body], "chart bars", "img")
