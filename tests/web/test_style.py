"""Tier colours: readable (WCAG AA), ordered light to dark, and the CSS agrees with the Python."""

from __future__ import annotations

import re

import pytest

from ews.web.render import STATIC
from ews.web.style import TIER_ORDER, TIER_STYLES, month_long, percent, rw_number


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("tier", TIER_ORDER)
def test_badge_text_meets_wcag_aa_on_its_fill(tier: str) -> None:
    style = TIER_STYLES[tier]
    assert _contrast(style.ink, style.fill) >= 4.5


def test_tiers_darken_with_risk_and_differ_in_shape() -> None:
    lum = [_luminance(TIER_STYLES[t].fill) for t in TIER_ORDER]
    assert lum == sorted(lum, reverse=True) and len(set(lum)) == len(lum)
    assert len({TIER_STYLES[t].shape for t in TIER_ORDER}) == len(TIER_ORDER)


def test_stylesheet_uses_the_same_tier_colours() -> None:
    css = (STATIC / "dasbor.css").read_text(encoding="utf-8")
    for tier in TIER_ORDER:
        rule = re.search(
            rf"\.tier-{tier} \{{ background: (#[0-9a-f]{{6}}); color: (#[0-9a-f]{{6}}); \}}", css
        )
        assert rule is not None, tier
        assert (rule.group(1), rule.group(2)) == (TIER_STYLES[tier].fill, TIER_STYLES[tier].ink)


def test_indonesian_formats() -> None:
    assert month_long("2025-06") == "Juni 2025"
    assert percent(0.123) == "12,3%"
    assert rw_number("31.71.01.1001.005") == "RW 005"
