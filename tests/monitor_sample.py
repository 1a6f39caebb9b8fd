"""A small monitor report, stored in a service database for the API and dashboard tests."""

from __future__ import annotations

import json

from ews.monitor.html import render
from ews.monitor.result import Alert, ChecksPart, MonitorReport, ScoresPart, SourceChange


def sample_report(as_of: str = "2024-06") -> MonitorReport:
    """One shift (a post opening), one seasonal lift, no store parts, a retrain recommendation."""
    shift = SourceChange(
        signal="kontak_pos_pengaduan", area_code="31.71.01", kind="shift", from_month="2024-03",
        size=1.5, area_level="kecamatan", z=6.2,
    )  # fmt: skip
    seasonal = SourceChange(
        signal="panggilan_112_kdrt", area_code="31", kind="seasonal", from_month="2023-11",
        size=0.7, area_level="province", z=5.0,
    )  # fmt: skip
    alerts = [
        Alert(kind="source_shift", text="kontak_pos_pengaduan rose 150%.",
              text_id="kontak_pos_pengaduan naik 150%."),
        Alert(kind="retrain", text="Retrain recommended: x.", text_id="Disarankan melatih ulang model: x."),
    ]  # fmt: skip
    return MonitorReport(
        as_of=as_of,
        sources=[shift, seasonal],
        scores=ScoresPart(available=False, reason="not available"),
        realised=[],
        realised_note="no published month has matured labels",
        checks=ChecksPart(available=False, reason="not available"),
        alerts=alerts,
    )


def store_sample(url: str, as_of: str = "2024-06") -> dict[str, object]:
    """Store :func:`sample_report` for ``as_of`` in the service database at ``url``; its JSON."""
    from ews.db.engine import Store
    from ews.db.monitor_reports import save_report

    found = sample_report(as_of)
    body: dict[str, object] = found.model_dump(mode="json")
    store = Store.open(url)
    try:
        save_report(store.engine, as_of, json.dumps(body), render(found))
    finally:
        store.close()
    return body
