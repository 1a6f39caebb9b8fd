"""``report``: every part of the monitor as of one month, in the JSON shape of issue 14.

Pure: the loaded data folder, and when available the service store's frames
and the backtest's expectation, in; a :class:`MonitorReport` out. A part
without its input says "not available" and why; the sources part needs only
the folder.
"""

from __future__ import annotations

import pandas as pd

from ews.data.folder import DataFolder
from ews.monitor.alerts import alerts, top_signals
from ews.monitor.areas import province_code
from ews.monitor.checks import check_outcomes
from ews.monitor.realised import Expectation, realised
from ews.monitor.result import ChecksPart, MonitorReport, RealisedMonth, ScoresPart
from ews.monitor.scores import score_drift
from ews.monitor.settings import MonitorSettings
from ews.monitor.sources import source_changes
from ews.monitor.store import StoreFrames
from ews.months import format_month

NO_STORE = "not available: no service database (give --database-url or set EWS_DATABASE_URL)"
NO_REGISTRY = "expected range not available: no registered backtest (MLflow) to compare with"


def area_names(regions: pd.DataFrame) -> dict[str, str]:
    """Area code -> name for kota and kecamatan, and the province."""
    names: dict[str, str] = {}
    for code, name in (("kota_code", "kota_name"), ("kecamatan_code", "kecamatan_name")):
        pairs = regions[[code, name]].dropna().drop_duplicates(code)
        names.update(zip(pairs[code].astype(str), pairs[name].astype(str), strict=True))
    for kota in regions["kota_code"].dropna().astype(str).unique():
        if province_code(kota) == "31":
            names["31"] = "DKI Jakarta"
    return names


def report(
    folder: DataFolder,
    as_of: int,
    settings: MonitorSettings,
    store: StoreFrames | None = None,
    expectation: Expectation | None = None,
    store_reason: str = NO_STORE,
) -> MonitorReport:
    """The monitor's findings as of ``as_of`` (month index); ``model_dump(mode="json")`` is the JSON."""
    month = format_month(as_of)
    sources = source_changes(folder.signals, folder.regions, folder.signal_columns, as_of, settings)
    names = area_names(folder.regions)
    if store is None:
        scores = ScoresPart(available=False, reason=store_reason)
        checks = ChecksPart(available=False, reason=store_reason)
        done: list[RealisedMonth] = []
        note, top = store_reason, set[str]()
    else:
        scores = score_drift(store.rw_scores, month, settings)
        checks = check_outcomes(store.reviews, store.rw_scores, store.publications, as_of, settings)
        done = realised(store.rw_scores, folder.cases, as_of, expectation, settings)
        note = "" if expectation is not None else NO_REGISTRY
        if not done:
            wait = f"horizon + {settings.label_maturity} months"
            note = f"no published month has matured labels by {month} ({wait})"
        top = top_signals(store.rw_scores, folder.signal_columns, settings.top_features)
    return MonitorReport(
        as_of=month,
        sources=sources,
        scores=scores,
        realised=done,
        realised_note=note,
        checks=checks,
        alerts=alerts(sources, scores, done, top, names),
    )
