"""Monitoring and the feedback loop (issue 14): what changed in the sources, the scores, the
realised performance of published flags and the officials' checks.

Pure logic takes frames in and returns :class:`MonitorReport` (pydantic; its
``model_dump(mode="json")`` is the JSON of ``ews monitor --json`` and of
``GET /v1/monitor``). :mod:`ews.monitor.store` reads the service database and
``ews.cli.monitor`` is the command line; ``docs/monitoring.md`` explains
every test and threshold.
"""

from __future__ import annotations

from ews.monitor.realised import Expectation
from ews.monitor.report import report
from ews.monitor.result import MonitorReport
from ews.monitor.settings import MonitorSettings
from ews.monitor.store import StoreFrames, read_store

__all__ = ["Expectation", "MonitorReport", "MonitorSettings", "StoreFrames", "read_store", "report"]
