"""A synthetic DKI Jakarta: real region codes, simulated RWs, signals, cases and case events.

``generate`` writes a contract data folder and, beside it, the generating
truth (``ews.synth.truth``) that tests and benchmarks compare rankings with.
"""

from __future__ import annotations

from ews.synth.generator import SynthSummary, generate

__all__ = ["SynthSummary", "generate"]
