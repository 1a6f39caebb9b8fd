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
        Literal["csv", "parquet"], typer.Option("--format", help="File format of the data folder.")
    ] = "csv",
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
) -> None:
    """Generate a synthetic DKI Jakarta (real region codes, simulated RWs, signals, cases, case events,
    officials' checks drawn from the truth)."""
    from rich.console import Console
    from rich.progress import Progress

    from ews.months import parse_month
    from ews.synth import generate
    from ews.synth.generator import STAGES

    first, last = parse_month(start), parse_month(end)
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
            fmt=fmt,
            areas=area or None,
            truth_dir=truth_dir,
            force=force,
            progress=advance,
            profiles=profile or (),
        )
        bar.update(task, completed=len(STAGES))
    for line in summary_lines(summary):
        typer.echo(line)


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
