"""Write one published month in a single transaction.

Re-publishing a month deletes its rows and inserts the new ones inside the
caller's transaction, so readers see either the old month or the new one,
never a mix (PostgreSQL MVCC; SQLite WAL snapshots). Reviews, accounts and the
audit log are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ews.db import generations
from ews.db.accounts import now_utc
from ews.db.bundle import PublishBundle
from ews.db.models import CaseScore, Publication, Region, RwScore, RwTrend
from ews.exceptions import DataError

_CHUNK = 500
RW_STORED = (
    "rw_code",
    "kelurahan_code",
    "kecamatan_code",
    "kota_code",
    "score",
    "tier",
    "rank",
    "flagged",
    "top_factors",
    "last_signal_month",
    "stale_sources",
    "cases_3m",
    "cases_12m",
    "open_cases",
)
CASE_STORED = (
    "case_id",
    "rw_code",
    "kelurahan_code",
    "kecamatan_code",
    "closed_at",
    "score",
    "tier",
    "rank",
    "flagged",
    "top_factors",
)


def _plain(value: Any) -> Any:
    # Missing values of any flavour (NaN, NA, NaT) become SQL NULL.
    return None if value is None or pd.isna(value) else value


def _records(frame: pd.DataFrame, columns: Sequence[str], **extra: Any) -> list[dict[str, Any]]:
    # to_dict boxes numpy scalars into Python ones, which every DB driver accepts.
    rows = frame.loc[:, list(columns)].to_dict("records")
    return [{str(k): _plain(v) for k, v in row.items()} | extra for row in rows]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _replace_regions(session: Session, regions: pd.DataFrame) -> None:
    codes = regions["rw_code"].tolist()
    for chunk in _chunks(codes):
        session.execute(delete(Region).where(Region.rw_code.in_(chunk)))
    session.execute(insert(Region), _records(regions, [str(c) for c in regions.columns]))


def _delete_month(session: Session, as_of: str) -> None:
    for table in (RwTrend, RwScore, CaseScore):
        session.execute(delete(table).where(table.as_of == as_of))
    session.execute(delete(Publication).where(Publication.as_of == as_of))


def _publication(bundle: PublishBundle) -> Publication:
    return Publication(
        as_of=bundle.as_of,
        published_at=now_utc(),
        rw_model=bundle.rw_model[:200],
        reopen_model=bundle.reopen_model[:200],
        n_rws=len(bundle.rw_scores),
        n_flagged=int(bundle.rw_scores["flagged"].sum()),
        n_cases=len(bundle.case_scores),
    )


def publish(session: Session, bundle: PublishBundle) -> Publication:
    """Replace month ``bundle.as_of`` with the bundle's rows (inside the caller's transaction)."""
    if bundle.rw_scores.empty:
        raise DataError(f"there are no RW scores to publish for {bundle.as_of}")
    _delete_month(session, bundle.as_of)
    _replace_regions(session, bundle.regions)
    publication = _publication(bundle)
    session.add(publication)
    session.flush()
    session.execute(insert(RwScore), _records(bundle.rw_scores, RW_STORED, as_of=bundle.as_of))
    if len(bundle.trend):
        session.execute(
            insert(RwTrend), _records(bundle.trend, list(bundle.trend.columns), as_of=bundle.as_of)
        )
    if len(bundle.case_scores):
        cases = bundle.case_scores.assign(closed_at=bundle.case_scores["closed_at"].dt.date)
        session.execute(insert(CaseScore), _records(cases, CASE_STORED, as_of=bundle.as_of))
    # In the same transaction: API processes drop cached reads when they next see the counter.
    generations.bump(session, generations.PUBLICATIONS)
    return publication


def published_scores(session: Session, months: Sequence[str]) -> dict[str, pd.Series]:
    """Scores already published for ``months`` (month -> Series rw_code -> score)."""
    query = select(RwScore.as_of, RwScore.rw_code, RwScore.score).where(RwScore.as_of.in_(list(months)))
    frame = pd.DataFrame(session.execute(query).all(), columns=["as_of", "rw_code", "score"])
    return {str(month): part.set_index("rw_code")["score"] for month, part in frame.groupby("as_of")}
