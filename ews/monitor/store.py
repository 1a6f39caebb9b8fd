"""Read what the monitor needs from the service store (SQLAlchemy Core, read-only).

The edge of :mod:`ews.monitor`: published months, their RW scores and the
officials' reviews, as plain frames for the pure parts. It reads the tables
of :mod:`ews.db.models` and never writes or migrates; a database without
them (never published to) raises ``StorageError`` naming what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from ews.data.schema import CHECK_ROLES
from ews.db.models import Publication, Review, RwScore
from ews.exceptions import StorageError


@dataclass(frozen=True)
class StoreFrames:
    """``publications`` (as_of, published_at), ``rw_scores`` and ``reviews`` as read."""

    publications: pd.DataFrame
    rw_scores: pd.DataFrame
    reviews: pd.DataFrame


_P, _S, _R = Publication.__table__.c, RwScore.__table__.c, Review.__table__.c
_PUBLICATIONS = select(_P.as_of, _P.published_at, _P.n_flagged).order_by(_P.as_of)
_SCORES = select(
    _S.as_of, _S.rw_code, _S.kota_code, _S.kecamatan_code, _S.score, _S.tier, _S.flagged, _S.top_factors
)
_REVIEWS = select(_R.id, _R.rw_code, _R.as_of, _R.outcome, _R.visit_date, _R.author_role).order_by(_R.id)


def _frame(engine: Engine, statement: object) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(statement)  # type: ignore[call-overload]
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _require_tables(engine: Engine) -> None:
    names = set(inspect(engine).get_table_names())
    missing = sorted({"publications", "rw_scores", "reviews"} - names)
    if missing:
        raise StorageError(
            f"the service database {engine.url!r} has no {', '.join(missing)} table; run `ews publish` first"
        )


def read_store(engine: Engine, since: str | None = None) -> StoreFrames:
    """Publications and scores of months from ``since`` (``YYYY-MM``; all when None) and every review."""
    try:
        _require_tables(engine)
        scores = _SCORES if since is None else _SCORES.where(_S.as_of >= since)
        return StoreFrames(_frame(engine, _PUBLICATIONS), _frame(engine, scores), _frame(engine, _REVIEWS))
    except SQLAlchemyError as exc:
        raise StorageError(f"could not read the service database: {exc.__class__.__name__}") from exc


def read_reviews(engine: Engine) -> pd.DataFrame:
    """Every review (id order)."""
    try:
        _require_tables(engine)
        return _frame(engine, _REVIEWS)
    except SQLAlchemyError as exc:
        raise StorageError(f"could not read the service database: {exc.__class__.__name__}") from exc


def checks_table(reviews: pd.DataFrame) -> pd.DataFrame:
    """``checks.csv`` (contract section 1): rw_code, visit_date, outcome, role; no notes, no authors.

    Rows of other roles (an admin) are left out: the contract knows lurah, camat and analyst.
    """
    keep = reviews[reviews["author_role"].astype(str).isin(CHECK_ROLES)]
    out = pd.DataFrame(
        {
            "rw_code": keep["rw_code"].astype(str),
            "visit_date": pd.to_datetime(keep["visit_date"]).dt.strftime("%Y-%m-%d"),
            "outcome": keep["outcome"].astype(str),
            "role": keep["author_role"].astype(str),
        }
    )
    return out.sort_values(["visit_date", "rw_code"], kind="stable").reset_index(drop=True)
