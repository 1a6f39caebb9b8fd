"""Small helpers shared by the SVG renderers: escaped elements, numbers and the tier defs.

The renderers build SVG as text (no drawing library): the output is tiny,
deterministic and inlined into the page, so nothing loads from elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from markupsafe import Markup, escape

from ews.web.style import TIER_ORDER, tier_style

Attrs = Mapping[str, str | float | int | None]


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (stable, compact output)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attrs(values: Attrs) -> str:
    """Render attributes in the given order; None values are left out."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        shown = num(value) if isinstance(value, float) else str(value)
        parts.append(f' {name}="{escape(shown)}"')
    return "".join(parts)


def el(name: str, values: Attrs, *children: str) -> str:
    """One element; children are already-rendered SVG (text must go through ``text``)."""
    if not children:
        return f"<{name}{attrs(values)}/>"
    return f"<{name}{attrs(values)}>{''.join(children)}</{name}>"


def text(content: str) -> str:
    """Escaped character data."""
    return str(escape(content))


def svg_root(
    width: float, height: float, label: str, body: Iterable[str], css_class: str, role: str
) -> Markup:
    """The outer ``<svg>`` scaled by CSS through its viewBox, titled for screen readers."""
    head = el("title", {}, text(label))
    values: Attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"0 0 {num(width)} {num(height)}",
        "class": css_class,
        "role": role,
        "aria-label": label,
        "preserveAspectRatio": "xMidYMid meet",
    }
    return Markup(el("svg", values, head, *body))


def nice_ceiling(value: float) -> float:
    """The smallest step x 10^k at or above ``value``, steps divisible by 4 (quarter ticks stay round)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 1.2, 1.6, 2.0, 2.4, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value - 1e-12:
            return step * power
    return 10.0 * power


def _pattern(pattern_id: str, kind: str, fill: str, ink: str) -> str:
    shapes = {
        "dots": el("circle", {"cx": 3, "cy": 3, "r": 1.1, "fill": ink}),
        "hatch": el("path", {"d": "M0 6 L6 0", "stroke": ink, "stroke-width": 1.2}),
        "cross": el("path", {"d": "M0 6 L6 0 M0 0 L6 6", "stroke": ink, "stroke-width": 1.1}),
    }
    background = el("rect", {"width": 6, "height": 6, "fill": fill})
    values: Attrs = {"id": pattern_id, "width": 6, "height": 6, "patternUnits": "userSpaceOnUse"}
    return el("pattern", values, background, shapes[kind])


def tier_defs(prefix: str) -> str:
    """``<defs>`` holding one hatch pattern per tier that has one (ids ``{prefix}-{tier}``)."""
    patterns = []
    for tier in TIER_ORDER:
        style = tier_style(tier)
        if style.pattern is not None:
            ink = "#ffffff" if style.ink == "#ffffff" else "#00000080"
            patterns.append(_pattern(f"{prefix}-{tier}", style.pattern, style.fill, ink))
    return el("defs", {}, *patterns)


def tier_fill(prefix: str, tier: str) -> str:
    """The fill of an area of ``tier``: its pattern when it has one, else its flat colour."""
    style = tier_style(tier)
    if style.pattern is None or tier not in TIER_ORDER:
        return style.fill
    return f"url(#{prefix}-{tier})"


def marker(shape: str, cx: float, cy: float, size: float, values: Attrs) -> str:
    """A tier marker centred on (cx, cy): circle, diamond, triangle or square of about ``size``."""
    h = size / 2
    if shape == "circle":
        return el("circle", {"cx": cx, "cy": cy, "r": h, **values})
    corners = {
        "diamond": [(0, -h * 1.2), (h * 1.2, 0), (0, h * 1.2), (-h * 1.2, 0)],
        "triangle": [(0, -h * 1.25), (h * 1.2, h), (-h * 1.2, h)],
        "square": [(-h, -h), (h, -h), (h, h), (-h, h)],
    }[shape]
    points = " ".join(f"{num(cx + dx)},{num(cy + dy)}" for dx, dy in corners)
    return el("polygon", {"points": points, **values})
