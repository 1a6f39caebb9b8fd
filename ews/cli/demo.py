"""``ews demo``: a synthetic Jakarta from scratch to a running service.

Each step is the same code path an analyst drives by hand (synth, validate,
train, score, score-cases, publish, users add, serve). Re-running reuses the
data folder and the registered @champion models already in the working
directory, so the second start takes seconds; ``--fresh`` starts over.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()

DEMO_ROLES = (("lurah", "kelurahan_code"), ("camat", "kecamatan_code"), ("analyst", None), ("admin", None))


@dataclass(frozen=True)
class DemoAccount:
    """A demo account as printed for the newcomer."""

    name: str
    role: str
    area: str | None
    key: str | None  # analyst and admin: for the JSON API and scripts
    setup_code: str | None  # lurah, camat and analyst: first dashboard sign-in at /masuk


def register(app: typer.Typer) -> None:
    """Add ``ews demo`` to the ``ews`` app."""
    app.command("demo")(demo)


def demo(
    workdir: Annotated[Path, typer.Option(help="Where the synthetic data folder and outputs go.")] = Path(
        "demo"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the synthetic world and of training.")] = 0,
    fresh: Annotated[bool, typer.Option(help="Delete the demo folder first and retrain.")] = False,
    serve: Annotated[
        bool, typer.Option(help="Start the service at the end (--no-serve stops before it).")
    ] = True,
    host: Annotated[str, typer.Option(help="Interface for the service.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for the service.")] = 8000,
) -> None:
    """Synthesise Jakarta, validate, train + register both models, score, publish, monitor, add accounts,
    serve."""
    from ews.cli.score import score
    from ews.cli.train import train
    from ews.data.load import load_folder

    data = workdir / "data"
    _synthesise(workdir, data, seed, fresh)
    console.rule("validate")
    folder = load_folder(data)
    console.print(f"{data}: valid ({len(folder.regions)} RWs, {len(folder.cases)} cases)", highlight=False)
    as_of = _next_month(folder.last_month)
    if fresh or not _has_champions():
        console.rule("train (backtest, both models, MLflow registry)")
        train(data, as_of, None, seed)
    else:
        console.print("models already registered: reusing @champion (use --fresh to retrain)")
    console.rule(f"score as of {as_of}")
    score(data, as_of, workdir / "scores.csv", None)
    _score_cases(data, as_of, workdir / "case_scores.csv")
    console.rule("publish to the service store")
    _publish(data, as_of)
    console.rule("monitor (sources, scores, checks; shown on the analyst page)")
    _monitor(data, as_of, workdir)
    accounts = _demo_accounts(workdir / "scores.csv")
    _print_welcome(accounts, host, port, as_of)
    if serve:
        _serve(host, port, str(data))


def _synthesise(workdir: Path, data: Path, seed: int, fresh: bool) -> None:
    from ews.synth import generate

    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    if data.exists():
        console.print(f"reusing the synthetic world in {data} (use --fresh to regenerate)", highlight=False)
        return
    console.rule("synthesise Jakarta 2020-01..2025-12")
    with console.status("generating ...") as status:
        summary = generate(data, seed=seed, progress=lambda stage: status.update(f"generating: {stage}"))
    console.print(
        f"{summary.rws} RWs in {summary.kelurahan} kelurahan, {summary.cases} cases; "
        f"truth in {summary.truth_dir}",
        highlight=False,
    )


def _next_month(month: int) -> str:
    from ews.months import format_month

    return format_month(month + 1)


def _has_champions() -> bool:
    from ews.config import REOPEN_MODEL_NAME, RW_MODEL_NAME
    from ews.exceptions import EwsError
    from ews.model_loading import load_champion

    try:
        load_champion(RW_MODEL_NAME)
        load_champion(REOPEN_MODEL_NAME)
    except EwsError:
        return False
    return True


def _score_cases(data: Path, as_of: str, out: Path) -> None:
    try:
        from ews.cli.cases import score_cases
    except ImportError:
        return
    score_cases(data, as_of, out, None)


def _monitor(data: Path, as_of: str, workdir: Path) -> None:
    from ews.cli.monitor import monitor
    from ews.config import ServeSettings, build_settings

    url = build_settings(ServeSettings).database_url
    monitor(data, as_of, json_out=workdir / "monitor.json", database_url=url)


def _publish(data: Path, as_of: str) -> None:
    from ews.api.publishing import run_publish
    from ews.config import ServeSettings, build_settings

    settings = build_settings(ServeSettings)
    with console.status("publishing ...") as status:
        result = run_publish(data, as_of, settings, backfill=True, progress=status.update)
    console.print(
        f"published {result.as_of}: {result.n_rws} RWs ({result.n_flagged} flagged), {result.n_cases} cases",
        highlight=False,
    )


def _busiest_areas(scores_csv: Path) -> dict[str, str]:
    """The kelurahan with the most flagged RWs, and its kecamatan: a demo with something to see."""
    import pandas as pd

    scores = pd.read_csv(scores_csv, dtype=str)
    flagged = scores[scores["flagged"].str.lower() == "true"]
    pool = flagged if len(flagged) else scores
    kelurahan = pool["kelurahan_code"].value_counts().sort_index(kind="stable").idxmax()
    kecamatan = pool.loc[pool["kelurahan_code"] == kelurahan, "kecamatan_code"].iloc[0]
    return {"kelurahan_code": str(kelurahan), "kecamatan_code": str(kecamatan)}


def _demo_accounts(scores_csv: Path) -> list[DemoAccount]:
    """Fresh setup codes and keys for the demo accounts (existing demo accounts are revoked and
    re-issued, so a re-run starts their sign-in afresh)."""
    from ews.api.accounts import account_rows, add_user, revoke

    areas = _busiest_areas(scores_csv)
    active = {row[0] for row in account_rows() if row[4] == "-"}
    accounts = []
    for role, area_column in DEMO_ROLES:
        name = f"demo-{role}"
        if name in active:
            revoke(name)
        area = areas[area_column] if area_column else None
        issued = add_user(name, role, area)
        accounts.append(DemoAccount(name, role, area, issued.key, issued.setup_code))
    return accounts


def _print_welcome(accounts: list[DemoAccount], host: str, port: int, as_of: str) -> None:
    console.rule("ews is ready")
    console.print(f"dashboard:  http://{host}:{port}/", highlight=False)
    console.print(f"API docs:   http://{host}:{port}/v1/openapi.json", highlight=False)
    console.print(f"month:      {as_of}", highlight=False)
    console.print("sign in at /masuk: username + setup code (once, 72 h), then choose a password")
    for account in accounts:
        head = f"{account.role:<8}{account.area or '':<16}"
        for line in _credentials(account):
            console.print(f"{head}{line}", highlight=False, soft_wrap=True)
            head = " " * len(head)
    console.print("MLflow runs: mlflow ui --backend-store-uri sqlite:///mlruns/mlflow.db", highlight=False)


def _credentials(account: DemoAccount) -> list[str]:
    lines = []
    if account.setup_code is not None:
        lines.append(f"username: {account.name:<14} setup code: {account.setup_code}")
    if account.key is not None:
        lines.append(f"API key: {account.key}")
    return lines


def _serve(host: str, port: int, data_dir: str) -> None:
    import uvicorn

    from ews.app import create_app
    from ews.config import ServeSettings, build_settings

    settings = build_settings(ServeSettings, host=host, port=port, data_dir=data_dir)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
