"""``ews monitor`` and ``ews export-checks`` (contract section 3, issue 14).

``monitor`` validates the folder, then reads the service store when
``--database-url`` or ``EWS_DATABASE_URL`` is given and the registry's
backtest when an MLflow store exists; without them the sources part still
works and the other parts say "not available". It writes the JSON
(``--json``) and an HTML report (next to the JSON, or ``--html``), each
atomically, prints the alerts and, when it read the store, stores the
report (JSON and HTML) as the month's row of ``monitor_reports`` (replacing
an earlier one) and, when an MLflow store exists, logs the report and the
realised-performance plot as a run.
``export-checks`` writes the service's check outcomes as ``checks.csv``
(contract section 1; no notes, no authors).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ews.cli.common import write_atomically
from ews.cli.serve import DatabaseUrl
from ews.exceptions import ConfigError, DataError, StorageError, TimeRuleError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ews.data.folder import DataFolder
    from ews.monitor.realised import Expectation
    from ews.monitor.result import MonitorReport
    from ews.monitor.settings import MonitorSettings
    from ews.monitor.store import StoreFrames

console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add the monitoring commands to the ``ews`` app."""
    app.command("monitor")(monitor)
    app.command("export-checks")(export_checks)


def monitor(
    directory: Annotated[Path, typer.Argument(help="The data folder (contract section 1), CSV or Parquet.")],
    as_of: Annotated[str, typer.Option("--as-of", help="As-of month YYYY-MM: what was known before it.")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the report as JSON here.")] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write the HTML report here (default: next to --json).")
    ] = None,
    database_url: DatabaseUrl = None,
    lookback: Annotated[
        int | None,
        typer.Option("--lookback", help="Report source changes of the last N months (default 12)."),
    ] = None,
) -> None:
    """Sources that started, stopped, paused or shifted; score drift; realised performance; checks; alerts."""
    from ews.config import build_settings
    from ews.data.folder import known_as_of
    from ews.monitor import report
    from ews.monitor.html import render
    from ews.monitor.report import NO_STORE
    from ews.monitor.settings import MonitorSettings

    settings = build_settings(MonitorSettings, lookback=lookback)
    engine = _engine(database_url)
    folder = _load(directory)
    month = _month(folder.first_month, folder.last_month, as_of)
    store, reason = (None, NO_STORE) if engine is None else _store(engine, month, settings)
    expectation, why = _expectation() if store is not None else (None, "")
    if why:
        console.print(f"expected range not available: {why}", highlight=False)
    found = report(known_as_of(folder, month), month, settings, store, expectation, reason)
    html_path = html_out or (json_out.with_suffix(".html") if json_out else None)
    text = json.dumps(found.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    if json_out:
        _write_text(json_out, text)
    page = render(found)
    if html_path:
        _write_text(html_path, page)
    _print(found, json_out, html_path)
    if store is not None and engine is not None:
        _save(engine, found.as_of, text, page)
        _log(found, page)


def export_checks(
    out_dir: Annotated[Path, typer.Argument(help="The data folder to write checks.csv into.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Write the service's check outcomes as OUT_DIR/checks.csv (no notes, no authors)."""
    from ews.monitor.store import checks_table, read_reviews

    if not out_dir.is_dir():
        raise ConfigError(f"output folder {out_dir} does not exist or is not a folder")
    engine = _engine(database_url)
    if engine is None:
        raise ConfigError("no service database: give --database-url or set EWS_DATABASE_URL")
    table = checks_table(read_reviews(engine))
    _write_text(out_dir / "checks.csv", table.to_csv(index=False, lineterminator="\n"))
    typer.echo(f"{len(table)} checks written to {out_dir / 'checks.csv'}")


def _engine(option: str | None) -> Engine | None:
    """The service store's engine when a URL was given (option, else ``EWS_DATABASE_URL``), else None.

    A SQLite file that does not exist is refused: connecting would create an empty one.
    """
    from ews.db.engine import make_engine

    url = option or os.environ.get("EWS_DATABASE_URL") or None
    if url is None:
        return None
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise ConfigError(f"database file {url.removeprefix('sqlite:///')} does not exist")
    return make_engine(url)


def _store(engine: Engine, month: int, settings: MonitorSettings) -> tuple[StoreFrames | None, str]:
    """The store's frames from the earliest month any part reads; None and why when it holds none."""
    from ews.monitor.store import read_store
    from ews.months import format_month

    back = (
        max(settings.lookback, settings.score_history + 1) + settings.horizon + settings.label_maturity + 12
    )
    try:
        with console.status("reading the service database ..."):
            return read_store(engine, since=format_month(month - back)), ""
    except StorageError as exc:
        console.print(f"service database not used: {exc}", highlight=False)
        return None, f"not available: {exc}"
    finally:
        engine.dispose()


def _save(engine: Engine, as_of: str, text: str, page: str) -> None:
    """Store (replace) the month's report in the service database, migrating it first when behind."""
    from ews.db.engine import migrate
    from ews.db.monitor_reports import save_report

    try:
        migrate(engine)
        save_report(engine, as_of, text, page)
    finally:
        engine.dispose()
    console.print(f"stored in the service database as the report of {as_of}", highlight=False)


def _expectation() -> tuple[Expectation | None, str]:
    from ews.config import TrackingSettings, build_settings
    from ews.monitor.registry import backtest_expectation

    with console.status("reading the registry's backtest ..."):
        return backtest_expectation(build_settings(TrackingSettings))


def _log(found: MonitorReport, page: str) -> None:
    """Log the report to MLflow when a tracking store exists (a missing SQLite store is not created)."""
    from ews.config import TrackingSettings, build_settings
    from ews.exceptions import TrackingError
    from ews.monitor.registry import log_report, store_exists

    tracking = build_settings(TrackingSettings)
    if not store_exists(tracking):
        return
    try:
        with console.status("logging the report to MLflow ..."):
            run = log_report(found, page, tracking)
    except TrackingError as exc:
        console.print(f"not logged to MLflow: {exc}", highlight=False)
        return
    console.print(
        f"logged to MLflow run {run} (monitor/realised.png, report.json, report.html)", highlight=False
    )


def _load(directory: Path) -> DataFolder:
    from ews.data.load import load_folder

    if not directory.is_dir():
        raise DataError(f"data folder {directory} does not exist or is not a folder")
    with console.status(f"validating {directory} ..."):
        return load_folder(directory)


def _month(first: int, last: int, text: str) -> int:
    from ews.months import format_month, parse_month

    month = parse_month(text)
    if not first < month <= last + 1:
        raise TimeRuleError(
            f"as-of month {text} is outside this folder's data; allowed "
            f"{format_month(first + 1)} to {format_month(last + 1)}"
        )
    return month


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` without ever leaving a half-written file."""

    def write(temp: str) -> None:
        Path(temp).write_text(text, encoding="utf-8")

    write_atomically(path, write, "give a file name")


def _print(found: MonitorReport, json_out: Path | None, html_out: Path | None) -> None:
    kinds = [c.kind for c in found.sources]
    counts = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds)) or "no change"
    typer.echo(f"as of {found.as_of}: sources {counts}; {len(found.alerts)} alert(s)")
    for alert in found.alerts:
        typer.echo(f"- [{alert.kind}] {alert.text}")
    written = [str(p) for p in (json_out, html_out) if p is not None]
    if written:
        console.print(f"written to {' and '.join(written)}", highlight=False)
