"""``ews score``: score every RW with the @champion RW model, and what ``score-cases`` shares with it.

:func:`score_to_file` is the common path of ``ews score`` and ``ews
score-cases`` (``ews.cli.cases``): validate, load the model, score, write the
contract's output atomically. With ``--scheduler`` the RW scores are built
on a Dask cluster. sklearn, shap, MLflow and Dask load inside the command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ews.cli.common import DirArg, console, progress, train_settings, validated_folder, write_frame

if TYPE_CHECKING:
    import pandas as pd

    from ews.config import ClusterSettings, TrainSettings
    from ews.data.folder import DataFolder


def score(
    directory: DirArg,
    as_of: Annotated[str, typer.Option("--as-of", help="As-of month YYYY-MM to score.")],
    out: Annotated[Path, typer.Option("--out", help="Output file: CSV, or Parquet if it ends in .parquet.")],
    model_uri: Annotated[
        str | None,
        typer.Option("--model-uri", help="MLflow model URI (default: models:/ews-rw-risk@champion)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (e.g. tcp://10.0.0.5:8786, or EWS_DASK_SCHEDULER): build features "
            "and reason codes kota by kota on that cluster; same scores as without it (docs/scale.md).",
        ),
    ] = None,
) -> None:
    """Score every RW with the @champion RW model (or --model-uri) and write FILE."""
    from ews.config import RW_MODEL_NAME, ClusterSettings, build_settings
    from ews.models.scoring import score_rws

    cluster = build_settings(ClusterSettings, dask_scheduler=scheduler)
    with _scorer(cluster, score_rws) as scorer:
        table = score_to_file(directory, as_of, out, model_uri, RW_MODEL_NAME, scorer, "RWs")
    flagged = int(table["flagged"].sum())
    where = f" on the Dask cluster at {cluster.dask_scheduler}" if cluster.dask_scheduler else ""
    console.print(
        f"{len(table)} RWs scored as of {as_of}{where}, {flagged} flagged; written to {out}", highlight=False
    )


@contextmanager
def _scorer(
    cluster: ClusterSettings, in_process: Callable[..., pd.DataFrame]
) -> Iterator[Callable[..., pd.DataFrame]]:
    """``in_process``, or with a scheduler given, the Dask scorer on a client connected up front (so an
    unreachable scheduler fails before the folder is read); the client closes afterwards."""
    if not cluster.dask_scheduler:
        yield in_process
        return
    from ews.distributed.run import connect, score_rws_distributed

    with connect(cluster.dask_scheduler, cluster.dask_timeout) as client:

        def scorer(folder: DataFolder, month: int, model: Any, settings: TrainSettings) -> pd.DataFrame:
            return score_rws_distributed(client, folder, month, model, settings, by=cluster.dask_partition)

        yield scorer


def score_to_file(
    directory: Path,
    as_of: str,
    out: Path,
    model_uri: str | None,
    model_name: str,
    scorer: Callable[..., pd.DataFrame],
    what: str,
) -> pd.DataFrame:
    """What `ews score` and `ews score-cases` share: validate, load, score, write atomically.

    The model is ``model_uri`` when given, else the ``@champion`` of ``model_name``.
    """
    from ews.model_loading import load_champion, load_model

    settings = train_settings()
    folder = validated_folder(directory)
    month = _score_month(folder, as_of)
    with progress("loading the model") as step:
        loaded = load_model(model_uri) if model_uri else load_champion(model_name)
        step(f"scoring {what} and explaining scores")
        table = scorer(folder, month, loaded, settings)
    write_frame(_contract_output(table, out), out)
    return table


def _score_month(folder: DataFolder, text: str) -> int:
    from ews.exceptions import TimeRuleError
    from ews.months import format_month, parse_month

    month = parse_month(text)
    if not folder.first_month < month <= folder.last_month + 1:
        raise TimeRuleError(
            f"as-of month {text} is outside this folder's data; allowed "
            f"{format_month(folder.first_month + 1)} to {format_month(folder.last_month + 1)}"
        )
    return month


def _contract_output(table: pd.DataFrame, out: Path) -> pd.DataFrame:
    """CSV spells flags ``true``/``false`` (contract); Parquet keeps booleans."""
    if out.suffix == ".parquet":
        return table
    return table.assign(flagged=table["flagged"].map({True: "true", False: "false"}))
