"""The rendered map: every RW a link with its list href, RW numbers, outlines, labels that never collide,
the province at a readable scale with Kepulauan Seribu in an inset, and the tile fallback."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import pandas as pd
from world import KEC_GAMBIR, KEL_GAMBIR, regions, rw_scores

from ews.web.map_labels import Box, text_box
from ews.web.svg_map import MapPoint, render_map
from ews.web.views import rw_href

SVG = "{http://www.w3.org/2000/svg}"
NS = {"s": "http://www.w3.org/2000/svg"}
MONTH = "2024-06"


def _points(frame: pd.DataFrame, scores: pd.DataFrame, located: bool = True) -> list[MapPoint]:
    by_code = scores.set_index("rw_code")
    out = []
    for row in frame.itertuples():
        score = by_code.loc[row.rw_code]
        lat, lon = (float(row.lat), float(row.lon)) if located else (None, None)
        label = f"RW {row.rw_code[-3:]} {row.kelurahan_name}"
        href = rw_href(row.rw_code, MONTH)
        kota = str(row.kota_name)
        out.append(
            MapPoint(
                row.rw_code, label, score.tier, bool(score.flagged), href, row.kelurahan_name, lat, lon, kota
            )
        )
    return out


def _world(prefix: str = "", located: bool = True) -> list[MapPoint]:
    frame = regions()
    return _points(frame[frame["rw_code"].str.startswith(prefix)], rw_scores(), located)


@lru_cache(maxsize=1)
def _province() -> list[MapPoint]:
    """A synthetic DKI Jakarta (2,700 RWs in 6 kota with Kepulauan Seribu); 1 RW in 20 flagged."""
    from ews.synth.geography import build_geography

    frame = build_geography(7).rws
    tiers = ["rendah", "sedang", "tinggi", "sangat_tinggi"]
    scores = pd.DataFrame(
        {
            "rw_code": frame["rw_code"],
            "tier": [tiers[(i * 7) % 4] for i in range(len(frame))],
            "flagged": [i % 20 == 0 for i in range(len(frame))],
        }
    )
    return _points(frame, scores)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _marker_links(root: ET.Element) -> list[ET.Element]:
    return [a for a in root.iter(f"{SVG}a") if a.get("aria-label")]


def _marker_box(shape: ET.Element) -> Box:
    if shape.tag == f"{SVG}circle":
        x, y, r = (float(shape.get(k) or 0) for k in ("cx", "cy", "r"))
        return Box(x - r, y - r, x + r, y + r)
    xy = [tuple(float(v) for v in p.split(",")) for p in (shape.get("points") or "").split()]
    return Box(min(p[0] for p in xy), min(p[1] for p in xy), max(p[0] for p in xy), max(p[1] for p in xy))


def _label_boxes(root: ET.Element) -> list[tuple[str, Box]]:
    out = []
    for group in root.iter(f"{SVG}g"):
        size = group.get("font-size")
        for label in group.findall("s:text", NS) if size else []:
            content = "\n".join(t for t in label.itertext())
            out.append(
                (
                    content,
                    text_box(
                        content, float(label.get("x") or 0), float(label.get("y") or 0), float(size or 0)
                    ),
                )
            )
    return out


def test_every_marker_links_to_the_same_rw_page_as_the_list_and_its_cell_too() -> None:
    points = _world(KEC_GAMBIR)
    root = _parse(render_map(points, title="Peta"))
    marks = _marker_links(root)
    assert sorted(a.get("href") or "" for a in marks) == sorted(rw_href(p.rw_code, MONTH) for p in points)
    for point in points:
        links = [a for a in root.iter(f"{SVG}a") if a.get("href") == point.href]
        named = [a for a in links if a.get("aria-label")]
        hidden = [a for a in links if a.get("tabindex") == "-1"]
        assert len(named) == 1 and len(hidden) == 1, point.rw_code
        assert (named[0].get("aria-label") or "").startswith(f"{point.label}: risiko ")
    assert not list(root.iter(f"{SVG}title"))[
        1:
    ]  # no hover-only names: the accessible name is the aria-label


def test_the_lurah_map_writes_every_rw_number_and_outlines_the_kelurahan() -> None:
    points = _world(KEL_GAMBIR)
    root = _parse(render_map(points, title="Peta"))
    numbers = sorted(t.text or "" for g in root.iter(f"{SVG}g") if g.get("class") == "rw-num" for t in g)
    assert numbers == sorted(p.rw_code[-3:] for p in points)
    outlines = [g for g in root.iter(f"{SVG}g") if g.get("class") == "outline"]
    assert len(outlines) == 1 and len(outlines[0]) == 1  # one kelurahan, one outline
    assert "Tanpa label" not in ET.tostring(root, encoding="unicode")


def test_camat_labels_never_overlap_each_other_or_cover_a_marker() -> None:
    points = _world(KEC_GAMBIR)
    root = _parse(render_map(points, title="Peta"))
    markers = [_marker_box(a[-1]) for a in _marker_links(root)]
    labels = _label_boxes(root)
    kelurahan = {p.group for p in points}
    written = {text for text, _ in labels}
    note = " ".join(t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "map-note")
    assert all(name in written or name in note for name in kelurahan)  # on the map or in the legend under it
    assert len(labels) > len(points) // 2 and len(markers) == len(points)
    for text, box in labels:
        assert not any(box.overlaps(m) for m in markers), f"label {text!r} covers a marker"
    for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
        assert not box_a.overlaps(box_b), f"labels {a!r} and {b!r} overlap"


def test_the_map_is_north_up_and_west_left() -> None:
    points = _world(KEL_GAMBIR)
    root = _parse(render_map(points, title="Peta"))
    where = {a.get("href"): _marker_box(a[-1]) for a in _marker_links(root)}
    north = max(points, key=lambda p: p.lat or 0)
    south = min(points, key=lambda p: p.lat or 0)
    west = min(points, key=lambda p: p.lon or 0)
    east = max(points, key=lambda p: p.lon or 0)
    assert where[north.href].y0 < where[south.href].y0 and where[west.href].x0 < where[east.href].x0


def test_the_province_map_labels_kota_only_and_puts_kepulauan_seribu_in_an_inset() -> None:
    points = _province()
    svg = str(render_map(points, title="Peta DKI Jakarta"))
    root = _parse(svg)
    assert len(svg) < 80_000  # 2,700 RWs: a page stays well under 150 KB
    classes = {g.get("class") for g in root.iter(f"{SVG}g")}
    assert "rw-num" not in classes and "map-label" not in classes and "kota-outline" in classes
    kota_labels = [t for g in root.iter(f"{SVG}g") if g.get("class") == "kota-label" for t in g]
    assert 1 <= len(kota_labels) <= 5
    inset = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "inset")
    box = Box(*(float(inset.get(k) or 0) for k in ("x", "y")), 0, 0)
    box = Box(
        box.x0, box.y0, box.x0 + float(inset.get("width") or 0), box.y0 + float(inset.get("height") or 0)
    )
    titles = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "inset-title"]
    assert titles and titles[0].startswith("Kep")
    for link in _marker_links(root):
        inside = _marker_box(link[-1]).overlaps(box)
        assert inside == ("/rw/31.01." in (link.get("href") or "")), link.get("href")
    flagged = sorted(p.href or "" for p in points if p.flagged)
    assert sorted(a.get("href") or "" for a in _marker_links(root)) == flagged
    dots = [g for g in root.iter(f"{SVG}g") if g.get("class") == "dots"]
    assert len(dots) == 1 and sum(len(re.findall("h0", p.get("d") or "")) for p in dots[0]) == len(
        points
    ) - len(flagged)


def test_without_coordinates_every_rw_is_a_linked_numbered_tile_grouped_by_kelurahan() -> None:
    points = _world(KEC_GAMBIR, located=False)
    root = _parse(render_map(points, title="Peta"))
    links = _marker_links(root)
    assert sorted(a.get("href") or "" for a in links) == sorted(p.href or "" for p in points)
    assert all(a.find("s:rect", NS) is not None and a.find("s:text", NS) is not None for a in links)
    groups = [t.text for t in root.findall(".//s:text", NS) if t.get("class") == "map-group"]
    assert groups == sorted({p.group for p in points})


def test_boundaries_are_used_only_for_rws_in_the_area() -> None:
    points = _world(KEL_GAMBIR)
    features = []
    for p in [*points, MapPoint("31.71.02.1001.001", "x", "rendah", lat=-6.16, lon=106.83)]:
        lon, lat, h = float(p.lon or 0), float(p.lat or 0), 0.0008
        ring = [
            [lon - h, lat - h],
            [lon + h, lat - h],
            [lon + h, lat + h],
            [lon - h, lat + h],
            [lon - h, lat - h],
        ]
        features.append(
            {"properties": {"rw_code": p.rw_code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        )
    svg = str(render_map(points, {"type": "FeatureCollection", "features": features}, title="Peta"))
    root = _parse(svg)
    cells = [a for a in root.iter(f"{SVG}a") if a.get("tabindex") == "-1"]
    assert len(cells) == len(points) and "31.71.02" not in svg
    assert all(len(re.findall(r"[ML]?-?\d+ -?\d+", a[0].get("d") or "")) == 4 for a in cells)  # the squares


def test_names_are_escaped_and_the_output_is_deterministic() -> None:
    points = [
        MapPoint("31.71.01.1001.001", "RW <b>&", "tinggi", False, "/rw/x?a=1&b=2", "<script>", 1.0, 2.0)
    ]
    first, second = render_map(points, title="A & B"), render_map(points, title="A & B")
    assert first == second
    assert "<script>" not in first and "&lt;b&gt;&amp;" in first and "a=1&amp;b=2" in first
    _parse(first)


def test_hit_areas_widen_a_marker_only_within_its_own_cell() -> None:
    """A marker's invisible hit circle reaches at most half way to the nearest RW: it never takes a tap
    meant for a neighbour's cell."""
    root = _parse(render_map(_world(KEC_GAMBIR), title="Peta"))
    hits = [
        (float(c.get("cx") or 0), float(c.get("cy") or 0), float(c.get("r") or 0))
        for c in root.iter(f"{SVG}circle")
        if c.get("class") == "hit"
    ]
    assert len(hits) == len(_world(KEC_GAMBIR))
    for (x, y, r), (ox, oy, o_r) in itertools.combinations(hits, 2):
        assert r + o_r <= ((x - ox) ** 2 + (y - oy) ** 2) ** 0.5 + 0.02  # coordinates have 2 decimals
