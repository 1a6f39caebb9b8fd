"""The base every response model shares: frozen, and timestamps always in UTC."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; every stored timestamp is UTC.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


Utc = Annotated[dt.datetime, AfterValidator(_utc)]


class Out(BaseModel):
    """A response model: immutable once built."""

    model_config = ConfigDict(frozen=True)
