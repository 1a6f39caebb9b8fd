"""Feature building and batch scoring on a ``dask.distributed`` cluster, one task per area.

The driver (the process running ``ews score``) has loaded and validated the
folder; it splits it into partitions with halos (:mod:`ews.features.partition`),
scatters the model once to every worker, and sends each partition's
sub-folder to a worker, cutting the next ones only as tasks finish. Workers
build their area's features, score them and write the reason codes; the
driver puts the rows back in regions order and does what needs every RW at
once: flags (a province-wide share with a per-kelurahan capacity), tiers and
ranks. The result is the in-process table, exactly.

Sub-folders travel from the driver rather than being read by workers from the
folder path: workers of a real cluster need not see the driver's disk, the
folder is read and validated once instead of once per worker, and cutting a
halo needs the whole folder (neighbours derived from every RW's lat/lon,
victims' cases in other areas).

dask and distributed are imported only here, and this module only from the
``--scheduler`` path, so the in-process path never needs them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from ews.config import TrainSettings
from ews.data.folder import DataFolder
from ews.exceptions import ClusterError
from ews.features.panel import as_of_array
from ews.features.partition import Level, Partition, iter_partitions
from ews.features.rw import build_rw_features, check_rw_features, region_codes, rw_feature_columns, rw_index
from ews.models.backtest_types import month_rows
from ews.models.estimator import RiskClassifier
from ews.models.explain import Describer
from ews.models.scoring import explained_rows, finish_scores, score_rws

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
Timings = dict[str, float]
"""Partition key -> seconds its task ran on its worker."""


def connect(address: str, timeout: float = 10.0) -> Client:
    """A client of the Dask scheduler at ``address``; a one-sentence ``ClusterError`` if it is silent."""
    from distributed import Client
    from distributed.comm.addressing import get_address_host

    try:
        # A malformed address is refused before a Client exists: a Client that fails while
        # parsing it spends 20 s closing itself when collected.
        get_address_host(address)
    except ValueError as exc:
        raise ClusterError(f"the Dask scheduler address {address!r} is not valid: {exc}") from exc
    try:
        # distributed's Client is only partly annotated (its __init__ and scatter/gather are not).
        client = Client(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise ClusterError(f"could not reach the Dask scheduler at {address}: {reason}") from exc
    try:
        # Tasks given to a scheduler without workers would wait forever.
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as exc:
        client.close()  # type: ignore[no-untyped-call]
        raise ClusterError(f"the Dask scheduler at {address} has no workers (waited {timeout:g} s)") from exc
    return client


def build_rw_features_distributed(
    client: Client,
    folder: DataFolder,
    as_of_months: Sequence[int],
    by: Level = "kota",
    *,
    timings: Timings | None = None,
) -> pd.DataFrame:
    """``build_rw_features(folder, as_of_months)``, built area by area on the cluster: the same frame."""
    months = [int(m) for m in as_of_array(as_of_months)]
    if not months or folder.regions.empty:
        return build_rw_features(folder, months)
    blocks = _run(client, iter_partitions(folder, by), _partition_features, (months,), timings)
    index = rw_index(months, region_codes(folder))
    frame = pd.concat(blocks).reindex(index)
    check_rw_features(frame, rw_feature_columns(folder))
    return frame


def score_rws_distributed(
    client: Client,
    folder: DataFolder,
    as_of: int,
    model: RiskClassifier,
    settings: TrainSettings,
    *,
    by: Level = "kota",
    explain: bool = True,
    describer: Describer | None = None,
    timings: Timings | None = None,
) -> pd.DataFrame:
    """``score_rws(folder, as_of, model, settings)`` with features and reason codes built area by area on
    the cluster; scores, flags, tiers and ranks over all RWs on the driver: the same table, exactly."""
    if folder.regions.empty:
        return score_rws(folder, as_of, model, settings, explain=explain, describer=describer)
    # One copy of the model per worker, not one per task; hash=False skips tokenizing it.
    shared = client.scatter(model, broadcast=True, hash=False)  # type: ignore[no-untyped-call]
    arguments = (as_of, shared, settings.top_factors, explain, describer)
    blocks = _run(client, iter_partitions(folder, by), _partition_scores, arguments, timings)
    codes = region_codes(folder)
    features = pd.concat([area for area, _ in blocks]).reindex(codes).rename_axis("rw_code")
    rows = pd.concat([r for _, r in blocks]).set_index("rw_code", drop=False).reindex(codes)
    return finish_scores(rows.reset_index(drop=True), features, as_of, model, settings)


def _run(
    client: Client,
    parts: Iterable[Partition],
    task: Callable[..., T],
    arguments: tuple[Any, ...],
    timings: Timings | None,
    in_flight: int | None = None,
) -> list[T]:
    """``task(partition, *arguments)`` for every partition on the cluster; results in partition order.

    Partitions are cut, sent and let go of a few at a time (``in_flight``; default two
    per worker thread, so no worker waits for the driver to cut its next one): sending
    them all at once held every sub-folder, and its pickled copy, on the driver beside
    the folder, and ran a 1M-RW driver out of memory.
    """
    from distributed import KilledWorker, as_completed

    run = uuid.uuid4().hex[:8]
    window = in_flight or max(2, 2 * sum(client.nthreads().values()))  # type: ignore[no-untyped-call]
    pending: Any = as_completed(loop=client.loop)  # type: ignore[no-untyped-call]
    keys: dict[Any, str] = {}  # task key -> partition key
    results: dict[str, tuple[T, float]] = {}
    try:
        for part in parts:
            sent = client.scatter(part, hash=False)  # type: ignore[no-untyped-call]
            name = f"ews-{task.__name__}-{part.key}-{run}"
            future = client.submit(_timed, task, sent, *arguments, key=name)
            keys[future.key] = part.key
            pending.add(future)
            del part, sent  # the scheduler keeps the sent data until its task is done
            while pending.count() >= window:
                _collect(next(pending), keys, results)
        for future in pending:
            _collect(future, keys, results)
    except (KilledWorker, OSError, TimeoutError) as exc:
        raise ClusterError(f"the Dask cluster lost a task's worker: {exc}") from exc
    if timings is not None:
        timings.update({key: seconds for key, (_, seconds) in results.items()})
    return [results[key][0] for key in keys.values()]


def _collect(future: Any, keys: dict[Any, str], results: dict[str, tuple[T, float]]) -> None:
    """Move a finished task's result into ``results`` (by partition key) and free it on the cluster."""
    results[keys[future.key]] = future.result()
    future.release()


def _timed(task: Callable[..., T], *arguments: Any) -> tuple[T, float]:
    """``task(*arguments)`` and the seconds it took (on the worker)."""
    start = time.perf_counter()
    result = task(*arguments)
    return result, time.perf_counter() - start


def _partition_features(part: Partition, months: list[int]) -> pd.DataFrame:
    """The feature rows of ``part``'s own RWs (halo rows dropped)."""
    frame = build_rw_features(part.folder, months)
    own = np.isin(frame.index.get_level_values("rw_code").astype(str), part.own)
    return frame[own]


def _partition_scores(
    part: Partition,
    as_of: int,
    model: RiskClassifier,
    top_n: int,
    explain: bool,
    describer: Describer | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Features of ``part``'s own RWs as of the month, and their codes and reason codes (``explained_rows``).

    Scores are left to the driver (``finish_scores``): one product over every RW rounds as
    ``score_rws`` does; reason codes are exact per area (``Explainer``'s products are per row).
    """
    features = month_rows(_partition_features(part, [as_of]), as_of)
    return features, explained_rows(part.folder.regions, features, model, top_n, explain, describer)
