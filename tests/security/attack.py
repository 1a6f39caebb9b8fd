"""The masked-count attack of issue 12: can an official tell 0 from 1-2 recent cases behind "<3"?

An attacker holds everything a camat's ``GET /v1/rw/{code}`` returns for
every RW of a published province (read through the same service function the
API serves) and fits a gradient-boosting classifier to tell, among RWs whose
3-month count reads "<3", the ones with one or two cases from the ones with
none. The gain is its out-of-fold ROC-AUC minus that of the same learner on
the tier and the flag alone, which officials must see. Used by
``tests/security/test_masked_attack.py`` and ``bench/bench_privacy.py``.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

TIER_ORDER = {"rendah": 0, "sedang": 1, "tinggi": 2, "sangat_tinggi": 3}
BASE_COLUMNS = ("tier", "flagged")


@dataclass(frozen=True)
class AttackResult:
    """The attacker's out-of-fold ROC-AUC with every official-visible field and with tier + flag."""

    auc_all: float
    auc_base: float
    masked: int
    positives: int

    @property
    def gain(self) -> float:
        return self.auc_all - self.auc_base


def _code(text: str) -> float:
    # A stable number per string (Python's hash() changes from process to process).
    return float(zlib.crc32(text.encode("utf-8")) % 9973)


def _count(value: Any) -> float:
    # "<3" and withheld values become codes the attacker can still split on.
    if value is None:
        return -2.0
    if isinstance(value, str):
        return -1.0
    return float(value)


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def official_row(detail: Any) -> dict[str, float]:
    """Every field of an official's RW detail as numbers (what the attacker learns from)."""
    row: dict[str, float] = {
        "tier": float(TIER_ORDER[detail.tier]),
        "flagged": float(detail.flagged),
        "score": _number(detail.score),
        "rank": _number(detail.rank),
        "cases_12m": _count(detail.cases.last_12_months),
        "open": _count(detail.cases.open),
        "months_behind": _number(detail.freshness.months_behind),
        "stale": float(len(detail.freshness.stale_sources)),
        "n_factors": float(len(detail.factors)),
    }
    for position, factor in enumerate(detail.factors):
        row[f"f:{factor.feature}"] = float(position + 1)
        row[f"v:{factor.feature}"] = _number(factor.value) if factor.value_text is None else -1.0
        row[f"c:{factor.feature}"] = _number(factor.contribution)
        row[f"t:{factor.feature}"] = _code(factor.text)
    for back, point in enumerate(reversed(detail.trend)):
        row[f"trend{back}"] = _number(point.score)
        row[f"trend_tier{back}"] = float(TIER_ORDER.get(getattr(point, "tier", None) or "", -1))
    return row


def legacy_view(full: Any, camat: Any) -> Any:
    """What officials saw before the official view (issue 12, finding 1): the full detail with only
    small counts and case rates withheld. The attack's control: it must find the leak there."""
    from ews.service.common import shown_count
    from ews.service.privacy import shown_factors

    counts = full.cases.model_copy(
        update={name: shown_count(getattr(full.cases, name), camat, 3) for name in ("last_12_months", "open")}
    )
    return full.model_copy(update={"factors": shown_factors(full.factors, camat, 3), "cases": counts})


def collect(database_url: str, months: Sequence[str], legacy: bool = False) -> pd.DataFrame:
    """One row per RW and published month: the camat's view (or the ``legacy`` one), the label and
    the mask."""
    from ews.db import queries
    from ews.db.engine import Store
    from ews.service.rw import flags, rw_detail
    from ews.service.security import Caller, Role

    store = Store.open(database_url)
    rows = []
    try:
        with store.session() as session:
            analyst = Caller("analis-attack", Role.ANALYST)
            for month in months:
                listed: dict[str, tuple[int, str]] = {}
                fetched: set[str] = set()
                for code, kecamatan in _rws(session, queries, month):
                    camat = Caller(f"camat-{kecamatan}", Role.CAMAT, kecamatan)
                    if kecamatan not in fetched:
                        fetched.add(kecamatan)
                        listed.update(_flag_list(session, flags, camat, month))
                    shown = rw_detail(session, camat, code, month, 3)
                    truth = rw_detail(session, analyst, code, month, 3)
                    row = official_row(legacy_view(truth, camat) if legacy else shown)
                    position, reason = listed.get(code, (0, ""))
                    row.update(rw=_code(code), masked=shown.cases.last_3_months == "<3")
                    row.update(list_position=float(position), list_reason=_code(reason))
                    row["label"] = float(truth.cases.last_3_months in (1, 2))
                    rows.append(row)
    finally:
        store.close()
    return pd.DataFrame(rows)


def _flag_list(session: Any, flags: Any, camat: Any, month: str) -> dict[str, tuple[int, str]]:
    # The camat's flag list (GET /v1/flags): each flagged RW's position and main reason.
    page = flags(session, camat, month, page_size=500)
    return {item.rw_code: (position, item.top_factor or "") for position, item in enumerate(page.items, 1)}


def _rws(session: Any, queries: Any, month: str) -> Iterable[tuple[str, str]]:
    from sqlalchemy import text

    result = session.execute(
        text("SELECT rw_code, kecamatan_code FROM rw_scores WHERE as_of = :m ORDER BY rw_code"), {"m": month}
    )
    return [(r.rw_code, r.kecamatan_code) for r in result]


def _oof_auc(features: pd.DataFrame, y: np.ndarray, groups: np.ndarray, seed: int) -> float:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    predicted = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(features, y, groups):
        model = HistGradientBoostingClassifier(
            max_iter=150, learning_rate=0.05, min_samples_leaf=20, l2_regularization=1.0, random_state=seed
        )
        model.fit(features.iloc[train], y[train])
        predicted[test] = model.predict_proba(features.iloc[test])[:, 1]
    return float(roc_auc_score(y, predicted))


def attack(frame: pd.DataFrame, seed: int = 0) -> AttackResult:
    """Out-of-fold AUC of a gradient-boosting attacker among masked RWs (RWs grouped across months)."""
    masked = frame[frame["masked"]].reset_index(drop=True)
    y = masked["label"].to_numpy(dtype=int)
    groups = masked["rw"].to_numpy()
    # Missing stays distinguishable (-9) and never leaves a column empty inside a fold.
    features = masked.drop(columns=["masked", "label", "rw"]).astype(float).fillna(-9.0)
    auc_all = _oof_auc(features, y, groups, seed)
    auc_base = _oof_auc(features[list(BASE_COLUMNS)], y, groups, seed)
    return AttackResult(auc_all, auc_base, len(masked), int(y.sum()))


def publish_world(root: Path, seed: int, months: Sequence[str], areas: str = "31.71") -> str:
    """Generate, train and publish ``months`` of a synthetic world with the ``ews`` CLI; the DB URL."""
    root.mkdir(parents=True, exist_ok=True)
    data = root / "data"
    database = f"sqlite:///{root / 'ews.db'}"
    ews = [sys.executable, "-m", "ews"]
    span = ["--start", "2020-01", "--end", "2025-12"]
    _run([*ews, "synth", str(data), "--seed", str(seed), "--area", areas, *span], root)
    _run([*ews, "train", str(data), "--as-of", months[0]], root)
    for month in months:
        _run([*ews, "publish", str(data), "--as-of", month, "--database-url", database], root)
    return database


def _run(argv: list[str], root: Path) -> None:
    # A private MLflow store per world, so each world publishes its own champion.
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{root / 'mlflow.db'}"}
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env, cwd=root)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
