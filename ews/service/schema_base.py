"""The base every response model shares (frozen, timestamps always in UTC), and the string types
every request string goes through.

``Text`` (names, codes, filters) refuses every C0 control character and DEL; ``FreeText``
(notes) allows tab, line feed and carriage return among them. PostgreSQL cannot store a NUL in
a text column, and the audit log must never carry a string it cannot store, so such input is a
422 naming the field before anything is audited or stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but \t \n \r


def control_error(value: str, pattern: re.Pattern[str] = CONTROL) -> PydanticCustomError | None:
    """The 422 error for the first control character of ``value`` matched by ``pattern``, if any."""
    found = pattern.search(value)
    if found is None:
        return None
    allowed = "no control characters" if pattern is CONTROL else "tab, line feed and carriage return only"
    return PydanticCustomError(
        "control_character",
        "Input should not contain control character {char} (at position {position}); allowed: {allowed}",
        {"char": f"U+{ord(found.group()):04X}", "position": found.start(), "allowed": allowed},
    )


def _no_controls(value: str) -> str:
    error = control_error(value)
    if error is not None:
        raise error
    return value


def _no_controls_but_whitespace(value: str) -> str:
    error = control_error(value, CONTROL_IN_TEXT)
    if error is not None:
        raise error
    return value


# The same rule as a JSON-schema pattern, for the OpenAPI schema (and schemathesis); the
# validators above answer with the clearer message.
TEXT_PATTERN = "^[^\x00-\x1f\x7f]*$"
FREE_TEXT_PATTERN = "^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Text = Annotated[str, AfterValidator(_no_controls), Field(json_schema_extra={"pattern": TEXT_PATTERN})]
FreeText = Annotated[
    str, AfterValidator(_no_controls_but_whitespace), Field(json_schema_extra={"pattern": FREE_TEXT_PATTERN})
]


def controls_in(value: Any, loc: tuple[str | int, ...] = ()) -> Iterator[dict[str, Any]]:
    """Validation errors (pydantic's ``errors()`` shape) for control characters anywhere in ``value``.

    For request models defined outside the API (``CasePayload``) whose fields are plain ``str``:
    walks models, lists, tuples and dicts; every string must be :data:`Text`.
    """
    if isinstance(value, str):
        error = control_error(value)
        if error is not None:
            yield {"type": error.type, "loc": loc, "msg": error.message(), "input": value}
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from controls_in(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from controls_in(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from controls_in(key, (*loc, str(key)))
            yield from controls_in(item, (*loc, str(key)))


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; every stored timestamp is UTC.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


Utc = Annotated[dt.datetime, AfterValidator(_utc)]


class Out(BaseModel):
    """A response model: immutable once built."""

    model_config = ConfigDict(frozen=True)
