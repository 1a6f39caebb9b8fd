"""A three-kota world whose neighbours cross kota lines, and one small Dask cluster for the module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from dask_world import AREAS, SETTINGS, with_cross_kota_victim

from ews.data.folder import DataFolder
from ews.models.estimator import RiskClassifier
from ews.months import parse_month


@pytest.fixture(scope="session")
def three_kota(tmp_path_factory: pytest.TempPathFactory) -> DataFolder:
    """The world as loaded, with one victim whose second case is in another kota."""
    from ews.data.load import read_folder
    from ews.synth import generate

    out = tmp_path_factory.mktemp("three-kota") / "data"
    generate(
        out, seed=5, start=parse_month("2021-01"), end=parse_month("2024-12"), areas=AREAS, fmt="parquet"
    )
    return with_cross_kota_victim(read_folder(out))


@pytest.fixture(scope="session")
def no_neighbors_file(three_kota: DataFolder) -> DataFolder:
    """The same world without its neighbors file: neighbours come from lat/lon."""
    return replace(three_kota, neighbors=None)


@pytest.fixture(scope="session")
def models(three_kota: DataFolder) -> dict[str, RiskClassifier]:
    """A logit and a tree model fitted on the world (a few seconds together)."""
    from ews.models.backtest_fold import fit_on_matured
    from ews.models.rw import rw_spec

    as_of = three_kota.last_month + 1
    spec = rw_spec(three_kota, as_of, SETTINGS)
    return {kind: fit_on_matured(spec, as_of, {"kind": kind}) for kind in ("logit", "hgb")}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two worker processes, one thread each: what a small real cluster looks like to ews."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster, set_as_default=False) as connected,
    ):
        yield connected
