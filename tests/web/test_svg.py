"""The SVG renderers: well-formed, only the RWs given, north up, honest bars and lines."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from ews.web.svg import nice_ceiling
from ews.web.svg_charts import TrendPoint, render_factor_bar, render_trend
from ews.web.svg_map import MapPoint, render_map

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _points(located: bool = True) -> list[MapPoint]:
    lat, lon = (-6.170, 106.820) if located else (None, None)
    href = "/rw/31.71.01.1001.001"
    return [
        MapPoint("31.71.01.1001.001", "RW 001 Gambir", "sangat_tinggi", True, href, "Gambir", lat, lon),
        MapPoint("31.71.01.1001.002", "RW 002 Gambir", "rendah", False, None, "Gambir", -6.180, 106.820),
        MapPoint("31.71.01.1002.001", "RW 001 Cideng", "sedang", False, None, "Cideng", -6.175, 106.810),
    ]


def test_map_draws_exactly_the_given_rws_and_links_only_flagged_ones() -> None:
    root = _parse(render_map(_points(), title="Peta"))
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")][1:]
    assert sorted(t.split(":")[0] for t in titles if t) == ["RW 001 Cideng", "RW 001 Gambir", "RW 002 Gambir"]
    links = root.findall(".//s:a", NS)
    assert [a.get("href") for a in links] == ["/rw/31.71.01.1001.001"]


def test_map_is_north_up_and_west_left() -> None:
    svg = render_map(_points(), title="Peta")
    root = _parse(svg)
    north = root.find(".//s:a/s:polygon", NS)  # the flagged square at lat -6.170
    south = root.find(".//s:g[@class='rw']/s:circle", NS)  # the rendah circle at lat -6.180
    assert north is not None and south is not None
    north_y = max(float(p.split(",")[1]) for p in (north.get("points") or "").split())
    assert north_y < float(south.get("cy") or 0)


def test_map_falls_back_to_tiles_grouped_by_kelurahan_without_coordinates() -> None:
    root = _parse(render_map(_points(located=False), title="Peta"))
    assert len(root.findall(".//s:g[@class='rw']/s:rect", NS)) + len(root.findall(".//s:a/s:rect", NS)) == 3
    groups = [t.text for t in root.findall(".//s:text", NS) if t.get("class") == "map-group"]
    assert groups == ["Cideng", "Gambir"]


def test_map_uses_boundaries_only_for_rws_in_the_area() -> None:
    square = [[[106.81, -6.17], [106.82, -6.17], [106.82, -6.18], [106.81, -6.17]]]
    polygon = {"type": "Polygon", "coordinates": square}
    features = [
        {"properties": {"rw_code": code}, "geometry": polygon}
        for code in ("31.71.01.1001.002", "31.71.02.1001.001")
    ]
    boundaries = {"type": "FeatureCollection", "features": features}
    root = _parse(render_map(_points(), boundaries, title="Peta"))
    paths = root.findall(".//s:g[@class='rw']/s:path", NS)
    assert len(paths) == 1 and (paths[0].get("fill") or "").startswith("#")  # rendah: flat fill, no hatch
    assert "31.71.02" not in ET.tostring(root, encoding="unicode")


def test_map_escapes_names_and_is_deterministic() -> None:
    points = [MapPoint("31.71.01.1001.001", "RW <b>&", "tinggi", False, None, "<script>", 1.0, 2.0)]
    first, second = render_map(points, title="A & B"), render_map(points, title="A & B")
    assert first == second
    assert "<script>" not in first and "&lt;b&gt;&amp;" in first
    _parse(first)


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
