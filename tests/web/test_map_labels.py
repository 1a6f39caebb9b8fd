"""Label placement: no two labels overlap, no label covers a marker, and what finds no room is returned."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from ews.web.map_labels import (
    Box,
    LabelRequest,
    around_marker,
    around_point,
    place_labels,
    square,
    text_box,
)

FRAME = Box(0, 0, 360, 300)


def _rw_label(code: str, x: float, y: float, half: float = 6.0) -> LabelRequest:
    return LabelRequest(code, code, 11.5, "rw-num", around_marker(x, y, half, code, 11.5))


def test_labels_avoid_markers_and_each_other() -> None:
    markers = [(100.0, 100.0), (125.0, 100.0), (112.0, 118.0), (300.0, 200.0)]
    obstacles = [square(x, y, 6.0) for x, y in markers]
    area = LabelRequest("kel", "Petojo Utara", 12.5, "map-label", around_point(112.0, 108.0, 12.5))
    requests = [area] + [_rw_label(f"{i:03d}", x, y) for i, (x, y) in enumerate(markers, 1)]
    placed, left_out = place_labels(requests, obstacles, FRAME)
    assert not left_out and len(placed) == 5
    for label in placed:
        assert label.box.within(FRAME)
        assert not any(label.box.overlaps(o) for o in obstacles)
    for a, b in itertools.combinations(placed, 2):
        assert not a.box.overlaps(b.box)
    assert placed[0].box != text_box("Petojo Utara", 112.0, 108.0 + 12.5 * 0.3, 12.5)  # moved off the markers


def test_a_label_with_no_free_place_is_left_out() -> None:
    wall = [Box(0, 0, 360, 300)]
    placed, left_out = place_labels([_rw_label("001", 50, 50)], wall, FRAME)
    assert placed == [] and [r.key for r in left_out] == ["001"]


def test_a_label_never_leaves_the_frame() -> None:
    placed, _ = place_labels([_rw_label("001", 2.0, 2.0)], [], FRAME)
    assert placed and placed[0].box.within(FRAME)


def test_several_lines_take_a_taller_box() -> None:
    one, two = text_box("Jakarta Pusat", 0, 0, 12), text_box("Jakarta\nPusat", 0, 0, 12)
    assert two.y1 > one.y1 and (two.x1 - two.x0) < (one.x1 - one.x0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(10, 350), st.floats(10, 290)), min_size=1, max_size=40))
def test_placed_labels_never_overlap_markers_or_each_other(points: list[tuple[float, float]]) -> None:
    obstacles = [square(x, y, 5.0) for x, y in points]
    requests = [_rw_label(f"{i:03d}", x, y, 5.0) for i, (x, y) in enumerate(points, 1)]
    placed, left_out = place_labels(requests, obstacles, FRAME)
    assert len(placed) + len(left_out) == len(points)
    for label in placed:
        assert label.box.within(FRAME) and not any(label.box.overlaps(o) for o in obstacles)
    for a, b in itertools.combinations(placed, 2):
        assert not a.box.overlaps(b.box)
