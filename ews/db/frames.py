"""Checks and normalisation of the score frames ``ews publish`` stores.

The frames come from ``ews.models.scoring.score_rws`` and the reopen batch
scorer (or from files written by ``ews score`` / ``ews score-cases``), so
``flagged`` may arrive as bools or ``"true"``/``"false"`` and ``top_factors``
as lists or JSON text. Both are normalised here, then checked with pandera.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ews.data import schema
from ews.data.schema import CASE_SCORE_COLUMNS, RW_SCORE_COLUMNS, TIERS
from ews.exceptions import DataError


def _common(as_of: str) -> dict[str, pa.Column]:
    return {
        "rw_code": pa.Column(str, pa.Check.str_matches(schema.RW_CODE_PATTERN)),
        "as_of": pa.Column(str, pa.Check.eq(as_of)),
        "score": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
        "tier": pa.Column(str, pa.Check.isin(TIERS)),
        "rank": pa.Column(int, pa.Check.ge(1)),
        "flagged": pa.Column(bool),
        "top_factors": pa.Column(str),
    }


def rw_score_schema(as_of: str) -> pa.DataFrameSchema:
    """The published RW score frame for ``as_of``: one row per RW."""
    columns = {
        **_common(as_of),
        "kelurahan_code": pa.Column(str, pa.Check.str_matches(schema.KELURAHAN_CODE_PATTERN)),
        "kecamatan_code": pa.Column(str, pa.Check.str_matches(schema.KECAMATAN_CODE_PATTERN)),
        "kota_code": pa.Column(str, pa.Check.str_matches(schema.KOTA_CODE_PATTERN)),
    }
    return pa.DataFrameSchema(columns, unique=["rw_code"], coerce=True)


def case_score_schema(as_of: str) -> pa.DataFrameSchema:
    """The published case score frame for ``as_of``: one row per recently closed case."""
    columns = {**_common(as_of), "case_id": pa.Column(str), "closed_at": pa.Column("datetime64[ns]")}
    return pa.DataFrameSchema(columns, unique=["case_id"], coerce=True)


def _factors_text(value: Any) -> str:
    parsed = json.loads(value) if isinstance(value, str) else value
    if not isinstance(parsed, list):
        raise DataError(f"top_factors value {str(value)[:60]!r} is not a JSON list of factors")
    return json.dumps(parsed, ensure_ascii=False, default=float)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        if value.strip().lower() not in ("true", "false"):
            raise DataError(f"flagged value {value!r} is not true or false")
        return value.strip().lower() == "true"
    return bool(value)


def _normalise(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{what} frame lacks column(s) {', '.join(missing)}; expected {', '.join(columns)}")
    out = frame.loc[:, list(columns)].copy()
    out["flagged"] = out["flagged"].map(_flag).astype(bool)
    out["top_factors"] = out["top_factors"].map(_factors_text).astype(object)
    return out


def _validate(frame: pd.DataFrame, checker: pa.DataFrameSchema, what: str) -> pd.DataFrame:
    try:
        return checker.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        first = exc.failure_cases.iloc[0]
        raise DataError(
            f"{what} frame fails check {first['check']} in column {first['column']} "
            f"(value {first['failure_case']!r}, {len(exc.failure_cases)} failure(s) in all)"
        ) from exc


def check_rw_scores(frame: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Normalise and check an RW score frame; raise ``DataError`` naming the first bad value."""
    return _validate(_normalise(frame, RW_SCORE_COLUMNS, "RW score"), rw_score_schema(as_of), "RW score")


def check_case_scores(frame: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Normalise and check a case score frame; raise ``DataError`` naming the first bad value."""
    out = _normalise(frame, CASE_SCORE_COLUMNS, "case score")
    out["closed_at"] = pd.to_datetime(out["closed_at"], errors="coerce").astype("datetime64[ns]")
    return _validate(out, case_score_schema(as_of), "case score")
