"""The static synthetic Jakarta: RWs with population, area, centroids, socio-economic traits, adjacency.

Geography is always drawn for the whole province from its own random stream,
so a world cut to one kecamatan has exactly the RWs (and traits) it would
have inside the full world. Kelurahan sit on a sunflower pattern inside a
disc of their kecamatan's area around its centroid, RWs likewise inside their
kelurahan; adjacency links each RW to its nearest RWs within a distance scaled
by their size (no scipy, whose import alone costs most of a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.synth.admin import kelurahan_table, placement_figures

KM_PER_DEGREE = 110.6
ORIGIN = (-6.2, 106.8)
PEOPLE_PER_RW = 3900.0
GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Geography:
    """RW table (public and hidden columns), adjacency pairs and complaint-post sites."""

    rws: pd.DataFrame
    neighbors: pd.DataFrame
    posts: pd.DataFrame


def _kecamatan_frame(rng: np.random.Generator) -> pd.DataFrame:
    figures = placement_figures()
    rows = [(code, *values) for code, values in figures["kecamatan"].items()]
    kec = pd.DataFrame(rows, columns=["kecamatan_code", "lat", "lon", "area_km2", "poverty", "spread_km"])
    kec["kota_code"] = kec["kecamatan_code"].str[:5]
    # Poorer kecamatan are denser; the lognormal spreads density within a kota.
    weight = kec["area_km2"] * (1.0 + kec["poverty"]) * np.exp(rng.normal(0.0, 0.3, len(kec)))
    share = weight / weight.groupby(kec["kota_code"]).transform("sum")
    kec["population"] = share * kec["kota_code"].map(figures["kota_population"])
    x, y = _to_km(kec["lat"].to_numpy(), kec["lon"].to_numpy())
    kec["x_km"], kec["y_km"] = x, y
    return kec.sort_values("kecamatan_code").reset_index(drop=True)


def _to_km(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    scale = np.cos(np.radians(ORIGIN[0]))
    return (lon - ORIGIN[1]) * KM_PER_DEGREE * scale, (lat - ORIGIN[0]) * KM_PER_DEGREE


def _to_degrees(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    scale = np.cos(np.radians(ORIGIN[0]))
    return ORIGIN[0] + y / KM_PER_DEGREE, ORIGIN[1] + x / (KM_PER_DEGREE * scale)


def _sunflower(n: int, radius: float, rotation: float) -> tuple[FloatArray, FloatArray]:
    """``n`` evenly spread points in a disc (Vogel's spiral), so neighbours look like neighbours."""
    i = np.arange(n, dtype=np.float64)
    r = radius * np.sqrt((i + 0.5) / n)
    theta = i * GOLDEN_ANGLE + rotation
    return r * np.cos(theta), r * np.sin(theta)


def _split(
    total: FloatArray, groups: npt.NDArray[np.int64], concentration: float, rng: np.random.Generator
) -> FloatArray:
    """Split each group's total among its members with Dirichlet shares."""
    raw = rng.gamma(concentration, 1.0, len(groups))
    sums = np.bincount(groups, weights=raw)
    return np.asarray(total[groups] * raw / sums[groups], dtype=np.float64)


def _kelurahan_frame(kec: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    kel = kelurahan_table()
    kec_index = kel["kecamatan_code"].map(pd.Series(np.arange(len(kec)), index=kec["kecamatan_code"]))
    groups = kec_index.to_numpy(dtype=np.int64)
    kel["population"] = _split(kec["population"].to_numpy(), groups, 5.0, rng)
    kel["area_km2"] = _split(kec["area_km2"].to_numpy(), groups, 5.0, rng)
    kel["x_km"], kel["y_km"] = _place_children(kec, groups, rng, spread=kec["spread_km"].to_numpy())
    kel["kec_poverty"] = kec["poverty"].to_numpy()[groups]
    return kel


def _place_children(
    parents: pd.DataFrame, groups: npt.NDArray[np.int64], rng: np.random.Generator, spread: FloatArray
) -> tuple[FloatArray, FloatArray]:
    x = np.zeros(len(groups))
    y = np.zeros(len(groups))
    radius = np.where(spread > 0, spread, np.sqrt(parents["area_km2"].to_numpy() / np.pi))
    centre_x = parents["x_km"].to_numpy(dtype=np.float64)
    centre_y = parents["y_km"].to_numpy(dtype=np.float64)
    for g in range(len(parents)):
        members = np.flatnonzero(groups == g)
        dx, dy = _sunflower(len(members), float(radius[g]), float(rng.uniform(0, 2 * np.pi)))
        x[members] = centre_x[g] + dx
        y[members] = centre_y[g] + dy
    return x, y


def _rw_frame(kel: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    noise = np.exp(rng.normal(0.0, 0.15, len(kel)))
    counts = np.clip(np.rint(kel["population"].to_numpy() / PEOPLE_PER_RW * noise), 3, 40).astype(np.int64)
    groups = np.repeat(np.arange(len(kel)), counts)
    numbers = np.concatenate([np.arange(1, c + 1) for c in counts])
    rws = kel.iloc[groups].reset_index(drop=True)
    rws["rw_code"] = rws["kelurahan_code"] + "." + pd.Series(numbers).map("{:03d}".format)
    rws["population"] = np.rint(_split(kel["population"].to_numpy(), groups, 6.0, rng)).astype(np.int64)
    size = rng.uniform(3.2, 3.9, len(rws))
    rws["households"] = np.rint(rws["population"] / size).astype(np.int64)
    rws["area_km2"] = _split(kel["area_km2"].to_numpy(), groups, 10.0, rng)
    kel_shape = kel.assign(spread_km=0.0)
    rws["x_km"], rws["y_km"] = _place_children(kel_shape, groups, rng, spread=np.zeros(len(kel)))
    return rws


def _traits(rws: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Hidden drivers (poverty, hot/cold place) and the static columns published from them."""
    kel_codes, kel_index = np.unique(rws["kelurahan_code"].to_numpy(), return_inverse=True)
    kel_poverty = rng.normal(0.0, 0.4, len(kel_codes))[kel_index]
    kel_hot = rng.normal(0.0, 0.3, len(kel_codes))[kel_index]
    n = len(rws)
    density = rws["population"] / (rws["area_km2"] * 100.0)
    log_density = np.log(density / density.median())
    poverty = 2.0 * (rws["kec_poverty"] - 0.5) + kel_poverty + rng.normal(0.0, 0.6, n) + 0.2 * log_density
    kumuh_logit = -2.6 + 1.1 * poverty + 0.4 * log_density
    rws["poverty_z"] = poverty
    rws["hot_u"] = kel_hot + rng.normal(0.0, 0.45, n)
    rws["kumuh"] = (rng.random(n) < 1.0 / (1.0 + np.exp(-kumuh_logit))).astype(np.float64)
    rws["kepadatan_per_ha"] = density.round(1)
    miskin = 100.0 / (1.0 + np.exp(-(-2.2 + 0.8 * poverty + rng.normal(0.0, 0.3, n))))
    rws["persen_keluarga_miskin"] = miskin.round(1)
    return rws


def _post_sites(kec: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One complaint post per kecamatan (the 2025 network) at its centre; ``wave`` orders openings."""
    posts = kec[["kecamatan_code", "x_km", "y_km"]].copy()
    posts["wave"] = rng.permutation(len(posts))
    return posts


def _post_distance(rws: pd.DataFrame, posts: pd.DataFrame) -> FloatArray:
    site = posts.set_index("kecamatan_code").loc[rws["kecamatan_code"]]
    dx = rws["x_km"].to_numpy() - site["x_km"].to_numpy()
    dy = rws["y_km"].to_numpy() - site["y_km"].to_numpy()
    return np.asarray(np.hypot(dx, dy), dtype=np.float64)


def _nearest(points: FloatArray, k: int) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """The ``k`` nearest other points of each point (brute force in blocks to bound memory)."""
    index = np.empty((len(points), k), dtype=np.int64)
    dist = np.empty((len(points), k))
    x, y = points[:, 0], points[:, 1]
    for lo in range(0, len(points), 512):
        dx, dy = x[lo : lo + 512, None] - x[None, :], y[lo : lo + 512, None] - y[None, :]
        block = dx * dx + dy * dy  # squared: cheaper than hypot, same order
        block[np.arange(len(block)), np.arange(lo, lo + len(block))] = np.inf
        part = np.argpartition(block, k, axis=1)[:, :k]
        near = np.take_along_axis(block, part, axis=1)
        order = np.argsort(near, axis=1, kind="stable")
        index[lo : lo + 512] = np.take_along_axis(part, order, axis=1)
        dist[lo : lo + 512] = np.sqrt(np.take_along_axis(near, order, axis=1))
    return index, dist


def _adjacency(rws: pd.DataFrame) -> pd.DataFrame:
    """RW pairs among each RW's 6 nearest whose gap is at most about twice their combined radii.

    The nearest RW is always kept so no RW is left without neighbours.
    """
    points = rws[["x_km", "y_km"]].to_numpy()
    index, dist = _nearest(points, 6)
    radius = np.sqrt(rws["area_km2"].to_numpy() / np.pi)
    limit = 2.0 * (radius[:, None] + radius[index]) + 0.2
    keep = dist <= limit
    keep[:, 0] = True
    source = np.repeat(np.arange(len(points)), keep.sum(axis=1))
    edges = np.unique(np.sort(np.column_stack([source, index[keep]]), axis=1), axis=0)
    codes = rws["rw_code"].to_numpy()
    pairs = pd.DataFrame({"rw_code": codes[edges[:, 0]], "neighbor_code": codes[edges[:, 1]]})
    return pairs.sort_values(["rw_code", "neighbor_code"]).reset_index(drop=True)


@lru_cache(maxsize=4)
def build_geography(seed: int) -> Geography:
    """The whole province's RWs for ``seed`` (deterministic; independent of any area filter).

    Cached per seed because tests build several worlds from one seed; callers
    must not modify the returned frames (copy them first).
    """
    rng = np.random.default_rng([seed, 101])
    kec = _kecamatan_frame(rng)
    rws = _traits(_rw_frame(_kelurahan_frame(kec, rng), rng), rng)
    posts = _post_sites(kec, rng)
    rws["jarak_pos_km"] = _post_distance(rws, posts).round(2)
    rws["lat"], rws["lon"] = (
        np.round(v, 6) for v in _to_degrees(rws["x_km"].to_numpy(), rws["y_km"].to_numpy())
    )
    rws["area_km2"] = rws["area_km2"].round(4)
    return Geography(rws=rws.reset_index(drop=True), neighbors=_adjacency(rws), posts=posts)
