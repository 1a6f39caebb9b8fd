"""``ews serve``, ``ews publish`` and ``ews users add|reset-password|revoke|list``.

Every command reads ``ServeSettings`` (``EWS_DATABASE_URL``, ``MLFLOW_TRACKING_URI``,
... from the environment or ``.env``) and migrates the database before use.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ews.exceptions import ConfigError

stderr = Console(stderr=True)
users_app = typer.Typer(
    help="Manage accounts: add (prints a setup code or key), reset-password, revoke, list.",
    no_args_is_help=True,
)

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url", help="SQLAlchemy URL of the service database (default: EWS_DATABASE_URL)."
    ),
]


def register(app: typer.Typer) -> None:
    """Add the service commands to the ``ews`` app."""
    app.command("serve")(serve)
    app.command("publish")(publish)
    users_app.command("add")(users_add)
    users_app.command("reset-password")(users_reset_password)
    users_app.command("revoke")(users_revoke)
    users_app.command("list")(users_list)
    app.add_typer(users_app, name="users")


def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on (default: EWS_HOST or 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default: EWS_PORT or 8000).")] = None,
    database_url: DatabaseUrl = None,
    access_log: Annotated[
        bool, typer.Option(help="Log every request line (the audit log already records data access).")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Data folder whose regions lat/lon (and boundaries.geojson) draw the dashboard map "
            "(default: EWS_DATA_DIR; without one the map is a tile grid).",
        ),
    ] = None,
) -> None:
    """Run the HTTP API (and dashboard) on uvicorn; migrations run and models load at start-up."""
    import uvicorn

    from ews.app import create_app
    from ews.config import ServeSettings, build_settings

    if data_dir is not None and not data_dir.is_dir():
        raise ConfigError(
            f"--data-dir {str(data_dir)!r} is not a folder; give the data folder with regions.csv"
        )
    folder = None if data_dir is None else str(data_dir)
    settings = build_settings(ServeSettings, host=host, port=port, database_url=database_url, data_dir=folder)
    docs = "/v1/docs" if settings.api_docs else "/v1/openapi.json"
    stderr.print(f"serving on http://{settings.host}:{settings.port}/v1 (docs at {docs})", highlight=False)
    # A long-running server: keep the garbage collector off the start-up heap (p99 latency).
    app = create_app(settings, freeze_heap=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", access_log=access_log)


def publish(
    directory: Annotated[Path, typer.Argument(help="The data folder to score (validated first).")],
    as_of: Annotated[str, typer.Option("--as-of", help="The month to publish, YYYY-MM.")],
    backfill: Annotated[
        bool,
        typer.Option(help="Score unpublished months of the 12-month trend with the same champion."),
    ] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Score every RW and recently closed case as of the month and replace that month in one transaction."""
    from ews.api.publishing import run_publish
    from ews.config import ServeSettings, build_settings

    settings = build_settings(ServeSettings, database_url=database_url)
    with stderr.status("publishing ...") as status:
        result = run_publish(directory, as_of, settings, backfill=backfill, progress=status.update)
    typer.echo(
        f"published {result.as_of}: {result.n_rws} RWs ({result.n_flagged} flagged), {result.n_cases} cases; "
        f"models {result.rw_model}, {result.reopen_model}"
    )
    typer.echo(
        f"trend: {len(result.published_months)} earlier month(s) from publications, "
        f"{len(result.backfilled_months)} backfilled"
    )


def _check_name(name: str) -> str:
    if not re.match(NAME_PATTERN, name):
        raise ConfigError(
            f"account name {name!r} must be 1-64 letters, digits or . _ @ - (starting with one)"
        )
    return name


def users_add(
    name: Annotated[str, typer.Argument(help="Account name, e.g. lurah-gambir.")],
    role: Annotated[str, typer.Option(help="lurah, camat, analyst, case_system or admin.")],
    area: Annotated[
        str | None,
        typer.Option(help="Kelurahan code for a lurah, kecamatan code for a camat; none otherwise."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an account; print its dashboard setup code (lurah, camat, analyst) and its API key
    (analyst, case_system, admin), each shown only now and stored only as a hash. The last line is
    the key when there is one, else the setup code."""
    from ews.api.accounts import add_user

    issued = add_user(_check_name(name), role, area, database_url)
    typer.echo(f"created account {name} ({issued.role.value}{', ' + area if area else ''})")
    if issued.setup_code is not None:
        _echo_setup_code(issued.name, issued.setup_code, issued.expires_at)
    if issued.key is not None:
        typer.echo("its API key, shown only now:")
        typer.echo(issued.key)


def _echo_setup_code(name: str, code: str, expires_at: dt.datetime | None) -> None:
    until = "" if expires_at is None else f" (valid until {expires_at:%Y-%m-%d %H:%M} UTC, once)"
    typer.echo(f"dashboard sign-in at /masuk: username {name}, setup code{until}; shown only now:")
    typer.echo(code)


def users_reset_password(
    name: Annotated[str, typer.Argument(help="The lurah, camat or analyst who needs a new password.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Clear an official's password, end their dashboard sessions and print a new setup code (72 h)."""
    from ews.api.accounts import reset_password

    issued = reset_password(name, database_url)
    typer.echo(f"reset the password of {name}; their dashboard sessions have ended")
    assert issued.setup_code is not None  # reset_password always issues one
    _echo_setup_code(issued.name, issued.setup_code, issued.expires_at)


def users_revoke(
    name: Annotated[str, typer.Argument(help="The account whose key stops working now.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke an account's API key; later requests with it get 401."""
    from ews.api.accounts import revoke

    revoke(name, database_url)
    typer.echo(f"revoked account {name}")


def users_list(database_url: DatabaseUrl = None) -> None:
    """List accounts: name, role, area, created, revoked, dashboard sign-in (password, setup code)."""
    from ews.api.accounts import account_rows

    rows = account_rows(database_url)
    typer.echo(f"{'name':<24} {'role':<12} {'area':<15} {'created (UTC)':<17} {'revoked (UTC)':<17} sign-in")
    for row in rows:
        typer.echo(f"{row[0]:<24} {row[1]:<12} {row[2]:<15} {row[3]:<17} {row[4]:<17} {row[5]}")
