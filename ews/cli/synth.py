"""``ews synth OUT``: write a synthetic Jakarta data folder (and its truth) for demos and tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from ews.synth import SynthSummary


def register(app: typer.Typer) -> None:
    """Add the ``synth`` command to the ``ews`` app."""
    app.command("synth")(synth)


def synth(
    out: Annotated[
        Path, typer.Argument(help="Folder to create for the data (must be new or empty unless --force).")
    ],
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed of every random draw; same seed, same files.")
    ] = 0,
    start: Annotated[str, typer.Option("--start", help="First month, YYYY-MM.")] = "2020-01",
    end: Annotated[str, typer.Option("--end", help="Last month, YYYY-MM (inclusive).")] = "2025-12",
    fmt: Annotated[
        Literal["csv", "parquet"] | None,
        typer.Option(
            "--format", help="File format of the data folder (default csv; Parquet with --provinces)."
        ),
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option(
            "--area",
            help="Keep only this kota, kecamatan or kelurahan code (e.g. 31.71 or 31.71.01); repeatable.",
        ),
    ] = None,
    truth_dir: Annotated[
        Path | None, typer.Option("--truth-dir", help="Where the generating truth goes; default <OUT>-truth.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace OUT (and the truth folder) if not empty.")
    ] = False,
    profile: Annotated[
        list[str] | None,
        typer.Option(
            "--profile",
            help="Stress world(s), repeatable or comma-separated: late_source, lapsed_source, outage, "
            "empty_column, short_14, short_18, case_tail, no_neighbors, no_events, single_kota, rare, "
            "weak_repeat, strong_repeat, noise_signals, alt_signals; effects for ews monitor: campaign, "
            "post_opening (see docs/synth.md).",
        ),
    ] = None,
    provinces: Annotated[
        int | None,
        typer.Option(
            "--provinces",
            min=1,
            help="National scale: N provinces shaped like Jakarta (real province codes), written as "
            "folders of Parquet files, one file per province (docs/synth.md).",
        ),
    ] = None,
) -> None:
    """Generate a synthetic DKI Jakarta (real region codes, simulated RWs, signals, cases, case events,
    officials' checks drawn from the truth)."""
    from rich.console import Console
    from rich.progress import Progress

    from ews.months import parse_month
    from ews.synth import generate
    from ews.synth.generator import STAGES

    first, last = parse_month(start), parse_month(end)
    if provinces is not None:
        _national(out, provinces, seed, first, last, fmt, area, profile, truth_dir, force)
        return
    console = Console(stderr=True)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("starting", total=len(STAGES))

        def advance(stage: str) -> None:
            bar.update(task, description=stage, completed=STAGES.index(stage))

        summary = generate(
            out,
            seed=seed,
            start=first,
            end=last,
            fmt=fmt or "csv",
            areas=area or None,
            truth_dir=truth_dir,
            force=force,
            progress=advance,
            profiles=profile or (),
        )
        bar.update(task, completed=len(STAGES))
    for line in summary_lines(summary):
        typer.echo(line)


def _national(
    out: Path,
    provinces: int,
    seed: int,
    first: int,
    last: int,
    fmt: str | None,
    area: list[str] | None,
    profile: list[str] | None,
    truth_dir: Path | None,
    force: bool,
) -> None:
    """``ews synth --provinces N``: the national world, one province at a time, with a progress bar."""
    from rich.console import Console
    from rich.progress import Progress

    from ews.exceptions import ConfigError
    from ews.months import format_month
    from ews.synth.national import generate_national

    for given, what in ((fmt == "csv", "--format csv"), (area, "--area"), (profile, "--profile")):
        if given:
            raise ConfigError(
                f"{what} cannot be combined with --provinces (a national world is Parquet, whole, default)"
            )
    if last < first:
        raise ConfigError(f"end {format_month(last)} is before start {format_month(first)}")
    truth = truth_dir if truth_dir is not None else out.with_name(out.name + "-truth")
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("provinces", total=provinces)
        totals = generate_national(
            out,
            provinces=provinces,
            seed=seed,
            start=first,
            end=last,
            truth_dir=truth,
            force=force,
            progress=lambda done, _total: bar.update(task, completed=done),
        )
    typer.echo(f"wrote {out} ({format_month(first)}..{format_month(last)}); truth in {truth}")
    typer.echo(
        f"provinces {totals.provinces}, kota {totals.kota}, kelurahan {totals.kelurahan:,}, "
        f"RWs {totals.rws:,}; cases {totals.cases:,}; signal rows {totals.signal_rows:,}"
    )


def summary_lines(summary: SynthSummary) -> list[str]:
    """A short human summary: what was written and the headline figures."""
    years = max(1, len(summary.cases_per_year))
    per_year = ", ".join(f"{y}: {n}" for y, n in summary.cases_per_year.items())
    shares = ", ".join(
        f"{k} {v:.0%}" for k, v in sorted(summary.channel_shares.items(), key=lambda kv: -kv[1])
    )
    lines = [
        f"wrote {summary.out} ({summary.start}..{summary.end}); truth in {summary.truth_dir}",
        f"RWs {summary.rws:,} in {summary.kelurahan} kelurahan, {summary.kecamatan} kecamatan, "
        f"{summary.kota} kota; population {summary.population:,}",
        f"cases {summary.cases:,} (about {summary.cases / years:,.0f} a year; {per_year})",
        f"channels: {shares}",
        f"household share {summary.household_share:.0%}; closed cases reopened {summary.reopened_share:.0%}",
    ]
    if summary.profiles:
        lines.append(
            f"profiles: {', '.join(summary.profiles)}; signals {summary.start}..{summary.signal_end}"
        )
    return lines
