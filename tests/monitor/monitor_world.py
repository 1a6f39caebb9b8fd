"""A small synthetic Jakarta Pusat with every effect the monitor must find, and a service store for it.

The world (seed 3, 2022-01..2025-12) has a late source, a lapse and an
outage from ``ews synth --profile``, and two effects of
``ews.synth.monitor_effects``: the 16-day campaign on 112 calls and a post
opening in Kemayoran. The store publishes the truth's own probabilities as
scores (flags: the top 5%) for 2024-06..2025-12 with checks drawn from the
truth, as ``ews publish`` and officials would have.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert

from ews.months import format_month, parse_month

PROFILES = ("late_source", "lapsed_source", "outage")
POST_KECAMATAN, POST_MONTH = "31.71.03", "2024-09"
PUBLISHED = [format_month(m) for m in range(parse_month("2024-06"), parse_month("2025-12") + 1)]
# (signal, kind, area, first month) of every injected change, as the monitor must report it.
EXPECTED = {
    ("laporan_kader_rw", "started", "31", "2025-07"),  # late_source: the 6th-last signal month
    ("kontak_pos_pengaduan", "stopped", "31", "2025-05"),  # lapsed_source: the last 8 signal months
    ("panggilan_112_kdrt", "paused", "31", "2023-10"),  # outage: 5 months mid-history
    ("kontak_pos_pengaduan", "shift", POST_KECAMATAN, POST_MONTH),  # a post opening
    ("panggilan_112_kdrt", "seasonal", "31", "2024-11"),  # the campaign, as in 2022
    ("panggilan_112_kdrt", "seasonal", "31", "2025-11"),
}


def build(root: Path) -> Path:
    """Generate the world under ``root`` (truth at ``<dir>-truth``) and add the two effects."""
    from ews.synth import generate
    from ews.synth.monitor_effects import Campaign, LevelShift, inject_into_folder

    out = root / "data"
    generate(
        out, seed=3, start=parse_month("2022-01"), end=parse_month("2025-12"), areas=["31.71"],
        profiles=list(PROFILES),
    )  # fmt: skip
    effects = [Campaign("panggilan_112_kdrt"), LevelShift("kontak_pos_pengaduan", POST_KECAMATAN, POST_MONTH)]
    inject_into_folder(out, effects)
    return out


def _scores(folder: Path, month: str) -> pd.DataFrame:
    from ews.synth.truth import load_truth, rw_probability

    truth = load_truth(folder.with_name(folder.name + "-truth"))
    regions = pd.read_csv(folder / "regions.csv", dtype=str)
    score = rw_probability(truth, parse_month(month)).reindex(regions["rw_code"]).to_numpy()
    rank = pd.Series(-score).rank(method="first").astype(int).to_numpy()
    tiers = np.select([rank <= 0.05 * len(rank), rank <= 0.15 * len(rank), rank <= 0.4 * len(rank)],
                      ["sangat_tinggi", "tinggi", "sedang"], "rendah")  # fmt: skip
    factors = json.dumps([{"feature": "laporan_kader_rw_3m", "value": 1, "contribution": 0.1, "text": "x"}])
    return regions[["rw_code", "kelurahan_code", "kecamatan_code", "kota_code"]].assign(
        as_of=month, score=score, tier=tiers, rank=rank, flagged=rank <= 0.05 * len(rank),
        top_factors=factors, cases_3m=0, cases_12m=0, open_cases=0,
    )  # fmt: skip


def publish(folder: Path, url: str) -> int:
    """Migrate the store at ``url``, publish :data:`PUBLISHED` and record checks; the number of checks."""
    from ews.db.engine import Store
    from ews.db.models import Publication, Review, RwScore
    from ews.synth.monitor_effects import synthetic_checks
    from ews.synth.truth import load_truth

    store = Store.open(url)
    scores = pd.concat([_scores(folder, m) for m in PUBLISHED], ignore_index=True)
    flags = scores[scores["flagged"]].assign(month=lambda f: f["as_of"].map(parse_month))
    truth = load_truth(folder.with_name(folder.name + "-truth"))
    checks = synthetic_checks(truth.rw_month, flags, seed=3)
    with store.engine.begin() as conn:
        for month in PUBLISHED:
            day = dt.datetime.fromisoformat(f"{month}-01T08:00:00+00:00")
            conn.execute(
                insert(Publication),
                [{"as_of": month, "published_at": day, "rw_model": "truth", "reopen_model": "none",
                  "n_rws": 0, "n_flagged": 0, "n_cases": 0}],
            )  # fmt: skip
        conn.execute(insert(RwScore), scores.to_dict("records"))
        rows = [
            {"rw_code": c.rw_code, "as_of": format_month(c.month), "outcome": c.outcome, "note": "rahasia",
             "visit_date": dt.date.fromisoformat(c.visit_date), "author": "ani", "author_role": c.role,
             "created_at": dt.datetime.now(dt.UTC)}
            for c in checks.itertuples()
        ]  # fmt: skip
        conn.execute(insert(Review), rows)
    store.close()
    return len(checks)
