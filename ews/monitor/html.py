"""The monitor's human form: one self-contained HTML page with an inline SVG plot (pure).

No scripts, no external files: the page opens from disk, attaches to a
ticket or an MLflow run as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ews.monitor.result import MonitorReport, RealisedMonth

STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;"
    "text-align:left}th{background:#f3f3f3}.bad{color:#b00020}.note{color:#555;font-size:.9em}"
)
WIDTH, HEIGHT, PAD = 640, 240, 40


def render(report: MonitorReport) -> str:
    """The whole page."""
    parts = [
        f"<h1>ews monitor as of {escape(report.as_of)}</h1>",
        _alerts(report),
        "<h2>Sources</h2>",
        _sources(report),
        "<h2>Realised performance of published flags</h2>",
        _realised(report),
        "<h2>Scores per kota</h2>",
        _scores(report),
        "<h2>Checks (among checked RWs only)</h2>",
        _checks(report),
    ]
    head = f"<meta charset='utf-8'><title>ews monitor {escape(report.as_of)}</title><style>{STYLE}</style>"
    return f"<!doctype html><html lang='en'><head>{head}</head><body>{''.join(parts)}</body></html>\n"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return escape(str(value))


def _note(text: str) -> str:
    return f"<p class='note'>{escape(text)}</p>" if text else ""


def _alerts(report: MonitorReport) -> str:
    if not report.alerts:
        return "<p>No alerts.</p>"
    items = "".join(f"<li><b>{escape(a.kind)}</b>: {escape(a.text)}</li>" for a in report.alerts)
    return f"<h2>Alerts</h2><ul>{items}</ul>"


def _sources(report: MonitorReport) -> str:
    if not report.sources:
        return "<p>No source started, stopped, paused or shifted.</p>"
    header = ("signal", "area", "level", "kind", "from", "to", "size", "z")
    rows = [
        (c.signal, c.area_code, c.area_level, c.kind, c.from_month, c.to_month, c.size, c.z)
        for c in report.sources
    ]
    return _table(header, rows)


def _realised(report: MonitorReport) -> str:
    if not report.realised:
        return _note(report.realised_note or "No published month has matured labels yet.")
    header = ("month", "flagged", "precision", "expected low", "expected high", "calibration", "outside")
    rows = [
        (m.month, m.n_flagged, m.precision, m.expected_low, m.expected_high, m.calibration, m.outside)
        for m in report.realised
    ]
    return realised_svg(report.realised) + _note(report.realised_note) + _table(header, rows)


def realised_svg(months: Sequence[RealisedMonth]) -> str:
    """Precision per month (dots, red when outside) over the expected range (grey bars)."""
    values = [v for m in months for v in (m.precision, m.expected_high) if v is not None]
    top = max([*values, 0.05]) * 1.1
    step = (WIDTH - 2 * PAD) / max(len(months), 1)

    def y(value: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top

    shapes = [f"<line x1='{PAD}' y1='{y(0)}' x2='{WIDTH - PAD}' y2='{y(0)}' stroke='#999'/>"]
    shapes.append(f"<text x='4' y='{y(top) + 10}' font-size='11'>{top:.2f}</text>")
    for i, m in enumerate(months):
        x = PAD + step * (i + 0.5)
        if m.expected_low is not None and m.expected_high is not None:
            low, high = y(m.expected_low), y(m.expected_high)
            shapes.append(
                f"<rect x='{x - 6:.1f}' y='{high:.1f}' width='12' height='{low - high:.1f}' fill='#ddd'/>"
            )
        if m.precision is not None:
            colour = "#b00020" if m.outside else "#1f5fa8"
            shapes.append(f"<circle cx='{x:.1f}' cy='{y(m.precision):.1f}' r='4' fill='{colour}'/>")
        shapes.append(
            f"<text x='{x - 18:.1f}' y='{HEIGHT - PAD + 16}' font-size='10'>{escape(m.month)}</text>"
        )
    label = "realised precision of the flag list (dots) and the backtest's expected range (bars)"
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' role='img' "
        f"aria-label='{label}'>{''.join(shapes)}</svg>"
    )


def _scores(report: MonitorReport) -> str:
    part = report.scores
    if not part.available:
        return _note(part.reason)
    header = (
        "kota",
        "RWs",
        "p10",
        "median",
        "p90",
        "flag share",
        "median before",
        "flag share before",
        "moved",
    )
    rows = [
        (k.kota_code, k.n, k.p10, k.p50, k.p90, k.flag_share, k.before_p50, k.before_flag_share, k.moved)
        for k in part.kota
    ]
    return _note(f"{part.month} against {', '.join(part.before) or 'no earlier month'}") + _table(
        header, rows
    )


def _checks(report: MonitorReport) -> str:
    part = report.checks
    if not part.available:
        return _note(part.reason)
    header = ("tier", "checked RWs", "indication or referral", "share among checked", "could not be checked")
    rows = [(t.tier, t.checked, t.concern, t.concern_share, t.not_checkable) for t in part.by_tier]
    flags = (
        f"{part.flags_checked} of {part.flags} flags checked ({part.flags_checked_share or 0:.0%}); "
        f"days from publication to check: median {part.days_to_check_median}, 90th percentile "
        f"{part.days_to_check_p90}."
    )
    return _note(part.note) + _table(header, rows) + f"<p>{escape(flags)}</p>"
