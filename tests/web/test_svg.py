"""The SVG chart renderers: well-formed, honest bars and lines (the map: test_map_*.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from ews.web.svg import nice_ceiling
from ews.web.svg_charts import TrendPoint, render_factor_bar, render_trend

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_trend_marks_backfilled_months_hollow_and_puts_higher_scores_higher() -> None:
    points = [TrendPoint("2024-04", 0.1, True), TrendPoint("2024-05", 0.3), TrendPoint("2024-06", 0.2)]
    dots = _parse(render_trend(points, title="Riwayat")).findall(".//s:circle", NS)
    assert [d.get("fill") for d in dots] == ["#ffffff", "#0b4f8a", "#0b4f8a"]
    ys = [float(d.get("cy") or 0) for d in dots]
    assert ys[1] < ys[2] < ys[0]
    xs = [float(d.get("cx") or 0) for d in dots]
    assert xs == sorted(xs)


def test_trend_without_history_says_so() -> None:
    assert "Belum ada riwayat skor" in render_trend([], title="Riwayat")


def _bar(svg: str) -> tuple[float, float]:
    rect = _parse(svg).find(".//s:rect", NS)
    assert rect is not None
    return float(rect.get("x") or 0), float(rect.get("width") or 0)


def test_factor_bars_point_right_for_raising_left_for_lowering_and_share_a_scale() -> None:
    up_x, up_w = _bar(render_factor_bar(0.4, 0.4, label="naik"))
    half_x, half_w = _bar(render_factor_bar(0.2, 0.4, label="naik"))
    down_x, down_w = _bar(render_factor_bar(-0.2, 0.4, label="turun"))
    assert up_x == half_x == 100.0
    assert abs(half_w - up_w / 2) < 0.02
    assert abs(down_x + down_w - 100.0) < 0.02 and abs(down_w - half_w) < 0.02


@given(st.floats(min_value=1e-6, max_value=1e6))
def test_nice_ceiling_is_just_above_the_value(value: float) -> None:
    top = nice_ceiling(value)
    assert value <= top * (1 + 1e-9) and top < value * 1.34


def test_trend_axis_reads_whole_percentages() -> None:
    points = [TrendPoint("2024-05", 0.2), TrendPoint("2024-06", 0.21)]
    labels = [t.text for t in _parse(render_trend(points, title="Riwayat")).findall(".//s:text", NS)]
    assert labels[:5] == ["0%", "6%", "12%", "18%", "24%"]
