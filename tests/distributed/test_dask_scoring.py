"""On a LocalCluster (2 worker processes): the same features and the same score table as in-process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from cli_run import run_cli
from dask_world import SETTINGS

from ews.data.folder import DataFolder
from ews.distributed.run import build_rw_features_distributed, score_rws_distributed
from ews.features.partition import Level
from ews.features.rw import build_rw_features
from ews.models.estimator import RiskClassifier
from ews.models.scoring import score_rws
from ews.months import format_month

WORLDS = ["three_kota", "no_neighbors_file"]


@pytest.mark.parametrize("world", WORLDS)
def test_features_are_the_in_process_ones_exactly(
    world: str, client: Any, request: pytest.FixtureRequest
) -> None:
    folder: DataFolder = request.getfixturevalue(world)
    months = list(range(folder.last_month - 11, folder.last_month + 2))
    timings: dict[str, float] = {}
    built = build_rw_features_distributed(client, folder, months, timings=timings)
    pd.testing.assert_frame_equal(built, build_rw_features(folder, months), check_exact=True)
    assert sorted(timings) == ["31.71", "31.73", "31.74"]


@pytest.mark.parametrize(
    ("world", "kind", "by"),
    [
        ("three_kota", "logit", "kota"),
        ("three_kota", "hgb", "kota"),
        ("three_kota", "logit", "kecamatan"),
        ("no_neighbors_file", "hgb", "kota"),
    ],
)
def test_scores_and_reasons_are_the_in_process_ones_exactly(
    world: str,
    kind: str,
    by: Level,
    client: Any,
    models: dict[str, RiskClassifier],
    request: pytest.FixtureRequest,
) -> None:
    folder: DataFolder = request.getfixturevalue(world)
    as_of = folder.last_month + 1
    timings: dict[str, float] = {}
    table = score_rws_distributed(client, folder, as_of, models[kind], SETTINGS, by=by, timings=timings)
    pd.testing.assert_frame_equal(table, score_rws(folder, as_of, models[kind], SETTINGS), check_exact=True)
    assert table["flagged"].any() and table["top_factors"].str.len().min() > 2
    assert len(timings) == {"kota": 3, "kecamatan": 5}[by] and min(timings.values()) > 0


def test_ews_score_on_a_cluster_writes_the_in_process_file(
    three_kota: DataFolder,
    models: dict[str, RiskClassifier],
    client: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import ews.cli.score
    import ews.model_loading

    monkeypatch.setattr(ews.cli.score, "validated_folder", lambda directory: three_kota)
    monkeypatch.setattr(ews.model_loading, "load_model", lambda uri: models["hgb"])
    month = format_month(three_kota.last_month + 1)
    base = ["score", str(tmp_path), "--as-of", month, "--model-uri", "runs:/x/model"]
    assert run_cli([*base, "--out", str(tmp_path / "here.csv")], capsys)[0] == 0
    monkeypatch.setenv("EWS_DASK_SCHEDULER", client.scheduler.address)
    code, _, err = run_cli([*base, "--out", str(tmp_path / "there.csv")], capsys)
    assert code == 0 and f"on the Dask cluster at {client.scheduler.address}" in err.replace("\n", "")
    assert (tmp_path / "there.csv").read_bytes() == (tmp_path / "here.csv").read_bytes()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("tcp://127.0.0.1:9", "could not reach the Dask scheduler at tcp://127.0.0.1:9: Timed out"),
        ("tcp:/nowhere", "the Dask scheduler address 'tcp:/nowhere' is not valid"),
    ],
)
def test_a_bad_scheduler_is_one_sentence_and_exit_one(
    address: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("EWS_DASK_TIMEOUT", "1")
    argv = [
        "score",
        str(tmp_path),
        "--as-of",
        "2024-01",
        "--out",
        str(tmp_path / "s.csv"),
        "--scheduler",
        address,
    ]
    code, out, err = run_cli(argv, capsys)
    text = (out + err).replace("\n", "")
    assert code == 1 and message in text and "Traceback" not in text
    assert not (tmp_path / "s.csv").exists()


def test_a_scheduler_without_workers_is_refused_not_waited_on() -> None:
    from distributed import LocalCluster

    from ews.distributed.run import connect
    from ews.exceptions import ClusterError

    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty:
        address = empty.scheduler_address
        with pytest.raises(ClusterError, match=f"the Dask scheduler at {address} has no workers"):
            connect(address, timeout=1)


def test_the_in_process_path_never_imports_dask() -> None:
    code = (
        "import sys, ews.cli, ews.cli.models, ews.models.scoring, ews.features.partition; "
        "ews.cli._register_commands(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_driver_holds_only_the_partitions_in_flight(three_kota: DataFolder, client: Any) -> None:
    # Sending every sub-folder at once ran a 1M-RW driver out of memory: each partition is let go
    # of once sent, and the next is cut only when fewer than `in_flight` tasks are unfinished.
    import gc
    import weakref

    from ews.distributed.run import _partition_features, _run
    from ews.features.partition import iter_partitions

    months = [three_kota.last_month]
    drawn: list[weakref.ref[Any]] = []
    alive_at_draw: list[int] = []

    def watched() -> Any:
        for part in iter_partitions(three_kota, "kecamatan"):
            gc.collect()
            alive_at_draw.append(sum(ref() is not None for ref in drawn))
            drawn.append(weakref.ref(part))
            yield part

    blocks = _run(client, watched(), _partition_features, (months,), None, in_flight=1)
    assert len(drawn) == 5 and max(alive_at_draw) == 0
    expected = build_rw_features(three_kota, months)
    pd.testing.assert_frame_equal(pd.concat(blocks).reindex(expected.index), expected, check_exact=True)
